// Template definitions for bytes.h.
#ifndef STAKEWARD_CHAIN_BYTES_INL_H_
#define STAKEWARD_CHAIN_BYTES_INL_H_

#include <algorithm>
#include <array>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace stakeward::chain {

template <size_t N>
absl::StatusOr<std::array<uint8_t, N>> ToFixed(ByteView data) {
  if (data.size() != N) {
    return absl::InvalidArgumentError(absl::StrCat("expected ", N, " bytes, got ", data.size()));
  }
  std::array<uint8_t, N> out;
  std::copy(data.begin(), data.end(), out.begin());
  return out;
}

namespace internal {
// -1 for bytes that are not hex digits; a table because ids are decoded by the thousand.
inline constexpr std::array<int8_t, 256> kHexDigits = [] {
  std::array<int8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    t[c] = c >= '0' && c <= '9'   ? static_cast<int8_t>(c - '0')
           : c >= 'a' && c <= 'f' ? static_cast<int8_t>(c - 'a' + 10)
           : c >= 'A' && c <= 'F' ? static_cast<int8_t>(c - 'A' + 10)
                                  : int8_t{-1};
  }
  return t;
}();
inline int HexDigit(char c) { return kHexDigits[static_cast<unsigned char>(c)]; }
}  // namespace internal

// Same results and errors as HexDecode then ToFixed, without the intermediate buffer (ids and
// hashes are decoded by the thousand when a snapshot is read).
template <size_t N>
absl::StatusOr<std::array<uint8_t, N>> HexDecodeFixed(std::string_view hex) {
  if (hex.size() >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex.remove_prefix(2);
  if (hex.size() % 2 != 0) {
    return absl::InvalidArgumentError(absl::StrCat("hex string has odd length ", hex.size()));
  }
  std::array<uint8_t, N> out;
  const bool fits = hex.size() == 2 * N;
  for (size_t i = 0; i < hex.size() / 2; ++i) {
    const int hi = internal::HexDigit(hex[2 * i]);
    const int lo = internal::HexDigit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return absl::InvalidArgumentError(absl::StrCat("invalid hex character at offset ", 2 * i));
    }
    if (fits) out[i] = static_cast<uint8_t>((hi << 4) | lo);
  }
  if (!fits) {
    return absl::InvalidArgumentError(absl::StrCat("expected ", N, " bytes, got ", hex.size() / 2));
  }
  return out;
}

}  // namespace stakeward::chain

#endif  // STAKEWARD_CHAIN_BYTES_INL_H_
