// Exactly one deposit on chain (issue 14): the real stakewardd with `l2:` drives the epoch's
// deposit on a real EVM node (the pinned anvil, chain id 200101, the test contract compiled by the
// pinned solc-js). Each row ends by reading the chain itself: the contract counts exactly one
// PoolAccredited deposit for the epoch, for exactly the deposit's value, and the epoch is
// DEPOSITED. Waits follow the daemon's audit stream (no sleeps); fails, never skips, when anvil or
// node is missing.
#include <sodium.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "proto/stakeward/v1/audit.grpc.pb.h"
#include "proto/stakeward/v1/rewards.grpc.pb.h"
#include "tests/integration/controller/daemon_process.h"
#include "tests/integration/controller/round_fixture.h"
#include "tests/integration/rewards/rewards_fixture.h"
#include "tests/support/anvil_node.h"

namespace stakeward::controller::testing {
namespace {

namespace evm = chain::evm;
using stakeward::testing::AnvilNode;

constexpr uint64_t kEpoch = 200;
constexpr char kReserveSeedHex[] =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";  // RFC 8032 test 1

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& role, int seconds = 60) {
  auto c = std::make_unique<grpc::ClientContext>();
  c->AddMetadata("x-stakeward-role", role);
  c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
  return c;
}

class L2DepositTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            absl::StrCat("sw_l2_deposit_", ::getpid(), "_",
                         ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    absl::StatusOr<std::string> url = anvil_.Start();
    ASSERT_TRUE(url.ok()) << url.status();
    auto rpc = l2::EvmRpc::Create(*url, absl::Seconds(20));
    ASSERT_TRUE(rpc.ok());
    rpc_.emplace(std::move(*rpc));
    operator_ = OperatorKey().EthAddress();
    absl::StatusOr<evm::Address> pool =
        stakeward::testing::DeployLiquidStakingPool(anvil_, *rpc_, operator_, kEpoch);
    ASSERT_TRUE(pool.ok()) << pool.status();
    pool_ = *pool;
    ASSERT_TRUE(anvil_.SetBalance(operator_, 100000).ok());
    std::ofstream(dir_ + "/reserve.key") << kReserveSeedHex << "\n";
    std::ofstream(dir_ + "/l2.yaml")
        << "l2:\n  rpc: " << *url
        << "\n  poll_seconds: 1\n  confirmations: 2\n  reserve_key: " << dir_ << "/reserve.key\n";
  }
  void TearDown() override {
    daemon_.Kill();
    anvil_.Stop();
    std::filesystem::remove_all(dir_);
  }

  // stakewardd on `db` (default: the test's), with or without the L2 driver.
  void Start(bool with_l2, const std::string& db = "") {
    std::vector<std::string> args = {"--dev", "--listen", "127.0.0.1:0", "--db",
                                     db.empty() ? dir_ + "/stakeward.db" : db};
    if (with_l2) args.insert(args.end(), {"--config", dir_ + "/l2.yaml"});
    ASSERT_TRUE(daemon_.Start(args));
    auto ch = grpc::CreateChannel(daemon_.address(), grpc::InsecureChannelCredentials());
    policy_ = v1::PolicyService::NewStub(ch);
    snapshots_ = v1::SnapshotService::NewStub(ch);
    proposals_ = v1::ProposalService::NewStub(ch);
    witnesses_ = v1::WitnessService::NewStub(ch);
    rewards_ = v1::RewardsService::NewStub(ch);
    audit_ = v1::AuditService::NewStub(ch);
  }

  // The sample policy pointing at the deployed contract; the reward round of kEpoch up to
  // L1_CONFIRMED (signed by alice and carol, confirmed by the operator).
  void RoundToL1Confirmed() {
    std::string yaml = TestPolicyYaml(DefaultSigners());
    const std::string sample = "0x45f48842ef34da79a5b426f427e63d9fa8b53696";
    yaml.replace(yaml.find(sample), sample.size(), "0x" + chain::HexEncode(pool_));
    ASSERT_NO_FATAL_FAILURE(ConfirmRewardRound(
        {policy_.get(), snapshots_.get(), proposals_.get(), witnesses_.get(), rewards_.get()}, yaml,
        kEpoch));
  }

