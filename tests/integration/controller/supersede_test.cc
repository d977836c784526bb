// Supersession over gRPC: a snapshot in which an input of an open proposal is no longer unspent
// marks the proposal SUPERSEDED (audited, streamed to watchers, no more witnesses, inputs free for
// a new proposal); a snapshot that keeps every input leaves it alone; a SUBMITTED proposal whose
// inputs disappear was spent on purpose and stays SUBMITTED.
#include <algorithm>

#include "chain/tx.h"
#include "controller/store/audit_log.h"
#include "nlohmann/json.hpp"
#include "tests/integration/controller/round_fixture.h"

namespace stakeward::controller::testing {
namespace {

class SupersedeTest : public ControllerRound {
 protected:
  // Policy in force, sample snapshot pushed, one proposal created.
  v1::Proposal Prepare() {
    InstallPolicy();
    EXPECT_TRUE(Push(SampleSnapshotJson(), nullptr).ok());
    grpc::Status st;
    v1::Proposal p = CreateProposal(&st);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return p;
  }

  grpc::Status Push(const std::string& doc, v1::PushSnapshotResponse* out) {
    v1::PushSnapshotRequest req;
    req.set_document(doc);
    v1::PushSnapshotResponse resp;
    grpc::Status st = snapshots_->PushSnapshot(Ctx("operator").get(), req, &resp);
    if (out != nullptr) *out = resp;
    return st;
  }

  v1::ProposalState StateOf(const std::string& id) {
    v1::GetProposalRequest g;
    g.set_id(id);
    v1::GetProposalResponse r;
    grpc::Status st = proposals_->GetProposal(Ctx("auditor").get(), g, &r);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return r.proposal().state();
  }

  // The first input of the proposal's first transaction, as the body the signers see holds it.
  static chain::TxIn FirstInput(const v1::Proposal& p) {
    const std::string& raw = p.txs(0).unsigned_tx();
    auto tx = chain::DecodeTransaction(
        chain::ByteView(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()));
    EXPECT_TRUE(tx.ok()) << tx.status();
    EXPECT_FALSE(tx->body.inputs.empty());
    return tx->body.inputs.front();
  }

