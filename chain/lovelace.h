// Money is integer lovelace. `Lovelace` keeps amounts apart from counts, epochs, sizes and rates:
// it is made from an integer only explicitly, and its + and - are checked.
#ifndef STAKEWARD_CHAIN_LOVELACE_H_
#define STAKEWARD_CHAIN_LOVELACE_H_

#include <compare>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace stakeward::chain {

// maxLovelaceSupply of the Shelley genesis (IntersectMBO/cardano-node
// configuration/cardano/{mainnet,preprod,preview}-shelley-genesis.json): no honest amount, sum of
// amounts or supply figure is larger.
inline constexpr uint64_t kMaxLovelaceSupply = 45'000'000'000'000'000ULL;

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

// An amount of lovelace (0 .. 2^64-1). `a + b` and `a - b` abort when the result does not fit:
// they are for sums an earlier check bounds (amounts under the 45e15 maximum supply, a total
// already checked). Sums of untrusted amounts go through CheckedAdd / AddLovelace and get an
// error instead. Scaling (rates, shares) works on value() with MulDiv or 128-bit arithmetic.
class Lovelace {
 public:
  constexpr Lovelace() = default;
  constexpr explicit Lovelace(uint64_t v) : v_(v) {}
  constexpr uint64_t value() const { return v_; }

  friend constexpr bool operator==(Lovelace, Lovelace) = default;
  friend constexpr std::strong_ordering operator<=>(Lovelace, Lovelace) = default;

  Lovelace& operator+=(Lovelace o) {
    if (__builtin_add_overflow(v_, o.v_, &v_)) Overflow();
    return *this;
  }
  Lovelace& operator-=(Lovelace o) {
    if (o.v_ > v_) Overflow();
    v_ -= o.v_;
    return *this;
  }
  friend Lovelace operator+(Lovelace a, Lovelace b) { return a += b; }
  friend Lovelace operator-(Lovelace a, Lovelace b) { return a -= b; }

 private:
  [[noreturn]] static void Overflow();
  uint64_t v_ = 0;
};

inline std::optional<Lovelace> CheckedAdd(Lovelace a, Lovelace b) {
  auto r = CheckedAdd(a.value(), b.value());
  return r ? std::optional<Lovelace>(Lovelace(*r)) : std::nullopt;
}
inline std::optional<Lovelace> CheckedSub(Lovelace a, Lovelace b) {
  auto r = CheckedSub(a.value(), b.value());
  return r ? std::optional<Lovelace>(Lovelace(*r)) : std::nullopt;
}

// For logs, test failure messages and nlohmann::json (found by argument-dependent lookup; no
// JSON header needed here): the integer.
inline std::ostream& operator<<(std::ostream& os, Lovelace l) { return os << l.value(); }
template <typename BasicJson>
void to_json(BasicJson& j, Lovelace l) {
  j = l.value();
}

// A parsed integer read as an amount (for readers that return StatusOr<uint64_t>).
inline absl::StatusOr<Lovelace> AsLovelace(absl::StatusOr<uint64_t> v) {
  if (!v.ok()) return v.status();
  return Lovelace(*v);
}

// Status-returning forms for untrusted input ("what" names the quantity in the error).
absl::StatusOr<Lovelace> AddLovelace(Lovelace a, Lovelace b, const char* what = "amount");
absl::StatusOr<Lovelace> SubLovelace(Lovelace a, Lovelace b, const char* what = "amount");

// floor(a * num / den) without intermediate overflow (128-bit); den must be > 0. Errors if the
// result does not fit in 64 bits.
absl::StatusOr<uint64_t> MulDiv(uint64_t a, uint64_t num, uint64_t den);
absl::StatusOr<Lovelace> MulDiv(Lovelace a, uint64_t num, uint64_t den);

// "1234.567890 ADA" style rendering: exact, no floating point.
std::string FormatAda(Lovelace amount);

}  // namespace stakeward::chain

#endif  // STAKEWARD_CHAIN_LOVELACE_H_
