// What a signer's review fetches from the controller besides the policy chain: a proposal by id,
// and a snapshot by hash, loaded and checked against that hash (the controller is not trusted to
// send the document it names).
#ifndef STAKEWARD_CONTROLLER_CLIENT_REVIEW_FETCH_H_
#define STAKEWARD_CONTROLLER_CLIENT_REVIEW_FETCH_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "controller/client/api_client.h"
#include "grpcpp/channel.h"
#include "policy/snapshot.h"
#include "proto/stakeward/v1/proposal.pb.h"

namespace stakeward::controller {

// The controller's status as it is (NOT_FOUND for an unknown id).
absl::StatusOr<v1::Proposal> FetchProposal(const ClientOptions& client,
                                           const std::shared_ptr<grpc::Channel>& ch,
                                           const std::string& id);

// PERMISSION_DENIED when the document does not load or hashes to something else; transport
// errors as they are.
absl::StatusOr<policy::Snapshot> FetchVerifiedSnapshot(const ClientOptions& client,
                                                       const std::shared_ptr<grpc::Channel>& ch,
                                                       const std::string& hash);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_CLIENT_REVIEW_FETCH_H_
