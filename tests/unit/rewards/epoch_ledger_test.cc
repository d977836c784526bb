#include "controller/rewards/epoch_ledger.h"

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "chain/check.h"
#include "chain/tx.h"
#include "controller/rewards/deposit_service.h"
#include "gtest/gtest.h"
#include "tests/support/software_evm_signer.h"
#include "tests/unit/rewards/rewards_fixture.h"

namespace stakeward::rewards {
namespace {

namespace evm = chain::evm;

class Db {
 public:
  explicit Db(const std::string& path) {
    SW_CHECK(sqlite3_open(path.c_str(), &db_) == SQLITE_OK);
    sqlite3_busy_timeout(db_, 10'000);
    sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
  }
  ~Db() { sqlite3_close(db_); }
  sqlite3* get() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

std::string TempDbPath() {
  char dir[] = "/tmp/sw_rewards_XXXXXX";
  SW_CHECK(mkdtemp(dir) != nullptr);
  return std::string(dir) + "/controller.db";
}

int64_t CountRows(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  SW_CHECK(sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK);
  SW_CHECK(sqlite3_step(st) == SQLITE_ROW);
  int64_t n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return n;
}

evm::Address OperatorAddress() {
  return testing::OperatorMaster().DerivePath(*chain::ParsePath("m/44'/60'/0'/0/0"))->EthAddress();
}

RewardProposal SampleProposal(uint64_t epoch) {
  RewardBuildInput in = testing::BaseInput();
  in.epoch = epoch;
  // Each epoch spends its own treasury UTxO, so its transactions differ.
  in.treasury_utxos = {testing::Utxo(static_cast<uint8_t>(epoch % 251), 0, 5'000'000)};
  in.slots = {testing::Slot(0, 40'000'000, 1'000'000'000'000),
              testing::Slot(1, 60'000'000, 3'000'000'000'000)};
  in.slots.push_back(testing::Slot(2, 9, 5));
  in.slots[2].registered = false;
  auto p = BuildRewardProposal(in);
  SW_CHECK(p.ok());
  return *p;
}

class EpochLedgerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = TempDbPath();
    db_ = std::make_unique<Db>(path_);
    ASSERT_TRUE(MigrateRewardsSchema(db_->get()).ok());
    ledger_ = std::make_unique<EpochLedger>(db_->get());
  }
  void RecordConfirmed(uint64_t epoch) {
    ASSERT_TRUE(ledger_->RecordProposal(SampleProposal(epoch)).ok());
    ASSERT_TRUE(ledger_->MarkL1Confirmed(epoch).ok());
  }

