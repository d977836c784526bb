// Maps the policy in force and a chain snapshot to the reward builders' inputs: routing from the
// policy's reward section, per-slot reward balances and DRep state from the snapshot, slot stake
// scripts and the treasury payment script derived from the signers' xpubs.
#ifndef STAKEWARD_CONTROLLER_REWARDS_POLICY_INPUTS_H_
#define STAKEWARD_CONTROLLER_REWARDS_POLICY_INPUTS_H_

#include <cstdint>
#include <optional>

#include "absl/status/statusor.h"
#include "chain/evm.h"
#include "chain/tx.h"
#include "controller/rewards/deposit.h"
#include "controller/rewards/reward_builder.h"
#include "policy/policy.h"
#include "policy/snapshot.h"

namespace stakeward::rewards {

// The operator's L2 account is pinned by the approved policy (rewards.operator_l2_address):
// FAILED_PRECONDITION when the policy pins none, PERMISSION_DENIED when `operator_l2` differs.
// Both builders below call it, so neither a reward proposal nor a deposit can name another account.
absl::Status CheckPinnedOperator(const policy::Policy& policy,
                                 const chain::evm::Address& operator_l2);

// `operator_l2` is the operator's C1 account (the address of policy.rewards.operator_path on the
// operator's device); `carry_in` comes from EpochLedger::CarryBefore(snapshot.epoch) and
// `carry_input` is the treasury output that holds it (RewardBuildInput::carry_input).
absl::StatusOr<RewardBuildInput> RewardInputFromPolicy(const policy::Policy& policy,
                                                       const policy::Snapshot& snapshot,
                                                       const chain::evm::Address& operator_l2,
                                                       chain::Lovelace carry_in,
                                                       std::optional<chain::TxIn> carry_input,
                                                       std::optional<uint64_t> ttl,
                                                       chain::Metadata extra_metadata = {});

// Operator-supplied parts of a deposit: the nonce, gas limit and fee caps, the bridge fee.
struct DepositGas {
  chain::evm::U256 nonce;
  chain::evm::U256 gas_limit;
  chain::evm::U256 max_fee_per_gas;
  chain::evm::U256 max_priority_fee_per_gas;
  chain::Lovelace bridge_fee_lovelace;
};

// Chain id, contract, _roi and operator path from the policy; the magic must match the chain id.
absl::StatusOr<DepositParams> DepositParamsFromPolicy(const policy::Policy& policy,
                                                      const chain::evm::Address& operator_l2,
                                                      const DepositGas& gas);

}  // namespace stakeward::rewards

#endif  // STAKEWARD_CONTROLLER_REWARDS_POLICY_INPUTS_H_
