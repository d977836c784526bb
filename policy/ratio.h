// Exact non-negative rationals for policy and planning: margins, a0, rho, tau, performance ratios.
// Planning never uses floating point, so every signer reproduces a plan bit for bit. Inputs such
// as "0.3", "3/10", "7.21e-05" or 5 are parsed exactly (decimal text, never through a binary
// floating-point value).
#ifndef STAKEWARD_POLICY_RATIO_H_
#define STAKEWARD_POLICY_RATIO_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace stakeward::policy {

__extension__ typedef unsigned __int128 u128;

struct Ratio {
  uint64_t num = 0;
  uint64_t den = 1;  // always > 0, and the pair is reduced (gcd 1)

  static Ratio Of(uint64_t n, uint64_t d);  // reduces; d must be > 0 (checked)
  static Ratio Zero() { return Ratio{0, 1}; }
  static Ratio One() { return Ratio{1, 1}; }
  bool IsZero() const { return num == 0; }
  std::string ToString() const;  // "3/10", or "5" when den == 1
};

// Exact comparisons (128-bit cross products).
inline bool operator==(const Ratio& a, const Ratio& b) { return a.num == b.num && a.den == b.den; }
inline bool RatioLess(const Ratio& a, const Ratio& b) {
  return static_cast<u128>(a.num) * b.den < static_cast<u128>(b.num) * a.den;
}
inline bool RatioLessEq(const Ratio& a, const Ratio& b) { return !RatioLess(b, a); }

// Parses "n/d", a decimal with optional fraction and exponent ("0.003", "7.21e-05", "1E3"), or an
// integer. Negative values, zero denominators and values that do not reduce to 64-bit parts are
// INVALID_ARGUMENT naming `what`.
absl::StatusOr<Ratio> ParseRatio(absl::string_view text, absl::string_view what);

// Parses a plain non-negative decimal integer that fits in 64 bits (no sign, no fraction).
absl::StatusOr<uint64_t> ParseU64(absl::string_view text, absl::string_view what);

// floor(a * r) and the like, saturating nothing: results are 128-bit.
inline u128 MulFloor(u128 a, const Ratio& r) { return a * r.num / r.den; }

}  // namespace stakeward::policy

#endif  // STAKEWARD_POLICY_RATIO_H_
