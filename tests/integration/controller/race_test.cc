// Issue 15: races through the gRPC API. Twenty threads submit witnesses while the proposal
// crosses its threshold, and twenty threads create a proposal from the same snapshot: one
// transition, one proposal, one audit entry each, and an audit log without gaps.
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/controller/round_fixture.h"

namespace stakeward::controller::testing {
namespace {

constexpr int kThreads = 20;

class RaceTest : public ControllerRound {
 protected:
  void PushSample() {
    v1::PushSnapshotRequest req;
    req.set_document(SampleSnapshotJson());
    v1::PushSnapshotResponse resp;
    grpc::Status st = snapshots_->PushSnapshot(Ctx("operator").get(), req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  // Counts entries per action and checks that sequence numbers run 1, 2, 3, ... without gaps.
  std::map<std::string, int> AuditActions() {
    v1::ReadAuditRequest req;
    req.set_limit(5000);
    v1::ReadAuditResponse resp;
    EXPECT_TRUE(audit_->ReadAudit(Ctx("auditor").get(), req, &resp).ok());
    std::map<std::string, int> n;
    for (int i = 0; i < resp.entries_size(); ++i) {
      EXPECT_EQ(resp.entries(i).seq(), static_cast<uint64_t>(i + 1));
      ++n[resp.entries(i).action()];
    }
    return n;
  }
};

TEST_F(RaceTest, TwentyThreadsSubmitWitnessesAcrossTheThreshold) {
  InstallPolicy();
  PushSample();
  grpc::Status st;
  const v1::Proposal p = CreateProposal(&st);
  ASSERT_TRUE(st.ok()) << st.error_message();
  std::vector<v1::SubmitWitnessesRequest> reqs;
  for (const TestSigner& s : signers_) reqs.push_back(WitnessesFor(s, p));
  std::vector<grpc::Status> got(kThreads);
  std::vector<uint32_t> accepted(kThreads, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      const size_t who = static_cast<size_t>(i) % signers_.size();
      v1::SubmitWitnessesResponse resp;
      got[static_cast<size_t>(i)] =
          witnesses_->SubmitWitnesses(Ctx("signer:" + signers_[who].name).get(), reqs[who], &resp);
      accepted[static_cast<size_t>(i)] = resp.accepted();
    });
  }
  for (std::thread& t : threads) t.join();
  for (const grpc::Status& s : got) {
    // Witnesses arriving after READY may be refused; nothing else may go wrong.
    EXPECT_TRUE(s.ok() || s.error_code() == grpc::StatusCode::FAILED_PRECONDITION)
        << s.error_code() << " " << s.error_message();
  }
  v1::GetProposalRequest g;
  g.set_id(p.id());
  v1::GetProposalResponse gr;
  ASSERT_TRUE(proposals_->GetProposal(Ctx("auditor").get(), g, &gr).ok());
  EXPECT_EQ(gr.proposal().state(), v1::PROPOSAL_STATE_READY);
  // Each signer's witness for a key is stored once, however often it was sent.
  for (const v1::ProposalTx& tx : gr.proposal().txs()) {
    std::set<std::string> keys;
    for (const auto& w : tx.witnesses()) EXPECT_TRUE(keys.insert(w.vkey()).second);
  }
  std::map<std::string, int> actions = AuditActions();
  EXPECT_EQ(actions["proposal.ready"], 1);
  // Submissions committed together (group commit) are still acknowledged and audited one by
  // one: every stored witness was acknowledged once, every accepting call has its own entry.
  size_t stored = 0, acknowledged = 0;
  int accepting_calls = 0;
  for (const v1::ProposalTx& tx : gr.proposal().txs()) stored += tx.witnesses_size();
  for (uint32_t a : accepted) {
    acknowledged += a;
    accepting_calls += a > 0 ? 1 : 0;
  }
  EXPECT_EQ(acknowledged, stored);
  EXPECT_EQ(actions["witness.add"], accepting_calls);
}

TEST_F(RaceTest, TwentyThreadsCreateFromOneSnapshotAndOneWins) {
  InstallPolicy();
  PushSample();
  std::vector<grpc::Status> got(kThreads);
  std::vector<std::string> ids(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      v1::CreateProposalResponse resp;
      got[static_cast<size_t>(i)] = proposals_->CreateProposal(Ctx("operator", 60000).get(),
                                                               v1::CreateProposalRequest(), &resp);
      ids[static_cast<size_t>(i)] = resp.proposal().id();
    });
  }
  for (std::thread& t : threads) t.join();
  int created = 0;
  for (const grpc::Status& s : got) {
    if (s.ok()) {
      ++created;
    } else {
      EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
    }
  }
  EXPECT_EQ(created, 1);
  v1::ListProposalsRequest lreq;
  lreq.set_state(v1::PROPOSAL_STATE_OPEN);
  v1::ListProposalsResponse list;
  ASSERT_TRUE(proposals_->ListProposals(Ctx("auditor").get(), lreq, &list).ok());
  EXPECT_EQ(list.proposals_size(), 1);
  EXPECT_EQ(AuditActions()["proposal.create"], 1);
}

}  // namespace
}  // namespace stakeward::controller::testing
