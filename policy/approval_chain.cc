#include "policy/approval_chain.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace stakeward::policy {

ApprovalVerdict VerifyApprovalsUnder(const Policy& governing, const chain::Hash32& target,
                                     const std::vector<Approval>& approvals) {
  ApprovalVerdict v;
  const chain::Hash32 txid = ApprovalTxId(target);
  std::set<std::string> counted;
  for (const Approval& a : approvals) {
    const std::string who = a.signer.substr(0, 64);
    const Signer* signer = nullptr;
    for (const Signer& s : governing.signers) {
      if (s.name == a.signer) signer = &s;
    }
    if (signer == nullptr) {
      v.problems.push_back(
          absl::StrCat("unknown signer '", who, "' (not a signer of the governing policy)"));
      continue;
    }
    absl::StatusOr<std::array<uint8_t, 32>> key = ApprovalKey(*signer);
    if (!key.ok() || *key != a.vkey) {
      v.problems.push_back(absl::StrCat(
          who,
          ": key is not the signer's approval key (m/1854'/1815'/0'/0/0) in the governing "
          "policy"));
      continue;
    }
    if (!chain::Verify(*key, chain::View(txid), a.signature)) {
      v.problems.push_back(absl::StrCat(who, ": bad signature"));
      continue;
    }
    if (!counted.insert(a.signer).second) {
      v.problems.push_back(absl::StrCat(who, ": duplicate signer (counted once)"));
      continue;
    }
    v.valid_signers.push_back(a.signer);
  }
  v.valid = counted.size();
  v.in_force = v.valid >= governing.threshold;
  if (!v.in_force) {
    v.problems.push_back(
        absl::StrCat("below threshold: ", v.valid, " of ", governing.threshold, " required"));
  }
  return v;
}

std::vector<size_t> WalkApprovalChain(const std::vector<VersionEvidence>& versions,
                                      size_t first_governor) {
  std::vector<size_t> path = {first_governor};
  size_t gov = first_governor;
  for (size_t i = first_governor + 1; i < versions.size(); ++i) {
    if (VerifyApprovalsUnder(versions[gov].policy, versions[i].hash, versions[i].approvals)
            .in_force) {
      gov = i;
      path.push_back(i);
    }
  }
  return path;
}

absl::StatusOr<std::vector<uint64_t>> VerifyFromAnchor(const std::vector<VersionEvidence>& versions,
                                                       const std::set<chain::Hash32>& anchors,
                                                       uint64_t target) {
  size_t target_ix = versions.size();
  for (size_t i = 0; i < versions.size(); ++i) {
    if (versions[i].version == target) target_ix = i;
  }
  if (target_ix == versions.size()) {
    return absl::NotFoundError(absl::StrCat("the controller did not send policy version ", target));
  }
  // Prefer the newest anchor at or below the target; older anchors are tried too, since a
  // version the signer approved may never have gone in force.
  std::vector<size_t> candidates;
  for (size_t i = 0; i <= target_ix; ++i) {
    if (anchors.count(versions[i].hash) != 0) candidates.push_back(i);
  }
  if (candidates.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no trust anchor: none of policy versions 1..", target,
        " is a policy you approved or trusted. Get the policy document the DAO approved from a "
        "channel you trust and run `stakeward policy trust FILE --signer NAME` (or trust its "
        "hash), then try again"));
  }
  std::string first_failure;
  for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {
    std::vector<VersionEvidence> tail(versions.begin(),
                                      versions.begin() + static_cast<long>(target_ix) + 1);
    std::vector<size_t> path = WalkApprovalChain(tail, *it);
    if (path.back() == target_ix) {
      std::vector<uint64_t> out;
      for (size_t ix : path) out.push_back(versions[ix].version);
      return out;
    }
    if (!first_failure.empty()) continue;
    // Explain from the newest anchor: the first version after the last governor that failed.
    const size_t gov = path.back();
    const size_t failed = gov + 1;
    ApprovalVerdict v = VerifyApprovalsUnder(versions[gov].policy, versions[failed].hash,
                                             versions[failed].approvals);
    first_failure = absl::StrCat(
        "policy v", target, " (", chain::HexEncode(versions[target_ix].hash),
        ") is not reachable from your trust anchor v", versions[*it].version,
        ": the first unverified version is v", versions[failed].version, " (", v.valid, " of ",
        versions[gov].policy.threshold, " valid approvals from the signers of v",
        versions[gov].version, "; ", absl::StrJoin(v.problems, "; "), ")");
  }
  return absl::PermissionDeniedError(first_failure);
}

}  // namespace stakeward::policy
