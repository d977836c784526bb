// The L2 deposit after signing (issue 14): what the chain says about it, stored on the epoch
// ledger's tables (controller/store/epoch_ledger.h has SIGNING → SIGNED):
//
//   SIGNED ──node accepted──► BROADCAST ──mined, status 1, the contract's event, k deep──►
//   CONFIRMED
//      │                         │
//      │                         └──mined with status 0, or the nonce went to another tx──► FAILED
//      └──(or BROADCAST) replace: same nonce, higher fees ──► SIGNING ──store──► SIGNED (attempt
//      n+1)
//   (no row / SIGNING / SIGNED / BROADCAST) ──the contract already shows the epoch's deposit──►
//      CONFIRMED (adopted)
//
// Every signed attempt stays in rewards_deposit_txs: whichever of them is mined is the deposit.
// Each method is one transaction (or a savepoint in the caller's, with its audit entry).
#ifndef STAKEWARD_CONTROLLER_STORE_DEPOSIT_LIFECYCLE_H_
#define STAKEWARD_CONTROLLER_STORE_DEPOSIT_LIFECYCLE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "chain/bytes.h"
#include "controller/rewards/epoch_record.h"
#include "controller/store/sqlite_db.h"

namespace stakeward::rewards {

struct DepositAttempt {
  uint64_t attempt = 0;
  std::string tx_hash;  // "0x…"
  chain::Bytes raw_tx;
  chain::Bytes unsigned_tx;
};

// Where the chain holds a deposit transaction.
struct DepositInclusion {
  std::string tx_hash;  // "0x…"
  uint64_t block_number = 0;
  std::string block_hash;  // "0x…"
  chain::Bytes raw_tx;     // the mined transaction as signed
};

class DepositLifecycle {
 public:
  explicit DepositLifecycle(controller::Db& db) : db_(&db) {}

  // Epochs the L2 driver looks after: a signed attempt exists and the deposit is neither
  // CONFIRMED nor FAILED. Oldest first.
  absl::StatusOr<std::vector<uint64_t>> Watched() const;
  absl::StatusOr<std::vector<DepositAttempt>> Attempts(uint64_t epoch) const;

  // SIGNED → BROADCAST once the node accepted the current attempt; false when it already was.
  absl::StatusOr<bool> MarkBroadcast(uint64_t epoch, std::string_view tx_hash);
  // → CONFIRMED with the mined attempt (which must be one of ours); the epoch becomes DEPOSITED.
  absl::Status MarkConfirmed(uint64_t epoch, const DepositInclusion& inc);
  // → FAILED with the reason (a mined status-0 receipt, or a nonce another transaction used);
  // the row keeps the attempt `tx_hash` names, or the latest one.
  absl::Status MarkFailed(uint64_t epoch, std::string_view tx_hash, std::string_view reason);
  // A deposit of the epoch found on chain: stored as CONFIRMED and adopted, whatever our row said
  // (none, SIGNING, SIGNED or BROADCAST). `proposed` supplies chain id, sender, path and value
  // when there is no row; the nonce and transaction come from the chain.
  absl::Status Adopt(uint64_t epoch, const DepositRecord& proposed, std::string_view nonce,
                     const DepositInclusion& inc, int64_t now_ms);
  // The driver's latest observation, shown by `rewards show` (not a state change).
  absl::Status SetNote(uint64_t epoch, std::string_view note);

  // Replacement: SIGNED or BROADCAST (same nonce, the caller checked the fee bump) or FAILED (a
  // new nonce) go back to SIGNING with `proposed`'s unsigned transaction under a lease for
  // `owner`. FAILED_PRECONDITION from SIGNING, CONFIRMED or when there is no deposit.
  absl::StatusOr<DepositRecord> ReserveReplacement(uint64_t epoch, const DepositRecord& proposed,
                                                   std::string_view owner, int64_t now_ms,
                                                   int64_t lease_ms);

 private:
  controller::Db* db_;
};

}  // namespace stakeward::rewards

#endif  // STAKEWARD_CONTROLLER_STORE_DEPOSIT_LIFECYCLE_H_
