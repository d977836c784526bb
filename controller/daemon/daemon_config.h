// stakewardd configuration: a YAML (or JSON) file, overridden by command-line flags.
//
//   db: /var/lib/stakeward/stakeward.db
//   listen: 0.0.0.0:7443
//   metrics_listen: 127.0.0.1:9464
//   tls: {cert: server.pem, key: server.key, ca: clients-ca.pem}
//   roles:                      # client certificate CN or "sha256:<fingerprint>" -> role
//                               # (two separate tables: a CN never matches a fingerprint)
//     ops-1: operator
//     "sha256:ab12…": signer:alice
//     audit-bot: auditor
//   default_ttl_slots: 7200
//   chain:                      # optional: submit and follow transactions on chain
//     ogmios: ws://127.0.0.1:1337          # or  koios: https://api.koios.rest/api/v1
//     poll_seconds: 20                     # how often the chain is looked at
//     confirmations: 3                     # blocks before a transaction counts as confirmed
//     rollback_window_blocks: 2160         # how long a confirmed proposal is watched
//     deadline_seconds: 10                 # per chain call
//   l2:                         # optional: broadcast and confirm the L2 deposits (issue 14)
//     rpc: http://127.0.0.1:8545           # the L2 node's JSON-RPC (Milkomeda C1, any EVM node)
//     poll_seconds: 5                      # how often the node is looked at (also on every change)
//     confirmations: 12                    # blocks before a deposit counts as confirmed
//     from_block: 0                        # where the contract's events are searched from
//     stuck_after_blocks: 20               # not mined this long: advise a replacement
//     deadline_seconds: 10                 # per node call
//     reserve_key: /etc/stakeward/reserve.key  # Ed25519 seed (64 hex digits) signing reserve
//     reports
#ifndef STAKEWARD_CONTROLLER_DAEMON_DAEMON_CONFIG_H_
#define STAKEWARD_CONTROLLER_DAEMON_DAEMON_CONFIG_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "controller/daemon/roles.h"
#include "controller/daemon/stream_limits.h"

namespace stakeward::controller {

struct ChainConfig {
  std::string kind;  // "" (none), "ogmios" or "koios"
  std::string url;
  uint64_t poll_seconds = 20;
  uint64_t confirmations = 3;
  uint64_t rollback_window_blocks = 2160;
  uint64_t deadline_seconds = 10;
};

struct L2Config {
  std::string rpc;  // "" = no L2 driver
  uint64_t poll_seconds = 5;
  uint64_t confirmations = 12;
  uint64_t from_block = 0;
  uint64_t stuck_after_blocks = 20;
  uint64_t deadline_seconds = 10;
  std::string reserve_key;  // "" = reserve reports cannot be signed (the gauge still works)
};

struct DaemonConfig {
  std::string db = "stakeward.db";
  std::string listen = "127.0.0.1:7443";  // host:port, checked by ValidateDaemonConfig
  std::string metrics_listen;             // empty = no metrics endpoint
  bool dev = false;
  std::string tls_cert, tls_key, tls_ca;
  RoleMap roles;
  uint64_t default_ttl_slots = 7200;
  StreamCaps streams;  // streams: {per_caller, total, max_seconds}
  ChainConfig chain;
  L2Config l2;
};

// Parses the file's text into `cfg` (keys absent from the file keep their values). Relative paths
// in the file (db, tls.cert, tls.key, tls.ca) are taken relative to `base_dir`, the config
// file's folder, so the daemon reads the same files whatever its working directory.
absl::Status ParseDaemonConfig(const std::string& text, DaemonConfig& cfg,
                               const std::string& base_dir = "");

struct HostPort {
  std::string host;  // without brackets
  int port = 0;      // 0..65535; 0 picks a free port
};

// "host:port" or "[ipv6]:port": a non-empty host (name or address) and a decimal port 0..65535.
absl::StatusOr<HostPort> ParseHostPort(const std::string& listen);

// True for IPv4 127.0.0.0/8, IPv6 ::1 and the name "localhost" only (parsed, not a text prefix).
bool IsLoopbackHost(const std::string& host);

// Checks the merged configuration before anything listens: listen and metrics_listen are valid
// host:port; in dev mode (no TLS, roles from a header) both must be loopback.
absl::Status ValidateDaemonConfig(const DaemonConfig& cfg);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_DAEMON_CONFIG_H_
