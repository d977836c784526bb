// Template definitions for bytes.h.
#ifndef STAKEWARD_CHAIN_BYTES_INL_H_
#define STAKEWARD_CHAIN_BYTES_INL_H_

#include <algorithm>

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

template <size_t N>
absl::StatusOr<std::array<uint8_t, N>> HexDecodeFixed(std::string_view hex) {
  auto bytes = HexDecode(hex);
  if (!bytes.ok()) return bytes.status();
  return ToFixed<N>(View(*bytes));
}

}  // namespace stakeward::chain

#endif  // STAKEWARD_CHAIN_BYTES_INL_H_
