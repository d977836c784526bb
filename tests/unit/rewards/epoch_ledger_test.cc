#include "controller/store/epoch_ledger.h"

#include <cstdlib>
#include <string>
#include <vector>

#include "chain/check.h"
#include "chain/tx.h"
#include "gtest/gtest.h"
#include "tests/support/software_evm_signer.h"
#include "tests/unit/rewards/ledger_fixture.h"
#include "tests/unit/rewards/rewards_fixture.h"

namespace stakeward::rewards {
namespace {

namespace evm = chain::evm;
using namespace ledger_testing;  // NOLINT: the shared fixture and helpers
using testing::L;

TEST(ExchangeRate, IsAnExactReducedFraction) {
  ExchangeRateEffect r = ComputeExchangeRateEffect(L(95'000'000), L(4'000'000'000'000));
  EXPECT_EQ(r.numerator, "19");
  EXPECT_EQ(r.denominator, "800000");
  EXPECT_EQ(r.fixed18, "0.000023750000000000");
  r = ComputeExchangeRateEffect(L(1), L(3));
  EXPECT_EQ(r.fixed18, "0.333333333333333333");
  r = ComputeExchangeRateEffect(L(7), L(2));
  EXPECT_EQ(r.fixed18, "3.500000000000000000");
  r = ComputeExchangeRateEffect(L(5), L(0));
  EXPECT_EQ(r.numerator, "0");
  EXPECT_EQ(r.denominator, "1");
}

TEST_F(EpochLedgerTest, MigrationIsIdempotent) {
  EXPECT_TRUE(MigrateRewardsSchema(*db_).ok());
  EXPECT_TRUE(MigrateRewardsSchema(*db_).ok());
  EXPECT_EQ(CountRows(*db_, "SELECT COUNT(*) FROM rewards_schema_version"), 1);
  EXPECT_EQ(CountRows(*db_, "SELECT version FROM rewards_schema_version"), 2);
}

TEST_F(EpochLedgerTest, RecordsPerSlotAndPerEpochFigures) {
  const RewardProposal p = SampleProposal(510);
  ASSERT_TRUE(ledger_->RecordProposal(p).ok());
  auto r = ledger_->Get(510);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, "PROPOSED");
  EXPECT_EQ(r->total_rewards, L(100'000'000));
  EXPECT_EQ(r->commission, L(5'000'000));
  EXPECT_EQ(r->bridged, p.total_bridged);
  EXPECT_EQ(r->fee, p.total_fee);
  EXPECT_EQ(r->staked, L(4'000'000'000'000));
  EXPECT_EQ(r->rate.numerator, "19");
  EXPECT_EQ(r->rate.denominator, "800000");
  ASSERT_EQ(r->slots.size(), 3u);
  EXPECT_EQ(r->slots[0].rewards, L(40'000'000));
  EXPECT_EQ(r->slots[0].commission, L(2'000'000));
  EXPECT_EQ(r->slots[0].net, L(38'000'000));
  ASSERT_EQ(r->l1_txs.size(), 1u);
  EXPECT_EQ(r->slots[0].l1_tx_id, r->l1_txs[0].tx_id);
  EXPECT_EQ(r->l1_txs[0].tx_id, chain::HexEncode(chain::TxId(p.txs[0].tx)));
  EXPECT_EQ(r->slots[2].outcome, "skipped_deregistered");
  EXPECT_TRUE(r->slots[2].l1_tx_id.empty());
  auto tx = chain::DecodeTransaction(chain::View(r->l1_txs[0].tx_cbor));
  ASSERT_TRUE(tx.ok());
  EXPECT_FALSE(r->deposit.has_value());
  EXPECT_EQ(ledger_->Get(999).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ledger_->Get(UINT64_MAX).status().code(), absl::StatusCode::kInvalidArgument);

