#include "controller/store/deposit_lifecycle.h"

#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "chain/status_macros.h"
#include "controller/store/epoch_ledger.h"

namespace stakeward::rewards {
namespace {

using controller::Stmt;
using controller::Txn;

// The deposit's state, or nullopt when the epoch has none.
absl::StatusOr<std::optional<std::string>> StateOf(controller::Db& db, uint64_t epoch) {
  SW_ASSIGN_OR_RETURN(Stmt st, db.Prepare("SELECT state FROM rewards_deposits WHERE epoch = ?"));
  st.BindU64(1, epoch);
  SW_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(st.Text(0));
}

absl::Status SetEpochDeposited(controller::Db& db, uint64_t epoch) {
  SW_ASSIGN_OR_RETURN(Stmt st,
                      db.Prepare("UPDATE rewards_epochs SET status = 'DEPOSITED' WHERE epoch = ?"));
  st.BindU64(1, epoch);
  return st.Run();
}

absl::Status RequireWatched(const std::optional<std::string>& state, uint64_t epoch) {
  if (!state) return absl::NotFoundError(absl::StrCat("epoch ", epoch, " has no deposit"));
  if (*state == kDepositConfirmed || *state == kDepositFailed) {
    return absl::FailedPreconditionError(
        absl::StrCat("epoch ", epoch, "'s deposit is already ", *state));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<uint64_t>> DepositLifecycle::Watched() const {
  SW_ASSIGN_OR_RETURN(
      Stmt st,
      db_->Prepare("SELECT epoch FROM rewards_deposits d WHERE state IN "
                   "('SIGNED','BROADCAST') OR (state = 'SIGNING' AND EXISTS (SELECT 1 "
                   "FROM rewards_deposit_txs t WHERE t.epoch = d.epoch AND t.retired = 0)) "
                   "ORDER BY epoch"));
  std::vector<uint64_t> out;
  for (;;) {
    SW_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back(st.U64(0));
  }
}

absl::StatusOr<std::vector<DepositAttempt>> DepositLifecycle::Attempts(uint64_t epoch) const {
  SW_RETURN_IF_ERROR(CheckStoredEpoch(epoch));
  SW_ASSIGN_OR_RETURN(Stmt st, db_->Prepare("SELECT attempt, tx_hash, raw_tx, unsigned_tx FROM "
                                            "rewards_deposit_txs WHERE epoch = ? AND retired = 0 "
                                            "ORDER BY attempt"));
  st.BindU64(1, epoch);
  std::vector<DepositAttempt> out;
  for (;;) {
    SW_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return out;
    out.push_back({st.U64(0), st.Text(1), st.Blob(2), st.Blob(3)});
  }
}

absl::StatusOr<bool> DepositLifecycle::MarkBroadcast(uint64_t epoch, std::string_view tx_hash) {
  SW_RETURN_IF_ERROR(CheckStoredEpoch(epoch));
  SW_ASSIGN_OR_RETURN(std::unique_ptr<Txn> txn, Txn::Begin(*db_));
  SW_ASSIGN_OR_RETURN(Stmt st, db_->Prepare("UPDATE rewards_deposits SET state = 'BROADCAST', "
                                            "note = NULL WHERE epoch = ? AND state = 'SIGNED' "
                                            "AND tx_hash = ?"));
  st.BindU64(1, epoch).Bind(2, tx_hash);
  SW_RETURN_IF_ERROR(st.Run());
  const bool changed = db_->Changes() > 0;
  SW_RETURN_IF_ERROR(txn->Commit());
  return changed;
}

absl::Status DepositLifecycle::MarkConfirmed(uint64_t epoch, const DepositInclusion& inc) {
  SW_RETURN_IF_ERROR(CheckStoredEpoch(epoch));
  SW_ASSIGN_OR_RETURN(std::unique_ptr<Txn> txn, Txn::Begin(*db_));
  SW_ASSIGN_OR_RETURN(std::optional<std::string> state, StateOf(*db_, epoch));
  SW_RETURN_IF_ERROR(RequireWatched(state, epoch));
  SW_ASSIGN_OR_RETURN(Stmt a, db_->Prepare("SELECT raw_tx FROM rewards_deposit_txs WHERE epoch = ? "
                                           "AND tx_hash = ?"));
  a.BindU64(1, epoch).Bind(2, inc.tx_hash);
  SW_ASSIGN_OR_RETURN(bool mine, a.Step());
  if (!mine) {
    return absl::FailedPreconditionError(
        absl::StrCat(inc.tx_hash, " is not a signed attempt of epoch ", epoch, "'s deposit"));
  }
  const chain::Bytes raw = a.Blob(0);
  SW_ASSIGN_OR_RETURN(
      Stmt up, db_->Prepare("UPDATE rewards_deposits SET state = 'CONFIRMED', tx_hash = ?, "
                            "raw_tx = ?, block_number = ?, block_hash = ?, lease_owner = NULL, "
                            "lease_until_ms = 0, failure = NULL, note = NULL WHERE epoch = ?"));
  up.Bind(1, inc.tx_hash)
      .BindBlob(2, chain::View(raw))
      .BindU64(3, inc.block_number)
      .Bind(4, inc.block_hash)
      .BindU64(5, epoch);
  SW_RETURN_IF_ERROR(up.Run());
  SW_RETURN_IF_ERROR(SetEpochDeposited(*db_, epoch));
  return txn->Commit();
}

absl::Status DepositLifecycle::MarkFailed(uint64_t epoch, std::string_view tx_hash,
                                          std::string_view reason) {
  SW_RETURN_IF_ERROR(CheckStoredEpoch(epoch));
  SW_ASSIGN_OR_RETURN(std::unique_ptr<Txn> txn, Txn::Begin(*db_));
  SW_ASSIGN_OR_RETURN(std::optional<std::string> state, StateOf(*db_, epoch));
  SW_RETURN_IF_ERROR(RequireWatched(state, epoch));
  // The row names the attempt that failed (a mined one), else the latest signed attempt.
  SW_ASSIGN_OR_RETURN(Stmt pick, db_->Prepare("SELECT tx_hash, raw_tx FROM rewards_deposit_txs "
                                              "WHERE epoch = ? AND retired = 0 ORDER BY "
                                              "(tx_hash = ?) DESC, attempt DESC LIMIT 1"));
  pick.BindU64(1, epoch).Bind(2, tx_hash);
  SW_ASSIGN_OR_RETURN(bool row, pick.Step());
  if (!row) return absl::FailedPreconditionError("the deposit was never signed");
  SW_ASSIGN_OR_RETURN(Stmt up, db_->Prepare("UPDATE rewards_deposits SET state = 'FAILED', "
                                            "tx_hash = ?, raw_tx = ?, failure = ?, "
                                            "lease_owner = NULL, lease_until_ms = 0, note = NULL "
                                            "WHERE epoch = ?"));
  up.Bind(1, pick.Text(0)).BindBlob(2, chain::View(pick.Blob(1))).Bind(3, reason).BindU64(4, epoch);
  SW_RETURN_IF_ERROR(up.Run());
  return txn->Commit();
}

absl::Status DepositLifecycle::Adopt(uint64_t epoch, const DepositRecord& proposed,
                                     std::string_view nonce, const DepositInclusion& inc,
                                     int64_t now_ms) {
  SW_RETURN_IF_ERROR(CheckStoredEpoch(epoch));
  SW_ASSIGN_OR_RETURN(std::unique_ptr<Txn> txn, Txn::Begin(*db_));
  SW_ASSIGN_OR_RETURN(std::optional<std::string> state, StateOf(*db_, epoch));
  if (state && *state == kDepositConfirmed) return absl::OkStatus();
  if (!state) {
    SW_ASSIGN_OR_RETURN(
        Stmt ins, db_->Prepare("INSERT INTO rewards_deposits (epoch, state, chain_id, sender, "
                               "path, nonce, value_wei, unsigned_tx, raw_tx, tx_hash, attempts, "
                               "created_ms, block_number, block_hash, adopted) VALUES (?, "
                               "'CONFIRMED', ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, 1)"));
    ins.BindU64(1, epoch)
        .BindU64(2, proposed.chain_id)
        .Bind(3, proposed.sender)
        .Bind(4, proposed.path)
        .Bind(5, nonce)
        .Bind(6, proposed.value_wei)
        .BindBlob(7, chain::View(proposed.unsigned_tx))
        .BindBlob(8, chain::View(inc.raw_tx))
        .Bind(9, inc.tx_hash)
        .Bind(10, now_ms)
        .BindU64(11, inc.block_number)
        .Bind(12, inc.block_hash);
    SW_RETURN_IF_ERROR(ins.Run());
  } else {
    SW_ASSIGN_OR_RETURN(Stmt up,
                        db_->Prepare("UPDATE rewards_deposits SET state = 'CONFIRMED', nonce = ?, "
                                     "tx_hash = ?, raw_tx = ?, block_number = ?, block_hash = ?, "
                                     "adopted = 1, lease_owner = NULL, lease_until_ms = 0, "
                                     "failure = NULL, note = NULL WHERE epoch = ?"));
    up.Bind(1, nonce)
        .Bind(2, inc.tx_hash)
        .BindBlob(3, chain::View(inc.raw_tx))
        .BindU64(4, inc.block_number)
        .Bind(5, inc.block_hash)
        .BindU64(6, epoch);
    SW_RETURN_IF_ERROR(up.Run());
  }
  SW_RETURN_IF_ERROR(SetEpochDeposited(*db_, epoch));
  return txn->Commit();
}

absl::Status DepositLifecycle::SetNote(uint64_t epoch, std::string_view note) {
  SW_RETURN_IF_ERROR(CheckStoredEpoch(epoch));
  SW_ASSIGN_OR_RETURN(Stmt st,
                      db_->Prepare("UPDATE rewards_deposits SET note = ? WHERE epoch = ?"));
  st.Bind(1, note).BindU64(2, epoch);
  return st.Run();
}

absl::StatusOr<DepositRecord> DepositLifecycle::ReserveReplacement(uint64_t epoch,
                                                                   const DepositRecord& proposed,
                                                                   std::string_view owner,
                                                                   int64_t now_ms,
                                                                   int64_t lease_ms) {
  SW_RETURN_IF_ERROR(CheckStoredEpoch(epoch));
  SW_ASSIGN_OR_RETURN(std::unique_ptr<Txn> txn, Txn::Begin(*db_));
  SW_ASSIGN_OR_RETURN(std::optional<std::string> state, StateOf(*db_, epoch));
  if (!state) {
    return absl::FailedPreconditionError(
        absl::StrCat("epoch ", epoch, " has no deposit to replace: reserve one first"));
  }
  if (*state != kDepositSigned && *state != kDepositBroadcast && *state != kDepositFailed) {
    return absl::FailedPreconditionError(absl::StrCat("epoch ", epoch, "'s deposit is ", *state,
                                                      ": only a SIGNED, BROADCAST or "
                                                      "FAILED deposit can be replaced"));
  }
  if (*state == kDepositFailed) {
    // A new nonce: the failed attempts are history, no longer watched.
    SW_ASSIGN_OR_RETURN(Stmt retire,
                        db_->Prepare("UPDATE rewards_deposit_txs SET retired = 1 WHERE epoch = ?"));
    retire.BindU64(1, epoch);
    SW_RETURN_IF_ERROR(retire.Run());
  }
  SW_ASSIGN_OR_RETURN(
      Stmt up, db_->Prepare("UPDATE rewards_deposits SET state = 'SIGNING', nonce = ?, "
                            "unsigned_tx = ?, raw_tx = NULL, tx_hash = NULL, failure = NULL, "
                            "note = NULL, lease_owner = ?, lease_until_ms = ?, "
                            "attempts = attempts + 1 WHERE epoch = ?"));
  up.Bind(1, proposed.nonce)
      .BindBlob(2, chain::View(proposed.unsigned_tx))
      .Bind(3, owner)
      .Bind(4, now_ms + lease_ms)
      .BindU64(5, epoch);
  if (absl::Status s = up.Run(); !s.ok()) {
    if (absl::IsAlreadyExists(s)) {
      return absl::FailedPreconditionError(absl::StrCat("nonce ", proposed.nonce, " of ",
                                                        proposed.sender,
                                                        " is used by another epoch's deposit"));
    }
    return s;
  }
  SW_RETURN_IF_ERROR(txn->Commit());
  EpochLedger ledger(*db_);
  SW_ASSIGN_OR_RETURN(EpochRecord rec, ledger.Get(epoch));
  return *rec.deposit;
}

}  // namespace stakeward::rewards
