#include "controller/daemon/roles.h"

#include <set>
#include <string>

#include "gtest/gtest.h"
#include "proto/stakeward/v1/audit.pb.h"
#include "proto/stakeward/v1/policy.pb.h"
#include "proto/stakeward/v1/proposal.pb.h"
#include "proto/stakeward/v1/rewards.pb.h"
#include "proto/stakeward/v1/snapshot.pb.h"

namespace stakeward::controller {
namespace {

Identity Role(const std::string& r) {
  auto id = ParseRole(r, "test");
  EXPECT_TRUE(id.ok()) << r;
  return *id;
}

TEST(RolesTest, ParsesRoles) {
  EXPECT_EQ(Role("operator").kind, RoleKind::kOperator);
  EXPECT_EQ(Role("auditor").kind, RoleKind::kAuditor);
  Identity s = Role("signer:alice");
  EXPECT_EQ(s.kind, RoleKind::kSigner);
  EXPECT_EQ(s.name, "alice");
  EXPECT_EQ(s.Actor(), "signer:alice");
  EXPECT_FALSE(ParseRole("signer", "x").ok());
  EXPECT_FALSE(ParseRole("admin", "x").ok());
  EXPECT_FALSE(ParseRole("signer:", "x").ok());
  EXPECT_FALSE(ParseRole("signer:a b", "x").ok());
}

// Every RPC of every stakeward.v1 service has an entry: an RPC missing from the table would be
// denied to everyone, which this test turns into a failure instead of a surprise.
TEST(RolesTest, EveryRpcIsInTheTable) {
  // Touch one message of each file so the generated descriptors are registered.
  (void)v1::PolicyVersion::descriptor();
  (void)v1::SnapshotInfo::descriptor();
  (void)v1::Proposal::descriptor();
  (void)v1::AuditEntry::descriptor();
  (void)v1::GetEpochRequest::descriptor();
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  int methods = 0;
  for (const char* svc :
       {"stakeward.v1.PolicyService", "stakeward.v1.SnapshotService", "stakeward.v1.PlanService",
        "stakeward.v1.ProposalService", "stakeward.v1.WitnessService", "stakeward.v1.AuditService",
        "stakeward.v1.StatusService", "stakeward.v1.RewardsService"}) {
    const auto* d = pool->FindServiceByName(svc);
    ASSERT_NE(d, nullptr) << svc;
    for (int i = 0; i < d->method_count(); ++i) {
      const std::string m = "/" + std::string(svc) + "/" + d->method(i)->name();
      bool any = false;
      for (const char* r : {"operator", "auditor", "signer:alice"}) {
        any = any || CheckRpcAllowed(Role(r), m).ok();
      }
      EXPECT_TRUE(any) << m;
      ++methods;
    }
  }
  EXPECT_GE(methods, 19);
}

struct Row {
  const char* method;
  bool op, signer, auditor;
};

TEST(RolesTest, PermissionMatrix) {
  const Row rows[] = {
      {"/stakeward.v1.PolicyService/ProposePolicy", true, false, false},
      {"/stakeward.v1.PolicyService/ApprovePolicy", false, true, false},
      {"/stakeward.v1.PolicyService/GetPolicy", true, true, true},
      {"/stakeward.v1.SnapshotService/PushSnapshot", true, false, false},
      {"/stakeward.v1.ProposalService/CreateProposal", true, false, false},
      {"/stakeward.v1.ProposalService/RejectProposal", false, true, false},
      {"/stakeward.v1.ProposalService/MarkSubmitted", true, false, false},
      {"/stakeward.v1.ProposalService/ExportProposal", true, false, true},
      {"/stakeward.v1.WitnessService/SubmitWitnesses", false, true, false},
      {"/stakeward.v1.AuditService/ReadAudit", true, false, true},
      {"/stakeward.v1.StatusService/GetStatus", true, true, true},
      {"/stakeward.v1.Nope/Nope", false, false, false},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(CheckRpcAllowed(Role("operator"), r.method).ok(), r.op) << r.method;
    EXPECT_EQ(CheckRpcAllowed(Role("signer:bob"), r.method).ok(), r.signer) << r.method;
    EXPECT_EQ(CheckRpcAllowed(Role("auditor"), r.method).ok(), r.auditor) << r.method;
  }
  EXPECT_EQ(CheckRpcAllowed(Role("auditor"), "/stakeward.v1.WitnessService/SubmitWitnesses").code(),
            absl::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace stakeward::controller
