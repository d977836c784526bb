// Conversions between controller records and stakeward.v1 messages, and absl -> gRPC status.
#ifndef STAKEWARD_CONTROLLER_DAEMON_PROTO_CONVERT_H_
#define STAKEWARD_CONTROLLER_DAEMON_PROTO_CONVERT_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "controller/daemon/controller.h"
#include "grpcpp/support/status.h"
#include "proto/stakeward/v1/audit.pb.h"
#include "proto/stakeward/v1/policy.pb.h"
#include "proto/stakeward/v1/proposal.pb.h"
#include "proto/stakeward/v1/snapshot.pb.h"

namespace stakeward::controller {

// Same numeric codes. INTERNAL and DATA_LOSS details stay in the log, never go to the client.
grpc::Status ToGrpcStatus(const absl::Status& s);

void ToProto(const PolicyVersionRec& r, v1::PolicyVersion* out);
void ToProto(const SnapshotRec& r, v1::SnapshotInfo* out);
// Without transactions when with_txs is false (listing).
void ToProto(const ProposalRec& r, bool with_txs, v1::Proposal* out);
// The proposal's fields and, per transaction, index, tx id, fee and signed_by: what a signer
// reports after submitting (SubmitWitnessesRequest.brief).
void ToProtoSigningState(const ProposalRec& r, v1::Proposal* out);
void ToProto(const AuditRecord& r, v1::AuditEntry* out);

// Decodes an optional 32-byte hash field: empty -> nullopt; other sizes INVALID_ARGUMENT.
absl::StatusOr<std::optional<chain::Hash32>> OptionalHash32(const std::string& bytes,
                                                            const char* field);
absl::StatusOr<chain::VkeyWitness> WitnessFromProto(const v1::VkeyWitness& w);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_PROTO_CONVERT_H_
