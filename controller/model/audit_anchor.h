// Anchors of the audit log outside the database (issue 12): every transaction the controller
// builds carries, in its CIP-20 message (metadata label 674), the audit log head at the moment
// its proposal was created. Once a transaction is on chain, a log that no longer holds that
// entry with that hash was truncated or rewritten; `stakeward audit verify --against-tx` checks
// exported transactions against a log this way.
#ifndef STAKEWARD_CONTROLLER_MODEL_AUDIT_ANCHOR_H_
#define STAKEWARD_CONTROLLER_MODEL_AUDIT_ANCHOR_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "chain/bytes.h"
#include "chain/tx.h"
#include "controller/model/proposal_model.h"

namespace stakeward::controller {

inline constexpr uint64_t kCip20Label = 674;  // CIP-20 transaction message metadata label

// The two CIP-20 message lines: "audit head <seq>" and the 64 hex digits of its hash (none for
// seq 0).
void AppendAnchorLines(const AuditAnchor& a, std::vector<chain::Metadatum>& msg);

// The anchor in a transaction's metadata; NOT_FOUND when it carries none, INVALID_ARGUMENT when
// the lines are malformed.
absl::StatusOr<AuditAnchor> AnchorOfTransaction(const chain::Transaction& tx);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_MODEL_AUDIT_ANCHOR_H_
