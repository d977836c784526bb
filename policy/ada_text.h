// Amounts shown exactly as ADA in plan text: the stake estimates the policy engine keeps as plain
// integers (caps, targets, totals) and the typed ones (deposits, refunds, fees).
#ifndef STAKEWARD_POLICY_ADA_TEXT_H_
#define STAKEWARD_POLICY_ADA_TEXT_H_

#include <cstdint>
#include <string>

#include "chain/lovelace.h"

namespace stakeward::policy {

inline std::string Ada(uint64_t lovelace) { return chain::FormatAda(chain::Lovelace(lovelace)); }
inline std::string Ada(chain::Lovelace amount) { return chain::FormatAda(amount); }

}  // namespace stakeward::policy

#endif  // STAKEWARD_POLICY_ADA_TEXT_H_
