#include "controller/rewards/bridge.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "chain/bytes.h"

namespace stakeward::rewards {

absl::StatusOr<std::string_view> MagicForChainId(uint64_t chain_id) {
  if (chain_id == kChainIdMainnet) return kMagicMainnet;
  if (chain_id == kChainIdDevnet) return kMagicDevnet;
  return absl::InvalidArgumentError(
      absl::StrCat("chain id ", chain_id, " is not a Milkomeda C1 network (2001 or 200101)"));
}

absl::Status CheckMagicMatchesChain(std::string_view magic, uint64_t chain_id) {
  auto expected = MagicForChainId(chain_id);
  if (!expected.ok()) return expected.status();
  if (magic != *expected) {
    return absl::InvalidArgumentError(absl::StrCat("bridge protocol magic \"", std::string(magic),
                                                   "\" does not belong to chain id ", chain_id));
  }
  return absl::OkStatus();
}

std::string LowerHexAddress(const chain::evm::Address& a) {
  return absl::StrCat("0x", chain::HexEncode(a));
}

absl::StatusOr<chain::Metadata> BridgeMetadata(std::string_view magic,
                                               const chain::evm::Address& destination) {
  if (magic != kMagicMainnet && magic != kMagicDevnet) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown bridge protocol magic \"", std::string(magic), "\""));
  }
  chain::Metadata md;
  md.emplace(kLabelProtocolMagic, chain::Metadatum::Text(std::string(magic)));
  md.emplace(kLabelDestination, chain::Metadatum::Text(LowerHexAddress(destination)));
  return md;
}

absl::StatusOr<BridgeRoute> ParseBridgeMetadata(const chain::Metadata& metadata) {
  auto magic = metadata.find(kLabelProtocolMagic);
  auto dest = metadata.find(kLabelDestination);
  if (magic == metadata.end() || dest == metadata.end()) {
    return absl::InvalidArgumentError("bridge metadata needs labels 87 and 88");
  }
  if (magic->second.kind != chain::Metadatum::Kind::kText ||
      dest->second.kind != chain::Metadatum::Kind::kText) {
    return absl::InvalidArgumentError("bridge metadata labels 87 and 88 must be text");
  }
  const std::string& text = dest->second.text;
  if (text.size() != 42 || text.compare(0, 2, "0x") != 0) {
    return absl::InvalidArgumentError("label 88 must be a 0x-prefixed 20-byte address");
  }
  auto addr = chain::evm::ParseAddress(text);
  if (!addr.ok()) return addr.status();
  BridgeRoute route;
  route.magic = magic->second.text;
  route.destination = *addr;
  return route;
}

}  // namespace stakeward::rewards
