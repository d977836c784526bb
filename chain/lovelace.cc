// Checked lovelace arithmetic and exact ADA rendering.
#include "chain/lovelace.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace stakeward::chain {

absl::StatusOr<Lovelace> AddLovelace(Lovelace a, Lovelace b, const char* what) {
  auto r = CheckedAdd(a, b);
  if (!r) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", a, " + ", b, " overflows uint64"));
  }
  return *r;
}

absl::StatusOr<Lovelace> SubLovelace(Lovelace a, Lovelace b, const char* what) {
  auto r = CheckedSub(a, b);
  if (!r) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": ", a, " - ", b, " is negative"));
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

std::string FormatAda(Lovelace amount) {
  // 1 ADA = 1,000,000 lovelace.
  return absl::StrFormat("%d.%06d ADA", amount / 1000000, amount % 1000000);
}

}  // namespace stakeward::chain
