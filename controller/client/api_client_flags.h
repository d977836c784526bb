// CLI11 flags for ClientOptions, shared by the CLI's controller commands (header only).
#ifndef STAKEWARD_CONTROLLER_CLIENT_API_CLIENT_FLAGS_H_
#define STAKEWARD_CONTROLLER_CLIENT_API_CLIENT_FLAGS_H_

#include <string>

#include "CLI/CLI.hpp"
#include "controller/client/api_client.h"
#include "controller/client/client_profile.h"

namespace stakeward::controller {

// The flags start from the client profile and STAKEWARD_* variables (client_profile.h), so a flag
// overrides them and --help shows what is in force.
inline void AddClientFlags(CLI::App* cmd, ClientOptions* o) {
  const absl::StatusOr<ClientDefaults>& d = ProcessClientDefaults();
  if (d.ok()) {
    *o = d->options;
  } else {
    o->defaults_error = d.status();
  }
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

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_CLIENT_API_CLIENT_FLAGS_H_
