// Shared helpers for the mock-trezor tests: fixture loading and an in-process mock per test.
#ifndef STAKEWARD_TESTS_UNIT_MOCK_TREZOR_FIXTURE_UTIL_H_
#define STAKEWARD_TESTS_UNIT_MOCK_TREZOR_FIXTURE_UTIL_H_

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "chain/keys.h"
#include "firmware-mocks/trezor/mock_trezor.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "proto/trezor/messages_management.pb.h"
#include "tests/unit/mock_trezor/test_host.h"

namespace stakeward::mocks::trezor::testing {

inline nlohmann::json LoadVector(const std::string& name) {
  std::ifstream in(std::string(STAKEWARD_SHARED_DIR) + "/vectors/trezor/" + name);
  if (!in) return nlohmann::json();
  return nlohmann::json::parse(in);
}

inline std::vector<uint32_t> PathOf(const std::string& text) {
  auto p = chain::ParsePath(text);
  EXPECT_TRUE(p.ok()) << text;
  return p.ok() ? p->indexes : std::vector<uint32_t>{};
}

inline std::string Hex(const std::string& bytes) {
  return chain::HexEncode(chain::View(std::string_view(bytes)));
}

inline chain::Bytes Unhex(const std::string& hex) {
  auto b = chain::HexDecode(hex);
  EXPECT_TRUE(b.ok()) << hex;
  return b.ok() ? *b : chain::Bytes{};
}

// A running mock plus a connected host.
struct Rig {
  std::unique_ptr<MockTrezor> mock;
  std::unique_ptr<UdpHost> host;

  static std::unique_ptr<Rig> Start(MockTrezorOptions options = {}) {
    auto rig = std::make_unique<Rig>();
    options.control = false;
    rig->mock = std::make_unique<MockTrezor>(options);
    auto s = rig->mock->Start();
    EXPECT_TRUE(s.ok()) << s;
    if (!s.ok()) return nullptr;
    auto host = UdpHost::Connect(rig->mock->port());
    EXPECT_TRUE(host.ok());
    if (!host.ok()) return nullptr;
    rig->host = std::make_unique<UdpHost>(std::move(*host));
    return rig;
  }

  // Initialize{derive_cardano} -> Features.
  void Initialize(bool derive_cardano = true) {
    hw::trezor::messages::management::Initialize init;
    init.set_derive_cardano(derive_cardano);
    auto r = host->Call(0, init);
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->type, 17);
  }
};

}  // namespace stakeward::mocks::trezor::testing

#endif  // STAKEWARD_TESTS_UNIT_MOCK_TREZOR_FIXTURE_UTIL_H_
