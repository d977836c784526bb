// Shared by the epoch-ledger and deposit-lifecycle tests: a migrated database in a temporary
// directory, a sample reward proposal, and deposits signed with the test operator key.
#ifndef STAKEWARD_TESTS_UNIT_REWARDS_LEDGER_FIXTURE_H_
#define STAKEWARD_TESTS_UNIT_REWARDS_LEDGER_FIXTURE_H_

#include <cstdlib>
#include <memory>
#include <string>

#include "chain/check.h"
#include "chain/tx.h"
#include "controller/store/epoch_ledger.h"
#include "gtest/gtest.h"
#include "tests/support/software_evm_signer.h"
#include "tests/unit/rewards/rewards_fixture.h"

namespace stakeward::rewards::ledger_testing {

namespace evm = chain::evm;

inline std::string TempDbPath() {
  char dir[] = "/tmp/sw_rewards_XXXXXX";
  SW_CHECK(mkdtemp(dir) != nullptr);
  return std::string(dir) + "/controller.db";
}

inline int64_t CountRows(controller::Db& db, const char* sql) {
  absl::StatusOr<controller::Stmt> st = db.Prepare(sql);
  SW_CHECK(st.ok());
  absl::StatusOr<bool> row = st->Step();
  SW_CHECK(row.ok() && *row);
  return st->Int(0);
}

inline evm::Address OperatorAddress() {
  return testing::OperatorMaster().DerivePath(*chain::ParsePath("m/44'/60'/0'/0/0"))->EthAddress();
}

inline RewardProposal SampleProposal(uint64_t epoch) {
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
    absl::StatusOr<std::unique_ptr<controller::Db>> db = controller::Db::Open(path_);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(MigrateRewardsSchema(*db_).ok());
    ledger_ = std::make_unique<EpochLedger>(*db_);
  }
  void RecordConfirmed(uint64_t epoch) {
    ASSERT_TRUE(ledger_->RecordProposal(SampleProposal(epoch)).ok());
    ASSERT_TRUE(ledger_->MarkL1Confirmed(epoch).ok());
  }

  std::string path_;
  std::unique_ptr<controller::Db> db_;
  std::unique_ptr<EpochLedger> ledger_;
};

inline DepositParams Params() { return testing::SampleDepositParams(OperatorAddress()); }

inline DepositRecord Proposed(const EpochLedger& ledger, uint64_t epoch, const DepositParams& p) {
  absl::StatusOr<EpochRecord> rec = ledger.Get(epoch);
  SW_CHECK(rec.ok());
  absl::StatusOr<DepositRecord> out = ProposeDeposit(*rec, p);
  SW_CHECK(out.ok());
  return *out;
}

// What the operator's device does with a reserved row: sign exactly its unsigned transaction.
inline SignedDeposit SignReserved(const DepositRecord& r) {
  absl::StatusOr<evm::Eip1559Tx> tx = evm::DecodeUnsigned(chain::View(r.unsigned_tx));
  SW_CHECK(tx.ok());
  absl::StatusOr<evm::EvmSignature> sig =
      SoftwareEvmSigner(testing::OperatorMaster())(*chain::ParsePath(r.path), *tx);
  SW_CHECK(sig.ok());
  absl::StatusOr<SignedDeposit> out = FinalizeDeposit(*tx, *sig, *evm::ParseAddress(r.sender));
  SW_CHECK(out.ok());
  return *out;
}

constexpr int64_t kT0 = 1'700'000'000'000;  // Unix ms
constexpr int64_t kLease = 60'000;

}  // namespace stakeward::rewards::ledger_testing

#endif  // STAKEWARD_TESTS_UNIT_REWARDS_LEDGER_FIXTURE_H_
