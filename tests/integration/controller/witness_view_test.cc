// Issue 17: a witness batch starts from the proposals the previous batch committed when the store
// is unchanged since (Controller::WitnessView). These rows show that its replies equal a re-read
// and that any write in between, by this daemon or by another connection, is seen.
#include <string>

#include "controller/store/sqlite_db.h"
#include "google/protobuf/util/message_differencer.h"
#include "tests/integration/controller/round_fixture.h"

namespace stakeward::controller::testing {
namespace {

class WitnessViewTest : public ControllerRound {
 protected:
  void SetUp() override {
    ControllerRound::SetUp();
    InstallPolicy();
    v1::PushSnapshotRequest req;
    req.set_document(SampleSnapshotJson());
    v1::PushSnapshotResponse resp;
    grpc::Status st = snapshots_->PushSnapshot(Ctx("operator").get(), req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    proposal_ = CreateProposal(&st);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }

  grpc::Status Submit(const TestSigner& s, v1::SubmitWitnessesResponse* resp) {
    v1::SubmitWitnessesRequest req = WitnessesFor(s, proposal_);
    return witnesses_->SubmitWitnesses(Ctx("signer:" + s.name).get(), req, resp);
  }

  v1::Proposal Reread() {
    v1::GetProposalRequest g;
    g.set_id(proposal_.id());
    v1::GetProposalResponse gr;
    grpc::Status st = proposals_->GetProposal(Ctx("auditor").get(), g, &gr);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return gr.proposal();
  }

  v1::Proposal proposal_;
};

TEST_F(WitnessViewTest, EachReplyEqualsAReReadOfTheStore) {
  for (size_t i = 0; i < 2; ++i) {  // the second batch starts from the first one's view
    v1::SubmitWitnessesResponse resp;
    grpc::Status st = Submit(signers_[i], &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_GT(resp.accepted(), 0u);
    const v1::Proposal again = Reread();
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(resp.proposal(), again))
        << "reply:\n"
        << resp.proposal().DebugString() << "re-read:\n"
        << again.DebugString();
  }
  EXPECT_EQ(Reread().state(), v1::PROPOSAL_STATE_READY);  // threshold 2
}

TEST_F(WitnessViewTest, ARejectionBetweenBatchesIsSeen) {
  v1::SubmitWitnessesResponse resp;
  ASSERT_TRUE(Submit(signers_[0], &resp).ok());
  v1::RejectProposalRequest rr;
  rr.set_id(proposal_.id());
  rr.set_reason("changed our mind");
  v1::RejectProposalResponse rresp;
  ASSERT_TRUE(proposals_->RejectProposal(Ctx("signer:bob").get(), rr, &rresp).ok());
  grpc::Status st = Submit(signers_[1], &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_EQ(Reread().state(), v1::PROPOSAL_STATE_REJECTED);
}

TEST_F(WitnessViewTest, AnotherConnectionsCommitIsSeen) {
  v1::SubmitWitnessesResponse resp;
  ASSERT_TRUE(Submit(signers_[0], &resp).ok());
  {
    // Another writer on the same file (not something stakewardd expects, but its view of the
    // proposal must not outlive such a commit).
    absl::StatusOr<std::unique_ptr<Db>> other = Db::Open(db_path_);
    ASSERT_TRUE(other.ok()) << other.status();
    absl::StatusOr<Stmt> u = (*other)->Prepare("UPDATE proposals SET state = 3 WHERE id = ?");
    ASSERT_TRUE(u.ok()) << u.status();
    u->Bind(1, proposal_.id());
    ASSERT_TRUE(u->Run().ok());
  }
  grpc::Status st = Submit(signers_[1], &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
  EXPECT_NE(st.error_message().find("rejected"), std::string::npos) << st.error_message();
}

}  // namespace
}  // namespace stakeward::controller::testing
