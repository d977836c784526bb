// A reward round over the controller's gRPC API: build from the policy in force and the latest
// snapshot, signers review (rebuilding the transactions independently) and sign, READY, export,
// confirmed → the epoch is L1-confirmed; then the L2 deposit, stored once whatever is retried.
#include <set>
#include <thread>
#include <utility>

#include "chain/tx.h"
#include "controller/client/api_client.h"
#include "controller/client/proposal_review.h"
#include "controller/rewards/bridge.h"
#include "controller/store/sqlite_db.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/rewards/rewards_fixture.h"

namespace stakeward::controller::testing {
namespace {

constexpr uint64_t kEpoch = 200;

class RewardsRoundTest : public RewardsRound {
 protected:
  void SetUp() override {
    RewardsRound::SetUp();
    InstallPolicy();
  }

  // A full L1 round for `epoch`; returns the confirmed proposal.
  v1::Proposal ConfirmedRound(uint64_t epoch, const std::vector<uint64_t>& rewards) {
    EXPECT_TRUE(PushSnapshot(RewardSnapshotJson(epoch, rewards)).ok());
    v1::BuildRewardProposalResponse b;
    grpc::Status st = Build(epoch, &b);
    EXPECT_TRUE(st.ok()) << st.error_message();
    v1::Proposal ready = SignByTwo(b.proposal());
    EXPECT_EQ(ready.state(), v1::PROPOSAL_STATE_READY);
    ExportAndConfirm(ready);
    return ready;
  }
};

TEST_F(RewardsRoundTest, FullRoundOverSeveralSlots) {
  ASSERT_TRUE(PushSnapshot(RewardSnapshotJson(kEpoch, {184000000, 132000000, 376000000})).ok());
  v1::BuildRewardProposalResponse b;
  grpc::Status st = Build(kEpoch, &b);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const v1::Proposal& p = b.proposal();
  ASSERT_EQ(p.kind(), v1::PROPOSAL_KIND_REWARD);
  EXPECT_EQ(p.reward().epoch(), kEpoch);
  EXPECT_EQ(p.state(), v1::PROPOSAL_STATE_OPEN);
  ASSERT_GE(p.txs_size(), 1);
  EXPECT_EQ(b.epoch().status(), v1::EPOCH_STATUS_PROPOSED);
  EXPECT_EQ(b.epoch().total_rewards(), 692000000u);
  // Commission per slot, floor(reward * 500 / 10000).
  EXPECT_EQ(b.epoch().commission(), 9200000u + 6600000u + 18800000u);
  ASSERT_EQ(b.epoch().slots_size(), 4);
  EXPECT_EQ(b.epoch().slots(3).outcome(), "skipped_deregistered");

  // The transaction withdraws three slots, bridges with labels 87/88 for the operator.
  const std::string& raw = p.txs(0).unsigned_tx();
  auto tx = chain::DecodeTransaction(
      chain::ByteView(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()));
  ASSERT_TRUE(tx.ok()) << tx.status();
  EXPECT_EQ(tx->body.withdrawals.size(), 3u);
  // Every signer must sign with the payment key and the three stake keys.
  for (const v1::RequiredSigner& rs : p.txs(0).required_signers()) {
    EXPECT_EQ(rs.keys_size(), 4) << rs.signer();
  }

  // A signer's review rebuilds the transactions from policy and snapshot and accepts them.
  auto review = ReviewProposal(AliceClient(), p.id(), AnchorV1());
  ASSERT_TRUE(review.ok()) << review.status();
  EXPECT_NE(DescribeProposal(*review).find("REWARD withdrawal of epoch 200"), std::string::npos);
  EXPECT_NE(DescribeProposal(*review).find("Milkomeda bridge"), std::string::npos);

  // Building again is idempotent: the same live proposal.
  v1::BuildRewardProposalResponse again;
  ASSERT_TRUE(Build(kEpoch, &again).ok());
  EXPECT_EQ(again.proposal().id(), p.id());

  const v1::Proposal ready = SignByTwo(p);
  ASSERT_EQ(ready.state(), v1::PROPOSAL_STATE_READY);
  ExportAndConfirm(ready);
  v1::EpochLedger e = Epoch(kEpoch, &st);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(e.status(), v1::EPOCH_STATUS_L1_CONFIRMED);
  EXPECT_EQ(e.proposal_id(), p.id());
  EXPECT_GT(e.bridged(), 0u);
  EXPECT_FALSE(e.rate().fixed18().empty());
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(e.slots(i).l1_tx_id().empty());

  // L2 deposit: reserve, sign, store; then the stored one comes back.
  v1::StoreDepositResponse d = DepositOnce(kEpoch, "req-1");
  EXPECT_FALSE(d.existing());
  EXPECT_EQ(d.deposit().state(), v1::DEPOSIT_STATE_SIGNED);
  EXPECT_EQ(d.deposit().sender(), OperatorAddress());
  EXPECT_EQ(d.deposit().chain_id(), 200101u);
  v1::StoreDepositResponse d2 = DepositOnce(kEpoch, "req-2");
  EXPECT_TRUE(d2.existing());
  EXPECT_EQ(d2.deposit().raw_tx(), d.deposit().raw_tx());
  e = Epoch(kEpoch, &st);
  // Signed and stored, not yet on the L2 chain (no L2 node here): not DEPOSITED.
  EXPECT_EQ(e.status(), v1::EPOCH_STATUS_L1_CONFIRMED);
  EXPECT_EQ(e.deposit().state(), v1::DEPOSIT_STATE_SIGNED);
  EXPECT_EQ(e.deposit().tx_hash(), d.deposit().tx_hash());

  v1::ListEpochsResponse list;
  ASSERT_TRUE(rewards_->ListEpochs(Ctx("operator").get(), v1::ListEpochsRequest(), &list).ok());
  ASSERT_EQ(list.epochs_size(), 1);
  EXPECT_EQ(list.epochs(0).epoch(), kEpoch);

  // Every step is in the audit log.
  v1::ReadAuditRequest areq;
  areq.set_limit(1000);
  v1::ReadAuditResponse aresp;
  ASSERT_TRUE(audit_->ReadAudit(Ctx("auditor").get(), areq, &aresp).ok());
  std::set<std::string> actions;
  for (const auto& a : aresp.entries()) actions.insert(a.action());
  for (const char* want : {"rewards.build", "rewards.l1_confirmed", "rewards.deposit.reserve",
                           "rewards.deposit.store"}) {
    EXPECT_EQ(actions.count(want), 1u) << want;
  }
}

TEST_F(RewardsRoundTest, TwentyConcurrentDepositsStoreOne) {
  ConfirmedRound(kEpoch, {184000000, 132000000, 376000000});
  constexpr int kN = 20;
  std::vector<std::string> raws(kN);
  std::vector<grpc::Status> errors(kN);
  std::vector<std::thread> threads;
  for (int i = 0; i < kN; ++i) {
    threads.emplace_back([&, i] {
      const std::string id = "req-" + std::to_string(i);
      for (int attempt = 0; attempt < 200; ++attempt) {
        v1::ReserveDepositResponse r;
        grpc::Status st =
            rewards_->ReserveDeposit(Ctx("operator").get(), DepositRequest(kEpoch, id), &r);
        if (!st.ok()) {
          errors[static_cast<size_t>(i)] = st;
          return;
        }
        if (r.outcome() == v1::RESERVATION_OUTCOME_ALREADY_SIGNED) {
          raws[static_cast<size_t>(i)] = r.deposit().raw_tx();
          return;
        }
        if (r.outcome() == v1::RESERVATION_OUTCOME_BUSY) {
          std::this_thread::yield();  // another request holds the lease: ask again
          continue;
        }
        v1::StoreDepositRequest sreq;
        sreq.set_epoch(kEpoch);
        sreq.set_raw_tx(SignReserved(r.deposit(), OperatorKey()));
        v1::StoreDepositResponse sresp;
        st = rewards_->StoreDeposit(Ctx("operator").get(), sreq, &sresp);
        if (!st.ok()) {
          errors[static_cast<size_t>(i)] = st;
          return;
        }
        raws[static_cast<size_t>(i)] = sresp.deposit().raw_tx();
        return;
      }
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> distinct;
  for (int i = 0; i < kN; ++i) {
    EXPECT_TRUE(errors[static_cast<size_t>(i)].ok())
        << errors[static_cast<size_t>(i)].error_message();
    EXPECT_FALSE(raws[static_cast<size_t>(i)].empty()) << i;
    distinct.insert(raws[static_cast<size_t>(i)]);
  }
  EXPECT_EQ(distinct.size(), 1u);
  grpc::Status st;
  v1::EpochLedger e = Epoch(kEpoch, &st);
  EXPECT_EQ(e.deposit().state(), v1::DEPOSIT_STATE_SIGNED);
  EXPECT_EQ(e.deposit().raw_tx(), *distinct.begin());
  // Exactly one store in the audit log.
  v1::ReadAuditRequest areq;
  areq.set_limit(1000);
  v1::ReadAuditResponse aresp;
  ASSERT_TRUE(audit_->ReadAudit(Ctx("auditor").get(), areq, &aresp).ok());
  int stores = 0;
  for (const auto& a : aresp.entries()) stores += a.action() == "rewards.deposit.store";
  EXPECT_EQ(stores, 1);
}

TEST_F(RewardsRoundTest, TwoEpochsCarryAndDepositEach) {
  ConfirmedRound(kEpoch, {184000000, 132000000, 376000000});
  EXPECT_FALSE(DepositOnce(kEpoch, "a").existing());
  ConfirmedRound(kEpoch + 1, {50000000, 0, 70000000});
  EXPECT_FALSE(DepositOnce(kEpoch + 1, "b").existing());
  grpc::Status st;
  v1::EpochLedger e0 = Epoch(kEpoch, &st);
  v1::EpochLedger e1 = Epoch(kEpoch + 1, &st);
  EXPECT_NE(e0.deposit().raw_tx(), e1.deposit().raw_tx());
  EXPECT_EQ(e1.status(), v1::EPOCH_STATUS_L1_CONFIRMED);  // signed, not on the L2 chain
  EXPECT_EQ(e1.deposit().state(), v1::DEPOSIT_STATE_SIGNED);
}

TEST_F(RewardsRoundTest, ZeroRewardsMakeNoProposal) {
  ASSERT_TRUE(PushSnapshot(RewardSnapshotJson(kEpoch, {0, 0, 0})).ok());
  v1::BuildRewardProposalResponse b;
  grpc::Status st = Build(kEpoch, &b);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_FALSE(b.has_proposal());
  EXPECT_EQ(b.epoch().status(), v1::EPOCH_STATUS_NO_REWARDS);
  v1::ReserveDepositResponse r;
  st = rewards_->ReserveDeposit(Ctx("operator").get(), DepositRequest(kEpoch, "x"), &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(RewardsRoundTest, RewardsBelowBridgeMinimumAreCarried) {
  // 2 ADA of rewards: after commission and fee, below the bridge minimum (3 ADA).
  ConfirmedRound(kEpoch, {2000000, 0, 0});
  grpc::Status st;
  v1::EpochLedger e = Epoch(kEpoch, &st);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(e.bridged(), 0u);
  EXPECT_EQ(e.status(), v1::EPOCH_STATUS_L1_CONFIRMED);
  v1::ReserveDepositResponse r;
  st = rewards_->ReserveDeposit(Ctx("operator").get(), DepositRequest(kEpoch, "x"), &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << st.error_message();
}

// Issue 10: the carry is paid from the output that holds it, and a signer recomputes it from the
// carrying proposal; a carry the controller changes in its store is refused by the signer.
TEST_F(RewardsRoundTest, CarryIsPaidFromTheCarryingOutputAndCheckedBySigners) {
  const v1::Proposal first = ConfirmedRound(kEpoch, {2000000, 0, 0});
  grpc::Status st;
  const v1::EpochLedger e0 = Epoch(kEpoch, &st);
  ASSERT_GT(e0.carry_out(), 0u);
  const std::string& last_raw = first.txs(first.txs_size() - 1).unsigned_tx();
  auto last = chain::DecodeTransaction(
      chain::ByteView(reinterpret_cast<const uint8_t*>(last_raw.data()), last_raw.size()));
  ASSERT_TRUE(last.ok());
  const std::string last_id = first.txs(first.txs_size() - 1).tx_id();

  // The next epoch's snapshot lists the carrying output next to another treasury UTxO.
  nlohmann::json snap = nlohmann::json::parse(RewardSnapshotJson(kEpoch + 1, {50000000, 0, 0}));
  snap["treasury_utxos"].push_back(
      {{"tx", chain::HexEncode(chain::ByteView(reinterpret_cast<const uint8_t*>(last_id.data()),
                                               last_id.size()))},
       {"index", 0},
       {"lovelace", last->body.outputs[0].coin}});
  ASSERT_TRUE(PushSnapshot(snap.dump()).ok());
  v1::BuildRewardProposalResponse b;
  st = Build(kEpoch + 1, &b);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const v1::Proposal& p = b.proposal();
  EXPECT_EQ(p.reward().carry_in(), e0.carry_out());
  EXPECT_EQ(p.reward().carry_from(), first.id());
  const std::string& raw = p.txs(0).unsigned_tx();
  auto tx = chain::DecodeTransaction(
      chain::ByteView(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()));
  ASSERT_TRUE(tx.ok());
  ASSERT_EQ(tx->body.inputs.size(), 1u);
  EXPECT_EQ(std::string(tx->body.inputs[0].tx_id.begin(), tx->body.inputs[0].tx_id.end()), last_id);
  EXPECT_EQ(tx->body.inputs[0].index, 0u);

  ClientOptions client = AliceClient();
  const std::set<chain::Hash32> anchors = AnchorV1();
  auto review = ReviewProposal(client, p.id(), anchors);
  ASSERT_TRUE(review.ok()) << review.status();
  EXPECT_NE(DescribeProposal(*review).find("verified from " + first.id()), std::string::npos);

  // What a compromised controller could change in its store, one edit at a time.
  const std::vector<std::pair<std::string, std::string>> edits = {
      {"UPDATE proposals SET reward_carry_in = reward_carry_in + 1000000 WHERE id = '" + p.id() +
           "'",
       "carried"},
      {"UPDATE proposals SET reward_carry_from = 'prop-nope' WHERE id = '" + p.id() + "'",
       "does not exist"},
      {"UPDATE proposals SET reward_carry_from = '' WHERE id = '" + p.id() + "'", "without naming"},
      {"UPDATE proposals SET reward_carry_in = reward_carry_in + 1 WHERE id = '" + first.id() + "'",
       "without naming"},
      {"UPDATE proposals SET reward_carry_in = 1, reward_carry_from = '" + p.id() +
           "' WHERE id = '" + first.id() + "'",
       "not an earlier one"},
  };
  for (const auto& [edit, why] : edits) {
    StopDaemon();
    {
      auto db = Db::Open(db_path_);
      ASSERT_TRUE(db.ok()) << db.status();
      ASSERT_TRUE((*db)->Exec("BEGIN").ok());
      ASSERT_TRUE((*db)->Exec(edit).ok()) << edit;
      ASSERT_TRUE((*db)->Exec("COMMIT").ok());
    }
    StartDaemon();
    client.server = "127.0.0.1:" + std::to_string(server_->port());
    auto refused = ReviewProposal(client, p.id(), anchors);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied) << edit;
    EXPECT_NE(refused.status().message().find(why), std::string::npos) << refused.status();
    StopDaemon();
    {
      auto db = Db::Open(db_path_);
      ASSERT_TRUE(db.ok());
      ASSERT_TRUE((*db)
                      ->Exec("UPDATE proposals SET reward_carry_in = 0, reward_carry_from = '' "
                             "WHERE id = '" +
                             first.id() + "'")
                      .ok());
      ASSERT_TRUE(
          (*db)
              ->Exec("UPDATE proposals SET reward_carry_in = " + std::to_string(e0.carry_out()) +
                     ", reward_carry_from = '" + first.id() + "' WHERE id = '" + p.id() + "'")
              .ok());
    }
    StartDaemon();
  }
  client.server = "127.0.0.1:" + std::to_string(server_->port());
  EXPECT_TRUE(ReviewProposal(client, p.id(), anchors).ok());
}

// A carry whose output another confirmed proposal spent (a MIGRATE moves the treasury) can no
// longer be verified by any signer: the next round builds without it, and the audit log records
// the forfeited amount and the proposal that moved it.
TEST_F(RewardsRoundTest, CarryMovedByAnotherProposalIsForfeitedOnTheRecord) {
  const v1::Proposal first = ConfirmedRound(kEpoch, {2000000, 0, 0});
  grpc::Status st;
  const uint64_t carried = Epoch(kEpoch, &st).carry_out();
  ASSERT_GT(carried, 0u);
  const std::string& last_id = first.txs(first.txs_size() - 1).tx_id();
  StopDaemon();
  {
    auto db = Db::Open(db_path_);
    ASSERT_TRUE(db.ok()) << db.status();
    auto ins =
        (*db)->Prepare("INSERT INTO spent_inputs(tx_id, out_index, proposal_id) VALUES (?, 0, ?)");
    ASSERT_TRUE(ins.ok());
    ins->BindBlob(1,
                  chain::ByteView(reinterpret_cast<const uint8_t*>(last_id.data()), last_id.size()))
        .Bind(2, first.id());
    ASSERT_TRUE(ins->Run().ok());
  }
  StartDaemon();
  rewards_ = v1::RewardsService::NewStub(channel_);
  ASSERT_TRUE(PushSnapshot(RewardSnapshotJson(kEpoch + 1, {50000000, 0, 0})).ok());
  v1::BuildRewardProposalResponse b;
  st = Build(kEpoch + 1, &b);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(b.proposal().reward().carry_in(), 0u);
  EXPECT_TRUE(b.proposal().reward().carry_from().empty());
  v1::ReadAuditRequest areq;
  areq.set_limit(1000);
  v1::ReadAuditResponse aresp;
  ASSERT_TRUE(audit_->ReadAudit(Ctx("auditor").get(), areq, &aresp).ok());
  const auto& last = aresp.entries(aresp.entries_size() - 1);
  ASSERT_EQ(last.action(), "rewards.build");
  const nlohmann::json d = nlohmann::json::parse(last.details());
  EXPECT_EQ(d.at("carry_forfeited").get<uint64_t>(), carried);
  EXPECT_EQ(d.at("carry_moved_by").get<std::string>(), first.id());
}

TEST_F(RewardsRoundTest, ErrorsAndRoles) {
  grpc::Status st;
  Epoch(999, &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);
  Epoch(999, &st, "signer:alice");
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(PushSnapshot(RewardSnapshotJson(kEpoch, {184000000, 132000000, 376000000})).ok());
  v1::BuildRewardProposalResponse b;
  EXPECT_EQ(Build(kEpoch, &b, "signer:alice").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Build(kEpoch, &b, "auditor").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Build(kEpoch + 1, &b).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  {
    v1::BuildRewardProposalRequest req;
    req.set_epoch(kEpoch);
    req.set_operator_address("0x1234");
    st = rewards_->BuildRewardProposal(Ctx("operator").get(), req, &b);
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  }
  v1::ReserveDepositResponse r;
  st = rewards_->ReserveDeposit(Ctx("auditor").get(), DepositRequest(kEpoch, "x"), &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  st = rewards_->ReserveDeposit(Ctx("operator").get(), DepositRequest(777, "x"), &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::NOT_FOUND);

  // Not confirmed yet: no deposit.
  ASSERT_TRUE(Build(kEpoch, &b).ok());
  st = rewards_->ReserveDeposit(Ctx("operator").get(), DepositRequest(kEpoch, "x"), &r);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ExportAndConfirm(SignByTwo(b.proposal()));

  // Garbage, a transaction signed by another key, another transaction: refused, nothing stored.
  v1::ReserveDepositRequest short_lease = DepositRequest(kEpoch, "x");
  short_lease.set_lease_ms(1);
  ASSERT_TRUE(rewards_->ReserveDeposit(Ctx("operator").get(), short_lease, &r).ok());
  ASSERT_EQ(r.outcome(), v1::RESERVATION_OUTCOME_RESERVED);
  v1::StoreDepositRequest sreq;
  sreq.set_epoch(kEpoch);
  sreq.set_raw_tx("\x02\xc0garbage");
  v1::StoreDepositResponse sresp;
  EXPECT_EQ(rewards_->StoreDeposit(Ctx("operator").get(), sreq, &sresp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  auto other = OperatorKey().Derive(5);
  ASSERT_TRUE(other.ok());
  sreq.set_raw_tx(SignReserved(r.deposit(), *other));
  EXPECT_EQ(rewards_->StoreDeposit(Ctx("operator").get(), sreq, &sresp).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::ReserveDepositRequest other_nonce = DepositRequest(kEpoch, "y");
  other_nonce.set_nonce("8");
  v1::ReserveDepositResponse r2;
  AdvanceClock(absl::Milliseconds(5));
  // The lease lapsed; the reservation stands: another request takes over the same reserved
  // transaction, not its own.
  ASSERT_TRUE(rewards_->ReserveDeposit(Ctx("operator").get(), other_nonce, &r2).ok());
  EXPECT_EQ(r2.outcome(), v1::RESERVATION_OUTCOME_RESERVED);
  EXPECT_EQ(r2.deposit().unsigned_tx(), r.deposit().unsigned_tx());
  EXPECT_FALSE(r2.matches_request());
  sreq.set_raw_tx(SignReserved(r.deposit(), OperatorKey()));
  ASSERT_TRUE(rewards_->StoreDeposit(Ctx("operator").get(), sreq, &sresp).ok());
  EXPECT_FALSE(sresp.existing());
}

TEST(RewardsRolesTest, EveryRewardsRpcIsInTheTable) {
  (void)v1::EpochLedger::descriptor();
  const auto* d = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
      "stakeward.v1.RewardsService");
  ASSERT_NE(d, nullptr);
  ASSERT_EQ(d->method_count(), 6);
  for (int i = 0; i < d->method_count(); ++i) {
    const std::string m = "/stakeward.v1.RewardsService/" + d->method(i)->name();
    auto op = ParseRole("operator", "t");
    auto signer = ParseRole("signer:alice", "t");
    EXPECT_TRUE(CheckRpcAllowed(*op, m).ok()) << m;
    EXPECT_FALSE(CheckRpcAllowed(*signer, m).ok()) << m;
  }
}

}  // namespace
}  // namespace stakeward::controller::testing
