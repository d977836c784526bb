#include "policy/ratio.h"

#include <numeric>

#include "absl/strings/str_cat.h"
#include "chain/check.h"

namespace stakeward::policy {
namespace {

u128 Gcd128(u128 a, u128 b) {
  while (b != 0) {
    u128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

absl::Status Bad(absl::string_view what, absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat(what, ": '", text.substr(0, 64), "' is not a valid number (", why, ")"));
}

// Builds num/den from 128-bit parts, reducing; errors when the reduced parts exceed 64 bits.
absl::StatusOr<Ratio> FromWide(u128 n, u128 d, absl::string_view what, absl::string_view text) {
  if (d == 0) return Bad(what, text, "zero denominator");
  if (n == 0) return Ratio::Zero();
  constexpr u128 kMax = UINT64_MAX;
  if (n <= kMax && d <= kMax) {  // the usual case: 64-bit gcd, far cheaper than 128-bit division
    const uint64_t g = std::gcd(static_cast<uint64_t>(n), static_cast<uint64_t>(d));
    if (g == 1) return Ratio{static_cast<uint64_t>(n), static_cast<uint64_t>(d)};  // no division
    return Ratio{static_cast<uint64_t>(n) / g, static_cast<uint64_t>(d) / g};
  }
  u128 g = Gcd128(n, d);
  n /= g;
  d /= g;
  if (n > kMax || d > kMax) return Bad(what, text, "too large or too precise");
  return Ratio{static_cast<uint64_t>(n), static_cast<uint64_t>(d)};
}

}  // namespace

Ratio Ratio::Of(uint64_t n, uint64_t d) {
  SW_CHECK(d != 0);
  if (n == 0) return Zero();
  uint64_t g = std::gcd(n, d);
  return Ratio{n / g, d / g};
}

std::string Ratio::ToString() const {
  if (den == 1) return absl::StrCat(num);
  return absl::StrCat(num, "/", den);
}

absl::StatusOr<uint64_t> ParseU64(absl::string_view text, absl::string_view what) {
  if (text.empty() || text.size() > 20) return Bad(what, text, "expected a non-negative integer");
  uint64_t v = 0;
  bool overflow = false;  // reported after the digits are checked, as a non-digit comes first
  for (char c : text) {
    if (c < '0' || c > '9') return Bad(what, text, "expected a non-negative integer");
    overflow |= __builtin_mul_overflow(v, uint64_t{10}, &v);
    overflow |= __builtin_add_overflow(v, static_cast<uint64_t>(c - '0'), &v);
  }
  if (overflow) return Bad(what, text, "does not fit in 64 bits");
  return v;
}

absl::StatusOr<Ratio> ParseRatio(absl::string_view text, absl::string_view what) {
  if (text.empty() || text.size() > 64) return Bad(what, text, "empty or too long");
  size_t slash = text.find('/');
  if (slash != absl::string_view::npos) {
    auto n = ParseU64(text.substr(0, slash), what);
    if (!n.ok()) return n.status();
    auto d = ParseU64(text.substr(slash + 1), what);
    if (!d.ok()) return d.status();
    return FromWide(*n, *d, what, text);
  }
  // Decimal: digits [. digits] [(e|E) [+|-] digits]
  u128 mant = 0;
  int digits = 0;
  int frac_digits = 0;
  size_t i = 0;
  bool seen_dot = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      if (digits >= 36) return Bad(what, text, "too many digits");
      if (mant != 0 || c != '0') ++digits;
      mant = mant * 10 + static_cast<u128>(c - '0');
      if (seen_dot) ++frac_digits;
    } else if (c == '.' && !seen_dot) {
      seen_dot = true;
    } else {
      break;
    }
  }
  if (i == 0 || (seen_dot && i == 1)) return Bad(what, text, "expected digits");
  int exp = 0;
  if (i < text.size()) {
    if (text[i] != 'e' && text[i] != 'E') return Bad(what, text, "unexpected character");
    ++i;
    bool neg = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
      neg = text[i] == '-';
      ++i;
    }
    if (i >= text.size()) return Bad(what, text, "missing exponent");
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (c < '0' || c > '9') return Bad(what, text, "bad exponent");
      exp = exp * 10 + (c - '0');
      if (exp > 60) return Bad(what, text, "exponent out of range");
    }
    if (neg) exp = -exp;
  }
  int scale = exp - frac_digits;  // value = mant * 10^scale
  u128 num = mant;
  u128 den = 1;
  constexpr u128 kLimit = static_cast<u128>(1) << 120;
  for (int s = scale; s > 0; --s) {
    if (num > kLimit / 10) return Bad(what, text, "too large");
    num *= 10;
  }
  for (int s = scale; s < 0; ++s) {
    if (den > kLimit / 10) return Bad(what, text, "too precise");
    den *= 10;
  }
  return FromWide(num, den, what, text);
}

}  // namespace stakeward::policy
