// The `stakeward` CLI is one CLI11 app; each concept (tx, policy, plan, devices, keys, sign,
// proposal, rewards, audit, ...) lives in its own cmd_*.cc file and registers itself here, so
// files can be added without touching main.
#ifndef STAKEWARD_CONTROLLER_CLI_COMMAND_H_
#define STAKEWARD_CONTROLLER_CLI_COMMAND_H_

#include <functional>
#include <vector>

#include "CLI/CLI.hpp"
#include "controller/cli/exit_codes.h"

namespace stakeward::cli {

// A registrar adds subcommands (with their callbacks) to the app. Callbacks report failures by
// throwing CLI::RuntimeError(message, exit_code); main prints the message to stderr.
using Registrar = std::function<void(CLI::App& app)>;

std::vector<Registrar>& Registrars();

struct RegisterCommands {
  explicit RegisterCommands(Registrar r) { Registrars().push_back(std::move(r)); }
};

}  // namespace stakeward::cli

#endif  // STAKEWARD_CONTROLLER_CLI_COMMAND_H_
