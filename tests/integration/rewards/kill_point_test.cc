// kill -9 inside every commit path (issue 12): the real stakewardd runs a whole round (policy
// proposal and approvals, snapshots, a re-balance proposal signed and submitted, a reward build,
// its witnesses, submitted, confirmed with the L1 confirmation, deposit reserve and store) and
// kills itself at the N-th database write event (store/kill_points.h: a row written, a commit about
// to happen, a commit done), for N over the whole round. After each kill the daemon must start
// again (it verifies the chain and replays the log against the tables), `stakeward audit verify
// --db` must say the tables match the log, and every acknowledged step must be in the log.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "controller/store/audit_log.h"
#include "controller/store/kill_points.h"
#include "controller/store/sqlite_db.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/stakeward/v1/rewards.grpc.pb.h"
#include "tests/integration/controller/daemon_process.h"
#include "tests/integration/controller/round_fixture.h"
#include "tests/integration/rewards/rewards_fixture.h"

namespace stakeward::controller::testing {
namespace {

constexpr uint64_t kEpoch = 200;

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& role) {
  auto c = std::make_unique<grpc::ClientContext>();
  c->AddMetadata("x-stakeward-role", role);
  c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  return c;
}

struct Step {
  const char* name;
  const char* action;  // the audit entry an acknowledged step must leave
  std::function<grpc::Status()> run;
};

class KillPointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() / ("sw_kill_" + std::to_string(::getpid())))
               .string();
    signers_ = DefaultSigners();
  }
  void TearDown() override {
    daemon_.Kill();
    std::filesystem::remove_all(dir_);
  }

  bool Start(long kill_at) {
    if (kill_at > 0) {
      ::setenv(kKillAtWriteEnv, std::to_string(kill_at).c_str(), 1);
    }
    const bool ok = daemon_.Start({"--dev", "--listen", "127.0.0.1:0", "--db", db_});
    ::unsetenv(kKillAtWriteEnv);
    if (!ok) return false;
    auto ch = grpc::CreateChannel(daemon_.address(), grpc::InsecureChannelCredentials());
    policy_ = v1::PolicyService::NewStub(ch);
    snapshots_ = v1::SnapshotService::NewStub(ch);
    proposals_ = v1::ProposalService::NewStub(ch);
    witnesses_ = v1::WitnessService::NewStub(ch);
    rewards_ = v1::RewardsService::NewStub(ch);
    return true;
  }

  grpc::Status Push(const std::string& doc) {
    v1::PushSnapshotRequest req;
    req.set_document(doc);
    v1::PushSnapshotResponse resp;
    return snapshots_->PushSnapshot(Ctx("operator").get(), req, &resp);
  }
  grpc::Status Approve(size_t i) {
    v1::ApprovePolicyResponse r;
    return policy_->ApprovePolicy(Ctx("signer:" + signers_[i].name).get(),
                                  ApprovalRequest(signers_[i], policy_version_), &r);
  }
  grpc::Status Witness(const std::string& who, const v1::Proposal& p) {
    for (const TestSigner& s : signers_) {
      if (s.name != who) continue;
      v1::SubmitWitnessesResponse r;
      return witnesses_->SubmitWitnesses(Ctx("signer:" + s.name).get(), SignAll(s, p), &r);
    }
    return grpc::Status(grpc::StatusCode::INTERNAL, "no such signer");
  }
  template <typename Req>
  void AllTxIds(const v1::Proposal& p, Req& req) {
    req.set_id(p.id());
    for (const auto& t : p.txs()) req.add_tx_ids(t.tx_id());
  }

  std::vector<Step> Round() {
    return {
        {"propose policy", "policy.propose",
         [this] {
           v1::ProposePolicyRequest req;
           req.set_document(TestPolicyYaml(signers_));
           v1::ProposePolicyResponse resp;
           grpc::Status st = policy_->ProposePolicy(Ctx("operator").get(), req, &resp);
           policy_version_ = resp.policy();
           return st;
         }},
        {"approve (alice)", "policy.approve", [this] { return Approve(0); }},
        {"approve (bob), in force", "policy.in_force", [this] { return Approve(1); }},
        {"push snapshot", "snapshot.push", [this] { return Push(SampleSnapshotJson()); }},
        {"create re-balance proposal", "proposal.create",
         [this] {
           v1::CreateProposalResponse resp;
           grpc::Status st = proposals_->CreateProposal(Ctx("operator").get(), {}, &resp);
           rebalance_ = resp.proposal();
           return st;
         }},
        {"witness re-balance (alice)", "witness.add",
         [this] { return Witness("alice", rebalance_); }},
        {"witness re-balance (bob), ready", "proposal.ready",
         [this] { return Witness("bob", rebalance_); }},
        {"mark re-balance submitted", "proposal.submitted",
         [this] {
           v1::MarkSubmittedRequest req;
           AllTxIds(rebalance_, req);
           v1::MarkSubmittedResponse resp;
           return proposals_->MarkSubmitted(Ctx("operator").get(), req, &resp);
         }},
        {"push reward snapshot", "snapshot.push",
         [this] {
           return Push(RewardSnapshotJson(kEpoch, {184000000, 132000000, 376000000}));
         }},
        {"build rewards", "rewards.build",
         [this] {
           v1::BuildRewardProposalRequest req;
           req.set_epoch(kEpoch);
           req.set_operator_address(OperatorAddress());
           v1::BuildRewardProposalResponse resp;
           grpc::Status st = rewards_->BuildRewardProposal(Ctx("operator").get(), req, &resp);
           reward_ = resp.proposal();
           return st;
         }},
        {"witness rewards (alice)", "witness.add", [this] { return Witness("alice", reward_); }},
        {"witness rewards (carol), ready", "proposal.ready",
         [this] { return Witness("carol", reward_); }},
        {"mark rewards submitted", "proposal.submitted",
         [this] {
           v1::MarkSubmittedRequest req;
           AllTxIds(reward_, req);
           v1::MarkSubmittedResponse resp;
           return proposals_->MarkSubmitted(Ctx("operator").get(), req, &resp);
         }},
        {"mark confirmed, L1 confirmed", "rewards.l1_confirmed",
         [this] {
           v1::MarkConfirmedRequest req;
           AllTxIds(reward_, req);
           v1::MarkConfirmedResponse resp;
           return proposals_->MarkConfirmed(Ctx("operator").get(), req, &resp);
         }},
        {"reserve deposit", "rewards.deposit.reserve",
         [this] {
           v1::ReserveDepositRequest req;
           req.set_epoch(kEpoch);
           req.set_operator_address(OperatorAddress());
           req.set_nonce("3");
           req.set_gas_limit("120000");
           req.set_max_fee_per_gas("50000000000");
           req.set_max_priority_fee_per_gas("1000000000");
           req.set_bridge_fee_lovelace(1000000);
           req.set_request_id("op-request-1");
           v1::ReserveDepositResponse resp;
           grpc::Status st = rewards_->ReserveDeposit(Ctx("operator").get(), req, &resp);
           deposit_ = resp.deposit();
           return st;
         }},
        {"store deposit", "rewards.deposit.store",
         [this] {
           v1::StoreDepositRequest req;
           req.set_epoch(kEpoch);
           req.set_raw_tx(SignReserved(deposit_, OperatorKey()));
           v1::StoreDepositResponse resp;
           return rewards_->StoreDeposit(Ctx("operator").get(), req, &resp);
         }},
    };
  }

  // Audit actions and how often each occurs in the database's log.
  std::map<std::string, int> LoggedActions() {
    std::map<std::string, int> n;
    auto db = Db::Open(db_, /*read_only=*/true);
    EXPECT_TRUE(db.ok());
    if (!db.ok()) return n;
    auto all = ReadAllAudit(**db);
    EXPECT_TRUE(all.ok());
    if (all.ok()) {
      for (const AuditRecord& r : *all) ++n[r.action];
    }
    return n;
  }

  std::string dir_, db_;
  std::vector<TestSigner> signers_;
  DaemonProcess daemon_;
  v1::PolicyVersion policy_version_;
  v1::Proposal rebalance_, reward_;
  v1::L2Deposit deposit_;
  std::unique_ptr<v1::PolicyService::Stub> policy_;
  std::unique_ptr<v1::SnapshotService::Stub> snapshots_;
  std::unique_ptr<v1::ProposalService::Stub> proposals_;
  std::unique_ptr<v1::WitnessService::Stub> witnesses_;
  std::unique_ptr<v1::RewardsService::Stub> rewards_;
};

