// The audit anchor a proposal message carries, read the way a client checks it.
#ifndef STAKEWARD_CONTROLLER_CLIENT_ANCHOR_PROTO_H_
#define STAKEWARD_CONTROLLER_CLIENT_ANCHOR_PROTO_H_

#include "absl/status/statusor.h"
#include "controller/model/proposal_model.h"
#include "proto/stakeward/v1/proposal.pb.h"

namespace stakeward::controller {

// INVALID_ARGUMENT when a set anchor's hash is not 32 bytes.
absl::StatusOr<AuditAnchor> AnchorFromProto(const v1::Proposal& p);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_CLIENT_ANCHOR_PROTO_H_
