// Byte containers, fixed-size hashes and hex helpers shared by every module.
#ifndef STAKEWARD_CHAIN_BYTES_H_
#define STAKEWARD_CHAIN_BYTES_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace stakeward::chain {

using Bytes = std::vector<uint8_t>;
using ByteView = absl::Span<const uint8_t>;

using Hash28 = std::array<uint8_t, 28>;  // blake2b-224: key and script hashes, pool ids
using Hash32 = std::array<uint8_t, 32>;  // blake2b-256: tx ids, aux data hashes, policy hashes

// Lower-case hex of the bytes.
std::string HexEncode(ByteView data);
template <size_t N>
std::string HexEncode(const std::array<uint8_t, N>& a) {
  return HexEncode(ByteView(a.data(), a.size()));
}

// Accepts upper or lower case, an optional "0x" prefix; rejects odd lengths and non-hex characters.
absl::StatusOr<Bytes> HexDecode(std::string_view hex);

// Decodes hex that must be exactly N bytes long.
template <size_t N>
absl::StatusOr<std::array<uint8_t, N>> HexDecodeFixed(std::string_view hex);

// Copies a view into a fixed array; the sizes must match (checked, INVALID_ARGUMENT otherwise).
template <size_t N>
absl::StatusOr<std::array<uint8_t, N>> ToFixed(ByteView data);

inline ByteView View(const Bytes& b) { return ByteView(b.data(), b.size()); }
inline ByteView View(ByteView b) { return b; }
inline Bytes CopyBytes(ByteView b) { return Bytes(b.begin(), b.end()); }
template <size_t N>
ByteView View(const std::array<uint8_t, N>& a) {
  return ByteView(a.data(), a.size());
}
inline ByteView View(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

// Constant-time comparison for secrets and MACs.
bool ConstantTimeEqual(ByteView a, ByteView b);

}  // namespace stakeward::chain

#include "chain/bytes_inl.h"

#endif  // STAKEWARD_CHAIN_BYTES_H_
