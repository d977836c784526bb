// 256-bit unsigned integers for wei amounts and EVM integer fields.
#include <algorithm>
#include <array>
#include <string>

#include "absl/status/status.h"
#include "chain/evm.h"

namespace stakeward::chain::evm {
namespace {

__extension__ typedef unsigned __int128 Uint128;

// A decimal U256 has at most 78 digits; allow some leading zeros but bound the work.
constexpr size_t kMaxDecimalChars = 100;

}  // namespace

U256 U256::FromUint64(uint64_t v) {
  U256 out;
  for (int i = 0; i < 8; ++i) out.be_[31 - i] = static_cast<uint8_t>(v >> (8 * i));
  return out;
}

absl::StatusOr<U256> U256::FromBigEndian(ByteView bytes) {
  if (bytes.size() > 32) return absl::InvalidArgumentError("integer longer than 32 bytes");
  U256 out;
  std::copy(bytes.begin(), bytes.end(), out.be_.begin() + (32 - bytes.size()));
  return out;
}

absl::StatusOr<U256> U256::FromDecimal(std::string_view text) {
  if (text.empty()) return absl::InvalidArgumentError("empty decimal number");
  if (text.size() > kMaxDecimalChars) return absl::InvalidArgumentError("decimal number too long");
  U256 value;
  for (char c : text) {
    if (c < '0' || c > '9') return absl::InvalidArgumentError("not a decimal digit");
    std::optional<U256> times10 = value.CheckedMulSmall(10);
    if (!times10) return absl::InvalidArgumentError("decimal number exceeds 2^256 - 1");
    std::optional<U256> next = times10->CheckedAdd(FromUint64(static_cast<uint64_t>(c - '0')));
    if (!next) return absl::InvalidArgumentError("decimal number exceeds 2^256 - 1");
    value = *next;
  }
  return value;
}

absl::StatusOr<U256> U256::ParseQuantity(std::string_view text) {
  if (text.size() < 2 || (text.substr(0, 2) != "0x" && text.substr(0, 2) != "0X")) {
    return FromDecimal(text);
  }
  std::string_view hex = text.substr(2);
  if (hex.empty() || hex.size() > 64) {
    return absl::InvalidArgumentError("hex quantity needs 1 to 64 digits after 0x");
  }
  U256 out;
  // Least significant digit first, into the big-endian array from its end.
  for (size_t i = 0; i < hex.size(); ++i) {
    const char c = hex[hex.size() - 1 - i];
    int v = -1;
    if (c >= '0' && c <= '9') v = c - '0';
    if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
    if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
    if (v < 0) return absl::InvalidArgumentError("not a hex digit");
    out.be_[31 - i / 2] |= static_cast<uint8_t>(i % 2 == 0 ? v : v << 4);
  }
  return out;
}

Bytes U256::MinimalBigEndian() const {
  size_t first = 0;
  while (first < 32 && be_[first] == 0) ++first;
  return Bytes(be_.begin() + first, be_.end());
}

std::string U256::ToDecimal() const {
  std::array<uint8_t, 32> n = be_;
  std::string digits;
  bool nonzero = true;
  while (nonzero) {
    // n /= 10, collecting the remainder (schoolbook division, most significant byte first).
    unsigned rem = 0;
    nonzero = false;
    for (uint8_t& b : n) {
      unsigned cur = (rem << 8) | b;
      b = static_cast<uint8_t>(cur / 10);
      rem = cur % 10;
      nonzero |= (b != 0);
    }
    digits.push_back(static_cast<char>('0' + rem));
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}

bool U256::IsZero() const {
  return std::all_of(be_.begin(), be_.end(), [](uint8_t b) { return b == 0; });
}

std::optional<U256> U256::CheckedAdd(const U256& o) const {
  U256 out;
  unsigned carry = 0;
  for (int i = 31; i >= 0; --i) {
    unsigned sum = static_cast<unsigned>(be_[i]) + o.be_[i] + carry;
    out.be_[i] = static_cast<uint8_t>(sum);
    carry = sum >> 8;
  }
  if (carry) return std::nullopt;
  return out;
}

std::optional<U256> U256::CheckedSub(const U256& o) const {
  if (*this < o) return std::nullopt;
  U256 out;
  int borrow = 0;
  for (int i = 31; i >= 0; --i) {
    int diff = static_cast<int>(be_[i]) - o.be_[i] - borrow;
    borrow = diff < 0 ? 1 : 0;
    out.be_[i] = static_cast<uint8_t>(diff + (borrow << 8));
  }
  return out;
}

std::optional<U256> U256::CheckedMulSmall(uint64_t m) const {
  U256 out;
  Uint128 carry = 0;
  for (int i = 31; i >= 0; --i) {
    Uint128 cur = static_cast<Uint128>(be_[i]) * m + carry;
    out.be_[i] = static_cast<uint8_t>(cur);
    carry = cur >> 8;
  }
  if (carry != 0) return std::nullopt;
  return out;
}

U256 LovelaceToWei(Lovelace amount) {
  // Milkomeda C1 mADA has 18 decimals, ADA 6: 10^12 wei per lovelace (milkomeda_c1.json).
  // (2^64 - 1) * 10^12 < 2^104, so this cannot overflow.
  std::optional<U256> wei = U256::FromUint64(amount.value()).CheckedMulSmall(1000000000000ull);
  return *wei;
}

}  // namespace stakeward::chain::evm
