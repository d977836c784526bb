// CIP-19 Shelley addresses, pool ids and CIP-129 DRep ids.
// Header layout: cardano-foundation/CIPs CIP-0019/README.md (same table as conway.cddl).
#include "chain/address.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "chain/cbor.h"
#include "chain/check.h"

namespace stakeward::chain {
namespace {

constexpr size_t kHashLen = 28;

Credential MakeCred(bool script, const uint8_t* p) {
  Credential c;
  c.kind = script ? Credential::Kind::kScriptHash : Credential::Kind::kKeyHash;
  std::copy(p, p + kHashLen, c.hash.begin());
  return c;
}

uint8_t ScriptBit(const Credential& c) { return c.kind == Credential::Kind::kScriptHash ? 1 : 0; }

void AppendHash(Bytes& out, const Hash28& h) { out.insert(out.end(), h.begin(), h.end()); }

// A CIP-19 pointer is three variable-length naturals: 7 bits per byte, big-endian, the high bit
// set on every byte but the last.
absl::Status ValidatePointer(ByteView p) {
  size_t i = 0;
  for (int field = 0; field < 3; ++field) {
    uint64_t v = 0;
    int n = 0;
    for (;;) {
      if (i >= p.size()) return absl::InvalidArgumentError("truncated pointer in pointer address");
      const uint8_t b = p[i++];
      if (n == 0 && b == 0x80) {
        return absl::InvalidArgumentError("non-minimal pointer encoding");
      }
      if (++n > 10 || (v >> 57) != 0) {
        return absl::InvalidArgumentError("pointer value too large");
      }
      v = (v << 7) | (b & 0x7f);
      if ((b & 0x80) == 0) break;
    }
  }
  if (i != p.size()) return absl::InvalidArgumentError("trailing bytes after pointer");
  return absl::OkStatus();
}

// Byron addresses are CBOR [#6.24(bytes .cbor [root, attributes, type]), crc32]. Attribute 2
// (protocol magic) is present on test networks only.
absl::StatusOr<Network> ByronNetwork(ByteView bytes) {
  cbor::Limits lim;
  lim.require_canonical = false;
  lim.max_depth = 8;
  auto outer_doc = cbor::Decode(bytes, lim);
  const cbor::Item* outer = outer_doc.ok() ? &outer_doc->root() : nullptr;
  if (outer == nullptr || !outer->IsArray() || outer->children.size() != 2 ||
      !outer->children[0].IsTag(24) || !outer->children[0].children[0].IsBytes() ||
      !outer->children[1].IsUint()) {
    return absl::InvalidArgumentError("malformed Byron address");
  }
  auto inner_doc = cbor::Decode(outer->children[0].children[0].bytes, lim);
  const cbor::Item* inner = inner_doc.ok() ? &inner_doc->root() : nullptr;
  if (inner == nullptr || !inner->IsArray() || inner->children.size() != 3 ||
      !inner->children[1].IsMap()) {
    return absl::InvalidArgumentError("malformed Byron address payload");
  }
  const cbor::Item& attrs = inner->children[1];
  for (size_t i = 0; i < attrs.map_size(); ++i) {
    if (attrs.map_key(i).IsUint() && attrs.map_key(i).arg == 2) return Network::kTestnet;
  }
  return Network::kMainnet;
}

std::string Base58Encode(ByteView data) {
  static constexpr char kAlphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  size_t zeros = 0;
  while (zeros < data.size() && data[zeros] == 0) ++zeros;
  std::vector<uint8_t> digits;  // base-58 digits, little-endian
  for (size_t i = zeros; i < data.size(); ++i) {
    uint32_t carry = data[i];
    for (auto& d : digits) {
      carry += static_cast<uint32_t>(d) << 8;
      d = static_cast<uint8_t>(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits.push_back(static_cast<uint8_t>(carry % 58));
      carry /= 58;
    }
  }
  std::string out(zeros, '1');
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out.push_back(kAlphabet[*it]);
  return out;
}

}  // namespace

Address Address::Base(Network n, const Credential& payment, const Credential& stake) {
  Address a;
  a.type = AddressType::kBase;
  a.network = n;
  a.payment = payment;
  a.delegation = stake;
  a.raw = a.ToBytes();
  return a;
}

Address Address::Enterprise(Network n, const Credential& payment) {
  Address a;
  a.type = AddressType::kEnterprise;
  a.network = n;
  a.payment = payment;
  a.raw = a.ToBytes();
  return a;
}

Address Address::Reward(Network n, const Credential& stake) {
  Address a;
  a.type = AddressType::kReward;
  a.network = n;
  a.delegation = stake;
  a.raw = a.ToBytes();
  return a;
}

Bytes Address::ToBytes() const {
  const uint8_t net = static_cast<uint8_t>(network);
  Bytes out;
  switch (type) {
    case AddressType::kBase:
      // Types 0..3: bit 0 = payment is a script, bit 1 = stake part is a script.
      out.push_back(
          static_cast<uint8_t>(((ScriptBit(payment) | (ScriptBit(delegation) << 1)) << 4) | net));
      AppendHash(out, payment.hash);
      AppendHash(out, delegation.hash);
      return out;
    case AddressType::kEnterprise:
      out.push_back(static_cast<uint8_t>(((6 + ScriptBit(payment)) << 4) | net));
      AppendHash(out, payment.hash);
      return out;
    case AddressType::kReward:
      out.push_back(static_cast<uint8_t>(((14 + ScriptBit(delegation)) << 4) | net));
      AppendHash(out, delegation.hash);
      return out;
    case AddressType::kPointer:
    case AddressType::kByron:
      // Only known from their bytes.
      SW_CHECK(!raw.empty());
      return raw;
  }
  SW_CHECK(false);
  return out;
}

std::string Address::ToBech32() const {
  const Bytes bytes = ToBytes();
  if (type == AddressType::kByron) return Base58Encode(View(bytes));
  const bool main = network == Network::kMainnet;
  if (type == AddressType::kReward) return Bech32Encode(main ? "stake" : "stake_test", View(bytes));
  return Bech32Encode(main ? "addr" : "addr_test", View(bytes));
}

absl::StatusOr<Address> ParseAddressBytes(ByteView bytes) {
  if (bytes.empty()) return absl::InvalidArgumentError("empty address");
  const uint8_t header = bytes[0];
  const uint8_t kind = header >> 4;
  const uint8_t net = header & 0x0f;
  Address a;
  a.raw.assign(bytes.begin(), bytes.end());
  if (kind == 8) {
    auto n = ByronNetwork(bytes);
    if (!n.ok()) return n.status();
    a.type = AddressType::kByron;
    a.network = *n;
    return a;
  }
  if (net > 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("address header 0x", absl::Hex(header), ": unknown network id ", net));
  }
  a.network = static_cast<Network>(net);
  auto want_len = [&](size_t n) -> absl::Status {
    if (bytes.size() != n) {
      return absl::InvalidArgumentError(
          absl::StrCat("address of type ", kind, " must be ", n, " bytes, got ", bytes.size()));
    }
    return absl::OkStatus();
  };
  const uint8_t* p = bytes.data() + 1;
  if (kind <= 3) {
    if (auto s = want_len(57); !s.ok()) return s;
    a.type = AddressType::kBase;
    a.payment = MakeCred(kind & 1, p);
    a.delegation = MakeCred(kind & 2, p + kHashLen);
  } else if (kind <= 5) {
    if (bytes.size() < 1 + kHashLen + 3) {
      return absl::InvalidArgumentError("pointer address too short");
    }
    if (auto s = ValidatePointer(bytes.subspan(1 + kHashLen)); !s.ok()) return s;
    a.type = AddressType::kPointer;
    a.payment = MakeCred(kind & 1, p);
  } else if (kind <= 7) {
    if (auto s = want_len(29); !s.ok()) return s;
    a.type = AddressType::kEnterprise;
    a.payment = MakeCred(kind & 1, p);
  } else if (kind >= 14) {
    if (auto s = want_len(29); !s.ok()) return s;
    a.type = AddressType::kReward;
    a.delegation = MakeCred(kind & 1, p);
  } else {
    return absl::InvalidArgumentError(absl::StrCat("unknown address type ", kind));
  }
  return a;
}

absl::StatusOr<Address> ParseAddress(std::string_view bech32) {
  auto d = Bech32Decode(bech32);
  if (!d.ok()) return d.status();
  auto a = ParseAddressBytes(View(d->data));
  if (!a.ok()) return a.status();
  if (a->type == AddressType::kByron) {
    return absl::InvalidArgumentError("Byron addresses are not bech32");
  }
  const bool main = a->network == Network::kMainnet;
  const std::string_view want = a->type == AddressType::kReward ? (main ? "stake" : "stake_test")
                                                                : (main ? "addr" : "addr_test");
  if (d->hrp != want) {
    return absl::InvalidArgumentError(absl::StrCat("address prefix '", d->hrp,
                                                   "' does not match its header (expected '",
                                                   std::string(want), "')"));
  }
  return a;
}

absl::StatusOr<Address> ParseAddressOn(std::string_view bech32, Network expected) {
  auto a = ParseAddress(bech32);
  if (!a.ok()) return a.status();
  if (a->network != expected) {
    return absl::InvalidArgumentError(
        absl::StrCat("address is for ", a->network == Network::kMainnet ? "mainnet" : "a testnet",
                     ", expected ", expected == Network::kMainnet ? "mainnet" : "a testnet"));
  }
  return a;
}

std::string FormatAddress(ByteView raw) {
  auto a = ParseAddressBytes(raw);
  if (!a.ok()) return absl::StrCat("<invalid address ", HexEncode(raw), ">");
  return a->ToBech32();
}

std::string PoolIdBech32(const Hash28& pool) { return Bech32Encode("pool", View(pool)); }

absl::StatusOr<Hash28> ParsePoolId(std::string_view bech32_or_hex) {
  if (bech32_or_hex.size() == 2 * kHashLen) {
    auto h = HexDecodeFixed<kHashLen>(bech32_or_hex);
    if (h.ok()) return h;
  }
  auto b = Bech32DecodeExpect(bech32_or_hex, "pool");
  if (!b.ok())
    return absl::InvalidArgumentError(absl::StrCat("invalid pool id: ", b.status().message()));
  auto h = ToFixed<kHashLen>(View(*b));
  if (!h.ok()) return absl::InvalidArgumentError("invalid pool id: not 28 bytes");
  return h;
}

std::string DRepIdCip129(const Credential& drep) {
  // CIP-129: high nibble 2 = DRep; low nibble 2 = key hash, 3 = script hash.
  Bytes data;
  data.push_back(drep.kind == Credential::Kind::kKeyHash ? 0x22 : 0x23);
  AppendHash(data, drep.hash);
  return Bech32Encode("drep", View(data));
}

absl::StatusOr<Credential> ParseDRepId(std::string_view bech32) {
  auto d = Bech32Decode(bech32);
  if (!d.ok()) return d.status();
  const Bytes& b = d->data;
  const bool drep_hrp = d->hrp == "drep";
  if (drep_hrp && b.size() == kHashLen + 1) {
    if (b[0] != 0x22 && b[0] != 0x23) {
      return absl::InvalidArgumentError(
          absl::StrCat("CIP-129 header 0x", absl::Hex(b[0]), " is not a DRep id"));
    }
    return MakeCred(b[0] == 0x23, b.data() + 1);
  }
  // CIP-105 (deprecated): the bare hash, "drep"/"drep_vkh" for keys, "drep_script" for scripts.
  if (b.size() == kHashLen && (drep_hrp || d->hrp == "drep_vkh")) return MakeCred(false, b.data());
  if (b.size() == kHashLen && d->hrp == "drep_script") return MakeCred(true, b.data());
  return absl::InvalidArgumentError(
      absl::StrCat("not a DRep id (prefix '", d->hrp, "', ", b.size(), " bytes)"));
}

}  // namespace stakeward::chain
