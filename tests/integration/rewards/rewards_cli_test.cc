// The reward round through the CLI against the device mocks: alice signs on mock-trezor and carol
// on mock-ledger with `stakeward proposal sign` (which rebuilds the reward transactions itself),
// `stakeward rewards confirm-l1 --server`, then `stakeward rewards deposit --server` signs the L2
// deposit once on mock-trezor (Ethereum) and, for the next epoch, on a mock-ledger holding the
// same operator account with the Ethereum app open.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/devices/mock_process.h"
#include "tests/integration/rewards/rewards_fixture.h"

namespace stakeward::controller::testing {
namespace {

using devices::testing::MockProcess;

class RewardsCliTest : public RewardsRound {
 protected:
  void SetUp() override {
    RewardsRound::SetUp();
    const v1::PolicyVersion installed = InstallPolicy();
    // The signers' and the operator's trust store (inherited by every CLI run): policy v1.
    const std::string trust_dir = dir_ + "/trust";
    ASSERT_EQ(::setenv("STAKEWARD_TRUST_DIR", trust_dir.c_str(), 1), 0);
    CliResult t = RunCli("policy trust " + chain::HexEncode(HashOf(installed)));
    ASSERT_EQ(t.exit_code, 0) << t.out << t.err;
    ASSERT_TRUE(trezor_.Start("mock-trezor", {"--port", "0", "--control-port", "0"}).ok());
    ASSERT_TRUE(ledger_.Start("mock-ledger", {"--apdu-port", "0", "--control-port", "0"}).ok());
    // The policy pins the operator's L2 account (m/44'/60'/0'/0/0 of the "all ... all" seed): a
    // Ledger with that seed is the operator's second device.
    ASSERT_TRUE(operator_ledger_
                    .Start("mock-ledger", {"--apdu-port", "0", "--control-port", "0", "--mnemonic",
                                           "all all all all all all all all all all all all"})
                    .ok());
    server_flag_ = "--server 127.0.0.1:" + std::to_string(server_->port());
  }

  // Both epochs pay from the one operator account the policy pins, so each takes the next nonce.
  std::string Deposit(uint64_t epoch, const std::string& device, uint64_t nonce) {
    CliResult r =
        RunCli("rewards deposit " + std::to_string(epoch) + " " + server_flag_ + " --device " +
               device + " --nonce " + std::to_string(nonce) +
               " --gas-limit 150000 --max-fee-per-gas 100000000000"
               " --max-priority-fee-per-gas 1000000000 --bridge-fee 1000000 --timeout 60");
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    std::vector<std::string> lines = absl::StrSplit(r.out, '\n', absl::SkipEmpty());
    return lines.empty() ? "" : lines.back();
  }

  void TearDown() override {
    ::unsetenv("STAKEWARD_TRUST_DIR");
    RewardsRound::TearDown();
  }