  // The sample snapshot one slot later, in which `spent` was consumed and its value now sits in a
  // fresh UTxO at the same place (treasury or stake slot), as after an unrelated transaction.
  // Fails the test if `spent` is not in the sample at all.
  static std::string SnapshotWithout(const chain::TxIn& spent) {
    nlohmann::json j = nlohmann::json::parse(SampleSnapshotJson());
    j["slot"] = j["slot"].get<uint64_t>() + 1;
    const std::string id = chain::HexEncode(chain::View(spent.tx_id));
    int replaced = 0;
    auto replace = [&](nlohmann::json& utxos) {
      for (auto& u : utxos) {
        if (u["tx"] == id && u["index"] == spent.index) {
          u["tx"] = std::string(64, 'e');
          u["index"] = 7;
          ++replaced;
        }
      }
    };
    replace(j["treasury_utxos"]);
    for (auto& slot : j["slots"]) replace(slot["utxos"]);
    EXPECT_EQ(replaced, 1) << "input " << id << "#" << spent.index << " not in the sample";
    return j.dump();
  }
};

TEST_F(SupersedeTest, SpentInputSupersedesAnOpenProposal) {
  v1::Proposal p = Prepare();
  ASSERT_GT(p.txs_size(), 0);
  // One signer has already signed: partial progress does not protect the proposal.
  v1::SubmitWitnessesResponse wr;
  ASSERT_TRUE(
      witnesses_->SubmitWitnesses(Ctx("signer:alice").get(), WitnessesFor(signers_[0], p), &wr)
          .ok());
  ASSERT_EQ(wr.proposal().state(), v1::PROPOSAL_STATE_OPEN);

  // A watcher sees the change and the end of the stream.
  v1::WatchProposalRequest wreq;
  wreq.set_id(p.id());
  auto wctx = Ctx("auditor", 30000);
  auto reader = proposals_->WatchProposal(wctx.get(), wreq);
  v1::ProposalEvent ev;
  ASSERT_TRUE(reader->Read(&ev));
  EXPECT_EQ(ev.proposal().state(), v1::PROPOSAL_STATE_OPEN);

  const chain::TxIn spent = FirstInput(p);
  v1::PushSnapshotResponse resp;
  grpc::Status st = Push(SnapshotWithout(spent), &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(resp.created());
  ASSERT_EQ(resp.superseded_proposals_size(), 1);
  EXPECT_EQ(resp.superseded_proposals(0), p.id());
  EXPECT_EQ(resp.expired_proposals_size(), 0);
  EXPECT_EQ(StateOf(p.id()), v1::PROPOSAL_STATE_SUPERSEDED);

  ASSERT_TRUE(reader->Read(&ev));
  EXPECT_EQ(ev.proposal().state(), v1::PROPOSAL_STATE_SUPERSEDED);
  EXPECT_FALSE(reader->Read(&ev));
  EXPECT_TRUE(reader->Finish().ok());

  // Final: no more witnesses, no rejection, no submission.
  grpc::Status late =
      witnesses_->SubmitWitnesses(Ctx("signer:carol").get(), WitnessesFor(signers_[2], p), &wr);
  EXPECT_EQ(late.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << late.error_message();
  v1::RejectProposalRequest rr;
  rr.set_id(p.id());
  rr.set_reason("too late");
  v1::RejectProposalResponse rresp;
  EXPECT_EQ(proposals_->RejectProposal(Ctx("signer:bob").get(), rr, &rresp).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // The transition is audited with its reason and the snapshot that caused it.
  v1::ReadAuditRequest ar;
  ar.set_from_seq(1);
  v1::ReadAuditResponse aresp;
  ASSERT_TRUE(audit_->ReadAudit(Ctx("auditor").get(), ar, &aresp).ok());
  auto it =
      std::find_if(aresp.entries().begin(), aresp.entries().end(),
                   [](const v1::AuditEntry& e) { return e.action() == "proposal.supersede"; });
  ASSERT_NE(it, aresp.entries().end());
  EXPECT_EQ(it->subject(), "proposal:" + p.id());
  const nlohmann::json details = nlohmann::json::parse(it->details());
  EXPECT_EQ(details["from"], "open");
  EXPECT_EQ(details["to"], "superseded");
  EXPECT_NE(details["reason"].get<std::string>().find(chain::HexEncode(chain::View(spent.tx_id))),
            std::string::npos);
  EXPECT_EQ(details["snapshot"],
            chain::HexEncode(
                chain::ByteView(reinterpret_cast<const uint8_t*>(resp.snapshot().hash().data()),
                                resp.snapshot().hash().size())));
  auto verdict = VerifyAuditDatabase(db_path_);
  ASSERT_TRUE(verdict.ok());
  EXPECT_TRUE(verdict->ok) << verdict->reason;

  // The superseded proposal no longer holds its inputs: a new one is built on the new snapshot.
  v1::Proposal again = CreateProposal(&st);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_NE(again.id(), p.id());
  EXPECT_EQ(again.snapshot_hash(), resp.snapshot().hash());
  for (const v1::ProposalTx& tx : again.txs()) {
    auto decoded = chain::DecodeTransaction(chain::ByteView(
        reinterpret_cast<const uint8_t*>(tx.unsigned_tx().data()), tx.unsigned_tx().size()));
    ASSERT_TRUE(decoded.ok());
    for (const chain::TxIn& in : decoded->body.inputs) {
      EXPECT_FALSE(in.tx_id == spent.tx_id && in.index == spent.index) << "spent input reused";
    }
  }
}

TEST_F(SupersedeTest, ReadyProposalIsSupersededToo) {
  v1::Proposal p = Prepare();
  v1::SubmitWitnessesResponse wr;
  ASSERT_TRUE(
      witnesses_->SubmitWitnesses(Ctx("signer:alice").get(), WitnessesFor(signers_[0], p), &wr)
          .ok());
  ASSERT_TRUE(
      witnesses_->SubmitWitnesses(Ctx("signer:carol").get(), WitnessesFor(signers_[2], p), &wr)
          .ok());
  ASSERT_EQ(wr.proposal().state(), v1::PROPOSAL_STATE_READY);
  v1::PushSnapshotResponse resp;
  ASSERT_TRUE(Push(SnapshotWithout(FirstInput(p)), &resp).ok());
  ASSERT_EQ(resp.superseded_proposals_size(), 1);
  EXPECT_EQ(StateOf(p.id()), v1::PROPOSAL_STATE_SUPERSEDED);
  // A superseded proposal cannot be exported for submission.
  v1::MarkSubmittedRequest sreq;
  sreq.set_id(p.id());
  for (const auto& tx : p.txs()) sreq.add_tx_ids(tx.tx_id());
  v1::MarkSubmittedResponse sresp;
  EXPECT_EQ(proposals_->MarkSubmitted(Ctx("operator").get(), sreq, &sresp).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(SupersedeTest, SnapshotKeepingEveryInputLeavesTheProposalOpen) {
  v1::Proposal p = Prepare();
  v1::PushSnapshotResponse resp;
  grpc::Status st = Push(SnapshotWithSlot(p.ttl() - 1), &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(resp.created());
  EXPECT_EQ(resp.superseded_proposals_size(), 0);
  EXPECT_EQ(resp.expired_proposals_size(), 0);
  EXPECT_EQ(StateOf(p.id()), v1::PROPOSAL_STATE_OPEN);
  // Pushing the same snapshot again changes nothing either.
  ASSERT_TRUE(Push(SnapshotWithSlot(p.ttl() - 1), &resp).ok());
  EXPECT_FALSE(resp.created());
  EXPECT_EQ(StateOf(p.id()), v1::PROPOSAL_STATE_OPEN);
}

TEST_F(SupersedeTest, SubmittedProposalIsNotSupersededByItsOwnSpend) {
  v1::Proposal p = Prepare();
  v1::SubmitWitnessesResponse wr;
  ASSERT_TRUE(
      witnesses_->SubmitWitnesses(Ctx("signer:alice").get(), WitnessesFor(signers_[0], p), &wr)
          .ok());
  ASSERT_TRUE(
      witnesses_->SubmitWitnesses(Ctx("signer:bob").get(), WitnessesFor(signers_[1], p), &wr).ok());
  ASSERT_EQ(wr.proposal().state(), v1::PROPOSAL_STATE_READY);
  v1::MarkSubmittedRequest sreq;
  sreq.set_id(p.id());
  for (const auto& tx : p.txs()) sreq.add_tx_ids(tx.tx_id());
  v1::MarkSubmittedResponse sresp;
  ASSERT_TRUE(proposals_->MarkSubmitted(Ctx("operator").get(), sreq, &sresp).ok());

  v1::PushSnapshotResponse resp;
  ASSERT_TRUE(Push(SnapshotWithout(FirstInput(p)), &resp).ok());
  EXPECT_EQ(resp.superseded_proposals_size(), 0);
  EXPECT_EQ(StateOf(p.id()), v1::PROPOSAL_STATE_SUBMITTED);
  v1::MarkConfirmedRequest creq;
  creq.set_id(p.id());
  *creq.mutable_tx_ids() = sreq.tx_ids();
  v1::MarkConfirmedResponse cresp;
  ASSERT_TRUE(proposals_->MarkConfirmed(Ctx("operator").get(), creq, &cresp).ok());
  EXPECT_EQ(cresp.proposal().state(), v1::PROPOSAL_STATE_CONFIRMED);
}

// Issue 12: a snapshot older than a confirmed proposal still lists the inputs it spent. A new
// proposal built on it is refused (FAILED_PRECONDITION naming the spending proposal), and nothing
// is stored.
TEST_F(SupersedeTest, StaleSnapshotCannotSpendInputsOfAConfirmedProposal) {
  v1::Proposal p = Prepare();
  v1::SubmitWitnessesResponse wr;
  ASSERT_TRUE(
      witnesses_->SubmitWitnesses(Ctx("signer:alice").get(), WitnessesFor(signers_[0], p), &wr)
          .ok());
  ASSERT_TRUE(
      witnesses_->SubmitWitnesses(Ctx("signer:bob").get(), WitnessesFor(signers_[1], p), &wr).ok());
  v1::MarkSubmittedRequest sreq;
  sreq.set_id(p.id());
  for (const auto& tx : p.txs()) sreq.add_tx_ids(tx.tx_id());
  v1::MarkSubmittedResponse sresp;
  ASSERT_TRUE(proposals_->MarkSubmitted(Ctx("operator").get(), sreq, &sresp).ok());
  v1::MarkConfirmedRequest creq;
  creq.set_id(p.id());
  *creq.mutable_tx_ids() = sreq.tx_ids();
  v1::MarkConfirmedResponse cresp;
  ASSERT_TRUE(proposals_->MarkConfirmed(Ctx("operator").get(), creq, &cresp).ok());

  // The pre-spend chain state again (another slot, so a new snapshot): the same plan, the same
  // inputs, already spent on chain.
  ASSERT_TRUE(Push(SnapshotWithSlot(p.ttl() - 1), nullptr).ok());
  grpc::Status st;
  CreateProposal(&st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st.error_message().find("was spent by proposal " + p.id()), std::string::npos)
      << st.error_message();
  v1::ListProposalsRequest lreq;
  v1::ListProposalsResponse lresp;
  ASSERT_TRUE(proposals_->ListProposals(Ctx("auditor").get(), lreq, &lresp).ok());
  EXPECT_EQ(lresp.proposals_size(), 1) << "nothing stored";
}

}  // namespace
}  // namespace stakeward::controller::testing
