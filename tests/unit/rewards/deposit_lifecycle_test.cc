// The deposit after signing, as the store enforces it (controller/store/deposit_lifecycle.h).
#include "controller/store/deposit_lifecycle.h"

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/unit/rewards/ledger_fixture.h"

namespace stakeward::rewards {
namespace {

using namespace ledger_testing;  // NOLINT: the shared fixture and helpers

class DepositLifecycleTest : public EpochLedgerTest {
 protected:
  void SetUp() override {
    EpochLedgerTest::SetUp();
    life_ = std::make_unique<DepositLifecycle>(*db_);
  }
  // Reserves and stores the epoch's deposit with `p`; returns the signed deposit.
  SignedDeposit Signed(uint64_t epoch, const DepositParams& p) {
    auto res = ledger_->ReserveDeposit(epoch, Proposed(*ledger_, epoch, p), "a", kT0, kLease);
    SW_CHECK(res.ok() && res->kind == DepositReservation::Kind::kReserved);
    SignedDeposit s = SignReserved(res->record);
    SW_CHECK(ledger_->StoreDeposit(epoch, chain::View(s.raw), s.TxHashHex(), kT0).ok());
    return s;
  }
  DepositRecord Replacement(uint64_t epoch, uint64_t nonce, uint64_t fee_factor) {
    DepositParams p = Params();
    p.nonce = evm::U256::FromUint64(nonce);
    p.max_fee_per_gas = *p.max_fee_per_gas.CheckedMulSmall(fee_factor);
    p.max_priority_fee_per_gas = *p.max_priority_fee_per_gas.CheckedMulSmall(fee_factor);
    return Proposed(*ledger_, epoch, p);
  }
  std::string State(uint64_t epoch) { return ledger_->Get(epoch)->deposit->state; }
  std::unique_ptr<DepositLifecycle> life_;
};

TEST_F(DepositLifecycleTest, SignedIsWatchedUntilConfirmedWithOneOfItsAttempts) {
  ASSERT_NO_FATAL_FAILURE(RecordConfirmed(510));
  const SignedDeposit s = Signed(510, Params());
  EXPECT_EQ(*life_->Watched(), std::vector<uint64_t>{510});
  ASSERT_EQ(life_->Attempts(510)->size(), 1u);
  EXPECT_TRUE(*life_->MarkBroadcast(510, s.TxHashHex()));
  EXPECT_FALSE(*life_->MarkBroadcast(510, s.TxHashHex()));  // once
  EXPECT_EQ(State(510), "BROADCAST");
  EXPECT_EQ(ledger_->Get(510)->status, "L1_CONFIRMED");

  DepositInclusion not_ours{"0x" + std::string(64, 'a'), 12, "0x" + std::string(64, 'b'), {}};
  EXPECT_EQ(life_->MarkConfirmed(510, not_ours).code(), absl::StatusCode::kFailedPrecondition);
  DepositInclusion ours{s.TxHashHex(), 12, "0x" + std::string(64, 'b'), {}};
  ASSERT_TRUE(life_->MarkConfirmed(510, ours).ok());
  auto rec = ledger_->Get(510);
  EXPECT_EQ(rec->status, "DEPOSITED");
  EXPECT_EQ(rec->deposit->state, "CONFIRMED");
  EXPECT_EQ(rec->deposit->block_number, 12u);
  EXPECT_TRUE(life_->Watched()->empty());
  // Nothing moves a confirmed deposit: not a failure, not a replacement, not a new signature.
  EXPECT_EQ(life_->MarkFailed(510, "", "x").code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      life_->ReserveReplacement(510, Replacement(510, 7, 2), "b", kT0, kLease).status().code(),
      absl::StatusCode::kFailedPrecondition);
  auto again = ledger_->ReserveDeposit(510, Proposed(*ledger_, 510, Params()), "c", kT0, kLease);
  EXPECT_EQ(again->kind, DepositReservation::Kind::kAlreadySigned);
}

TEST_F(DepositLifecycleTest, ReplacementKeepsTheEarlierAttemptWatchedAndEitherMayBeMined) {
  ASSERT_NO_FATAL_FAILURE(RecordConfirmed(510));
  const SignedDeposit first = Signed(510, Params());
  auto rep = life_->ReserveReplacement(510, Replacement(510, 7, 2), "b", kT0, kLease);
  ASSERT_TRUE(rep.ok()) << rep.status();
  EXPECT_EQ(rep->state, "SIGNING");
  EXPECT_EQ(rep->attempts, 2u);
  // While the replacement is signed the first attempt is still out there: still watched.
  EXPECT_EQ(*life_->Watched(), std::vector<uint64_t>{510});
  const SignedDeposit second = SignReserved(*rep);
  ASSERT_TRUE(ledger_->StoreDeposit(510, chain::View(second.raw), second.TxHashHex(), kT0).ok());
  auto attempts = life_->Attempts(510);
  ASSERT_EQ(attempts->size(), 2u);
  EXPECT_EQ((*attempts)[0].tx_hash, first.TxHashHex());
  EXPECT_EQ((*attempts)[1].tx_hash, second.TxHashHex());
  // The node mined the first one after all.
  ASSERT_TRUE(
      life_->MarkConfirmed(510, {first.TxHashHex(), 9, "0x" + std::string(64, 'c'), {}}).ok());
  auto rec = ledger_->Get(510);
  EXPECT_EQ(rec->deposit->tx_hash, first.TxHashHex());
  EXPECT_EQ(rec->deposit->raw_tx, first.raw);
}

TEST_F(DepositLifecycleTest, FailedDepositIsReplacedWithTheNextNonceAndTheOldOneRetired) {
  ASSERT_NO_FATAL_FAILURE(RecordConfirmed(510));
  const SignedDeposit first = Signed(510, Params());
  ASSERT_TRUE(life_->MarkFailed(510, first.TxHashHex(), "reverted").ok());
  EXPECT_EQ(State(510), "FAILED");
  EXPECT_EQ(ledger_->Get(510)->deposit->failure, "reverted");
  EXPECT_TRUE(life_->Watched()->empty());
  auto rep = life_->ReserveReplacement(510, Replacement(510, 8, 1), "b", kT0, kLease);
  ASSERT_TRUE(rep.ok()) << rep.status();
  EXPECT_EQ(rep->nonce, "8");
  EXPECT_TRUE(life_->Watched()->empty());  // the failed attempt is history
  const SignedDeposit second = SignReserved(*rep);
  ASSERT_TRUE(ledger_->StoreDeposit(510, chain::View(second.raw), second.TxHashHex(), kT0).ok());
  auto attempts = life_->Attempts(510);
  ASSERT_EQ(attempts->size(), 1u);
  EXPECT_EQ((*attempts)[0].attempt, 2u);
  EXPECT_EQ((*attempts)[0].tx_hash, second.TxHashHex());
}

TEST_F(DepositLifecycleTest, ADepositFoundOnChainIsAdoptedAndNothingIsReservedAfterIt) {
  ASSERT_NO_FATAL_FAILURE(RecordConfirmed(510));
  const DepositRecord proposed = Proposed(*ledger_, 510, Params());
  const SignedDeposit elsewhere = SignReserved(proposed);
  ASSERT_TRUE(life_
                  ->Adopt(510, proposed, "7",
                          {elsewhere.TxHashHex(), 30, "0x" + std::string(64, 'd'), elsewhere.raw},
                          kT0)
                  .ok());
  auto rec = ledger_->Get(510);
  EXPECT_EQ(rec->status, "DEPOSITED");
  EXPECT_EQ(rec->deposit->state, "CONFIRMED");
  EXPECT_TRUE(rec->deposit->adopted);
  EXPECT_EQ(rec->deposit->tx_hash, elsewhere.TxHashHex());
  auto res = ledger_->ReserveDeposit(510, proposed, "a", kT0, kLease);
  EXPECT_EQ(res->kind, DepositReservation::Kind::kAlreadySigned);
  EXPECT_EQ(life_->MarkBroadcast(510, elsewhere.TxHashHex()).value_or(true), false);
}

TEST_F(DepositLifecycleTest, OnlySignedBroadcastOrFailedDepositsAreReplaced) {
  ASSERT_NO_FATAL_FAILURE(RecordConfirmed(510));
  EXPECT_EQ(
      life_->ReserveReplacement(510, Replacement(510, 7, 2), "b", kT0, kLease).status().code(),
      absl::StatusCode::kFailedPrecondition);  // nothing reserved yet
  ASSERT_TRUE(
      ledger_->ReserveDeposit(510, Proposed(*ledger_, 510, Params()), "a", kT0, kLease).ok());
  EXPECT_EQ(
      life_->ReserveReplacement(510, Replacement(510, 7, 2), "b", kT0, kLease).status().code(),
      absl::StatusCode::kFailedPrecondition);  // still SIGNING
}

// A database written by schema version 1 (which called a merely signed deposit DEPOSITED) is
// upgraded in place: the epoch goes back to L1_CONFIRMED, the signed deposit becomes attempt 1
// and is watched by the L2 driver.
TEST(RewardsSchemaUpgrade, VersionOneSignedDepositBecomesAWatchedAttempt) {
  const std::string path = TempDbPath();
  auto db = controller::Db::Open(path);
  ASSERT_TRUE(db.ok()) << db.status();
  std::ifstream f(std::string(STAKEWARD_SOURCE_DIR) +
                  "/tests/unit/rewards/vectors/rewards_schema_v1.sql");
  const std::string v1((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(v1.empty()) << "tests/unit/rewards/vectors/rewards_schema_v1.sql is missing";
  ASSERT_TRUE((*db)->Exec(v1).ok());
  ASSERT_TRUE((*db)
                  ->Exec("CREATE TABLE rewards_schema_version (id INTEGER PRIMARY KEY CHECK "
                         "(id = 1), version INTEGER NOT NULL);"
                         "INSERT INTO rewards_schema_version VALUES (1, 1);"
                         "INSERT INTO rewards_epochs VALUES (510, 'DEPOSITED', 's', 10, 1, 1, 0, "
                         "8, 0, 0, 100, '9', '100', '0.09');"
                         "INSERT INTO rewards_epochs VALUES (511, 'L1_CONFIRMED', 's', 10, 1, 1, "
                         "0, 8, 0, 0, 100, '9', '100', '0.09');"
                         "INSERT INTO rewards_deposits (epoch, state, chain_id, sender, path, "
                         "nonce, value_wei, unsigned_tx, raw_tx, tx_hash, attempts, created_ms, "
                         "signed_ms) VALUES (510, 'SIGNED', 200101, '0xS', 'm/44''/60''/0''/0/0', "
                         "'7', '8000000000000', x'02c0', x'02c1', '0xabc', 1, 5, 6);"
                         "INSERT INTO rewards_deposits (epoch, state, chain_id, sender, path, "
                         "nonce, value_wei, unsigned_tx, attempts, created_ms) VALUES (511, "
                         "'SIGNING', 200101, '0xS', 'm', '8', '1', x'02c0', 1, 7);")
                  .ok());
  ASSERT_TRUE(MigrateRewardsSchema(**db).ok());
  EXPECT_EQ(CountRows(**db, "SELECT version FROM rewards_schema_version"), 2);
  EpochLedger ledger(**db);
  auto rec = ledger.Get(510);
  ASSERT_TRUE(rec.ok()) << rec.status();
  EXPECT_EQ(rec->status, "L1_CONFIRMED");  // signed is not deposited
  EXPECT_EQ(rec->deposit->state, "SIGNED");
  EXPECT_EQ(rec->deposit->tx_hash, "0xabc");
  EXPECT_EQ(ledger.Get(511)->deposit->state, "SIGNING");
  DepositLifecycle life(**db);
  EXPECT_EQ(*life.Watched(), std::vector<uint64_t>{510});
  auto attempts = life.Attempts(510);
  ASSERT_EQ(attempts->size(), 1u);
  EXPECT_EQ((*attempts)[0].attempt, 1u);
  EXPECT_EQ((*attempts)[0].raw_tx, (chain::Bytes{0x02, 0xc1}));
  EXPECT_TRUE(MigrateRewardsSchema(**db).ok());  // idempotent
  EXPECT_EQ(CountRows(**db, "SELECT COUNT(*) FROM rewards_deposit_txs"), 1);
}

}  // namespace
}  // namespace stakeward::rewards
