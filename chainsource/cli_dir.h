// A snapshot from a folder of cardano-cli query outputs (policy/cli_import.h does the parsing).
// The folder holds (cardano-cli 10.x, `--output-json` where the command has it):
//   tip.json                    cardano-cli query tip
//   protocol-parameters.json    cardano-cli query protocol-parameters
//   stake-pools.json            cardano-cli query stake-pools
//   pool-state.json             cardano-cli query pool-state --all-stake-pools
//   stake-snapshot.json         cardano-cli query stake-snapshot --all-stake-pools
//   account-state.json          {"treasury": n, "reserves": n}: the ledger's account state, e.g.
//                               from cardano-cli query ledger-state (large) or a ledger explorer
//   slot-<N>.stake-address-info.json   cardano-cli query stake-address-info --address <slot N stake
//   address> slot-<N>.utxo.json          cardano-cli query utxo --address <slot N base address>
//   --output-json treasury.utxo.json          cardano-cli query utxo --address <treasury address>
//   --output-json
// The slot files are optional (one pair per slot in use); the others are required.
#ifndef STAKEWARD_CHAINSOURCE_CLI_DIR_H_
#define STAKEWARD_CHAINSOURCE_CLI_DIR_H_

#include <string>

#include "absl/status/statusor.h"
#include "chain/address.h"
#include "policy/snapshot.h"

namespace stakeward::chainsource {

absl::StatusOr<policy::Snapshot> ImportCliDir(const std::string& dir, chain::Network network);

// `cardano-cli query tip`: {"block", "epoch", "hash", "slot", …}.
struct CliTip {
  uint64_t slot = 0;
  uint64_t epoch = 0;
  uint64_t block = 0;
  chain::Hash32 hash{};
};
absl::StatusOr<CliTip> ParseCliTip(absl::string_view json);

}  // namespace stakeward::chainsource

#endif  // STAKEWARD_CHAINSOURCE_CLI_DIR_H_
