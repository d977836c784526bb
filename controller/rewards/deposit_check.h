// The operator's check of an L2 deposit before it reaches the device: every field of the
// transaction the controller reserved is compared with what the operator derives from trusted
// inputs only — the approved policy (chain id, contract, _roi, operator account), the bridged
// amount recomputed from the confirmed reward proposal, and the nonce and fee limits the operator
// typed. Nothing the controller says about the deposit (its value, sender or description) is used.
#ifndef STAKEWARD_CONTROLLER_REWARDS_DEPOSIT_CHECK_H_
#define STAKEWARD_CONTROLLER_REWARDS_DEPOSIT_CHECK_H_

#include <string>

#include "absl/status/status.h"
#include "chain/evm.h"
#include "controller/rewards/policy_inputs.h"
#include "policy/policy.h"

namespace stakeward::rewards {

struct DepositLimits {
  DepositGas gas;  // nonce (exact), gas limit and fee caps (upper bounds), bridge fee
};

// PERMISSION_DENIED naming the first field that differs: chain id, recipient (`to`), calldata
// (accreditToPool(_roi) of the policy), value ((bridged − bridge fee) × 10^12 wei), nonce, gas
// limit or fees above the operator's limits, or a non-empty access list. `device_address` is the
// device's own address at the policy's operator path; it must be the policy's pinned account.
absl::Status CheckReservedDeposit(const chain::evm::Eip1559Tx& tx, const policy::Policy& policy,
                                  const chain::evm::Address& device_address,
                                  chain::Lovelace bridged_lovelace, const DepositLimits& limits);

// What the operator is asked to sign, from the decoded transaction alone.
std::string DescribeDeposit(const chain::evm::Eip1559Tx& tx);

}  // namespace stakeward::rewards

#endif  // STAKEWARD_CONTROLLER_REWARDS_DEPOSIT_CHECK_H_
