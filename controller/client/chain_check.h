// The signer's own chain view (issue 13): before the device, `proposal sign --ogmios URL` (or
// --koios URL) checks the proposal against a chain source the signer chose, not against what the
// controller says the chain looks like: every input the transactions spend is unspent at the
// address of its holder (treasury or slot) with the snapshot's amount, every slot's registration,
// delegation and reward balance match the snapshot, and the snapshot is recent.
#ifndef STAKEWARD_CONTROLLER_CLIENT_CHAIN_CHECK_H_
#define STAKEWARD_CONTROLLER_CLIENT_CHAIN_CHECK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "chainsource/chain_source.h"
#include "controller/client/proposal_review.h"

namespace stakeward::controller {

struct ChainCheckOptions {
  // How far the snapshot may lag behind the source's tip (slots; 3600 = one hour on mainnet).
  uint64_t max_lag_slots = 3600;
  absl::Duration deadline = absl::Seconds(30);  // per chain call
};

// Every difference between the reviewed proposal and the chain, as sentences (empty = agree).
// Errors of the source itself are returned as the status.
absl::StatusOr<std::vector<std::string>> CompareWithChain(const ReviewedProposal& r,
                                                          chainsource::ChainSource& source,
                                                          const ChainCheckOptions& options);

// CompareWithChain as a verdict: FAILED_PRECONDITION listing what differs (at most 10 lines).
absl::Status CheckAgainstChain(const ReviewedProposal& r, chainsource::ChainSource& source,
                               const ChainCheckOptions& options);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_CLIENT_CHAIN_CHECK_H_
