// Issue 13: the evidence-based lifecycle over gRPC. `SubmitProposal` hands a READY proposal's
// signed transactions to the daemon's chain source; only the chain moves it on: CONFIRMED once
// every transaction is k blocks deep, EXPIRED when its TTL passed with none of them applied (its
// inputs are free again), back to SUBMITTED when a rollback returns its inputs. A refused
// submission changes nothing. The chain here is FakeChain (a ledger model); every change must
// also leave a database whose state the audit log replays (the daemon restarts on it).
#include <memory>

#include "controller/daemon/chain_watcher.h"
#include "nlohmann/json.hpp"
#include "tests/integration/controller/fake_chain.h"
#include "tests/integration/controller/round_fixture.h"

namespace stakeward::controller::testing {
namespace {

constexpr uint64_t kDepth = 3;

class ChainLifecycleTest : public ControllerRound {
 protected:
  void SetUp() override {
    ControllerRound::SetUp();
    // The sample snapshot's slot; proposals get TTL = slot + 7200.
    const uint64_t slot = nlohmann::json::parse(SampleSnapshotJson())["slot"].get<uint64_t>();
    chain_ = std::make_shared<FakeChain>(slot);
    StopDaemon();
    chain_factory_ = [this](Controller* c) {
      ChainRules rules;
      rules.confirmations = kDepth;
      rules.rollback_window_blocks = 10;
      // A non-owning view of the test's chain, so the test keeps driving it.
      watcher_ = std::make_unique<ChainWatcher>(c, std::make_unique<Borrowed>(chain_), rules,
                                                absl::Hours(1));
      return watcher_.get();
    };
    StartDaemon();
  }
  void TearDown() override {
    StopDaemon();
    watcher_.reset();
    ControllerRound::TearDown();
  }

  // Policy in force, sample snapshot, one proposal signed by alice and bob: READY.
  v1::Proposal Ready() {
    InstallPolicy();
    v1::PushSnapshotRequest sreq;
    sreq.set_document(SampleSnapshotJson());
    v1::PushSnapshotResponse sresp;
    EXPECT_TRUE(snapshots_->PushSnapshot(Ctx("operator").get(), sreq, &sresp).ok());
    grpc::Status st;
    v1::Proposal p = CreateProposal(&st);
    EXPECT_TRUE(st.ok()) << st.error_message();
    v1::SubmitWitnessesResponse wr;
    EXPECT_TRUE(
        witnesses_->SubmitWitnesses(Ctx("signer:alice").get(), WitnessesFor(signers_[0], p), &wr)
            .ok());
    EXPECT_TRUE(
        witnesses_->SubmitWitnesses(Ctx("signer:bob").get(), WitnessesFor(signers_[1], p), &wr)
            .ok());
    EXPECT_EQ(wr.proposal().state(), v1::PROPOSAL_STATE_READY);
    return wr.proposal();
  }

  grpc::Status Submit(const std::string& id, v1::SubmitProposalResponse* resp,
                      const std::string& role = "operator") {
    v1::SubmitProposalRequest req;
    req.set_id(id);
    return proposals_->SubmitProposal(Ctx(role).get(), req, resp);
  }

