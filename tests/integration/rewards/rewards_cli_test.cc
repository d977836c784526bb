// The reward round through the CLI against the device mocks: alice signs on mock-trezor and carol
// on mock-ledger with `stakeward proposal sign` (which rebuilds the reward transactions itself),
// `stakeward rewards confirm-l1 --server`, then `stakeward rewards deposit --server` signs the L2
// deposit once on mock-trezor (Ethereum) and, for the next epoch, on mock-ledger with the
// Ethereum app open.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/devices/mock_process.h"
#include "tests/integration/rewards/rewards_fixture.h"

namespace stakeward::controller::testing {
namespace {

using devices::testing::MockProcess;

struct CliResult {
  int exit_code = -1;
  std::string out;
};

CliResult RunCli(const std::string& args) {
  const std::string cmd = std::string(STAKEWARD_BIN_DIR) + "/stakeward " + args + " 2>/dev/null";
  CliResult r;
  FILE* f = ::popen(cmd.c_str(), "r");
  if (f == nullptr) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(f);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class RewardsCliTest : public RewardsRound {
 protected:
  void SetUp() override {
    RewardsRound::SetUp();
    InstallPolicy();
    ASSERT_TRUE(trezor_.Start("mock-trezor", {"--port", "0", "--control-port", "0"}).ok());
    ASSERT_TRUE(ledger_.Start("mock-ledger", {"--apdu-port", "0", "--control-port", "0"}).ok());
    server_flag_ = "--server 127.0.0.1:" + std::to_string(server_->port());
  }

  std::string Deposit(uint64_t epoch, const std::string& device) {
    CliResult r = RunCli("rewards deposit " + std::to_string(epoch) + " " + server_flag_ +
                         " --device " + device +
                         " --nonce 0 --gas-limit 150000 --max-fee-per-gas 100000000000"
                         " --max-priority-fee-per-gas 1000000000 --bridge-fee 1000000 --timeout 60");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    std::vector<std::string> lines = absl::StrSplit(r.out, '\n', absl::SkipEmpty());
    return lines.empty() ? "" : lines.back();
  }

  MockProcess trezor_, ledger_;
  std::string server_flag_;
};

TEST_F(RewardsCliTest, RoundSignedOnMocksThenDepositsOnEachDevice) {
  auto trezor_uri = trezor_.Uri("udp");
  auto ledger_uri = ledger_.Uri("tcp");
  ASSERT_TRUE(trezor_uri.ok() && ledger_uri.ok());
  for (uint64_t epoch : {200u, 201u}) {
    ASSERT_TRUE(PushSnapshot(RewardSnapshotJson(epoch, {184000000, 132000000, 376000000})).ok());
    // Epoch 200 bridges to the Trezor's Ethereum account, 201 to the Ledger's.
    const std::string& operator_device = epoch == 200 ? *trezor_uri : *ledger_uri;
    if (epoch == 201) {
      ASSERT_TRUE(ledger_.ControlOk("app ethereum").ok());
    }
    CliResult b = RunCli("rewards build " + std::to_string(epoch) + " " + server_flag_ +
                         " --device " + operator_device + " --json");
    if (epoch == 201) {
      ASSERT_TRUE(ledger_.ControlOk("app cardano").ok());
    }
    ASSERT_EQ(b.exit_code, 0) << b.out;
    const std::string id = nlohmann::json::parse(b.out)["proposal_id"].get<std::string>();
    ASSERT_FALSE(id.empty());
    CliResult sa = RunCli("proposal sign " + id + " " + server_flag_ + " --signer alice --device " +
                          *trezor_uri);
    ASSERT_EQ(sa.exit_code, 0) << sa.out;
    CliResult sc = RunCli("proposal sign " + id + " " + server_flag_ + " --signer carol --device " +
                          *ledger_uri);
    ASSERT_EQ(sc.exit_code, 0) << sc.out;
    EXPECT_NE(sc.out.find("READY"), std::string::npos) << sc.out;
    const std::string out_dir = dir_ + "/export-" + std::to_string(epoch);
    std::filesystem::create_directories(out_dir);
    CliResult ex = RunCli("proposal export " + id + " " + server_flag_ +
                          " --dev-role operator --out-dir " + out_dir);
    ASSERT_EQ(ex.exit_code, 0) << ex.out;
    EXPECT_FALSE(std::filesystem::is_empty(out_dir));
    CliResult c = RunCli("rewards confirm-l1 " + std::to_string(epoch) + " " + server_flag_);
    ASSERT_EQ(c.exit_code, 0) << c.out;

    std::string raw;
    if (epoch == 200) {
      raw = Deposit(epoch, *trezor_uri);
    } else {
      ASSERT_TRUE(ledger_.ControlOk("app ethereum").ok());
      raw = Deposit(epoch, *ledger_uri);
    }
    ASSERT_EQ(raw.rfind("0x02", 0), 0u) << raw;
    CliResult show = RunCli("rewards show " + std::to_string(epoch) + " " + server_flag_ +
                            " --json");
    ASSERT_EQ(show.exit_code, 0) << show.out;
    nlohmann::json j = nlohmann::json::parse(show.out);
    EXPECT_EQ(j["status"], "DEPOSITED");
    EXPECT_EQ(j["deposit"]["raw_tx"], raw);
    // A second deposit command returns the stored transaction.
    if (epoch == 200) {
      EXPECT_EQ(Deposit(epoch, *trezor_uri), raw);
    }
  }
}

}  // namespace
}  // namespace stakeward::controller::testing
