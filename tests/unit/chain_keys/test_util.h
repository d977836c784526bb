// Helpers shared by the chain_keys tests: vector loading and hex conversion.
#ifndef STAKEWARD_TESTS_UNIT_CHAIN_KEYS_TEST_UTIL_H_
#define STAKEWARD_TESTS_UNIT_CHAIN_KEYS_TEST_UTIL_H_

#include <array>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "chain/bytes.h"
#include "chain/keys.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace stakeward::chain::testing {

inline std::string ReadSharedFile(std::string_view relative) {
  std::string path = std::string(STAKEWARD_SHARED_DIR) + "/" + std::string(relative);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline nlohmann::json LoadVectors(std::string_view relative) {
  return nlohmann::json::parse(ReadSharedFile(relative));
}

inline Bytes Hex(std::string_view hex) {
  absl::StatusOr<Bytes> b = HexDecode(hex);
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? *b : Bytes();
}

template <size_t N>
std::array<uint8_t, N> HexN(std::string_view hex) {
  absl::StatusOr<std::array<uint8_t, N>> b = HexDecodeFixed<N>(hex);
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? *b : std::array<uint8_t, N>{};
}

inline XPrv XPrvFromHex(std::string_view hex) { return XPrv(HexN<96>(hex)); }

inline Path P(std::string_view text) {
  absl::StatusOr<Path> p = ParsePath(text);
  EXPECT_TRUE(p.ok()) << text << ": " << p.status();
  return p.ok() ? *p : Path{};
}

inline XPrv Master(std::string_view mnemonic, Derivation d, std::string_view passphrase = "") {
  absl::StatusOr<XPrv> k = MasterKeyFromMnemonic(mnemonic, passphrase, d);
  EXPECT_TRUE(k.ok()) << k.status();
  return k.ok() ? *k : XPrv();
}

inline std::string XPubHex(const XPub& x) { return HexEncode(x.Serialize()); }

}  // namespace stakeward::chain::testing

#endif  // STAKEWARD_TESTS_UNIT_CHAIN_KEYS_TEST_UTIL_H_