  v1::ObserveChainResponse Observe() {
    v1::ObserveChainResponse resp;
    grpc::Status st = proposals_->ObserveChain(Ctx("operator").get(), {}, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp;
  }

  v1::ProposalState StateOf(const std::string& id) {
    v1::GetProposalRequest g;
    g.set_id(id);
    v1::GetProposalResponse r;
    EXPECT_TRUE(proposals_->GetProposal(Ctx("auditor").get(), g, &r).ok());
    return r.proposal().state();
  }

  v1::AuditEntry LastAudit() {
    v1::GetStatusResponse s;
    EXPECT_TRUE(status_->GetStatus(Ctx("auditor").get(), {}, &s).ok());
    v1::ReadAuditRequest req;
    req.set_from_seq(s.audit_head_seq());
    req.set_limit(1);
    v1::ReadAuditResponse r;
    EXPECT_TRUE(audit_->ReadAudit(Ctx("auditor").get(), req, &r).ok());
    EXPECT_EQ(r.entries_size(), 1);
    return r.entries_size() > 0 ? r.entries(0) : v1::AuditEntry();
  }

  // The database still verifies and replays (the daemon refuses one that does not).
  void RestartVerifies() {
    StopDaemon();
    StartDaemon();
    EXPECT_NE(server_, nullptr);
  }

  // Forwards to the test's FakeChain without owning it.
  class Borrowed : public StubChainSource {
   public:
    explicit Borrowed(std::shared_ptr<FakeChain> c) : c_(std::move(c)) {}
    std::string Describe() const override { return c_->Describe(); }
    absl::StatusOr<chainsource::Tip> QueryTip(absl::Duration d) override { return c_->QueryTip(d); }
    absl::StatusOr<chain::Hash32> SubmitTransaction(chain::ByteView tx, absl::Duration d) override {
      return c_->SubmitTransaction(tx, d);
    }
    absl::StatusOr<std::vector<chainsource::TxSighting>> ObserveTransactions(
        absl::Span<const chainsource::WatchedTx> t, absl::Duration d) override {
      return c_->ObserveTransactions(t, d);
    }

   private:
    std::shared_ptr<FakeChain> c_;
  };

  std::shared_ptr<FakeChain> chain_;
  std::unique_ptr<ChainWatcher> watcher_;
};

TEST_F(ChainLifecycleTest, ConfirmedOnlyOnceEveryTransactionIsDeepEnough) {
  const v1::Proposal p = Ready();
  v1::SubmitProposalResponse resp;
  grpc::Status st = Submit(p.id(), &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.proposal().state(), v1::PROPOSAL_STATE_SUBMITTED);
  ASSERT_EQ(resp.txs_size(), p.txs_size());
  for (const auto& t : resp.txs()) EXPECT_TRUE(t.taken()) << t.error();
  EXPECT_EQ(LastAudit().action(), "proposal.submitted");

  // In the mempool only, then 1 and 2 blocks deep: still SUBMITTED.
  EXPECT_EQ(Observe().confirmed_size(), 0);
  for (uint64_t depth = 1; depth < kDepth; ++depth) {
    chain_->MineBlock();
    EXPECT_EQ(Observe().confirmed_size(), 0) << "depth " << depth;
    EXPECT_EQ(StateOf(p.id()), v1::PROPOSAL_STATE_SUBMITTED);
  }
  for (const auto& tx : p.txs()) {
    chain::Hash32 id;
    std::copy(tx.tx_id().begin(), tx.tx_id().end(), id.begin());
    EXPECT_TRUE(chain_->Applied(id));
  }
  chain_->MineBlock();
  const v1::ObserveChainResponse o = Observe();
  ASSERT_EQ(o.confirmed_size(), 1);
  EXPECT_EQ(o.confirmed(0), p.id());
  EXPECT_EQ(StateOf(p.id()), v1::PROPOSAL_STATE_CONFIRMED);
  const v1::AuditEntry a = LastAudit();
  EXPECT_EQ(a.action(), "proposal.confirmed");
  EXPECT_EQ(a.actor(), "chain");
  const nlohmann::json d = nlohmann::json::parse(a.details());
  EXPECT_EQ(d["evidence"]["depth"], kDepth);
  EXPECT_EQ(d["evidence"]["tip"]["slot"], o.tip_slot());
  RestartVerifies();
}

TEST_F(ChainLifecycleTest, RefusedSubmissionChangesNothing) {
  const v1::Proposal p = Ready();
  const v1::AuditEntry before = LastAudit();
  chain_->RefuseNextAsUnknownInput();
  v1::SubmitProposalResponse resp;
  grpc::Status st = Submit(p.id(), &resp);
  if (p.txs_size() == 1) {
    EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_NE(st.error_message().find("3117"), std::string::npos) << st.error_message();
    EXPECT_EQ(StateOf(p.id()), v1::PROPOSAL_STATE_READY);
    EXPECT_EQ(LastAudit().seq(), before.seq());
  } else {
    // Only the first was refused: the proposal is SUBMITTED and the refusal reported.
    ASSERT_TRUE(st.ok()) << st.error_message();
    EXPECT_FALSE(resp.txs(0).taken());
    EXPECT_NE(resp.txs(0).error().find("3117"), std::string::npos);
  }
}

TEST_F(ChainLifecycleTest, OnlyAnOperatorSubmitsAndOnlyAReadyProposal) {
  InstallPolicy();
  v1::PushSnapshotRequest sreq;
  sreq.set_document(SampleSnapshotJson());
  v1::PushSnapshotResponse sresp;
  ASSERT_TRUE(snapshots_->PushSnapshot(Ctx("operator").get(), sreq, &sresp).ok());
  grpc::Status st;
  const v1::Proposal open = CreateProposal(&st);
  ASSERT_TRUE(st.ok()) << st.error_message();
  v1::SubmitProposalResponse resp;
  EXPECT_EQ(Submit(open.id(), &resp).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Submit(open.id(), &resp, "signer:alice").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Submit(open.id(), &resp, "auditor").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(chain_->submissions(), 0);
}

TEST_F(ChainLifecycleTest, TtlPassedWithoutInclusionExpiresAndReleasesTheInputs) {
  const v1::Proposal p = Ready();
  v1::SubmitProposalResponse resp;
  ASSERT_TRUE(Submit(p.id(), &resp).ok());
  chain_->AdvanceSlots(7200);  // at the TTL: the mempool's transactions can no longer apply
  chain_->MineBlock();
  const v1::ObserveChainResponse o = Observe();
  ASSERT_EQ(o.expired_size(), 1);
  EXPECT_EQ(StateOf(p.id()), v1::PROPOSAL_STATE_EXPIRED);
  EXPECT_EQ(LastAudit().action(), "proposal.expired");
  // The inputs are free again: a new proposal over the same snapshot is accepted.
  grpc::Status st;
  const v1::Proposal again = CreateProposal(&st);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_NE(again.id(), p.id());
  RestartVerifies();
}

TEST_F(ChainLifecycleTest, ShallowRollbackKeepsItSubmittedAndCountsAgain) {
  const v1::Proposal p = Ready();
  v1::SubmitProposalResponse resp;
  ASSERT_TRUE(Submit(p.id(), &resp).ok());
  chain_->MineBlock();
  EXPECT_EQ(Observe().confirmed_size(), 0);
  chain_->Rollback();
  const v1::ObserveChainResponse o = Observe();
  EXPECT_EQ(o.confirmed_size(), 0);
  EXPECT_GE(o.warnings_size(), 1);
  EXPECT_EQ(StateOf(p.id()), v1::PROPOSAL_STATE_SUBMITTED);
  // Submitted again (the rollback dropped it), then k blocks, looked at after each (depth is
  // counted from the first sighting, as with Ogmios): confirmed at the k-th.
  ASSERT_TRUE(Submit(p.id(), &resp).ok());
  EXPECT_EQ(LastAudit().action(), "proposal.resubmitted");
  int confirmed = 0;
  for (uint64_t i = 0; i < kDepth; ++i) {
    chain_->MineBlock();
    confirmed += Observe().confirmed_size();
  }
  EXPECT_EQ(confirmed, 1);
}

TEST_F(ChainLifecycleTest, RollbackAfterConfirmationReturnsItToSubmitted) {
  const v1::Proposal p = Ready();
  v1::SubmitProposalResponse resp;
  ASSERT_TRUE(Submit(p.id(), &resp).ok());
  int confirmed = 0;
  for (uint64_t i = 0; i < kDepth; ++i) {
    chain_->MineBlock();
    confirmed += Observe().confirmed_size();
  }
  ASSERT_EQ(confirmed, 1);
  for (uint64_t i = 0; i < kDepth; ++i) chain_->Rollback();
  const v1::ObserveChainResponse o = Observe();
  ASSERT_EQ(o.rolled_back_size(), 1);
  EXPECT_EQ(StateOf(p.id()), v1::PROPOSAL_STATE_SUBMITTED);
  const v1::AuditEntry a = LastAudit();
  EXPECT_EQ(a.action(), "proposal.rolled_back");
  EXPECT_EQ(a.actor(), "chain");
  RestartVerifies();
}

// With a chain link the chain confirms; an operator's confirmation is an override that names the
// block's slot and is audited as the operator's claim.
TEST_F(ChainLifecycleTest, ManualConfirmationIsAnAuditedOverrideNamingTheSlot) {
  const v1::Proposal p = Ready();
  v1::SubmitProposalResponse resp;
  ASSERT_TRUE(Submit(p.id(), &resp).ok());
  v1::MarkConfirmedRequest req;
  req.set_id(p.id());
  for (const auto& tx : p.txs()) req.add_tx_ids(tx.tx_id());
  v1::MarkConfirmedResponse cresp;
  grpc::Status st = proposals_->MarkConfirmed(Ctx("operator").get(), req, &cresp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st.error_message().find("--slot"), std::string::npos) << st.error_message();
  EXPECT_EQ(StateOf(p.id()), v1::PROPOSAL_STATE_SUBMITTED);
  req.set_slot(86407777);
  st = proposals_->MarkConfirmed(Ctx("operator").get(), req, &cresp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(cresp.proposal().state(), v1::PROPOSAL_STATE_CONFIRMED);
  const v1::AuditEntry a = LastAudit();
  EXPECT_EQ(a.action(), "proposal.confirmed");
  const nlohmann::json d = nlohmann::json::parse(a.details());
  EXPECT_EQ(d["override"]["by"], "operator");
  EXPECT_EQ(d["override"]["slot"], 86407777);
  EXPECT_EQ(d["override"]["tx_ids"].size(), static_cast<size_t>(p.txs_size()));
  RestartVerifies();
}

// Chain answers are untrusted: one naming other transactions is refused, nothing changes.
TEST_F(ChainLifecycleTest, AnswerForOtherTransactionsIsRefusedAndChangesNothing) {
  const v1::Proposal p = Ready();
  v1::SubmitProposalResponse resp;
  ASSERT_TRUE(Submit(p.id(), &resp).ok());
  for (uint64_t i = 0; i < kDepth; ++i) chain_->MineBlock();
  chain_->AnswerWithWrongIds();
  const v1::AuditEntry before = LastAudit();
  v1::ObserveChainResponse o;
  grpc::Status st = proposals_->ObserveChain(Ctx("operator").get(), {}, &o);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
  EXPECT_EQ(StateOf(p.id()), v1::PROPOSAL_STATE_SUBMITTED);
  EXPECT_EQ(LastAudit().seq(), before.seq());
}

class NoChainTest : public ControllerRound {};

TEST_F(NoChainTest, SubmitWithoutAChainSourceSaysWhatToConfigure) {
  v1::SubmitProposalRequest req;
  req.set_id("prop-0123456789abcdef");
  v1::SubmitProposalResponse resp;
  grpc::Status st = proposals_->SubmitProposal(Ctx("operator").get(), req, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st.error_message().find("chain:"), std::string::npos) << st.error_message();
}

}  // namespace
}  // namespace stakeward::controller::testing