  std::string path_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<EpochLedger> ledger_;
};

TEST(ExchangeRate, IsAnExactReducedFraction) {
  ExchangeRateEffect r = ComputeExchangeRateEffect(95'000'000, 4'000'000'000'000);
  EXPECT_EQ(r.numerator, "19");
  EXPECT_EQ(r.denominator, "800000");
  EXPECT_EQ(r.fixed18, "0.000023750000000000");
  r = ComputeExchangeRateEffect(1, 3);
  EXPECT_EQ(r.fixed18, "0.333333333333333333");
  r = ComputeExchangeRateEffect(7, 2);
  EXPECT_EQ(r.fixed18, "3.500000000000000000");
  r = ComputeExchangeRateEffect(5, 0);
  EXPECT_EQ(r.numerator, "0");
  EXPECT_EQ(r.denominator, "1");
}

TEST_F(EpochLedgerTest, MigrationIsIdempotent) {
  EXPECT_TRUE(MigrateRewardsSchema(db_->get()).ok());
  EXPECT_TRUE(MigrateRewardsSchema(db_->get()).ok());
  EXPECT_EQ(CountRows(db_->get(), "SELECT version FROM rewards_schema_version"), 1);
}

TEST_F(EpochLedgerTest, RecordsPerSlotAndPerEpochFigures) {
  const RewardProposal p = SampleProposal(510);
  ASSERT_TRUE(ledger_->RecordProposal(p).ok());
  auto r = ledger_->Get(510);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->status, "PROPOSED");
  EXPECT_EQ(r->total_rewards, 100'000'000u);
  EXPECT_EQ(r->commission, 5'000'000u);
  EXPECT_EQ(r->bridged, p.total_bridged);
  EXPECT_EQ(r->fee, p.total_fee);
  EXPECT_EQ(r->staked, 4'000'000'000'000u);
  EXPECT_EQ(r->rate.numerator, "19");
  EXPECT_EQ(r->rate.denominator, "800000");
  ASSERT_EQ(r->slots.size(), 3u);
  EXPECT_EQ(r->slots[0].rewards, 40'000'000u);
  EXPECT_EQ(r->slots[0].commission, 2'000'000u);
  EXPECT_EQ(r->slots[0].net, 38'000'000u);
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
  other.txs[0].tx.body.fee += 1;
  other.txs[0].tx = chain::MakeTransaction(other.txs[0].tx.body, {}, other.txs[0].tx.aux_data);
  EXPECT_EQ(ledger_->RecordProposal(other).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(ledger_->RecordProposal(p).ok());
}

TEST_F(EpochLedgerTest, CarryComesFromTheLatestSettledEpoch) {
  RewardProposal carried = SampleProposal(500);
  carried.carry_out = 1'500'000;
  ASSERT_TRUE(ledger_->RecordProposal(carried).ok());
  EXPECT_EQ(*ledger_->CarryBefore(501), 0u);  // not confirmed yet
  ASSERT_TRUE(ledger_->MarkL1Confirmed(500).ok());
  EXPECT_EQ(*ledger_->CarryBefore(501), 1'500'000u);
  EXPECT_EQ(*ledger_->CarryBefore(500), 0u);
}

DepositParams Params() { return testing::SampleDepositParams(OperatorAddress()); }

TEST_F(EpochLedgerTest, DepositRequiresConfirmedL1) {
  ASSERT_TRUE(ledger_->RecordProposal(SampleProposal(510)).ok());
  auto out =
      DepositEpochOnce(*ledger_, 510, Params(), SoftwareEvmSigner(testing::OperatorMaster()));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(DepositEpochOnce(*ledger_, 77, Params(), SoftwareEvmSigner(testing::OperatorMaster()))
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_F(EpochLedgerTest, SecondRequestReturnsTheStoredDeposit) {
  ASSERT_NO_FATAL_FAILURE(RecordConfirmed(510));
  EvmSignFn sign = SoftwareEvmSigner(testing::OperatorMaster());
  auto first = DepositEpochOnce(*ledger_, 510, Params(), sign);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_FALSE(first->reused);
  auto rec = ledger_->Get(510);
  EXPECT_EQ(rec->status, "DEPOSITED");
  ASSERT_TRUE(rec->deposit.has_value());
  EXPECT_EQ(rec->deposit->state, "SIGNED");
  EXPECT_EQ(rec->deposit->tx_hash, first->deposit.TxHashHex());
  // value = (bridged − bridge fee) × 10^12.
  auto decoded = evm::DecodeSigned(chain::View(first->deposit.raw));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->tx.value, evm::LovelaceToWei(rec->bridged - 500'000));

  DepositParams changed = Params();
  changed.nonce = evm::U256::FromUint64(8);
  auto second = DepositEpochOnce(*ledger_, 510, changed, sign);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(second->reused);
  EXPECT_FALSE(second->matches_request);
  EXPECT_EQ(second->deposit.raw, first->deposit.raw);
  EXPECT_EQ(CountRows(db_->get(), "SELECT COUNT(*) FROM rewards_deposits"), 1);
}

TEST_F(EpochLedgerTest, NonceIsNeverReusedAcrossEpochs) {
  ASSERT_NO_FATAL_FAILURE(RecordConfirmed(510));
  ASSERT_NO_FATAL_FAILURE(RecordConfirmed(511));
  EvmSignFn sign = SoftwareEvmSigner(testing::OperatorMaster());
  ASSERT_TRUE(DepositEpochOnce(*ledger_, 510, Params(), sign).ok());
  EXPECT_EQ(DepositEpochOnce(*ledger_, 511, Params(), sign).status().code(),
            absl::StatusCode::kFailedPrecondition);
  DepositParams next = Params();
  next.nonce = evm::U256::FromUint64(8);
  EXPECT_TRUE(DepositEpochOnce(*ledger_, 511, next, sign).ok());
}

TEST_F(EpochLedgerTest, SignerRejectionKeepsTheReservedTransaction) {
  ASSERT_NO_FATAL_FAILURE(RecordConfirmed(510));
  EvmSignFn reject = [](const chain::Path&,
                        const evm::Eip1559Tx&) -> absl::StatusOr<evm::EvmSignature> {
    return absl::CancelledError("user rejected");
  };
  EXPECT_EQ(DepositEpochOnce(*ledger_, 510, Params(), reject).status().code(),
            absl::StatusCode::kCancelled);
  auto rec = ledger_->Get(510);
  ASSERT_TRUE(rec->deposit.has_value());
  EXPECT_EQ(rec->deposit->state, "SIGNING");
  // The retry (with other gas settings) signs the reserved transaction at once.
  DepositParams changed = Params();
  changed.max_fee_per_gas = evm::U256::FromUint64(90'000'000'000ULL);
  DepositOptions quick;
  quick.wait = absl::Seconds(2);
  auto out =
      DepositEpochOnce(*ledger_, 510, changed, SoftwareEvmSigner(testing::OperatorMaster()), quick);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_FALSE(out->matches_request);
  EXPECT_EQ(out->record.unsigned_tx, rec->deposit->unsigned_tx);
  // Once signed, the reservation cannot be abandoned.
  EXPECT_EQ(ledger_->AbandonReservation(510, 0).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(EpochLedgerTest, AbandonedReservationAllowsNewParameters) {
  ASSERT_NO_FATAL_FAILURE(RecordConfirmed(510));
  EvmSignFn reject = [](const chain::Path&,
                        const evm::Eip1559Tx&) -> absl::StatusOr<evm::EvmSignature> {
    return absl::CancelledError("user rejected");
  };
  ASSERT_FALSE(DepositEpochOnce(*ledger_, 510, Params(), reject).ok());
  ASSERT_TRUE(ledger_->AbandonReservation(510, absl::ToUnixMillis(absl::Now())).ok());
  DepositParams changed = Params();
  changed.nonce = evm::U256::FromUint64(9);
  auto out = DepositEpochOnce(*ledger_, 510, changed, SoftwareEvmSigner(testing::OperatorMaster()));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_TRUE(out->matches_request);
  EXPECT_EQ(out->record.nonce, "9");
}

// 20 threads, each with its own connection to one database file, ask for the same epoch's
// deposit at once: one signature, one row, every caller gets the same raw transaction.
TEST_F(EpochLedgerTest, ConcurrentRequestsDepositExactlyOnce) {
  ASSERT_NO_FATAL_FAILURE(RecordConfirmed(510));
  constexpr int kThreads = 20;
  std::atomic<int> signatures{0};
  const EvmSignFn soft = SoftwareEvmSigner(testing::OperatorMaster());
  EvmSignFn counting = [&](const chain::Path& path, const evm::Eip1559Tx& tx) {
    signatures.fetch_add(1);
    return soft(path, tx);
  };
  std::vector<std::string> raws(kThreads);
  std::vector<absl::Status> statuses(kThreads);
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      Db db(path_);
      EpochLedger ledger(db.get());
      while (!go.load()) std::this_thread::yield();
      DepositOptions opts;
      opts.poll = absl::Milliseconds(5);
      opts.wait = absl::Seconds(60);
      auto out = DepositEpochOnce(ledger, 510, Params(), counting, opts);
      statuses[i] = out.status();
      if (out.ok()) raws[i] = out->deposit.RawHex();
    });
  }
  go.store(true);
  for (auto& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) {
    ASSERT_TRUE(statuses[i].ok()) << i << ": " << statuses[i];
    EXPECT_EQ(raws[i], raws[0]);
  }
  EXPECT_EQ(signatures.load(), 1);
  EXPECT_EQ(CountRows(db_->get(), "SELECT COUNT(*) FROM rewards_deposits"), 1);
  EXPECT_EQ(CountRows(db_->get(), "SELECT COUNT(*) FROM rewards_deposits WHERE state='SIGNED'"), 1);
}

// kill -9 between signing and storing: a forked child reserves and signs, reports the raw
// transaction it would have stored, and dies before storing. The retry after its lease lapses
// re-signs the same unsigned transaction and stores it once, byte-identical.
TEST_F(EpochLedgerTest, CrashBetweenSigningAndStoringDepositsOnce) {
  ASSERT_NO_FATAL_FAILURE(RecordConfirmed(510));
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    Db db(path_);
    EpochLedger ledger(db.get());
    DepositOptions opts;
    opts.lease_ms = 300;
    opts.before_store = [&](const SignedDeposit& d) -> absl::Status {
      const std::string hex = d.RawHex();
      if (write(fds[1], hex.data(), hex.size()) != static_cast<ssize_t>(hex.size())) _exit(3);
      _exit(9);
    };
    (void)DepositEpochOnce(ledger, 510, Params(), SoftwareEvmSigner(testing::OperatorMaster()),
                           opts);
    _exit(4);  // not reached when the hook runs
  }
  close(fds[1]);
  std::string child_raw;
  char buf[512];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) child_raw.append(buf, n);
  close(fds[0]);
  int wstatus = 0;
  ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
  ASSERT_TRUE(WIFEXITED(wstatus));
  ASSERT_EQ(WEXITSTATUS(wstatus), 9);
  ASSERT_FALSE(child_raw.empty());

  auto rec = ledger_->Get(510);
  ASSERT_TRUE(rec->deposit.has_value());
  EXPECT_EQ(rec->deposit->state, "SIGNING");  // reserved, never stored

  // The retry proposes other gas settings, yet signs the reserved transaction.
  DepositParams retry = Params();
  retry.max_fee_per_gas = evm::U256::FromUint64(99'000'000'000ULL);
  DepositOptions opts;
  opts.wait = absl::Seconds(10);
  auto out =
      DepositEpochOnce(*ledger_, 510, retry, SoftwareEvmSigner(testing::OperatorMaster()), opts);
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->deposit.RawHex(), child_raw);
  EXPECT_EQ(out->record.attempts, 2u);
  EXPECT_EQ(CountRows(db_->get(), "SELECT COUNT(*) FROM rewards_deposits"), 1);
  auto again =
      DepositEpochOnce(*ledger_, 510, Params(), SoftwareEvmSigner(testing::OperatorMaster()));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->reused);
  EXPECT_EQ(again->deposit.RawHex(), child_raw);
}

TEST_F(EpochLedgerTest, BusyLeaseTimesOut) {
  ASSERT_NO_FATAL_FAILURE(RecordConfirmed(510));
  // Another request holds a live lease.
  DepositRecord r;
  r.chain_id = 200101;
  r.sender = evm::ToChecksumAddress(OperatorAddress());
  r.path = "m/44'/60'/0'/0/0";
  r.nonce = "7";
  r.value_wei = "1";
  auto tx = BuildDepositTx(Params());
  r.unsigned_tx = evm::EncodeUnsigned(*tx);
  ASSERT_TRUE(
      ledger_->ReserveDeposit(510, r, "other", absl::ToUnixMillis(absl::Now()), 60'000).ok());
  DepositOptions opts;
  opts.wait = absl::Milliseconds(100);
  EXPECT_EQ(
      DepositEpochOnce(*ledger_, 510, Params(), SoftwareEvmSigner(testing::OperatorMaster()), opts)
          .status()
          .code(),
      absl::StatusCode::kDeadlineExceeded);
}

}  // namespace
}  // namespace stakeward::rewards
