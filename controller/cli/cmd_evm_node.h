// `stakeward evm fees|send`: the operator's L2 account and transactions against an EVM node
// (JSON-RPC over HTTP, l2/evm_rpc.h). Registered under `evm` by cmd_evm.cc.
#ifndef STAKEWARD_CONTROLLER_CLI_CMD_EVM_NODE_H_
#define STAKEWARD_CONTROLLER_CLI_CMD_EVM_NODE_H_

#include "CLI/CLI.hpp"

namespace stakeward::cli {

void AddEvmNodeCommands(CLI::App* evm);

}  // namespace stakeward::cli

#endif  // STAKEWARD_CONTROLLER_CLI_CMD_EVM_NODE_H_
