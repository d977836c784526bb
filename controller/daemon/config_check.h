// `stakewardd --check-config`: everything the daemon would refuse at start, found without opening
// the database for writing, listening, or contacting the chain — so an operator can validate a
// configuration (and its TLS files) before a restart.
#ifndef STAKEWARD_CONTROLLER_DAEMON_CONFIG_CHECK_H_
#define STAKEWARD_CONTROLLER_DAEMON_CONFIG_CHECK_H_

#include <string>

#include "absl/status/statusor.h"
#include "controller/daemon/daemon_config.h"

namespace stakeward::controller {

struct StartupFiles {
  std::string policy, approvals, snapshot;  // stakewardd --policy, --policy-approvals, --snapshot
};

// The effective configuration, one fact per line, when every check passes; otherwise the first
// problem with what to do: INVALID_ARGUMENT (a malformed file or value), NOT_FOUND (a missing
// file), FAILED_PRECONDITION (files that do not fit together, e.g. a key that is not the
// certificate's).
absl::StatusOr<std::string> CheckConfig(const DaemonConfig& cfg, const StartupFiles& files);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_CONFIG_CHECK_H_
