// The `stakeward` CLI is one CLI11 app; each concept (tx, policy, plan, devices, keys, sign,
// proposal, rewards, audit, ...) lives in its own cmd_*.cc file and registers itself here, so
// files can be added without touching main.
#ifndef STAKEWARD_CONTROLLER_CLI_COMMAND_H_
#define STAKEWARD_CONTROLLER_CLI_COMMAND_H_

#include <functional>
#include <vector>

#include "CLI/CLI.hpp"

namespace stakeward::cli {

// A registrar adds subcommands (with their callbacks) to the app. Callbacks report failures by
// throwing CLI::RuntimeError(message, exit_code); main prints the message to stderr.
using Registrar = std::function<void(CLI::App& app)>;

std::vector<Registrar>& Registrars();

struct RegisterCommands {
  explicit RegisterCommands(Registrar r) { Registrars().push_back(std::move(r)); }
};

// Exit codes: 0 ok, 1 usage, 2 invalid input, 3 policy denied, 4 device/user problem, 5 internal.
inline constexpr int kExitInvalidInput = 2;
inline constexpr int kExitDenied = 3;
inline constexpr int kExitDevice = 4;
inline constexpr int kExitInternal = 5;

}  // namespace stakeward::cli

#endif  // STAKEWARD_CONTROLLER_CLI_COMMAND_H_
