// Milkomeda C1 bridge facts the reward cycle needs: the metadata that routes a Cardano payment to
// an L2 account (labels 87/88), the protocol magic strings, the chain ids and the lovelace → wei
// conversion (specs/cardano.md §7, vectors/cardano/milkomeda_c1.json).
#ifndef STAKEWARD_CONTROLLER_REWARDS_BRIDGE_H_
#define STAKEWARD_CONTROLLER_REWARDS_BRIDGE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "chain/evm.h"
#include "chain/tx.h"

namespace stakeward::rewards {

// Metadata labels registered in cardano-foundation/CIPs CIP-0010/registry.json: 87 "The protocol
// magic for the milkomeda protocol", 88 "the destination address in the sidechain".
inline constexpr uint64_t kLabelProtocolMagic = 87;
inline constexpr uint64_t kLabelDestination = 88;

// dcSpark/milkomeda-documentation docs/cardano/for-developers/wallet-integration.mdx and
// third-party SDK bundles (specs/cardano.md §7).
inline constexpr std::string_view kMagicMainnet = "mainnet.cardano-evm.c1";
inline constexpr std::string_view kMagicDevnet = "devnet.cardano-evm.c1";

// dcSpark/milkomeda-documentation docs/networks.js.
inline constexpr uint64_t kChainIdMainnet = 2001;
inline constexpr uint64_t kChainIdDevnet = 200101;

// The protocol magic that belongs to a C1 chain id; INVALID_ARGUMENT for any other chain id.
absl::StatusOr<std::string_view> MagicForChainId(uint64_t chain_id);

// Checks that `magic` and `chain_id` name the same C1 network.
absl::Status CheckMagicMatchesChain(std::string_view magic, uint64_t chain_id);

// {87: magic, 88: "0x" + 40 lower-case hex digits}. The L2 address is written in lower case: the
// bridge compares addresses, and lower case is the form every EVM parser accepts.
absl::StatusOr<chain::Metadata> BridgeMetadata(std::string_view magic,
                                               const chain::evm::Address& destination);

struct BridgeRoute {
  std::string magic;
  chain::evm::Address destination{};
};
// Parses metadata written by BridgeMetadata (or by any wallet following the same convention).
absl::StatusOr<BridgeRoute> ParseBridgeMetadata(const chain::Metadata& metadata);

// "0x" + lower-case hex.
std::string LowerHexAddress(const chain::evm::Address& a);

}  // namespace stakeward::rewards

#endif  // STAKEWARD_CONTROLLER_REWARDS_BRIDGE_H_
