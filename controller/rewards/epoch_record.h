// The epoch ledger's records: per epoch and slot the rewards, commission, net, the carried
// remainder, the L1 transaction ids, the L2 deposit and a status; per epoch the exchange-rate
// effect as an exact fraction. Stored by controller/store/epoch_ledger.h.
//
// Epoch status: PROPOSED (reward txs built) → L1_CONFIRMED (the operator or controller saw them
// on chain) → DEPOSITED (the L2 deposit is mined and confirmed on the L2 chain); NO_REWARDS for
// epochs with nothing to do.
//
// Deposit state: SIGNING (reserved, the unsigned tx is fixed) → SIGNED (signed and stored) →
// BROADCAST (sent to the L2 node) → CONFIRMED (mined with status 1, the contract's event for
// exactly the value, k blocks deep), or FAILED (mined with status 0, or its nonce was used by
// another transaction). A replacement (same nonce, higher fees) goes back to SIGNING while the
// earlier attempts stay watched.
#ifndef STAKEWARD_CONTROLLER_REWARDS_EPOCH_RECORD_H_
#define STAKEWARD_CONTROLLER_REWARDS_EPOCH_RECORD_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "chain/bytes.h"
#include "chain/lovelace.h"
#include "controller/rewards/deposit.h"

namespace stakeward::rewards {

inline constexpr std::string_view kEpochProposed = "PROPOSED";
inline constexpr std::string_view kEpochL1Confirmed = "L1_CONFIRMED";
inline constexpr std::string_view kEpochDeposited = "DEPOSITED";
inline constexpr std::string_view kEpochNoRewards = "NO_REWARDS";

inline constexpr std::string_view kDepositSigning = "SIGNING";
inline constexpr std::string_view kDepositSigned = "SIGNED";
inline constexpr std::string_view kDepositBroadcast = "BROADCAST";
inline constexpr std::string_view kDepositConfirmed = "CONFIRMED";
inline constexpr std::string_view kDepositFailed = "FAILED";

// Rewards per staked lovelace for the epoch: (rewards − commission) / staked, reduced, and the same
// value as a decimal with 18 fraction digits (floor). "0/1" and "0.000…" when nothing is staked.
struct ExchangeRateEffect {
  std::string numerator;
  std::string denominator;
  std::string fixed18;
};
ExchangeRateEffect ComputeExchangeRateEffect(chain::Lovelace net_rewards, chain::Lovelace staked);

struct SlotRecord {
  uint32_t slot = 0;
  std::string reward_account_hex;
  std::string outcome;
  std::string reason;
  chain::Lovelace rewards;
  chain::Lovelace commission;
  chain::Lovelace net;
  std::string l1_tx_id;  // hex; empty when skipped
};

struct L1TxRecord {
  int index = 0;
  std::string tx_id;     // hex
  chain::Bytes tx_cbor;  // unsigned transaction as built
  chain::Lovelace withdrawn, commission, fee, fee_from_treasury, bridged, carry_in, carry_out;
};

struct DepositRecord {
  std::string state;  // SIGNING, SIGNED, BROADCAST, CONFIRMED or FAILED
  uint64_t chain_id = 0;
  std::string sender;  // EIP-55
  std::string path;
  std::string nonce;      // decimal
  std::string value_wei;  // decimal
  chain::Bytes unsigned_tx;
  chain::Bytes raw_tx;  // empty while SIGNING
  std::string tx_hash;  // "0x…", empty while SIGNING
  uint64_t attempts = 0;
  std::optional<uint64_t> block_number;  // CONFIRMED: the block that holds it
  std::string block_hash;
  bool adopted = false;  // found on chain (the contract's event), not broadcast by us
  std::string failure;   // FAILED: why
  std::string note;      // the L2 driver's latest observation (e.g. "pending for 40 blocks")
};

struct EpochRecord {
  uint64_t epoch = 0;
  std::string status;
  std::string summary;
  chain::Lovelace total_rewards, commission, fee, fee_from_treasury, bridged, carry_in, carry_out,
      staked;
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

}  // namespace stakeward::rewards

#endif  // STAKEWARD_CONTROLLER_REWARDS_EPOCH_RECORD_H_
