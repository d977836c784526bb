#include "controller/client/anchor_proto.h"

#include <algorithm>
#include <string>

namespace stakeward::controller {

absl::StatusOr<AuditAnchor> AnchorFromProto(const v1::Proposal& p) {
  AuditAnchor a;
  a.seq = p.audit_anchor().seq();
  if (a.seq == 0) return a;
  const std::string& h = p.audit_anchor().hash();
  if (h.size() != a.hash.size())
    return absl::InvalidArgumentError("audit anchor hash is not 32 bytes");
  std::copy(h.begin(), h.end(), a.hash.begin());
  return a;
}

}  // namespace stakeward::controller
