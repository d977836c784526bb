// How `stakeward rewards show|build` print an epoch's reward record: JSON or text.
#ifndef STAKEWARD_CONTROLLER_CLI_REWARDS_PRINT_H_
#define STAKEWARD_CONTROLLER_CLI_REWARDS_PRINT_H_

#include "controller/rewards/epoch_record.h"
#include "nlohmann/json.hpp"

namespace stakeward::cli {

nlohmann::json EpochJson(const rewards::EpochRecord& r);

// Text form on stdout.
void PrintEpoch(const rewards::EpochRecord& r);

}  // namespace stakeward::cli

#endif  // STAKEWARD_CONTROLLER_CLI_REWARDS_PRINT_H_
