// Internal steps of MakePlan shared between its source files.
#ifndef STAKEWARD_POLICY_PLAN_INTERNAL_H_
#define STAKEWARD_POLICY_PLAN_INTERNAL_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "policy/plan.h"

namespace stakeward::policy::internal {

// A pool we hold now or after the plan.
struct PoolAfter {
  chain::Hash28 id{};
  uint64_t current = 0;
  uint64_t after = 0;
  size_t rank = SIZE_MAX;  // allocation rank; SIZE_MAX for pools that are not candidates
};

// Maps pools to slots (keeping a slot on its pool, re-pointing freed slots, registering new ones),
// then emits the actions in order, groups them into transactions and accounts deposits, refunds
// and fees. Fills plan.slots, plan.actions, plan.txs, deposits, refunds, fee_estimate and each
// PoolDecision's slot.
absl::Status AssignSlotsAndActions(const Policy& policy, const Snapshot& snap,
                                   const std::vector<PoolAfter>& pools, Plan& plan);

}  // namespace stakeward::policy::internal

#endif  // STAKEWARD_POLICY_PLAN_INTERNAL_H_
