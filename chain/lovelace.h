// Money is integer lovelace (uint64). Every sum and product goes through these checked helpers.
#ifndef STAKEWARD_CHAIN_LOVELACE_H_
#define STAKEWARD_CHAIN_LOVELACE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace stakeward::chain {

using Lovelace = uint64_t;

inline std::optional<uint64_t> CheckedAdd(uint64_t a, uint64_t b) {
  uint64_t r;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}
inline std::optional<uint64_t> CheckedSub(uint64_t a, uint64_t b) {
  if (b > a) return std::nullopt;
  return a - b;
}
inline std::optional<uint64_t> CheckedMul(uint64_t a, uint64_t b) {
  uint64_t r;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}

// Status-returning forms for untrusted input ("what" names the quantity in the error).
absl::StatusOr<Lovelace> AddLovelace(Lovelace a, Lovelace b, const char* what = "amount");
absl::StatusOr<Lovelace> SubLovelace(Lovelace a, Lovelace b, const char* what = "amount");

// floor(a * num / den) without intermediate overflow (128-bit); den must be > 0. Errors if the
// result does not fit in 64 bits.
absl::StatusOr<uint64_t> MulDiv(uint64_t a, uint64_t num, uint64_t den);

// "1234.567890 ADA" style rendering: exact, no floating point.
std::string FormatAda(Lovelace amount);

}  // namespace stakeward::chain

#endif  // STAKEWARD_CHAIN_LOVELACE_H_
