// What a signer's CLI does before signing a proposal, without trusting the controller: fetch the
// policy and snapshot the proposal names, check their hashes, recompute the plan, check it
// against the policy, rebuild the transactions with the same builder and compare every byte.
#ifndef STAKEWARD_CONTROLLER_DAEMON_PROPOSAL_REVIEW_H_
#define STAKEWARD_CONTROLLER_DAEMON_PROPOSAL_REVIEW_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "controller/daemon/api_client.h"
#include "controller/daemon/proposal_model.h"
#include "policy/plan.h"
#include "policy/policy.h"
#include "policy/snapshot.h"
#include "proto/stakeward/v1/proposal.pb.h"

namespace stakeward::controller {

struct ReviewedProposal {
  v1::Proposal proposal;
  policy::Policy policy;
  policy::Snapshot snapshot;
  policy::Plan plan;
  std::vector<ProposalTxRec> rebuilt;
  std::vector<chain::Transaction> txs;  // decoded from the controller's bytes
};

// Fetches and checks. PERMISSION_DENIED with the reason when anything differs from what the
// policy yields (hashes, plan, transaction bytes, scripts, required signers).
absl::StatusOr<ReviewedProposal> ReviewProposal(const ClientOptions& client,
                                                const std::string& proposal_id);

// A human summary: per transaction the inputs, outputs (slot addresses named), certificates,
// withdrawals, fee and TTL; then the delegation changes (slot: pool before -> after, amounts).
std::string DescribeProposal(const ReviewedProposal& r);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_PROPOSAL_REVIEW_H_