  // Same transactions again: no-op. After confirmation they cannot be replaced.
  EXPECT_TRUE(ledger_->RecordProposal(p).ok());
  ASSERT_TRUE(ledger_->MarkL1Confirmed(510).ok());
  RewardProposal other = p;
  other.txs[0].tx.body.fee += chain::Lovelace(1);
  other.txs[0].tx = chain::MakeTransaction(other.txs[0].tx.body, {}, other.txs[0].tx.aux_data);
  EXPECT_EQ(ledger_->RecordProposal(other).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(ledger_->RecordProposal(p).ok());
}

TEST_F(EpochLedgerTest, CarryComesFromTheLatestSettledEpoch) {
  RewardProposal carried = SampleProposal(500);
  carried.carry_out = L(1'500'000);
  ASSERT_TRUE(ledger_->RecordProposal(carried).ok());
  EXPECT_EQ(*ledger_->CarryBefore(501), L(0));  // not confirmed yet
  ASSERT_TRUE(ledger_->MarkL1Confirmed(500).ok());
  EXPECT_EQ(*ledger_->CarryBefore(501), L(1'500'000));
  EXPECT_EQ(*ledger_->CarryBefore(500), L(0));
}

TEST_F(EpochLedgerTest, DepositRequiresConfirmedL1AndABridgedAmount) {
  ASSERT_TRUE(ledger_->RecordProposal(SampleProposal(510)).ok());
  absl::StatusOr<EpochRecord> rec = ledger_->Get(510);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(ProposeDeposit(*rec, Params()).status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(ledger_->MarkL1Confirmed(510).ok());
  rec = ledger_->Get(510);
  absl::StatusOr<DepositRecord> ok = ProposeDeposit(*rec, Params());
  ASSERT_TRUE(ok.ok()) << ok.status();
  // The amount is the ledger's bridged total: value = (bridged − bridge fee) × 10^12.
  auto tx = evm::DecodeUnsigned(chain::View(ok->unsigned_tx));
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(tx->value, evm::LovelaceToWei(rec->bridged - L(500'000)));
  EXPECT_EQ(ok->value_wei, tx->value.ToDecimal());
  EXPECT_EQ(ok->nonce, "7");
  EXPECT_EQ(ok->sender, evm::ToChecksumAddress(OperatorAddress()));
  EpochRecord nothing = *rec;
  nothing.bridged = L(0);
  EXPECT_EQ(ProposeDeposit(nothing, Params()).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(EpochLedgerTest, SecondReservationReturnsTheStoredDeposit) {
  ASSERT_NO_FATAL_FAILURE(RecordConfirmed(510));
  const DepositRecord first = Proposed(*ledger_, 510, Params());
  auto res = ledger_->ReserveDeposit(510, first, "a", kT0, kLease);
  ASSERT_TRUE(res.ok()) << res.status();
  ASSERT_EQ(res->kind, DepositReservation::Kind::kReserved);
  const SignedDeposit signed_tx = SignReserved(res->record);
  auto stored = ledger_->StoreDeposit(510, chain::View(signed_tx.raw), signed_tx.TxHashHex(), kT0);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->raw_tx, signed_tx.raw);
  auto rec = ledger_->Get(510);
  EXPECT_EQ(rec->status, "L1_CONFIRMED");  // DEPOSITED only once confirmed on the L2 chain
  EXPECT_EQ(rec->deposit->state, "SIGNED");
  EXPECT_EQ(rec->deposit->tx_hash, signed_tx.TxHashHex());

  DepositParams changed = Params();
  changed.nonce = evm::U256::FromUint64(8);
  auto again = ledger_->ReserveDeposit(510, Proposed(*ledger_, 510, changed), "b", kT0, kLease);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->kind, DepositReservation::Kind::kAlreadySigned);
  EXPECT_EQ(again->record.raw_tx, signed_tx.raw);
  EXPECT_EQ(CountRows(*db_, "SELECT COUNT(*) FROM rewards_deposits"), 1);
}

TEST_F(EpochLedgerTest, NonceIsNeverReusedAcrossEpochs) {
  ASSERT_NO_FATAL_FAILURE(RecordConfirmed(510));
  ASSERT_NO_FATAL_FAILURE(RecordConfirmed(511));
  ASSERT_TRUE(
      ledger_->ReserveDeposit(510, Proposed(*ledger_, 510, Params()), "a", kT0, kLease).ok());
  EXPECT_EQ(ledger_->ReserveDeposit(511, Proposed(*ledger_, 511, Params()), "b", kT0, kLease)
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  DepositParams next = Params();
  next.nonce = evm::U256::FromUint64(8);
  EXPECT_TRUE(ledger_->ReserveDeposit(511, Proposed(*ledger_, 511, next), "b", kT0, kLease).ok());
}

// A live lease keeps other requests out; released (the device refused), the next request takes
// over and signs the reserved transaction, not its own parameters.
TEST_F(EpochLedgerTest, ReleasedLeaseIsTakenOverWithTheReservedTransaction) {
  ASSERT_NO_FATAL_FAILURE(RecordConfirmed(510));
  const DepositRecord mine = Proposed(*ledger_, 510, Params());
  ASSERT_TRUE(ledger_->ReserveDeposit(510, mine, "a", kT0, kLease).ok());
  DepositParams other_gas = Params();
  other_gas.max_fee_per_gas = evm::U256::FromUint64(90'000'000'000ULL);
  const DepositRecord theirs = Proposed(*ledger_, 510, other_gas);
  auto busy = ledger_->ReserveDeposit(510, theirs, "b", kT0 + 1, kLease);
  ASSERT_TRUE(busy.ok());
  EXPECT_EQ(busy->kind, DepositReservation::Kind::kBusy);
  ASSERT_TRUE(ledger_->ReleaseLease(510, "a").ok());
  auto taken = ledger_->ReserveDeposit(510, theirs, "b", kT0 + 2, kLease);
  ASSERT_TRUE(taken.ok());
  EXPECT_EQ(taken->kind, DepositReservation::Kind::kReserved);
  EXPECT_EQ(taken->record.unsigned_tx, mine.unsigned_tx);
  EXPECT_EQ(taken->record.attempts, 2u);
}

// kill -9 between signing and storing: the lease lapses, the retry re-signs the same unsigned
// transaction (RFC 6979), so the stored raw transaction is the one the dead request produced.
TEST_F(EpochLedgerTest, ExpiredLeaseAfterACrashStoresTheSameTransactionOnce) {
  ASSERT_NO_FATAL_FAILURE(RecordConfirmed(510));
  auto dead = ledger_->ReserveDeposit(510, Proposed(*ledger_, 510, Params()), "a", kT0, 300);
  ASSERT_TRUE(dead.ok());
  const SignedDeposit lost = SignReserved(dead->record);  // signed, never stored
  EXPECT_EQ(ledger_->Get(510)->deposit->state, "SIGNING");
  DepositParams retry = Params();
  retry.max_fee_per_gas = evm::U256::FromUint64(99'000'000'000ULL);
  auto taken = ledger_->ReserveDeposit(510, Proposed(*ledger_, 510, retry), "b", kT0 + 301, kLease);
  ASSERT_TRUE(taken.ok());
  ASSERT_EQ(taken->kind, DepositReservation::Kind::kReserved);
  const SignedDeposit again = SignReserved(taken->record);
  EXPECT_EQ(again.raw, lost.raw);
  auto stored = ledger_->StoreDeposit(510, chain::View(again.raw), again.TxHashHex(), kT0 + 302);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->attempts, 2u);
  EXPECT_EQ(CountRows(*db_, "SELECT COUNT(*) FROM rewards_deposits"), 1);
}

TEST_F(EpochLedgerTest, AbandonedReservationAllowsNewParameters) {
  ASSERT_NO_FATAL_FAILURE(RecordConfirmed(510));
  ASSERT_TRUE(
      ledger_->ReserveDeposit(510, Proposed(*ledger_, 510, Params()), "a", kT0, kLease).ok());
  // A live lease cannot be abandoned.
  EXPECT_FALSE(ledger_->AbandonReservation(510, kT0 + 1).ok());
  ASSERT_TRUE(ledger_->ReleaseLease(510, "a").ok());
  ASSERT_TRUE(ledger_->AbandonReservation(510, kT0 + 2).ok());
  DepositParams changed = Params();
  changed.nonce = evm::U256::FromUint64(9);
  auto res = ledger_->ReserveDeposit(510, Proposed(*ledger_, 510, changed), "b", kT0 + 3, kLease);
  ASSERT_TRUE(res.ok()) << res.status();
  EXPECT_EQ(res->record.nonce, "9");
  const SignedDeposit s = SignReserved(res->record);
  ASSERT_TRUE(ledger_->StoreDeposit(510, chain::View(s.raw), s.TxHashHex(), kT0 + 4).ok());
  // Once signed, the reservation cannot be abandoned.
  EXPECT_EQ(ledger_->AbandonReservation(510, kT0 + kLease * 2).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace stakeward::rewards
