// `rewards deposit --wait SECONDS`: follows the epoch's deposit on the controller's audit stream
// (no polling) until the L2 driver confirms it, finds it failed, or adopts another one, printing
// each step (sent, refused with the node's advice, confirmed in block N).
#ifndef STAKEWARD_CONTROLLER_CLI_DEPOSIT_FOLLOW_H_
#define STAKEWARD_CONTROLLER_CLI_DEPOSIT_FOLLOW_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "controller/client/api_client.h"

namespace stakeward::cli {

// OK once CONFIRMED (or adopted); FAILED_PRECONDITION with the failure when FAILED;
// DEADLINE_EXCEEDED naming the last state when `seconds` pass first. `tx_hash` is the attempt
// just stored: the wait starts at its store entry, so older attempts' outcomes are not taken.
absl::Status FollowDeposit(const controller::ClientOptions& client, uint64_t epoch,
                           const std::string& tx_hash, int seconds);

}  // namespace stakeward::cli

#endif  // STAKEWARD_CONTROLLER_CLI_DEPOSIT_FOLLOW_H_
