// Checked lovelace arithmetic and exact ADA rendering.
#include "chain/lovelace.h"

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace stakeward::chain {

void Lovelace::Overflow() {
  // A sum that an earlier check should have bounded did not fit: a bug, never input.
  std::fprintf(stderr, "internal error: lovelace arithmetic out of range\n");
  std::abort();
}

absl::StatusOr<Lovelace> AddLovelace(Lovelace a, Lovelace b, const char* what) {
  auto r = CheckedAdd(a, b);
  if (!r) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", a.value(), " + ", b.value(), " overflows uint64"));
  }
  return *r;
}

absl::StatusOr<Lovelace> SubLovelace(Lovelace a, Lovelace b, const char* what) {
  auto r = CheckedSub(a, b);
  if (!r) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", a.value(), " - ", b.value(), " is negative"));
  }
  return *r;
}

absl::StatusOr<uint64_t> MulDiv(uint64_t a, uint64_t num, uint64_t den) {
  if (den == 0) return absl::InvalidArgumentError("MulDiv: division by zero");
  __extension__ typedef unsigned __int128 U128;
  const U128 r = static_cast<U128>(a) * num / den;
  if (r > UINT64_MAX) {
    return absl::InvalidArgumentError(
        absl::StrCat("MulDiv: ", a, " * ", num, " / ", den, " does not fit in 64 bits"));
  }
  return static_cast<uint64_t>(r);
}

absl::StatusOr<Lovelace> MulDiv(Lovelace a, uint64_t num, uint64_t den) {
  auto r = MulDiv(a.value(), num, den);
  if (!r.ok()) return r.status();
  return Lovelace(*r);
}

std::string FormatAda(Lovelace amount) {
  // 1 ADA = 1,000,000 lovelace.
  return absl::StrFormat("%d.%06d ADA", amount.value() / 1000000, amount.value() % 1000000);
}

}  // namespace stakeward::chain
