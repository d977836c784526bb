// The reserve report (issue 14, design §7): the bridge's L1 stake (every slot's balance, from the
// controller's latest chain snapshot) against the L2 liquid-staking contract's accounting
// (totalSupply: liquid tokens outstanding, 1 wei per 10^-18 ADA; totalAccredited: rewards
// deposited), at one L2 block. Pure: the daemon gathers the inputs and signs the body.
//
//   backing_wei   = Σ slot balance (lovelace) × 10^12
//   difference    = backing_wei − totalSupply      (negative: SHORTFALL, the L2 side is not backed)
//   unrecorded    = totalAccredited − Σ CONFIRMED deposits in the epoch ledger
//                   (non-zero: the contract was credited by deposits the ledger does not know)
#ifndef STAKEWARD_CONTROLLER_REWARDS_RESERVE_H_
#define STAKEWARD_CONTROLLER_REWARDS_RESERVE_H_

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "chain/evm.h"
#include "chain/keys.h"
#include "chain/lovelace.h"
#include "nlohmann/json.hpp"

namespace stakeward::rewards {

struct ReserveInputs {
  uint64_t epoch = 0;         // the snapshot's epoch
  std::string snapshot_hash;  // hex
  uint64_t snapshot_slot = 0;
  std::vector<std::pair<uint32_t, chain::Lovelace>> slots;  // slot index, balance
  chain::Lovelace treasury_lovelace;
  uint64_t l2_chain_id = 0;
  std::string contract;  // EIP-55
  uint64_t l2_block = 0;
  chain::evm::U256 total_supply_wei;
  chain::evm::U256 total_accredited_wei;
  chain::evm::U256 ledger_deposited_wei;  // Σ value of the CONFIRMED deposits the ledger holds
};

struct ReserveReport {
  nlohmann::json body;  // what is signed (keys sorted, compact)
  bool shortfall = false;
  std::string difference_wei;      // signed decimal
  double difference_lovelace = 0;  // for the gauge (inexact beyond 2^53 lovelace)
};

// INVALID_ARGUMENT when the slots' sum overflows.
absl::StatusOr<ReserveReport> ComputeReserve(const ReserveInputs& in);

// The signed form: {"report": body, "public_key": hex, "signature": hex} (Ed25519 over
// "stakeward reserve report v1\n" || body.dump()). `seed` is an RFC 8032 Ed25519 seed.
nlohmann::json SignReserve(const ReserveReport& r, const std::array<uint8_t, 32>& seed);
// OK when the signature verifies with the report's own public key and that key is `expected`.
absl::Status VerifyReserve(const nlohmann::json& signed_report,
                           const std::array<uint8_t, 32>& expected_public_key);

}  // namespace stakeward::rewards

#endif  // STAKEWARD_CONTROLLER_REWARDS_RESERVE_H_
