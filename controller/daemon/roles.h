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
// True for methods that change state (and for unknown ones).
bool RpcChangesState(std::string_view method);

// Client certificate -> role string, in two separate tables so that a subject CN can never be
// taken for a fingerprint (a CA-issued certificate whose CN is "sha256:<someone's fingerprint>"
// must not become that someone).
struct RoleMap {
  // "sha256:<64 lower hex>" of the DER certificate -> role.
  std::map<std::string, std::string> by_fingerprint;
  // Subject CN -> role. Never holds a key beginning with "sha256:".
  std::map<std::string, std::string> by_cn;
};

inline constexpr std::string_view kFingerprintPrefix = "sha256:";

// Adds one config entry: a key beginning with "sha256:" must be a whole SHA-256 fingerprint (hex,
// either case; stored lower case) and goes to by_fingerprint, any other key is a CN.
absl::Status AddRoleEntry(RoleMap& map, std::string_view who, std::string_view role);

// The role of a certificate: `fingerprint` looked up only among fingerprints, then `cn` only among
// CNs (a CN that looks like a fingerprint matches nothing). nullptr when neither is mapped.
const std::string* LookupRole(const RoleMap& map, std::string_view fingerprint,
                              std::string_view cn);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_ROLES_H_