TEST_F(KillPointTest, EveryWriteOfTheRoundLosesNothingAcknowledged) {
  std::map<std::string, int> kills_in;  // step in flight -> kill points
  int kill_points = 0;
  bool finished = false;
  for (long n = 1; !finished && n < 5000; ++n) {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = dir_ + "/stakeward.db";
    std::map<std::string, int> acked;
    std::string in_flight = "start-up";
    if (Start(n)) {
      finished = true;
      for (const Step& s : Round()) {
        in_flight = s.name;
        grpc::Status st = s.run();
        if (!st.ok()) {
          ASSERT_EQ(st.error_code(), grpc::StatusCode::UNAVAILABLE)
              << "kill point " << n << ", " << s.name << ": " << st.error_message();
          finished = false;
          break;
        }
        ++acked[s.action];
      }
    } else {
      finished = false;
    }
    daemon_.Kill();
    if (finished) break;
    ++kill_points;
    ++kills_in[in_flight];
    // Restart on the same database: the chain verifies and the tables match the log.
    ASSERT_TRUE(Start(0)) << "kill point " << n << " (" << in_flight << "): the daemon refuses "
                          << "to start on the database the kill left";
    daemon_.Kill();
    CliResult v = RunCli("audit verify --db " + db_);
    ASSERT_EQ(v.exit_code, 0) << "kill point " << n << " (" << in_flight << "): " << v.out << v.err;
    ASSERT_NE(v.out.find("state tables match the log"), std::string::npos) << v.out;
    const std::map<std::string, int> logged = LoggedActions();
    for (const auto& [action, count] : acked) {
      auto it = logged.find(action);
      ASSERT_TRUE(it != logged.end() && it->second >= count)
          << "kill point " << n << " (" << in_flight << "): acknowledged '" << action
          << "' is not in the log";
    }
  }
  ASSERT_TRUE(finished) << "the round never completed";
  std::printf("kill points: %d\n", kill_points);
  for (const auto& [step, k] : kills_in) std::printf("  %3d in %s\n", k, step.c_str());
  EXPECT_GE(kill_points - kills_in["start-up"], 100) << "kill points inside the round's RPCs";
  for (const Step& s : Round()) {
    EXPECT_GT(kills_in[s.name], 0) << "no kill point inside '" << s.name << "'";
  }
}

}  // namespace
}  // namespace stakeward::controller::testing
