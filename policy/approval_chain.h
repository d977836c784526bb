// The approval chain of policy versions (design.md §6): a version is in force only when at least
// M signers of the version that governed it (its in-force predecessor, or itself for the very
// first) signed its approval body with their current keys. Both the controller (deciding what is
// in force) and every signer's CLI (deciding what to trust, from a local anchor) apply these same
// pure functions, so approvals from removed signers or rotated keys never count anywhere.
#ifndef STAKEWARD_POLICY_APPROVAL_CHAIN_H_
#define STAKEWARD_POLICY_APPROVAL_CHAIN_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "chain/bytes.h"
#include "policy/approval.h"
#include "policy/policy.h"

namespace stakeward::policy {

// The approvals of the policy with hash `target` that count under `governing`: by a signer of
// `governing`, with that signer's approval key in `governing`, a valid signature over
// ApprovalTxId(target), each signer once. in_force = valid >= governing.threshold.
ApprovalVerdict VerifyApprovalsUnder(const Policy& governing, const chain::Hash32& target,
                                     const std::vector<Approval>& approvals);

// One version as the caller holds it. `hash` must be recomputed by the caller from the
// document (PolicyHash of `policy`), never copied from a field someone else supplied.
struct VersionEvidence {
  uint64_t version = 0;
  Policy policy;
  chain::Hash32 hash{};
  std::vector<Approval> approvals;
};

// Walks the versions in increasing order: each one that carries enough approvals under the
// current governor becomes the governor; others are skipped (never approved). `versions` must be
// sorted by version. `first_governor` is the index to start from (it is trusted as is). Returns
// the indexes that went in force, starting with `first_governor`.
std::vector<size_t> WalkApprovalChain(const std::vector<VersionEvidence>& versions,
                                      size_t first_governor);

// The signer's check: `target` (a version number) must be reachable by WalkApprovalChain from a
// version whose hash is in `anchors` (hashes the signer approved or explicitly trusted).
// FAILED_PRECONDITION when no listed version matches an anchor; PERMISSION_DENIED naming the first
// version that did not verify, and why, when `target` is not reachable. Returns the path.
absl::StatusOr<std::vector<uint64_t>> VerifyFromAnchor(const std::vector<VersionEvidence>& versions,
                                                       const std::set<chain::Hash32>& anchors,
                                                       uint64_t target);

}  // namespace stakeward::policy

#endif  // STAKEWARD_POLICY_APPROVAL_CHAIN_H_
