// The one basis-point rule and the one commission rule (issue 12): every share, cap and
// commission in Stakeward is floor(v * bps / 10000), computed in 128 bits.
#ifndef STAKEWARD_POLICY_BPS_H_
#define STAKEWARD_POLICY_BPS_H_

#include <cstdint>

#include "chain/lovelace.h"
#include "policy/ratio.h"

namespace stakeward::policy {

inline constexpr uint64_t kBpsPerUnit = 10000;

// floor(v * bps / 10000). With bps <= 10000 the result never exceeds v.
inline uint64_t BpsOf(uint64_t v, uint64_t bps) {
  return static_cast<uint64_t>(static_cast<u128>(v) * bps / kBpsPerUnit);
}

// The DAO's commission on one slot's reward balance (design §7). It is floored per slot, as each
// withdrawal is paid; an epoch's commission is the sum over its slots.
inline chain::Lovelace SlotCommission(chain::Lovelace reward, uint64_t commission_bps) {
  return chain::Lovelace(BpsOf(reward.value(), commission_bps));
}

}  // namespace stakeward::policy

#endif  // STAKEWARD_POLICY_BPS_H_
