// bech32 (BIP173 checksum, constant 1). Cardano drops the 90-character limit (CIP-5); a generous
// bound still keeps untrusted strings from costing much.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "chain/address.h"

namespace stakeward::chain {
namespace {

constexpr char kCharset[] = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr size_t kMaxBech32Length = 1023;

uint32_t PolyMod(const std::vector<uint8_t>& values) {
  // Generator coefficients from BIP173.
  constexpr uint32_t kGen[5] = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
  uint32_t chk = 1;
  for (uint8_t v : values) {
    const uint32_t top = chk >> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (int i = 0; i < 5; ++i) {
      if ((top >> i) & 1) chk ^= kGen[i];
    }
  }
  return chk;
}

std::vector<uint8_t> HrpExpand(std::string_view hrp) {
  std::vector<uint8_t> out;
  out.reserve(hrp.size() * 2 + 1);
  for (char c : hrp) out.push_back(static_cast<uint8_t>(c) >> 5);
  out.push_back(0);
  for (char c : hrp) out.push_back(static_cast<uint8_t>(c) & 31);
  return out;
}

int CharsetIndex(char c) {
  for (int i = 0; i < 32; ++i) {
    if (kCharset[i] == c) return i;
  }
  return -1;
}

}  // namespace

std::string Bech32Encode(std::string_view hrp, ByteView data) {
  // 8-bit groups to 5-bit groups, zero-padded.
  std::vector<uint8_t> values;
  values.reserve(data.size() * 8 / 5 + 1);
  uint32_t acc = 0;
  int bits = 0;
  for (uint8_t b : data) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      values.push_back((acc >> bits) & 31);
    }
  }
  if (bits > 0) values.push_back((acc << (5 - bits)) & 31);

  std::vector<uint8_t> enc = HrpExpand(hrp);
  enc.insert(enc.end(), values.begin(), values.end());
  enc.insert(enc.end(), 6, 0);
  const uint32_t mod = PolyMod(enc) ^ 1;
  std::string out(hrp);
  out.push_back('1');
  for (uint8_t v : values) out.push_back(kCharset[v]);
  for (int i = 0; i < 6; ++i) out.push_back(kCharset[(mod >> (5 * (5 - i))) & 31]);
  return out;
}

absl::StatusOr<Bech32Decoded> Bech32Decode(std::string_view text) {
  if (text.size() > kMaxBech32Length) {
    return absl::InvalidArgumentError(
        absl::StrCat("bech32 string longer than ", kMaxBech32Length, " characters"));
  }
  bool lower = false, upper = false;
  for (char c : text) {
    if (c < 33 || c > 126) {
      return absl::InvalidArgumentError("bech32 string has a character outside US-ASCII 33..126");
    }
    if (c >= 'a' && c <= 'z') lower = true;
    if (c >= 'A' && c <= 'Z') upper = true;
  }
  if (lower && upper) return absl::InvalidArgumentError("bech32 string mixes upper and lower case");
  std::string s(text);
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  const size_t sep = s.rfind('1');
  if (sep == std::string::npos || sep == 0) {
    return absl::InvalidArgumentError("bech32 string has no human-readable part");
  }
  if (s.size() - sep - 1 < 6) return absl::InvalidArgumentError("bech32 data part too short");
  std::vector<uint8_t> values;
  values.reserve(s.size() - sep - 1);
  for (size_t i = sep + 1; i < s.size(); ++i) {
    const int v = CharsetIndex(s[i]);
    if (v < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid bech32 character '", std::string(1, s[i]), "'"));
    }
    values.push_back(static_cast<uint8_t>(v));
  }
  const std::string hrp = s.substr(0, sep);
  std::vector<uint8_t> chk = HrpExpand(hrp);
  chk.insert(chk.end(), values.begin(), values.end());
  if (PolyMod(chk) != 1) return absl::InvalidArgumentError("bad bech32 checksum");
  values.resize(values.size() - 6);

  Bech32Decoded out;
  out.hrp = hrp;
  uint32_t acc = 0;
  int bits = 0;
  for (uint8_t v : values) {
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.data.push_back(static_cast<uint8_t>(acc >> bits));
    }
    acc &= (1u << bits) - 1;
  }
  // At most 4 bits of padding, and they must be zero.
  if (bits >= 5 || acc != 0) return absl::InvalidArgumentError("invalid bech32 padding");
  return out;
}

absl::StatusOr<Bytes> Bech32DecodeExpect(std::string_view text, std::string_view hrp) {
  auto d = Bech32Decode(text);
  if (!d.ok()) return d.status();
  if (d->hrp != hrp) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected bech32 prefix '", std::string(hrp), "', got '", d->hrp, "'"));
  }
  return std::move(d->data);
}

}  // namespace stakeward::chain
