// Who may call what. Identities come from the mTLS client certificate (subject CN or SHA-256
// fingerprint mapped to a role in the config), or in dev mode only from the x-stakeward-role
// metadata header. The table of RPC permissions lives in roles.cc and nowhere else.
#ifndef STAKEWARD_CONTROLLER_DAEMON_ROLES_H_
#define STAKEWARD_CONTROLLER_DAEMON_ROLES_H_

#include <map>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace stakeward::controller {

enum class RoleKind { kOperator, kSigner, kAuditor };

struct Identity {
  RoleKind kind = RoleKind::kAuditor;
  std::string name;  // signer name for kSigner; certificate CN or "dev" otherwise
  // "operator:<name>", "signer:<name>", "auditor:<name>" (audit log actor).
  std::string Actor() const;
};

// Parses "operator", "auditor", "signer:<name>" (optionally "operator:<label>").
absl::StatusOr<Identity> ParseRole(std::string_view role, std::string_view default_name);

// Full method name, e.g. "/stakeward.v1.WitnessService/SubmitWitnesses". PERMISSION_DENIED when
// the role may not call it (or the method is unknown: deny by default).
absl::Status CheckRpcAllowed(const Identity& who, std::string_view method);

// Certificate subject CN or "sha256:<hex>" fingerprint -> role string.
using RoleMap = std::map<std::string, std::string>;

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_ROLES_H_
