#include "controller/client/review_fetch.h"

#include "absl/strings/str_cat.h"
#include "proto/stakeward/v1/proposal.grpc.pb.h"
#include "proto/stakeward/v1/snapshot.grpc.pb.h"

namespace stakeward::controller {

absl::StatusOr<v1::Proposal> FetchProposal(const ClientOptions& client,
                                           const std::shared_ptr<grpc::Channel>& ch,
                                           const std::string& id) {
  auto stub = v1::ProposalService::NewStub(ch);
  v1::GetProposalRequest req;
  req.set_id(id);
  v1::GetProposalResponse resp;
  if (absl::Status s = FromGrpc(stub->GetProposal(NewContext(client).get(), req, &resp)); !s.ok()) {
    return s;
  }
  return resp.proposal();
}

absl::StatusOr<policy::Snapshot> FetchVerifiedSnapshot(const ClientOptions& client,
                                                       const std::shared_ptr<grpc::Channel>& ch,
                                                       const std::string& hash) {
  auto stub = v1::SnapshotService::NewStub(ch);
  v1::GetSnapshotRequest req;
  req.set_hash(hash);
  v1::GetSnapshotResponse resp;
  // A snapshot can be megabytes: a longer deadline than other calls.
  if (absl::Status s = FromGrpc(stub->GetSnapshot(NewContext(client, 120).get(), req, &resp));
      !s.ok()) {
    return s;
  }
  absl::StatusOr<policy::Snapshot> snap = policy::LoadSnapshot(resp.document());
  if (!snap.ok()) {
    return absl::PermissionDeniedError(
        absl::StrCat("the snapshot does not load: ", snap.status().message()));
  }
  const chain::Hash32 h = policy::SnapshotHash(*snap);
  if (std::string(h.begin(), h.end()) != hash) {
    return absl::PermissionDeniedError("snapshot hash differs");
  }
  return snap;
}

}  // namespace stakeward::controller