  v1::ReserveDepositRequest Request(const std::string& id, uint64_t nonce, uint64_t max_fee_gwei,
                                    uint64_t prio_gwei) {
    v1::ReserveDepositRequest r;
    r.set_epoch(kEpoch);
    r.set_operator_address(OperatorAddress());
    r.set_nonce(std::to_string(nonce));
    r.set_gas_limit("150000");
    r.set_max_fee_per_gas(absl::StrCat(max_fee_gwei, "000000000"));
    r.set_max_priority_fee_per_gas(absl::StrCat(prio_gwei, "000000000"));
    r.set_bridge_fee_lovelace(1000000);
    r.set_request_id(id);
    return r;
  }
  // Reserve (waiting out another request's lease by retrying under the same id), sign, store.
  grpc::Status ReserveSignStore(const v1::ReserveDepositRequest& req, v1::L2Deposit* out) {
    for (int i = 0; i < 400; ++i) {
      v1::ReserveDepositResponse r;
      grpc::Status st = rewards_->ReserveDeposit(Ctx("operator").get(), req, &r);
      if (!st.ok()) return st;
      if (r.outcome() == v1::RESERVATION_OUTCOME_BUSY) {
        std::this_thread::yield();  // another request is signing: ask again
        continue;
      }
      if (r.outcome() != v1::RESERVATION_OUTCOME_RESERVED) {
        *out = r.deposit();
        return grpc::Status::OK;
      }
      v1::StoreDepositRequest s;
      s.set_epoch(kEpoch);
      s.set_raw_tx(SignReserved(r.deposit(), OperatorKey()));
      v1::StoreDepositResponse sr;
      st = rewards_->StoreDeposit(Ctx("operator").get(), s, &sr);
      if (st.ok()) *out = sr.deposit();
      return st;
    }
    return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "still busy");
  }

  // Follows the audit log until an entry with `action` on the epoch; returns its details.
  std::string WaitForAudit(const std::string& action, const std::string& detail_part = "") {
    v1::StreamAuditRequest req;
    req.set_from_seq(1);
    auto ctx = Ctx("auditor", 60);
    auto reader = audit_->StreamAudit(ctx.get(), req);
    v1::AuditEntry e;
    while (reader->Read(&e)) {
      if (e.action() == action && e.subject() == absl::StrCat("epoch:", kEpoch) &&
          absl::StrContains(e.details(), detail_part)) {
        ctx->TryCancel();
        reader->Finish().IgnoreError();
        return e.details();
      }
    }
    ADD_FAILURE() << "no audit entry " << action << ": " << reader->Finish().error_message();
    return "";
  }

  v1::L2Deposit Deposit() {
    v1::GetEpochRequest req;
    req.set_epoch(kEpoch);
    v1::GetEpochResponse resp;
    EXPECT_TRUE(rewards_->GetEpoch(Ctx("auditor").get(), req, &resp).ok());
    return resp.epoch().deposit();
  }
  v1::EpochStatus EpochStatus() {
    v1::GetEpochRequest req;
    req.set_epoch(kEpoch);
    v1::GetEpochResponse resp;
    EXPECT_TRUE(rewards_->GetEpoch(Ctx("auditor").get(), req, &resp).ok());
    return resp.epoch().status();
  }

  // The chain's own account of the epoch: one deposit, exactly `value_wei`, held by the contract.
  void ExpectExactlyOneDepositOnChain(const std::string& value_wei) {
    auto count = stakeward::testing::CallUint(*rpc_, pool_, "depositsInEpoch(uint256)", kEpoch);
    ASSERT_TRUE(count.ok()) << count.status();
    EXPECT_EQ(count->ToDecimal(), "1");
    auto sum = stakeward::testing::CallUint(*rpc_, pool_, "accreditedInEpoch(uint256)", kEpoch);
    ASSERT_TRUE(sum.ok());
    EXPECT_EQ(sum->ToDecimal(), value_wei);
    auto balance = rpc_->Balance(pool_);
    ASSERT_TRUE(balance.ok());
    EXPECT_EQ(balance->ToDecimal(), value_wei);
  }
  // The deposit mined, k (2) deep, confirmed by the daemon; the chain holds exactly one.
  void MineAndExpectConfirmed(const std::string& tx_hash) {
    ASSERT_TRUE(anvil_.Mine(2).ok());
    WaitForAudit("rewards.deposit.confirm", tx_hash);
    const v1::L2Deposit d = Deposit();
    EXPECT_EQ(d.state(), v1::DEPOSIT_STATE_CONFIRMED);
    EXPECT_EQ(d.tx_hash(), tx_hash);
    EXPECT_EQ(EpochStatus(), v1::EPOCH_STATUS_DEPOSITED);
    ExpectExactlyOneDepositOnChain(d.value_wei());
  }

  std::string dir_;
  AnvilNode anvil_;
  std::optional<l2::EvmRpc> rpc_;
  evm::Address operator_{};
  evm::Address pool_{};
  DaemonProcess daemon_;
  std::unique_ptr<v1::PolicyService::Stub> policy_;
  std::unique_ptr<v1::SnapshotService::Stub> snapshots_;
  std::unique_ptr<v1::ProposalService::Stub> proposals_;
  std::unique_ptr<v1::WitnessService::Stub> witnesses_;
  std::unique_ptr<v1::RewardsService::Stub> rewards_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
};

