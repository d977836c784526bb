#include "controller/client/policy_chain_client.h"

#include "absl/strings/str_cat.h"
#include "proto/stakeward/v1/audit.grpc.pb.h"
#include "proto/stakeward/v1/policy.grpc.pb.h"

namespace stakeward::controller {
namespace {

constexpr uint64_t kMaxVersions = 10000;

// Approvals as sent; malformed ones (wrong key or signature length) cannot verify and are dropped.
std::vector<policy::Approval> ApprovalsOf(const v1::PolicyVersion& pv) {
  std::vector<policy::Approval> out;
  for (const v1::PolicyApproval& a : pv.approvals()) {
    if (a.public_key().size() != 32 || a.signature().size() != 64 || a.signer().size() > 64) {
      continue;
    }
    policy::Approval x;
    x.signer = a.signer();
    std::copy(a.public_key().begin(), a.public_key().end(), x.vkey.begin());
    std::copy(a.signature().begin(), a.signature().end(), x.signature.begin());
    out.push_back(std::move(x));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<policy::VersionEvidence>> FetchPolicyEvidence(
    const ClientOptions& client, uint64_t up_to, std::vector<std::string>* documents) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> ch = MakeChannel(client);
  if (!ch.ok()) return ch.status();
  auto stub = v1::PolicyService::NewStub(*ch);
  if (up_to == 0) {
    v1::GetPolicyRequest req;
    v1::GetPolicyResponse resp;
    if (absl::Status s = FromGrpc(stub->GetPolicy(NewContext(client).get(), req, &resp)); !s.ok()) {
      return s;
    }
    up_to = resp.policy().version();
  }
  if (up_to == 0 || up_to > kMaxVersions) {
    return absl::InvalidArgumentError(absl::StrCat("policy version ", up_to, " is out of range"));
  }
  std::vector<policy::VersionEvidence> out;
  for (uint64_t v = 1; v <= up_to; ++v) {
    v1::GetPolicyRequest req;
    req.set_version(v);
    v1::GetPolicyResponse resp;
    absl::Status s = FromGrpc(stub->GetPolicy(NewContext(client).get(), req, &resp));
    if (absl::IsNotFound(s)) continue;
    if (!s.ok()) return s;
    if (resp.policy().version() != v) continue;
    absl::StatusOr<policy::Policy> pol = policy::LoadPolicy(resp.policy().document());
    if (!pol.ok()) continue;
    policy::VersionEvidence e;
    e.version = v;
    e.hash = policy::PolicyHash(*pol);
    e.policy = std::move(*pol);
    e.approvals = ApprovalsOf(resp.policy());
    out.push_back(std::move(e));
    if (documents != nullptr) documents->push_back(resp.policy().document());
  }
  return out;
}

absl::StatusOr<TrustedPolicy> FetchTrustedPolicy(const ClientOptions& client,
                                                 const std::set<chain::Hash32>& anchors,
                                                 uint64_t version) {
  std::vector<std::string> documents;
  absl::StatusOr<std::vector<policy::VersionEvidence>> ev =
      FetchPolicyEvidence(client, version, &documents);
  if (!ev.ok()) return ev.status();
  absl::StatusOr<std::vector<uint64_t>> path = policy::VerifyFromAnchor(*ev, anchors, version);
  if (!path.ok()) return path.status();
  for (size_t i = 0; i < ev->size(); ++i) {
    if ((*ev)[i].version != version) continue;
    TrustedPolicy t;
    t.version = version;
    t.document = documents[i];
    t.policy = (*ev)[i].policy;
    t.hash = (*ev)[i].hash;
    t.chain_path = std::move(*path);
    return t;
  }
  return absl::NotFoundError(absl::StrCat("no policy version ", version));
}

absl::StatusOr<std::string> FetchCallerRole(const ClientOptions& client) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> ch = MakeChannel(client);
  if (!ch.ok()) return ch.status();
  auto stub = v1::StatusService::NewStub(*ch);
  v1::GetStatusRequest req;
  v1::GetStatusResponse resp;
  if (absl::Status s = FromGrpc(stub->GetStatus(NewContext(client).get(), req, &resp)); !s.ok()) {
    return s;
  }
  return resp.caller();
}

absl::Status CheckCallerIsSigner(const ClientOptions& client, const std::string& signer) {
  absl::StatusOr<std::string> role = FetchCallerRole(client);
  if (!role.ok()) return role.status();
  if (*role != absl::StrCat("signer:", signer)) {
    return absl::PermissionDeniedError(
        absl::StrCat("the controller knows this client as '", role->substr(0, 80),
                     "', not as signer:", signer, ": check --signer and your client certificate"));
  }
  return absl::OkStatus();
}

}  // namespace stakeward::controller
