// The signer's side of the approval chain: fetch policy versions from the controller, recompute
// every hash from its document, and accept a version only when policy/approval_chain.h reaches it
// from one of the signer's own trust anchors. Nothing the controller says about approvals being
// valid or a version being in force is believed.
#ifndef STAKEWARD_CONTROLLER_CLIENT_POLICY_CHAIN_CLIENT_H_
#define STAKEWARD_CONTROLLER_CLIENT_POLICY_CHAIN_CLIENT_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "controller/client/api_client.h"
#include "policy/approval_chain.h"
#include "policy/policy.h"

namespace stakeward::controller {

struct TrustedPolicy {
  uint64_t version = 0;
  std::string document;
  policy::Policy policy;
  chain::Hash32 hash{};              // recomputed here
  std::vector<uint64_t> chain_path;  // anchor ... version
};

// Versions 1..up_to (0 = the newest) as evidence; versions that are missing or whose document
// does not load are left out (they can never be part of a verified chain).
absl::StatusOr<std::vector<policy::VersionEvidence>> FetchPolicyEvidence(
    const ClientOptions& client, uint64_t up_to, std::vector<std::string>* documents);

// `version` verified from `anchors` (policy::VerifyFromAnchor's errors).
absl::StatusOr<TrustedPolicy> FetchTrustedPolicy(const ClientOptions& client,
                                                 const std::set<chain::Hash32>& anchors,
                                                 uint64_t version);

// The caller's identity as the controller sees it ("signer:alice", "operator", ...).
absl::StatusOr<std::string> FetchCallerRole(const ClientOptions& client);

// PERMISSION_DENIED unless the controller sees the caller as "signer:<signer>": catches a wrong
// --signer or a wrong client certificate before anything reaches a device.
absl::Status CheckCallerIsSigner(const ClientOptions& client, const std::string& signer);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_CLIENT_POLICY_CHAIN_CLIENT_H_
