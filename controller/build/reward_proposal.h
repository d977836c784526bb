// Builds an epoch reward proposal's transactions as proposal records, deterministically: the
// controller builds them in RewardsService.BuildRewardProposal and every signer's CLI rebuilds
// them from the policy, the snapshot, the operator's L2 address and the carry-in, and compares
// every byte before signing (proposal_review.cc).
//
// The treasury UTxOs sit at the same address the re-balance builder uses (proposal_builder.h):
// the policy's treasury address when its payment part is the DAO payment script, else that
// script's enterprise address. Each transaction carries CIP-20 metadata (label 674) naming the
// proposal and the epoch next to the bridge labels 87/88. Every signer signs with the payment key
// (treasury input) and the stake key of each slot the transaction withdraws.
#ifndef STAKEWARD_CONTROLLER_BUILD_REWARD_PROPOSAL_H_
#define STAKEWARD_CONTROLLER_BUILD_REWARD_PROPOSAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "chain/evm.h"
#include "controller/model/proposal_model.h"
#include "controller/rewards/reward_builder.h"
#include "policy/policy.h"
#include "policy/snapshot.h"

namespace stakeward::controller {

struct RewardTxsRequest {
  const policy::Policy* policy = nullptr;
  const policy::Snapshot* snapshot = nullptr;
  std::string proposal_id;
  chain::evm::Address operator_l2{};
  chain::Lovelace carry_in;
  uint64_t ttl = 0;    // invalid-hereafter slot
  AuditAnchor anchor;  // written into every transaction's CIP-20 message
  // The treasury output holding carry_in (rewards::RewardBuildInput::carry_input): the last
  // transaction of the reward proposal that carried it, output 0.
  std::optional<chain::TxIn> carry_input = std::nullopt;
};

struct RewardTxsResult {
  rewards::RewardProposal proposal;  // what the epoch ledger records
  std::vector<ProposalTxRec> txs;    // empty when there is nothing to withdraw
};

// INVALID_ARGUMENT / FAILED_PRECONDITION as rewards::BuildRewardProposal.
absl::StatusOr<RewardTxsResult> BuildRewardTxs(const RewardTxsRequest& req);

// The proposal's plan_hash for a reward proposal: blake2b-256 over "stakeward-reward", the
// epoch (8 bytes big-endian) and every transaction id in order.
chain::Hash32 RewardPlanHash(uint64_t epoch, const std::vector<ProposalTxRec>& txs);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_BUILD_REWARD_PROPOSAL_H_
