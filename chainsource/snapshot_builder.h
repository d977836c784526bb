// Chain facts → policy::Snapshot (design §5). CollectFacts asks a ChainSource for everything a
// snapshot needs about the bridge (its slots' reward accounts and addresses, the treasury
// address) and the pools; BuildSnapshot turns the facts into a normalized Snapshot and records the
// source and tip in Snapshot::origin (not part of SnapshotHash).
#ifndef STAKEWARD_CHAINSOURCE_SNAPSHOT_BUILDER_H_
#define STAKEWARD_CHAINSOURCE_SNAPSHOT_BUILDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chain/lovelace.h"
#include "chainsource/chain_source.h"
#include "policy/policy.h"
#include "policy/snapshot.h"

namespace stakeward::chainsource {

// Circulating supply for saturation = chain::kMaxLovelaceSupply − reserves.
using chain::kMaxLovelaceSupply;

struct BridgeLayout {
  chain::Network network = chain::Network::kTestnet;
  struct Slot {
    uint32_t index = 0;
    chain::Credential stake;
    std::string base_address;
  };
  std::vector<Slot> slots;
  std::vector<std::string> treasury_addresses;
};

// Slots 0 … max_slots-1 derived from the policy's signers (policy/slot_scripts.h) and the treasury
// address the payment script controls (policy::TreasuryAddress).
absl::StatusOr<BridgeLayout> LayoutFromPolicy(const policy::Policy& policy);

struct ChainFacts {
  std::string source;  // ChainSource::Describe()
  Tip tip;
  uint64_t epoch = 0;
  policy::ProtocolParams params;
  std::vector<StakePool> pools;
  std::vector<RelativeStake> live_distribution;  // used for pools without live_stake
  std::vector<PoolPerformance> performances;
  std::vector<RewardAccountSummary> accounts;
  std::vector<AddressUtxo> utxos;
  TreasuryAndReserves pots;
  uint64_t max_supply = kMaxLovelaceSupply;
};

// Every query gets `per_call`; UNIMPLEMENTED answers for optional facts (live distribution,
// performances) leave them empty.
absl::StatusOr<ChainFacts> CollectFacts(ChainSource& source, const BridgeLayout& layout,
                                        absl::Duration per_call);

// Slots that are registered or hold UTxOs are included; UTxOs at other addresses are rejected.
absl::StatusOr<policy::Snapshot> BuildSnapshot(const ChainFacts& facts, const BridgeLayout& layout);

}  // namespace stakeward::chainsource

#endif  // STAKEWARD_CHAINSOURCE_SNAPSHOT_BUILDER_H_
