// The epoch ledger: the rewards tables in the controller's SQLite database. Per epoch and slot it
// keeps rewards, commission, net, the carried remainder, the L1 transaction ids, the L2 deposit
// and a status; per epoch the exchange-rate effect as an exact fraction.
//
// Epoch status: PROPOSED (reward txs built) → L1_CONFIRMED (the operator or controller saw them
// on chain) → DEPOSITED (L2 deposit signed and stored); NO_REWARDS for epochs with nothing to do.
//
// The L2 deposit is a state machine enforced by the store, so an epoch is deposited at most once
// whatever retries, restarts and concurrent requests happen:
//   (none) ──reserve──► SIGNING (exact unsigned tx + nonce, a lease) ──store──► SIGNED
// The rewards_deposits table is keyed by epoch (one row at most) and (chain, sender, nonce) is
// UNIQUE across epochs. A request that finds SIGNED gets the stored deposit back; one that finds
// SIGNING under a live lease waits; one that finds an expired lease (the signer crashed, e.g.
// kill -9 between signing and storing) takes over and re-signs the SAME stored unsigned tx, so the
// deterministic (RFC 6979) signature yields the same raw transaction, stored once.
#ifndef STAKEWARD_CONTROLLER_REWARDS_EPOCH_LEDGER_H_
#define STAKEWARD_CONTROLLER_REWARDS_EPOCH_LEDGER_H_

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "chain/bytes.h"
#include "controller/rewards/deposit.h"
#include "controller/rewards/reward_builder.h"

namespace stakeward::rewards {

// Creates or upgrades the rewards tables (idempotent). The controller calls it on its handle.
absl::Status MigrateRewardsSchema(sqlite3* db);

inline constexpr std::string_view kEpochProposed = "PROPOSED";
inline constexpr std::string_view kEpochL1Confirmed = "L1_CONFIRMED";
inline constexpr std::string_view kEpochDeposited = "DEPOSITED";
inline constexpr std::string_view kEpochNoRewards = "NO_REWARDS";

inline constexpr std::string_view kDepositSigning = "SIGNING";
inline constexpr std::string_view kDepositSigned = "SIGNED";

// Rewards per staked lovelace for the epoch: (rewards − commission) / staked, reduced, and the same
// value as a decimal with 18 fraction digits (floor). "0/1" and "0.000…" when nothing is staked.
struct ExchangeRateEffect {
  std::string numerator;
  std::string denominator;
  std::string fixed18;
};
ExchangeRateEffect ComputeExchangeRateEffect(uint64_t net_rewards, uint64_t staked);

struct SlotRecord {
  uint32_t slot = 0;
  std::string reward_account_hex;
  std::string outcome;
  std::string reason;
  uint64_t rewards = 0;
  uint64_t commission = 0;
  uint64_t net = 0;
  std::string l1_tx_id;  // hex; empty when skipped
};

struct L1TxRecord {
  int index = 0;
  std::string tx_id;     // hex
  chain::Bytes tx_cbor;  // unsigned transaction as built
  uint64_t withdrawn = 0, commission = 0, fee = 0, fee_from_treasury = 0, bridged = 0, carry_in = 0,
           carry_out = 0;
};

struct DepositRecord {
  std::string state;  // SIGNING or SIGNED
  uint64_t chain_id = 0;
  std::string sender;  // EIP-55
  std::string path;
  std::string nonce;      // decimal
  std::string value_wei;  // decimal
  chain::Bytes unsigned_tx;
  chain::Bytes raw_tx;  // empty while SIGNING
  std::string tx_hash;  // "0x…", empty while SIGNING
  uint64_t attempts = 0;
};

struct EpochRecord {
  uint64_t epoch = 0;
  std::string status;
  std::string summary;
  uint64_t total_rewards = 0, commission = 0, fee = 0, fee_from_treasury = 0, bridged = 0,
           carry_in = 0, carry_out = 0, staked = 0;
  ExchangeRateEffect rate;
  std::vector<SlotRecord> slots;
  std::vector<L1TxRecord> l1_txs;
  std::optional<DepositRecord> deposit;
};

struct DepositReservation {
  enum class Kind { kReserved, kAlreadySigned, kBusy };
  Kind kind = Kind::kBusy;
  DepositRecord record;  // the stored row (unsigned tx to sign, or the signed deposit)
};

// The one rule for what an epoch's deposit is: FAILED_PRECONDITION unless the epoch's L1
// transactions are confirmed (or it is already deposited) and it bridged something; the amount is
// the record's bridged total (`params.bridged_lovelace` is ignored). Returns the row that
// ReserveDeposit stores: the exact unsigned transaction, its sender, path, nonce and value.
absl::StatusOr<DepositRecord> ProposeDeposit(const EpochRecord& rec, DepositParams params);

class EpochLedger {
 public:
  // `db` is not owned and must have been migrated. One EpochLedger per connection; SQLite
  // serializes writers across connections and processes (callers set a busy timeout).
  explicit EpochLedger(sqlite3* db) : db_(db) {}

  // Records a built proposal. Re-recording the same transactions is a no-op; replacing them is
  // allowed only while the epoch is PROPOSED (FAILED_PRECONDITION afterwards).
  absl::Status RecordProposal(const RewardProposal& p);
  absl::Status MarkL1Confirmed(uint64_t epoch);
  // NOT_FOUND when the epoch was never recorded.
  absl::StatusOr<EpochRecord> Get(uint64_t epoch) const;
  // Carried remainder owed to the bridge by the latest settled epoch before `epoch`.
  absl::StatusOr<uint64_t> CarryBefore(uint64_t epoch) const;

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
  sqlite3* db_;
};

}  // namespace stakeward::rewards

#endif  // STAKEWARD_CONTROLLER_REWARDS_EPOCH_LEDGER_H_
