// CIP-5 bech32 forms of extended public keys (acct_xvk, acct_shared_xvk, addr_xvk, ...).
#include <string>
#include <string_view>

#include "chain/address.h"
#include "chain/keys.h"

namespace stakeward::chain {

std::string XPubToBech32(const XPub& xpub, std::string_view hrp) {
  const std::array<uint8_t, 64> raw = xpub.Serialize();
  return Bech32Encode(hrp, View(raw));
}

absl::StatusOr<XPub> XPubFromBech32(std::string_view text, std::string_view hrp) {
  absl::StatusOr<Bytes> raw = Bech32DecodeExpect(text, hrp);
  if (!raw.ok()) return raw.status();
  return XPub::Parse(View(*raw));
}

}  // namespace stakeward::chain
