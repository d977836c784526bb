// The epoch ledger: the rewards tables (controller/rewards/epoch_record.h) in the controller's
// SQLite database, on the store's one connection and wrapper.
//
// The L2 deposit is a state machine enforced by the store, so an epoch is deposited at most once
// whatever retries, restarts and concurrent requests happen:
//   (none) ──reserve──► SIGNING (exact unsigned tx + nonce, a lease) ──store──► SIGNED
// and then on the L2 chain (controller/store/deposit_lifecycle.h): BROADCAST, CONFIRMED, FAILED.
// The rewards_deposits table is keyed by epoch (one row at most) and (chain, sender, nonce) is
// UNIQUE across epochs. A request that finds SIGNED gets the stored deposit back; one that finds
// SIGNING under a live lease waits; one that finds an expired lease (the signer crashed, e.g.
// kill -9 between signing and storing) takes over and re-signs the SAME stored unsigned tx, so the
// deterministic (RFC 6979) signature yields the same raw transaction, stored once.
#ifndef STAKEWARD_CONTROLLER_STORE_EPOCH_LEDGER_H_
#define STAKEWARD_CONTROLLER_STORE_EPOCH_LEDGER_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "chain/bytes.h"
#include "controller/rewards/epoch_record.h"
#include "controller/rewards/reward_builder.h"
#include "controller/store/sqlite_db.h"

namespace stakeward::rewards {

// Creates or upgrades the rewards tables (idempotent). The controller calls it on its handle.
absl::Status MigrateRewardsSchema(controller::Db& db);

// INVALID_ARGUMENT for an epoch the store cannot hold: SQLite integers are signed 64-bit, so
// anything larger is refused before it reaches a bind.
absl::Status CheckStoredEpoch(uint64_t epoch);

// How many signed attempts (rewards_deposit_txs rows) the epoch's deposit has.
absl::StatusOr<uint64_t> SignedAttempts(controller::Db& db, uint64_t epoch);

class EpochLedger {
 public:
  // `db` is not owned and must have been migrated. Each write runs in its own transaction, or
  // as a savepoint inside the caller's (so a change and its audit entry commit together).
  explicit EpochLedger(controller::Db& db) : db_(&db) {}

  // Records a built proposal. Re-recording the same transactions is a no-op; replacing them is
  // allowed only while the epoch is PROPOSED (FAILED_PRECONDITION afterwards).
  absl::Status RecordProposal(const RewardProposal& p);
  absl::Status MarkL1Confirmed(uint64_t epoch);
  // NOT_FOUND when the epoch was never recorded.
  absl::StatusOr<EpochRecord> Get(uint64_t epoch) const;
  // Carried remainder owed to the bridge by the latest settled epoch before `epoch`.
  absl::StatusOr<chain::Lovelace> CarryBefore(uint64_t epoch) const;

  // Deposit state machine (see the file comment). `owner` identifies the request holding the
  // lease; `now_ms` is wall-clock Unix milliseconds.
  absl::StatusOr<DepositReservation> ReserveDeposit(uint64_t epoch, const DepositRecord& proposed,
                                                    std::string_view owner, int64_t now_ms,
                                                    int64_t lease_ms);
  // Stores the signed raw tx; returns the stored record (the first stored one wins).
  absl::StatusOr<DepositRecord> StoreDeposit(uint64_t epoch, chain::ByteView raw_tx,
                                             std::string_view tx_hash, int64_t now_ms);
  // Drops the lease so another request can take over at once (after a signer error).
  absl::Status ReleaseLease(uint64_t epoch, std::string_view owner);
  // Abandons a SIGNING reservation whose lease is not live (the operator wants other gas or
  // nonce). Safe: a SIGNING transaction was never handed out. FAILED_PRECONDITION when SIGNED.
  absl::Status AbandonReservation(uint64_t epoch, int64_t now_ms);

 private:
  absl::StatusOr<std::optional<DepositRecord>> LoadDeposit(uint64_t epoch) const;
  controller::Db* db_;
};

}  // namespace stakeward::rewards

#endif  // STAKEWARD_CONTROLLER_STORE_EPOCH_LEDGER_H_
