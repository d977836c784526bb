// Identifies the caller of an RPC: from the verified mTLS client certificate (SHA-256 fingerprint
// "sha256:<hex>" in the fingerprint table first, then subject CN in the CN table), or in dev mode
// from the x-stakeward-role metadata header.
#ifndef STAKEWARD_CONTROLLER_DAEMON_AUTH_H_
#define STAKEWARD_CONTROLLER_DAEMON_AUTH_H_

#include <string>

#include "absl/status/statusor.h"
#include "controller/daemon/roles.h"
#include "controller/model/api_headers.h"
#include "grpcpp/server_context.h"

namespace stakeward::controller {

struct AuthConfig {
  bool dev_mode = false;
  RoleMap roles;
};

// UNAUTHENTICATED when there is no usable identity, PERMISSION_DENIED for an unknown certificate.
absl::StatusOr<Identity> IdentifyCaller(const AuthConfig& config,
                                        const grpc::ServerContextBase& ctx);

// "sha256:<lower hex>" of the DER encoding of a PEM certificate.
absl::StatusOr<std::string> CertFingerprint(const std::string& pem);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_AUTH_H_
