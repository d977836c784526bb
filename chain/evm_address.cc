// Ethereum addresses: keccak256(uncompressed public key)[12..32], EIP-55 mixed-case checksums.
#include <string>

#include "absl/status/status.h"
#include "chain/evm.h"
#include "chain/hash.h"

namespace stakeward::chain::evm {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

int HexNibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// EIP-55: a hex letter is upper case when the matching nibble of keccak256(lower-case hex) >= 8.
std::string Checksummed(std::string_view lower_hex40) {
  const Hash32 h = Keccak256(View(lower_hex40));
  std::string out(lower_hex40);
  for (size_t i = 0; i < out.size(); ++i) {
    const uint8_t nibble = (i % 2 == 0) ? (h[i / 2] >> 4) : (h[i / 2] & 0x0f);
    if (out[i] >= 'a' && out[i] <= 'f' && nibble >= 8) out[i] = static_cast<char>(out[i] - 32);
  }
  return out;
}

}  // namespace

std::string ToChecksumAddress(const Address& a) {
  std::string lower;
  lower.reserve(40);
  for (uint8_t b : a) {
    lower.push_back(kHexDigits[b >> 4]);
    lower.push_back(kHexDigits[b & 0x0f]);
  }
  return "0x" + Checksummed(lower);
}

absl::StatusOr<Address> ParseAddress(std::string_view text) {
  if (text.size() != 42 || text[0] != '0' || text[1] != 'x') {
    return absl::InvalidArgumentError("an EVM address is 0x followed by 40 hex digits");
  }
  std::string_view hex = text.substr(2);
  Address out;
  bool has_lower = false;
  bool has_upper = false;
  std::string lower(hex);
  for (size_t i = 0; i < hex.size(); ++i) {
    const int v = HexNibble(hex[i]);
    if (v < 0) return absl::InvalidArgumentError("an EVM address is 0x followed by 40 hex digits");
    if (hex[i] >= 'a' && hex[i] <= 'f') has_lower = true;
    if (hex[i] >= 'A' && hex[i] <= 'F') {
      has_upper = true;
      lower[i] = static_cast<char>(hex[i] + 32);
    }
    if (i % 2 == 0) {
      out[i / 2] = static_cast<uint8_t>(v << 4);
    } else {
      out[i / 2] |= static_cast<uint8_t>(v);
    }
  }
  // Mixed case claims an EIP-55 checksum, which must then be right.
  if (has_lower && has_upper && Checksummed(lower) != hex) {
    return absl::InvalidArgumentError("EVM address has a wrong EIP-55 checksum");
  }
  return out;
}

Address AddressFromPublicKey(const std::array<uint8_t, 65>& uncompressed) {
  // Hash the 64-byte X || Y, dropping the 0x04 prefix.
  const Hash32 h = Keccak256(ByteView(uncompressed.data() + 1, 64));
  Address a;
  std::copy(h.begin() + 12, h.end(), a.begin());
  return a;
}

}  // namespace stakeward::chain::evm
