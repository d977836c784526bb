// Client settings that need not be typed on every command: a profile file and STAKEWARD_*
// environment variables. A flag wins over the environment, the environment over the profile, the
// profile over the built-in defaults.
//
//   # $STAKEWARD_PROFILE, else $XDG_CONFIG_HOME/stakeward/client.yaml,
//   # else ~/.config/stakeward/client.yaml; relative paths are relative to this file
//   server: controller.example:7443
//   tls: {cert: alice.pem, key: alice.key, ca: ca.pem, server_name: controller.example}
//   timeout_s: 30
//   dev_role: signer:alice   # dev-mode controllers only
//
// Environment: STAKEWARD_SERVER, STAKEWARD_TLS_CERT, STAKEWARD_TLS_KEY, STAKEWARD_TLS_CA,
// STAKEWARD_TLS_SERVER_NAME, STAKEWARD_TIMEOUT_S, STAKEWARD_DEV_ROLE; STAKEWARD_PROFILE=none reads
// no file.
#ifndef STAKEWARD_CONTROLLER_CLIENT_CLIENT_PROFILE_H_
#define STAKEWARD_CONTROLLER_CLIENT_CLIENT_PROFILE_H_

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "controller/client/api_client.h"

namespace stakeward::controller {

struct ClientDefaults {
  ClientOptions options;
  std::string profile;                        // the file read; empty when none was
  std::map<std::string, std::string> source;  // setting -> "default" | "profile" | "env NAME"
};

// The value of an environment variable, or nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(const char* name)>;

// Reads the profile and the environment. An explicit profile ($STAKEWARD_PROFILE) that is missing
// is NOT_FOUND; a bad file or value is INVALID_ARGUMENT naming the file or the variable; the
// default profile path may be absent.
absl::StatusOr<ClientDefaults> LoadClientDefaults(const EnvLookup& env);

// LoadClientDefaults of this process's environment, read once.
const absl::StatusOr<ClientDefaults>& ProcessClientDefaults();

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_CLIENT_CLIENT_PROFILE_H_