  MockProcess trezor_, ledger_, operator_ledger_;
  std::string server_flag_;
};

TEST_F(RewardsCliTest, RoundSignedOnMocksThenDepositsOnEachDevice) {
  auto trezor_uri = trezor_.Uri("udp");
  auto ledger_uri = ledger_.Uri("tcp");
  auto operator_ledger_uri = operator_ledger_.Uri("tcp");
  ASSERT_TRUE(trezor_uri.ok() && ledger_uri.ok() && operator_ledger_uri.ok());
  for (uint64_t epoch : {200u, 201u}) {
    ASSERT_TRUE(PushSnapshot(RewardSnapshotJson(epoch, {184000000, 132000000, 376000000})).ok());
    // Epoch 200's operator device is the Trezor, 201's a Ledger holding the same account.
    const std::string& operator_device = epoch == 200 ? *trezor_uri : *operator_ledger_uri;
    if (epoch == 201) {
      ASSERT_TRUE(operator_ledger_.ControlOk("app ethereum").ok());
      ASSERT_TRUE(operator_ledger_.ControlOk("blind-signing on").ok());
    }
    CliResult b = RunCli("rewards build " + std::to_string(epoch) + " " + server_flag_ +
                         " --device " + operator_device + " --json");
    ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
    const std::string id = nlohmann::json::parse(b.out)["proposal_id"].get<std::string>();
    ASSERT_FALSE(id.empty());
    CliResult sa = RunCli("proposal sign " + id + " " + server_flag_ + " --signer alice --device " +
                          *trezor_uri);
    ASSERT_EQ(sa.exit_code, 0) << sa.out << sa.err;
    CliResult sc = RunCli("proposal sign " + id + " " + server_flag_ + " --signer carol --device " +
                          *ledger_uri);
    ASSERT_EQ(sc.exit_code, 0) << sc.out << sc.err;
    EXPECT_NE(sc.out.find("READY"), std::string::npos) << sc.out;
    const std::string out_dir = dir_ + "/export-" + std::to_string(epoch);
    std::filesystem::create_directories(out_dir);
    CliResult ex = RunCli("proposal export " + id + " " + server_flag_ +
                          " --dev-role operator --out-dir " + out_dir);
    ASSERT_EQ(ex.exit_code, 0) << ex.out << ex.err;
    EXPECT_FALSE(std::filesystem::is_empty(out_dir));
    CliResult c = RunCli("rewards confirm-l1 " + std::to_string(epoch) + " " + server_flag_);
    ASSERT_EQ(c.exit_code, 0) << c.out << c.err;

    std::string raw;
    if (epoch == 200) {
      raw = Deposit(epoch, *trezor_uri, 0);
    } else {
      raw = Deposit(epoch, *operator_ledger_uri, 1);
    }
    ASSERT_EQ(raw.rfind("0x02", 0), 0u) << raw;
    CliResult show =
        RunCli("rewards show " + std::to_string(epoch) + " " + server_flag_ + " --json");
    ASSERT_EQ(show.exit_code, 0) << show.out << show.err;
    nlohmann::json j = nlohmann::json::parse(show.out);
    // Signed is not deposited: no L2 node is configured here, so the epoch stays L1_CONFIRMED
    // and the text view says how far the deposit got (issue 14).
    EXPECT_EQ(j["status"], "L1_CONFIRMED");
    EXPECT_EQ(j["deposit"]["state"], "SIGNED");
    EXPECT_EQ(j["deposit"]["raw_tx"], raw);
    CliResult text = RunCli("rewards show " + std::to_string(epoch) + " " + server_flag_);
    ASSERT_EQ(text.exit_code, 0) << text.out << text.err;
    EXPECT_NE(text.out.find("L1_CONFIRMED, L2 deposit signed, not yet accepted by the L2 node"),
              std::string::npos)
        << text.out;
    // A second deposit command returns the stored transaction.
    if (epoch == 200) {
      EXPECT_EQ(Deposit(epoch, *trezor_uri, 0), raw);
    }
  }
}

}  // namespace
}  // namespace stakeward::controller::testing

namespace stakeward::controller::testing {
namespace {

// Issue 12: the CLI never writes the controller's database. The read-only --db commands refuse
// a mistyped path without creating it; the writing commands have no --db at all (every change
// goes through the controller's API, with a role and an audit entry).
TEST(RewardsCliDbTest, DatabaseIsReadOnlyAndNeverCreated) {
  const std::string missing =
      ::testing::TempDir() + "/no-such-dir-" + std::to_string(::getpid()) + "-ledger.db";
  for (const std::string& args :
       {"rewards show 510 --db " + missing, "audit verify --db " + missing}) {
    CliResult r = RunCli(args);
    EXPECT_NE(r.exit_code, 0) << args;
    EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(missing)) << args;
  }
  const std::string deposit_flags =
      " --device tcp:127.0.0.1:1 --nonce 0 --gas-limit 150000 --max-fee-per-gas 1 "
      "--max-priority-fee-per-gas 1 --bridge-fee 0";
  for (const std::string& args :
       {"rewards confirm-l1 510 --db " + missing, "rewards build 510 --db " + missing,
        "rewards deposit 510 --db " + missing + deposit_flags}) {
    CliResult r = RunCli(args);
    EXPECT_NE(r.exit_code, 0) << args;
    EXPECT_NE(r.err.find("--db"), std::string::npos) << args << ": " << r.err;
    EXPECT_FALSE(std::filesystem::exists(missing)) << args;
  }
  for (const std::string& args :
       {std::string("rewards confirm-l1 510"), "rewards deposit 510" + deposit_flags}) {
    CliResult r = RunCli(args);
    EXPECT_NE(r.exit_code, 0) << args;
    EXPECT_NE(r.err.find("needs --server"), std::string::npos) << args << ": " << r.err;
  }
}

}  // namespace
}  // namespace stakeward::controller::testing
