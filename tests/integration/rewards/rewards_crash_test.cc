// kill -9 of the real stakewardd between ReserveDeposit and StoreDeposit: after a restart, the
// retry under the same request id signs the same stored transaction, and exactly one deposit with
// the identical raw transaction is stored.
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/stakeward/v1/rewards.grpc.pb.h"
#include "tests/integration/controller/daemon_process.h"
#include "tests/integration/controller/round_fixture.h"
#include "tests/integration/rewards/rewards_fixture.h"

namespace stakeward::controller::testing {
namespace {

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& role) {
  auto c = std::make_unique<grpc::ClientContext>();
  c->AddMetadata("x-stakeward-role", role);
  c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  return c;
}

class RewardsCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            ("sw_rewards_crash_" + std::to_string(::getpid())))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = dir_ + "/stakeward.db";
  }
  void TearDown() override {
    daemon_.Kill();
    std::filesystem::remove_all(dir_);
  }
  void Start() {
    ASSERT_TRUE(daemon_.Start({"--dev", "--listen", "127.0.0.1:0", "--db", db_}));
    auto ch = grpc::CreateChannel(daemon_.address(), grpc::InsecureChannelCredentials());
    policy_ = v1::PolicyService::NewStub(ch);
    snapshots_ = v1::SnapshotService::NewStub(ch);
    proposals_ = v1::ProposalService::NewStub(ch);
    witnesses_ = v1::WitnessService::NewStub(ch);
    rewards_ = v1::RewardsService::NewStub(ch);
  }

  std::string dir_, db_;
  DaemonProcess daemon_;
  std::unique_ptr<v1::PolicyService::Stub> policy_;
  std::unique_ptr<v1::SnapshotService::Stub> snapshots_;
  std::unique_ptr<v1::ProposalService::Stub> proposals_;
  std::unique_ptr<v1::WitnessService::Stub> witnesses_;
  std::unique_ptr<v1::RewardsService::Stub> rewards_;
};

TEST_F(RewardsCrashTest, KillBetweenReserveAndStore) {
  Start();
  ASSERT_NO_FATAL_FAILURE(ConfirmRewardRound(
      {policy_.get(), snapshots_.get(), proposals_.get(), witnesses_.get(), rewards_.get()},
      TestPolicyYaml(DefaultSigners()), 200));

  v1::ReserveDepositRequest rreq;
  rreq.set_epoch(200);
  rreq.set_operator_address(OperatorAddress());
  rreq.set_nonce("3");
  rreq.set_gas_limit("120000");
  rreq.set_max_fee_per_gas("50000000000");
  rreq.set_max_priority_fee_per_gas("1000000000");
  rreq.set_bridge_fee_lovelace(1000000);
  rreq.set_request_id("op-request-1");
  v1::ReserveDepositResponse r1;
  ASSERT_TRUE(rewards_->ReserveDeposit(Ctx("operator").get(), rreq, &r1).ok());
  ASSERT_EQ(r1.outcome(), v1::RESERVATION_OUTCOME_RESERVED);
  const std::string signed_before = SignReserved(r1.deposit(), OperatorKey());

  daemon_.Kill();  // SIGKILL before the signed transaction reaches the controller
  Start();

  // Another request meanwhile waits for the lease; the same request id resumes.
  rreq.set_request_id("op-request-2");
  v1::ReserveDepositResponse busy;
  ASSERT_TRUE(rewards_->ReserveDeposit(Ctx("operator").get(), rreq, &busy).ok());
  EXPECT_EQ(busy.outcome(), v1::RESERVATION_OUTCOME_BUSY);
  rreq.set_request_id("op-request-1");
  v1::ReserveDepositResponse r2;
  ASSERT_TRUE(rewards_->ReserveDeposit(Ctx("operator").get(), rreq, &r2).ok());
  ASSERT_EQ(r2.outcome(), v1::RESERVATION_OUTCOME_RESERVED);
  EXPECT_EQ(r2.deposit().unsigned_tx(), r1.deposit().unsigned_tx());
  const std::string signed_after = SignReserved(r2.deposit(), OperatorKey());
  EXPECT_EQ(signed_after, signed_before);  // RFC 6979: same transaction, same signature
  v1::StoreDepositRequest store;
  store.set_epoch(200);
  store.set_raw_tx(signed_after);
  v1::StoreDepositResponse stored;
  ASSERT_TRUE(rewards_->StoreDeposit(Ctx("operator").get(), store, &stored).ok());
  EXPECT_FALSE(stored.existing());
  EXPECT_EQ(stored.deposit().raw_tx(), signed_before);

  daemon_.Kill();
  Start();
  rreq.set_request_id("op-request-3");
  v1::ReserveDepositResponse r3;
  ASSERT_TRUE(rewards_->ReserveDeposit(Ctx("operator").get(), rreq, &r3).ok());
  EXPECT_EQ(r3.outcome(), v1::RESERVATION_OUTCOME_ALREADY_SIGNED);
  EXPECT_EQ(r3.deposit().raw_tx(), signed_before);
  ASSERT_TRUE(rewards_->StoreDeposit(Ctx("operator").get(), store, &stored).ok());
  EXPECT_TRUE(stored.existing());
}

}  // namespace
}  // namespace stakeward::controller::testing
