// One small hand-written chain state, rendered three ways: as cardano-cli query outputs (files),
// as Ogmios v6 JSON-RPC results and as Koios v1 rows. Used by same_state_test.cc.
#ifndef STAKEWARD_TESTS_UNIT_CHAINSOURCE_CHAIN_STATE_FIXTURE_H_
#define STAKEWARD_TESTS_UNIT_CHAINSOURCE_CHAIN_STATE_FIXTURE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "chainsource/snapshot_builder.h"
#include "nlohmann/json.hpp"

namespace stakeward::chainsource::testing {

struct FixPool {
  std::string hex;
  std::string vrf;
  uint64_t pledge, cost;
  std::string margin_decimal, margin_ratio;
  std::string owner;
  std::string host;  // hostname relay, or empty for the IPv4 relay below
  std::string ipv4;
  uint64_t port;
  uint64_t live, active;
  std::string live_share;  // live / circulating, reduced
};

struct FixSlot {
  uint32_t index;
  std::string pool_hex;
  uint64_t rewards;
  std::string tx;
  uint32_t tx_index;
  uint64_t lovelace;
};

struct ChainState {
  uint64_t slot = 130000000, height = 4000000, epoch = 510;
  std::string tip_hash = std::string(64, 'c');
  uint64_t treasury = 1500000000000000, reserves = 8000000000000000;  // circulating = 37e15
  std::vector<FixPool> pools;
  std::vector<FixSlot> slots;
  std::string treasury_tx = std::string(64, 'b');
  uint64_t treasury_lovelace = 2000000000;
};

ChainState MakeChainState();

// cardano-cli files (name → content) for `layout`'s slots and treasury.
std::map<std::string, std::string> CliFiles(const ChainState& c, const BridgeLayout& layout);
// Ogmios results by method.
std::map<std::string, nlohmann::json> OgmiosResults(const ChainState& c,
                                                    const BridgeLayout& layout);
// Koios rows by path.
std::map<std::string, nlohmann::json> KoiosRows(const ChainState& c, const BridgeLayout& layout);

}  // namespace stakeward::chainsource::testing

#endif  // STAKEWARD_TESTS_UNIT_CHAINSOURCE_CHAIN_STATE_FIXTURE_H_