TEST_F(L2DepositTest, TwentyConcurrentRequestsMineOneDeposit) {
  Start(true);
  RoundToL1Confirmed();
  std::vector<std::thread> threads;
  std::vector<v1::L2Deposit> got(20);
  std::vector<grpc::Status> status(20);
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back([&, i] {
      status[i] = ReserveSignStore(Request(absl::StrCat("op-", i), 0, 100, 1), &got[i]);
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(status[i].ok()) << i << ": " << status[i].error_message();
    EXPECT_EQ(got[i].tx_hash(), got[0].tx_hash()) << i;
  }
  WaitForAudit("rewards.deposit.broadcast", got[0].tx_hash());
  MineAndExpectConfirmed(got[0].tx_hash());
  daemon_.Kill();
  CliResult verify = RunCli("audit verify --db " + dir_ + "/stakeward.db");
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

TEST_F(L2DepositTest, KillBetweenSignAndBroadcastThenOneDeposit) {
  Start(false);  // no L2 driver: the deposit is signed and stored, never sent
  RoundToL1Confirmed();
  v1::L2Deposit d;
  ASSERT_TRUE(ReserveSignStore(Request("op-1", 0, 100, 1), &d).ok());
  EXPECT_EQ(d.state(), v1::DEPOSIT_STATE_SIGNED);
  daemon_.Kill();
  Start(true);
  WaitForAudit("rewards.deposit.broadcast", d.tx_hash());
  MineAndExpectConfirmed(d.tx_hash());
}

TEST_F(L2DepositTest, KillBetweenBroadcastAndReceiptThenOneDeposit) {
  ASSERT_TRUE(anvil_.SetAutomine(false).ok());  // sent transactions wait in the pool
  Start(true);
  RoundToL1Confirmed();
  v1::L2Deposit d;
  ASSERT_TRUE(ReserveSignStore(Request("op-1", 0, 100, 1), &d).ok());
  WaitForAudit("rewards.deposit.broadcast", d.tx_hash());
  daemon_.Kill();
  ASSERT_TRUE(anvil_.Mine(1).ok());  // mined while stakewardd is down
  Start(true);
  MineAndExpectConfirmed(d.tx_hash());
}

TEST_F(L2DepositTest, RestartAfterMinedButBeforeStoredThenAdoptedNotResent) {
  Start(false);
  RoundToL1Confirmed();
  v1::L2Deposit d;
  ASSERT_TRUE(ReserveSignStore(Request("op-1", 0, 100, 1), &d).ok());
  // The transaction reaches the chain by another way (`stakeward evm send`) and is mined; the
  // controller is killed before it stored anything about it.
  auto sent =
      rpc_->SendRawTransaction(chain::View(chain::Bytes(d.raw_tx().begin(), d.raw_tx().end())));
  ASSERT_TRUE(sent.ok()) << sent.status();
  daemon_.Kill();
  Start(true);
  MineAndExpectConfirmed(d.tx_hash());

  // A second controller on a fresh database (say, restored from an old backup) runs the same
  // round: the chain already shows the epoch's deposit, so it is adopted and nothing is signed.
  daemon_.Kill();
  Start(true, dir_ + "/restored.db");
  RoundToL1Confirmed();
  v1::ReserveDepositResponse r;
  grpc::Status st = rewards_->ReserveDeposit(Ctx("operator").get(), Request("op-9", 1, 100, 1), &r);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(r.outcome(), v1::RESERVATION_OUTCOME_ALREADY_SIGNED);
  EXPECT_EQ(r.deposit().state(), v1::DEPOSIT_STATE_CONFIRMED);
  EXPECT_TRUE(r.deposit().adopted());
  EXPECT_EQ(r.deposit().tx_hash(), d.tx_hash());
  EXPECT_EQ(EpochStatus(), v1::EPOCH_STATUS_DEPOSITED);
  ExpectExactlyOneDepositOnChain(d.value_wei());
}

TEST_F(L2DepositTest, DroppedDepositIsReplacedWithTheSameNonceAndHigherFees) {
  ASSERT_TRUE(anvil_.SetAutomine(false).ok());
  Start(true);
  RoundToL1Confirmed();
  v1::L2Deposit first;
  ASSERT_TRUE(ReserveSignStore(Request("op-1", 0, 100, 1), &first).ok());
  WaitForAudit("rewards.deposit.broadcast", first.tx_hash());
  ASSERT_TRUE(anvil_.DropTransaction(first.tx_hash()).ok());  // the pool lost it

  // Refused replacements: fees raised by less than 10 %, or a second nonce while one is pending.
  v1::ReserveDepositResponse r;
  v1::ReserveDepositRequest small = Request("op-2", 0, 105, 1);
  small.set_replace(true);
  EXPECT_EQ(rewards_->ReserveDeposit(Ctx("operator").get(), small, &r).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::ReserveDepositRequest other_nonce = Request("op-2", 1, 200, 2);
  other_nonce.set_replace(true);
  EXPECT_EQ(rewards_->ReserveDeposit(Ctx("operator").get(), other_nonce, &r).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  v1::ReserveDepositRequest replace = Request("op-2", 0, 200, 2);
  replace.set_replace(true);
  v1::L2Deposit second;
  ASSERT_TRUE(ReserveSignStore(replace, &second).ok());
  ASSERT_NE(second.tx_hash(), first.tx_hash());
  EXPECT_EQ(second.nonce(), "0");
  EXPECT_EQ(second.attempts(), 2u);
  WaitForAudit("rewards.deposit.broadcast", second.tx_hash());
  MineAndExpectConfirmed(second.tx_hash());
}

TEST_F(L2DepositTest, NodeRefusalsReachTheOperatorWithTheNextStep) {
  ASSERT_TRUE(anvil_.SetBalance(operator_, 0).ok());
  Start(true);
  RoundToL1Confirmed();
  v1::L2Deposit d;
  ASSERT_TRUE(ReserveSignStore(Request("op-1", 0, 100, 1), &d).ok());
  std::string refused = WaitForAudit("rewards.deposit.refused");
  EXPECT_TRUE(absl::StrContains(refused, "fund the operator's L2 account")) << refused;
  EXPECT_TRUE(absl::StrContains(Deposit().note(), "fund the operator's L2 account"));
  // Funded, the same signed deposit goes through: still exactly one.
  ASSERT_TRUE(anvil_.SetBalance(operator_, 100000).ok());
  WaitForAudit("rewards.deposit.broadcast", d.tx_hash());
  MineAndExpectConfirmed(d.tx_hash());
}

TEST_F(L2DepositTest, FeeBelowTheBaseFeeIsRefusedAndReplacedWithHigherFees) {
  Start(true);
  RoundToL1Confirmed();
  v1::ReserveDepositRequest cheap = Request("op-1", 0, 0, 0);
  cheap.set_max_fee_per_gas("1");  // 1 wei per gas: below any London base fee
  cheap.set_max_priority_fee_per_gas("1");
  v1::L2Deposit d;
  ASSERT_TRUE(ReserveSignStore(cheap, &d).ok());
  std::string refused = WaitForAudit("rewards.deposit.refused");
  EXPECT_TRUE(absl::StrContains(refused, "below the block's base fee")) << refused;
  v1::ReserveDepositRequest replace = Request("op-2", 0, 100, 1);
  replace.set_replace(true);
  v1::L2Deposit second;
  ASSERT_TRUE(ReserveSignStore(replace, &second).ok());
  WaitForAudit("rewards.deposit.broadcast", second.tx_hash());
  MineAndExpectConfirmed(second.tx_hash());
}

TEST_F(L2DepositTest, ANodeOfAnotherChainIsRefusedBeforeAnythingIsReserved) {
  AnvilNode other;
  absl::StatusOr<std::string> url = other.Start({}, 2001);
  ASSERT_TRUE(url.ok()) << url.status();
  std::ofstream(dir_ + "/l2.yaml") << "l2:\n  rpc: " << *url << "\n";
  Start(true);
  RoundToL1Confirmed();
  v1::ReserveDepositResponse r;
  grpc::Status st = rewards_->ReserveDeposit(Ctx("operator").get(), Request("op-1", 0, 100, 1), &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(st.error_message(), "serves chain 2001, not 200101"))
      << st.error_message();
  EXPECT_EQ(Deposit().state(), v1::DEPOSIT_STATE_UNSPECIFIED);  // nothing was reserved
}

TEST_F(L2DepositTest, NonceTakenByAnotherTransactionFailsTheDepositAndANewNonceReplacesIt) {
  Start(true);
  RoundToL1Confirmed();
  // The operator's account spends nonce 0 on something else first.
  auto other = stakeward::testing::SendAndWait(anvil_, *rpc_, OperatorKey(), operator_,
                                               evm::U256::FromUint64(1), {}, 21000);
  ASSERT_TRUE(other.ok()) << other.status();
  v1::L2Deposit d;
  ASSERT_TRUE(ReserveSignStore(Request("op-1", 0, 100, 1), &d).ok());
  std::string failed = WaitForAudit("rewards.deposit.fail");
  EXPECT_TRUE(absl::StrContains(failed, "was used by another transaction")) << failed;
  EXPECT_EQ(Deposit().state(), v1::DEPOSIT_STATE_FAILED);
  // The same nonce again is refused; the account's next nonce replaces the failed deposit.
  v1::ReserveDepositResponse r;
  v1::ReserveDepositRequest same = Request("op-2", 0, 200, 2);
  same.set_replace(true);
  EXPECT_EQ(rewards_->ReserveDeposit(Ctx("operator").get(), same, &r).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::ReserveDepositRequest next = Request("op-2", 1, 100, 1);
  next.set_replace(true);
  v1::L2Deposit second;
  ASSERT_TRUE(ReserveSignStore(next, &second).ok());
  WaitForAudit("rewards.deposit.broadcast", second.tx_hash());
  MineAndExpectConfirmed(second.tx_hash());
}

// The reserve report against a hand computation. The sample snapshot's four slots hold 20,000,000
// + 20,000,000 + 20,000,000 + 5,000,000 ADA = 65,000,000 ADA = 65,000,000,000,000 lovelace
// (policy/samples/snapshot.json), so the backing is 65,000,000 × 10^18 wei; its treasury UTxO is
// 2,000 ADA. The contract's operator mints exactly that supply: BACKED, difference 0; one wei
// more: SHORTFALL, difference -1. The signature is checked with libsodium directly.
TEST_F(L2DepositTest, ReserveReportMatchesAHandComputationAndFlagsAShortfall) {
  Start(true);
  RoundToL1Confirmed();
  v1::L2Deposit d;
  ASSERT_TRUE(ReserveSignStore(Request("op-1", 0, 100, 1), &d).ok());
  WaitForAudit("rewards.deposit.broadcast", d.tx_hash());
  MineAndExpectConfirmed(d.tx_hash());
  const auto mint = [&](const std::string& wei) {
    chain::Bytes data;
    const auto sel = evm::FunctionSelector("mint(uint256)");
    data.assign(sel.begin(), sel.end());
    const auto word = evm::U256::FromDecimal(wei)->big_endian();
    data.insert(data.end(), word.begin(), word.end());
    auto r = stakeward::testing::SendAndWait(anvil_, *rpc_, OperatorKey(), pool_, {}, data, 100000);
    ASSERT_TRUE(r.ok() && r->success) << r.status();
  };
  const auto report = [&](bool* shortfall) {
    v1::GetReserveReportResponse r;
    grpc::Status st = rewards_->GetReserveReport(Ctx("auditor").get(), {}, &r);
    EXPECT_TRUE(st.ok()) << st.error_code() << " " << st.error_message();
    *shortfall = r.shortfall();
    return nlohmann::json::parse(r.signed_json());
  };
  mint("65000000000000000000000000");
  bool shortfall = true;
  nlohmann::json signed_report = report(&shortfall);
  const nlohmann::json& body = signed_report["report"];
  EXPECT_FALSE(shortfall);
  EXPECT_EQ(body["l1"]["staked_lovelace"], 65000000000000u);
  EXPECT_EQ(body["l1"]["treasury_lovelace"], 2000000000u);
  EXPECT_EQ(body["backing_wei"], "65000000000000000000000000");
  EXPECT_EQ(body["l2"]["total_supply_wei"], "65000000000000000000000000");
  EXPECT_EQ(body["difference_wei"], "0");
  EXPECT_EQ(body["status"], "BACKED");
  // The one confirmed deposit is all the contract was credited with.
  EXPECT_EQ(body["l2"]["total_accredited_wei"], d.value_wei());
  EXPECT_EQ(body["accredited_not_in_ledger_wei"], "0");

  // The signature, checked without Stakeward's code: RFC 8032 key from the seed, detached verify.
  unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
  const chain::Bytes seed = *chain::HexDecode(kReserveSeedHex);
  crypto_sign_seed_keypair(pk, sk, seed.data());
  EXPECT_EQ(signed_report["public_key"], chain::HexEncode(chain::ByteView(pk, sizeof pk)));
  const auto verifies = [&](const nlohmann::json& b) {
    const std::string msg = "stakeward reserve report v1\n" + b.dump();
    const chain::Bytes sig = *chain::HexDecode(signed_report["signature"].get<std::string>());
    return crypto_sign_verify_detached(sig.data(), reinterpret_cast<const uint8_t*>(msg.data()),
                                       msg.size(), pk) == 0;
  };
  EXPECT_TRUE(verifies(body));
  nlohmann::json altered = body;
  altered["difference_wei"] = "1";
  EXPECT_FALSE(verifies(altered));

  // An injected shortfall: one wei of supply the L1 stake does not back.
  mint("1");
  nlohmann::json short_report = report(&shortfall);
  EXPECT_TRUE(shortfall);
  EXPECT_EQ(short_report["report"]["difference_wei"], "-1");
  EXPECT_EQ(short_report["report"]["status"], "SHORTFALL");
  // The CLI saves it, exits 3 on the shortfall, and `reserve verify` checks the saved file.
  CliResult cli = RunCli("reserve report --server " + daemon_.address() +
                         " --dev-role auditor --out " + dir_ + "/reserve.json");
  EXPECT_EQ(cli.exit_code, 3) << cli.out << cli.err;
  CliResult ok = RunCli("reserve verify " + dir_ + "/reserve.json --public-key " +
                        chain::HexEncode(chain::ByteView(pk, sizeof pk)));
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("SHORTFALL"), std::string::npos) << ok.out;
  CliResult as_json = RunCli("reserve verify " + dir_ + "/reserve.json --json --public-key " +
                             chain::HexEncode(chain::ByteView(pk, sizeof pk)));
  ASSERT_EQ(as_json.exit_code, 0) << as_json.out << as_json.err;
  const nlohmann::json verified = nlohmann::json::parse(as_json.out, nullptr, false);
  ASSERT_FALSE(verified.is_discarded()) << as_json.out;
  EXPECT_EQ(verified["ok"], true);
  EXPECT_EQ(verified["report"]["status"], "SHORTFALL");
  EXPECT_EQ(verified["report"]["difference_wei"], "-1");
  CliResult wrong_key =
      RunCli("reserve verify " + dir_ + "/reserve.json --public-key " + std::string(64, '1'));
  EXPECT_EQ(wrong_key.exit_code, 3) << wrong_key.out << wrong_key.err;
}

// `evm fees --json` (issue 16): the operator's pending nonce and balance as the node reports
// them through its own client, and fee suggestions within the caps.
TEST_F(L2DepositTest, EvmFeesJsonAgreesWithTheNode) {
  CliResult r = RunCli("evm fees --json --rpc " + anvil_.url() + " --chain-id 200101 --from " +
                       evm::ToChecksumAddress(operator_));
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["chain_id"], 200101);
  EXPECT_EQ(j["account"], evm::ToChecksumAddress(operator_));
  absl::StatusOr<evm::U256> balance = rpc_->Balance(operator_);
  absl::StatusOr<uint64_t> nonce = rpc_->Nonce(operator_, /*pending=*/true);
  ASSERT_TRUE(balance.ok() && nonce.ok());
  EXPECT_EQ(j["balance_wei"], balance->ToDecimal());
  EXPECT_EQ(j["nonce"], *nonce);
  EXPECT_EQ(j["pending_transactions"], 0);
  EXPECT_TRUE(j["max_fee_per_gas_wei"].is_string() && j["next_base_fee_wei"].is_string()) << j;
}

}  // namespace
}  // namespace stakeward::controller::testing
