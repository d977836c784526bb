// The in-force rule on the controller: a version goes in force only with M approvals from the
// signers (and current keys) of the version that governs it, re-evaluated on every approval and
// every governing change. Approvals from a removed signer never count, and nothing is built under
// a version whose scripts no longer hold the bridge's funds.
#include "absl/strings/match.h"
#include "chain/check.h"
#include "gtest/gtest.h"
#include "tests/integration/controller/round_fixture.h"

namespace stakeward::controller::testing {
namespace {

class PolicyChain : public ControllerRound {
 protected:
  v1::PolicyVersion Propose(const std::string& yaml) {
    v1::ProposePolicyRequest req;
    req.set_document(yaml);
    v1::ProposePolicyResponse resp;
    grpc::Status st = policy_->ProposePolicy(Ctx("operator").get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.policy();
  }
  uint64_t InForce() {
    v1::GetPolicyInForceRequest req;
    v1::GetPolicyInForceResponse resp;
    grpc::Status st = policy_->GetPolicyInForce(Ctx("auditor").get(), req, &resp);
    return st.ok() ? resp.policy().version() : 0;
  }
  const TestSigner& S(const std::string& name) {
    for (const TestSigner& s : signers_) {
      if (s.name == name) return s;
    }
    ADD_FAILURE() << "no signer " << name;
    return signers_.front();
  }
};

TEST_F(PolicyChain, ApprovalOfRemovedSignerNeverCounts) {
  InstallPolicy();  // v1: alice, bob, carol; 2 of 3
  ASSERT_EQ(InForce(), 1u);
  const TestSigner dave = DaveOnLedger();
  // v2 replaces carol by dave; v3 is another change, proposed while v1 still governs.
  const v1::PolicyVersion v2 = Propose(TestPolicyYaml({S("alice"), S("bob"), dave}));
  std::string v3_yaml = TestPolicyYaml({S("alice"), S("bob"), dave});
  v3_yaml.replace(v3_yaml.find("commission_bps: 500"), 19, "commission_bps: 400");
  const v1::PolicyVersion v3 = Propose(v3_yaml);
  ASSERT_EQ(v3.version(), 3u);
  grpc::Status st;
  Approve(S("carol"), v3, &st);  // accepted while v1 governs...
  ASSERT_TRUE(st.ok()) << st.error_message();
  Approve(S("alice"), v2, &st);
  ASSERT_TRUE(st.ok());
  Approve(S("bob"), v2, &st);
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(InForce(), 2u);
  // ...but once v2 governs, carol is no signer: alice's approval alone is 1 of 2.
  v1::PolicyVersion after = Approve(S("alice"), v3, &st);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_FALSE(after.in_force());
  EXPECT_EQ(InForce(), 2u);
  // carol can no longer approve at all.
  Approve(S("carol"), v3, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // dave is a signer of v2: with alice that makes 2 of 2 current approvals.
  after = Approve(dave, v3, &st);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(after.in_force());
  EXPECT_EQ(InForce(), 3u);
}

TEST_F(PolicyChain, PendingVersionIsReevaluatedWhenTheGovernorChanges) {
  InstallPolicy();
  // v2 keeps the signers (raises the threshold to 3); v3 collected two approvals under v1.
  const v1::PolicyVersion v2 = Propose(TestPolicyYaml(signers_, 3));
  std::string v3_yaml = TestPolicyYaml(signers_, 3);
  v3_yaml.replace(v3_yaml.find("commission_bps: 500"), 19, "commission_bps: 400");
  const v1::PolicyVersion v3 = Propose(v3_yaml);
  grpc::Status st;
  Approve(S("alice"), v2, &st);
  ASSERT_TRUE(st.ok());
  v1::PolicyVersion v2_after = Approve(S("bob"), v2, &st);
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(v2_after.in_force());
  // Under v2 three approvals are needed for v3.
  Approve(S("alice"), v3, &st);
  ASSERT_TRUE(st.ok());
  v1::PolicyVersion v3_after = Approve(S("bob"), v3, &st);
  ASSERT_TRUE(st.ok());
  EXPECT_FALSE(v3_after.in_force());
  EXPECT_EQ(v3_after.approvals_required(), 3u);
  v3_after = Approve(S("carol"), v3, &st);
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(v3_after.in_force());
}

TEST_F(PolicyChain, NothingIsBuiltUnderNewSignersUntilFundsMove) {
  InstallPolicy();
  {
    v1::PushSnapshotRequest req;
    req.set_document(SampleSnapshotJson());
    v1::PushSnapshotResponse resp;
    ASSERT_TRUE(snapshots_->PushSnapshot(Ctx("operator").get(), req, &resp).ok());
  }
  const v1::PolicyVersion v2 = Propose(TestPolicyYaml({S("alice"), S("bob"), DaveOnLedger()}));
  grpc::Status st;
  Approve(S("alice"), v2, &st);
  Approve(S("bob"), v2, &st);
  ASSERT_EQ(InForce(), 2u);
  CreateProposal(&st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(absl::StrContains(st.error_message(), "MIGRATE")) << st.error_message();
}

TEST_F(PolicyChain, SameScriptsNeedNoMigration) {
  InstallPolicy();
  {
    v1::PushSnapshotRequest req;
    req.set_document(SampleSnapshotJson());
    v1::PushSnapshotResponse resp;
    ASSERT_TRUE(snapshots_->PushSnapshot(Ctx("operator").get(), req, &resp).ok());
  }
  std::string yaml = TestPolicyYaml(signers_);
  yaml.replace(yaml.find("commission_bps: 500"), 19, "commission_bps: 400");
  const v1::PolicyVersion v2 = Propose(yaml);
  grpc::Status st;
  Approve(S("alice"), v2, &st);
  Approve(S("carol"), v2, &st);
  ASSERT_EQ(InForce(), 2u);
  v1::Proposal p = CreateProposal(&st);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(p.policy_version(), 2u);
}

}  // namespace
}  // namespace stakeward::controller::testing
