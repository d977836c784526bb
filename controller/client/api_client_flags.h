// CLI11 flags for ClientOptions, shared by the CLI's controller commands (header only).
#ifndef STAKEWARD_CONTROLLER_CLIENT_API_CLIENT_FLAGS_H_
#define STAKEWARD_CONTROLLER_CLIENT_API_CLIENT_FLAGS_H_

#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "controller/client/api_client.h"

namespace stakeward::controller {

inline void AddClientFlags(CLI::App* cmd, ClientOptions* o) {
  cmd->add_option("--server", o->server, "controller address host:port")->capture_default_str();
  cmd->add_option("--dev-role", o->dev_role,
                  "dev-mode controller only: operator | auditor | signer:<name>");
  cmd->add_option("--tls-cert", o->tls_cert, "client certificate (PEM)");
  cmd->add_option("--tls-key", o->tls_key, "client private key (PEM)");
  cmd->add_option("--tls-ca", o->tls_ca, "CA of the controller's certificate (PEM)");
  cmd->add_option("--tls-server-name", o->tls_server_name, "expected server certificate name");
  cmd->add_option("--timeout-s", o->timeout_s, "deadline of each RPC")->capture_default_str();
}

// The parent command `name`, created once whichever cmd_*.cc registers first.
inline CLI::App* GetOrAddSubcommand(CLI::App& app, const std::string& name,
                                    const std::string& description) {
  for (CLI::App* s : app.get_subcommands([](CLI::App*) { return true; })) {
    if (s->get_name() == name) return s;
  }
  CLI::App* c = app.add_subcommand(name, description);
  c->require_subcommand(1);
  return c;
}

// Exit codes of controller/cli/command.h for a status: 2 invalid input, 3 denied, 4 device or
// user, 5 internal; anything else (unavailable server, deadline) is 4 as well.
inline int ExitCodeFor(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kOutOfRange:
      return 2;
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kAlreadyExists:
      return 3;
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kDataLoss:
      return 5;
    default:
      return 4;
  }
}

[[noreturn]] inline void ThrowStatus(const absl::Status& s) {
  throw CLI::RuntimeError(std::string(s.message()), ExitCodeFor(s));
}

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_CLIENT_API_CLIENT_FLAGS_H_
