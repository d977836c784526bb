// Issue 12: every reward state change commits in one transaction with its audit entry. A failure
// injected into the audit insert (a trigger on the audit table) must leave the epoch ledger, the
// proposal and the deposit exactly as they were; the retry then records the change and one entry.
#include <string>

#include "controller/store/sqlite_db.h"
#include "gtest/gtest.h"
#include "tests/integration/rewards/rewards_fixture.h"

namespace stakeward::controller::testing {
namespace {

constexpr uint64_t kEpoch = 300;

class RewardsAtomicTest : public RewardsRound {
 protected:
  void SetUp() override {
    RewardsRound::SetUp();
    InstallPolicy();
  }

  // A second connection to the daemon's database (WAL): the daemon's statements see the trigger.
  void FailAuditOf(const std::string& action) {
    auto db = Db::Open(db_path_);
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE((*db)->Exec("DROP TRIGGER IF EXISTS fail_audit").ok());
    ASSERT_TRUE((*db)
                    ->Exec("CREATE TRIGGER fail_audit BEFORE INSERT ON audit WHEN NEW.action = '" +
                           action + "' BEGIN SELECT RAISE(ABORT, 'injected'); END")
                    .ok());
  }
  void HealAudit() {
    auto db = Db::Open(db_path_);
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE((*db)->Exec("DROP TRIGGER IF EXISTS fail_audit").ok());
  }
  int AuditCount(const std::string& action) {
    v1::ReadAuditRequest req;
    req.set_limit(5000);
    v1::ReadAuditResponse resp;
    EXPECT_TRUE(audit_->ReadAudit(Ctx("auditor").get(), req, &resp).ok());
    int n = 0;
    for (const auto& a : resp.entries()) n += a.action() == action;
    return n;
  }
};

TEST_F(RewardsAtomicTest, EveryRewardChangeCommitsWithItsAuditEntry) {
  ASSERT_TRUE(PushSnapshot(RewardSnapshotJson(kEpoch, {184000000, 132000000, 0})).ok());
  grpc::Status st;

  // Build: neither the epoch record nor the proposal exists after a failed audit insert.
  FailAuditOf("rewards.build");
  v1::BuildRewardProposalResponse b;
  EXPECT_FALSE(Build(kEpoch, &b).ok());
  Epoch(kEpoch, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND) << st.error_message();
  v1::ListProposalsResponse list;
  ASSERT_TRUE(
      proposals_->ListProposals(Ctx("auditor").get(), v1::ListProposalsRequest(), &list).ok());
  EXPECT_EQ(list.proposals_size(), 0);
  HealAudit();
  ASSERT_TRUE(Build(kEpoch, &b).ok());
  EXPECT_EQ(AuditCount("rewards.build"), 1);

  // L1 confirmation: the proposal stays SUBMITTED and the epoch PROPOSED.
  const v1::Proposal ready = SignByTwo(b.proposal());
  ASSERT_EQ(ready.state(), v1::PROPOSAL_STATE_READY);
  v1::MarkSubmittedRequest sreq;
  sreq.set_id(ready.id());
  for (const v1::ProposalTx& t : ready.txs()) sreq.add_tx_ids(t.tx_id());
  v1::MarkSubmittedResponse sresp;
  ASSERT_TRUE(proposals_->MarkSubmitted(Ctx("operator").get(), sreq, &sresp).ok());
  FailAuditOf("rewards.l1_confirmed");
  v1::MarkConfirmedRequest creq;
  creq.set_id(ready.id());
  for (const v1::ProposalTx& t : ready.txs()) creq.add_tx_ids(t.tx_id());
  v1::MarkConfirmedResponse cresp;
  EXPECT_FALSE(proposals_->MarkConfirmed(Ctx("operator").get(), creq, &cresp).ok());
  EXPECT_EQ(Epoch(kEpoch, &st).status(), v1::EPOCH_STATUS_PROPOSED);
  v1::GetProposalRequest g;
  g.set_id(ready.id());
  v1::GetProposalResponse gr;
  ASSERT_TRUE(proposals_->GetProposal(Ctx("auditor").get(), g, &gr).ok());
  EXPECT_EQ(gr.proposal().state(), v1::PROPOSAL_STATE_SUBMITTED);
  HealAudit();
  ASSERT_TRUE(proposals_->MarkConfirmed(Ctx("operator").get(), creq, &cresp).ok());
  EXPECT_EQ(Epoch(kEpoch, &st).status(), v1::EPOCH_STATUS_L1_CONFIRMED);
  EXPECT_EQ(AuditCount("rewards.l1_confirmed"), 1);

  // Deposit reservation: nothing reserved.
  FailAuditOf("rewards.deposit.reserve");
  v1::ReserveDepositResponse r;
  EXPECT_FALSE(
      rewards_->ReserveDeposit(Ctx("operator").get(), DepositRequest(kEpoch, "a"), &r).ok());
  EXPECT_FALSE(Epoch(kEpoch, &st).has_deposit());
  HealAudit();

  // Deposit store: the reservation stays SIGNING, nothing signed is stored.
  ASSERT_TRUE(
      rewards_->ReserveDeposit(Ctx("operator").get(), DepositRequest(kEpoch, "a"), &r).ok());
  EXPECT_EQ(AuditCount("rewards.deposit.reserve"), 1);
  FailAuditOf("rewards.deposit.store");
  v1::StoreDepositRequest store;
  store.set_epoch(kEpoch);
  store.set_raw_tx(SignReserved(r.deposit(), OperatorKey()));
  v1::StoreDepositResponse stored;
  EXPECT_FALSE(rewards_->StoreDeposit(Ctx("operator").get(), store, &stored).ok());
  EXPECT_EQ(Epoch(kEpoch, &st).deposit().state(), v1::DEPOSIT_STATE_SIGNING);
  EXPECT_TRUE(Epoch(kEpoch, &st).deposit().raw_tx().empty());
  HealAudit();
  ASSERT_TRUE(rewards_->StoreDeposit(Ctx("operator").get(), store, &stored).ok());
  EXPECT_EQ(Epoch(kEpoch, &st).deposit().state(), v1::DEPOSIT_STATE_SIGNED);
  EXPECT_EQ(AuditCount("rewards.deposit.store"), 1);
}

}  // namespace
}  // namespace stakeward::controller::testing
