// What a signer's CLI does before signing a proposal, without trusting the controller: fetch the
// policy and snapshot the proposal names, check their hashes, recompute the plan, check it
// against the policy, rebuild the transactions with the same builder and compare every byte.
#ifndef STAKEWARD_CONTROLLER_CLIENT_PROPOSAL_REVIEW_H_
#define STAKEWARD_CONTROLLER_CLIENT_PROPOSAL_REVIEW_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "controller/client/api_client.h"
#include "controller/model/proposal_model.h"
#include "policy/plan.h"
#include "policy/policy.h"
#include "policy/snapshot.h"
#include "proto/stakeward/v1/proposal.pb.h"

namespace stakeward::controller {

struct ReviewedProposal {
  v1::Proposal proposal;
  policy::Policy policy;
  std::vector<uint64_t> policy_chain;  // the verified approval chain: anchor ... policy version
  policy::Snapshot snapshot;
  policy::Plan plan;
  std::vector<ProposalTxRec> rebuilt;
  std::vector<chain::Transaction> txs;  // decoded from the controller's bytes
  chain::Lovelace reward_bridged;       // reward proposals: sent to the bridge (rebuilt)
  // MIGRATE proposals: the incoming policy (verified from the anchor) and whether the outgoing
  // one was too. When it was not (a signer who joins with the incoming version anchors after
  // it), the outgoing policy is trusted only as the incoming version's approval-chain ancestor.
  std::optional<policy::Policy> incoming;
  std::vector<uint64_t> incoming_chain;
  bool outgoing_from_anchor = true;
};

// Fetches and checks. MIGRATE: the incoming version must be reachable from `anchors` and, by the
// approval walk, from the outgoing version; the outgoing one from `anchors` or else as that
// ancestor (outgoing_from_anchor = false). The proposal's policy must be reachable from one of
// `anchors` (the signer's trust store) through M valid approvals per version
// (policy_chain_client.h). PERMISSION_DENIED with the reason when anything differs from what the
// policy yields (hashes, plan, transaction bytes, scripts, required signers); FAILED_PRECONDITION
// when there is no anchor.
absl::StatusOr<ReviewedProposal> ReviewProposal(const ClientOptions& client,
                                                const std::string& proposal_id,
                                                const std::set<chain::Hash32>& anchors);

// "OPEN", "READY", ... (the enum name without its PROPOSAL_STATE_ prefix).
std::string ProposalStateText(v1::ProposalState s);

// Our own addresses and reward accounts by their bytes: "slot N", "treasury", the bridge.
std::map<chain::Bytes, std::string> OwnAddressNames(const ReviewedProposal& r);
// "<name> <bech32>" for our own, "FOREIGN <bech32>" for any other address or reward account.
std::string AddressLabel(const std::map<chain::Bytes, std::string>& names,
                         const chain::Bytes& address);

// A pool whose delegation from us the plan changes, with its stake before and after.
struct PoolChange {
  const policy::Pool* pool = nullptr;  // in the reviewed snapshot
  uint64_t ours_before = 0, ours_after = 0;
  uint64_t stake_before = 0, stake_after = 0;  // the pool's live stake
  uint64_t saturation_point = 0;               // circulating / k
  // Our expected member reward per epoch from this pool (policy/reward_model.h: the Shelley
  // formula on the snapshot, fees left out), with our stake before and after.
  uint64_t reward_before = 0, reward_after = 0;
};
std::vector<PoolChange> PoolChanges(const ReviewedProposal& r);
// The same expected reward summed over every pool we delegate to, before and after the plan.
struct ExpectedRewards {
  uint64_t before = 0, after = 0;
};
ExpectedRewards ExpectedRewardsOf(const ReviewedProposal& r);

// A transaction's metadata as compact JSON ({"674": {"msg": [...]}}; bytes as "0x..."), "" when
// it has none or it does not decode.
std::string MetadataText(const chain::Transaction& tx);
// For people: lovelace as ADA with thousands separators ("20,000,000.000000 ADA"). Plans and
// hashed texts keep chain::FormatAda.
std::string AdaText(uint64_t lovelace);
inline std::string AdaText(chain::Lovelace lovelace) { return AdaText(lovelace.value()); }
// part/whole as a percentage with two decimals ("14.07%"), from integers; "?" when whole is 0.
std::string BasisPointsText(uint64_t part, uint64_t whole);

// "pool1…" followed by " [TICKER, self-declared]" when the snapshot carries the pool's ticker:
// the ticker is the pool's own claim (CIP-6 metadata), the bech32 id is what identifies it.
std::string PoolName(const policy::Snapshot& s, const chain::Hash28& id);

// A human summary: per transaction the inputs, outputs and withdrawals (our addresses and reward
// accounts named), certificates, fee and TTL; then the delegation changes (slot: pool before ->
// after, amounts), each changed pool's stake and saturation before and after, our share, margin,
// cost and pledge; then the policy's warnings.
std::string DescribeProposal(const ReviewedProposal& r);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_CLIENT_PROPOSAL_REVIEW_H_
