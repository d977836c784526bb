// stakewardd configuration: a YAML (or JSON) file, overridden by command-line flags.
//
//   db: /var/lib/stakeward/stakeward.db
//   listen: 0.0.0.0:7443
//   metrics_listen: 127.0.0.1:9464
//   tls: {cert: server.pem, key: server.key, ca: clients-ca.pem}
//   roles:                      # client certificate CN or "sha256:<fingerprint>" -> role
//     ops-1: operator
//     "sha256:ab12…": signer:alice
//     audit-bot: auditor
//   default_ttl_slots: 7200
#ifndef STAKEWARD_CONTROLLER_DAEMON_DAEMON_CONFIG_H_
#define STAKEWARD_CONTROLLER_DAEMON_DAEMON_CONFIG_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "controller/daemon/roles.h"

namespace stakeward::controller {

struct DaemonConfig {
  std::string db = "stakeward.db";
  std::string listen = "127.0.0.1:7443";
  std::string metrics_listen;  // empty = no metrics endpoint
  bool dev = false;
  std::string tls_cert, tls_key, tls_ca;
  RoleMap roles;
  uint64_t default_ttl_slots = 7200;
};

// Parses the file's text into `cfg` (keys absent from the file keep their values).
absl::Status ParseDaemonConfig(const std::string& text, DaemonConfig& cfg);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_DAEMON_CONFIG_H_
