// What the controller needs to follow its transactions on chain (controller_chain.cc): the rules
// (confirmation depth, rollback window, deadline), the watcher's memory between looks, and what one
// look found. The chain, not an operator's flag, moves a proposal from SUBMITTED to CONFIRMED.
#ifndef STAKEWARD_CONTROLLER_DAEMON_CHAIN_FOLLOW_H_
#define STAKEWARD_CONTROLLER_DAEMON_CHAIN_FOLLOW_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "chain/bytes.h"
#include "chainsource/chain_source.h"
#include "controller/model/proposal_model.h"

namespace stakeward::controller {

struct ChainRules {
  // Blocks (counting the one holding it) before a transaction counts as confirmed.
  uint64_t confirmations = 3;
  // How long (in blocks after confirmation) a CONFIRMED proposal is still watched for a rollback.
  uint64_t rollback_window_blocks = 2160;
  absl::Duration deadline = absl::Seconds(10);  // per chain call
};

// Kept by the watcher between looks (not stored: after a restart, depths are counted afresh, which
// can only delay a confirmation, never advance one).
struct ChainMemory {
  std::map<chain::Hash32, uint64_t> first_seen_height;  // tx -> tip height when first seen
  std::map<std::string, uint64_t> confirmed_at_height;  // proposal -> tip height at confirmation
};

struct ChainObservation {
  chainsource::Tip tip;
  uint64_t watched = 0;  // proposals looked at
  std::vector<std::string> confirmed, expired, rolled_back;
  std::vector<std::string> warnings;  // sentences for the log and the operator
};

struct TxSubmission {
  uint32_t idx = 0;
  chain::Hash32 tx_id{};
  absl::Status status;  // OK when the chain source took it
};

struct SubmitProposalResult {
  ProposalRec proposal;
  std::vector<TxSubmission> txs;
};

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_CHAIN_FOLLOW_H_
