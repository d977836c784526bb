// EIP-1559 (type 2) transactions: 0x02 || rlp([chain_id, nonce, max_priority_fee_per_gas,
// max_fee_per_gas, gas_limit, to, value, data, access_list(, y_parity, r, s)]) (EIP-1559, EIP-2718,
// EIP-2930 for the access list).
#include <algorithm>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "chain/evm.h"
#include "chain/hash.h"

namespace stakeward::chain::evm {
namespace {

constexpr uint8_t kTxType = 0x02;
constexpr size_t kUnsignedFields = 9;
constexpr size_t kSignedFields = 12;

// The secp256k1 group order n, big-endian (SEC 2).
constexpr std::array<uint8_t, 32> kOrder = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
    0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
// floor(n / 2).
constexpr std::array<uint8_t, 32> kHalfOrder = {
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};

std::vector<Bytes> UnsignedFields(const Eip1559Tx& tx) {
  std::vector<Bytes> f;
  f.reserve(kSignedFields);
  f.push_back(rlp::EncodeUint(U256::FromUint64(tx.chain_id)));
  f.push_back(rlp::EncodeUint(tx.nonce));
  f.push_back(rlp::EncodeUint(tx.max_priority_fee_per_gas));
  f.push_back(rlp::EncodeUint(tx.max_fee_per_gas));
  f.push_back(rlp::EncodeUint(tx.gas_limit));
  f.push_back(tx.to ? rlp::EncodeBytes(View(*tx.to)) : rlp::EncodeBytes(ByteView()));
  f.push_back(rlp::EncodeUint(tx.value));
  f.push_back(rlp::EncodeBytes(View(tx.data)));
  f.push_back(tx.access_list_rlp.empty() ? rlp::EncodeList({}) : tx.access_list_rlp);
  return f;
}

Bytes Typed(const std::vector<Bytes>& fields) {
  Bytes list = rlp::EncodeList(fields);
  Bytes out;
  out.reserve(list.size() + 1);
  out.push_back(kTxType);
  out.insert(out.end(), list.begin(), list.end());
  return out;
}

// Re-encodes a decoded item; the decoder only accepts canonical input, so this reproduces it.
Bytes Reencode(const rlp::Item& item) {
  if (!item.is_list) return rlp::EncodeBytes(View(item.bytes));
  std::vector<Bytes> children;
  children.reserve(item.items.size());
  for (const rlp::Item& c : item.items) children.push_back(Reencode(c));
  return rlp::EncodeList(children);
}

absl::Status FieldError(std::string_view name, std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("EIP-1559 field ", std::string(name), ": ", std::string(what)));
}

// An RLP integer: a byte string of at most max_bytes with no leading zero (zero is empty).
absl::StatusOr<U256> ReadUint(const rlp::Item& item, std::string_view name, size_t max_bytes = 32) {
  if (item.is_list) return FieldError(name, "expected an integer, got a list");
  if (item.bytes.size() > max_bytes) return FieldError(name, "integer too large");
  if (!item.bytes.empty() && item.bytes[0] == 0)
    return FieldError(name, "integer with a leading zero");
  return U256::FromBigEndian(View(item.bytes));
}

// Access list (EIP-2930): [[address(20), [storage_key(32), ...]], ...].
absl::Status CheckAccessList(const rlp::Item& list) {
  if (!list.is_list) return FieldError("access_list", "expected a list");
  for (const rlp::Item& entry : list.items) {
    if (!entry.is_list || entry.items.size() != 2 || entry.items[0].is_list ||
        entry.items[0].bytes.size() != 20 || !entry.items[1].is_list) {
      return FieldError("access_list", "entries are [address, [storage keys]]");
    }
    for (const rlp::Item& key : entry.items[1].items) {
      if (key.is_list || key.bytes.size() != 32) {
        return FieldError("access_list", "storage keys are 32 bytes");
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Eip1559Tx> ReadUnsignedFields(const std::vector<rlp::Item>& f) {
  Eip1559Tx tx;
  absl::StatusOr<U256> chain_id = ReadUint(f[0], "chain_id", 8);
  if (!chain_id.ok()) return chain_id.status();
  uint64_t cid = 0;
  for (uint8_t b : chain_id->big_endian()) cid = (cid << 8) | b;  // fits: at most 8 bytes
  tx.chain_id = cid;
  struct Target {
    U256* field;
    const char* name;
  };
  const Target ints[] = {{&tx.nonce, "nonce"},
                         {&tx.max_priority_fee_per_gas, "max_priority_fee_per_gas"},
                         {&tx.max_fee_per_gas, "max_fee_per_gas"},
                         {&tx.gas_limit, "gas_limit"}};
  for (size_t i = 0; i < 4; ++i) {
    absl::StatusOr<U256> v = ReadUint(f[1 + i], ints[i].name);
    if (!v.ok()) return v.status();
    *ints[i].field = *v;
  }
  const rlp::Item& to = f[5];
  if (to.is_list || (to.bytes.size() != 0 && to.bytes.size() != 20)) {
    return FieldError("to", "expected 20 bytes or empty");
  }
  if (to.bytes.size() == 20) {
    Address a;
    std::copy(to.bytes.begin(), to.bytes.end(), a.begin());
    tx.to = a;
  }
  absl::StatusOr<U256> value = ReadUint(f[6], "value");
  if (!value.ok()) return value.status();
  tx.value = *value;
  if (f[7].is_list) return FieldError("data", "expected bytes");
  tx.data = f[7].bytes;
  if (absl::Status s = CheckAccessList(f[8]); !s.ok()) return s;
  if (!f[8].items.empty()) tx.access_list_rlp = Reencode(f[8]);
  return tx;
}

absl::StatusOr<std::vector<rlp::Item>> DecodeTyped(ByteView raw, size_t want_fields) {
  if (raw.empty() || raw[0] != kTxType) {
    return absl::InvalidArgumentError("not an EIP-1559 (type 0x02) transaction");
  }
  absl::StatusOr<rlp::Item> item = rlp::Decode(raw.subspan(1));
  if (!item.ok()) return item.status();
  if (!item->is_list || item->items.size() != want_fields) {
    return absl::InvalidArgumentError(
        absl::StrCat("EIP-1559 transaction must be a list of ", want_fields, " fields"));
  }
  return std::move(item->items);
}

}  // namespace

Bytes EncodeUnsigned(const Eip1559Tx& tx) { return Typed(UnsignedFields(tx)); }

Hash32 SigningHash(const Eip1559Tx& tx) { return Keccak256(View(EncodeUnsigned(tx))); }

Bytes EncodeSigned(const Eip1559Tx& tx, const EvmSignature& sig) {
  std::vector<Bytes> f = UnsignedFields(tx);
  f.push_back(rlp::EncodeUint(U256::FromUint64(sig.y_parity)));
  f.push_back(rlp::EncodeUint(*U256::FromBigEndian(View(sig.r))));
  f.push_back(rlp::EncodeUint(*U256::FromBigEndian(View(sig.s))));
  return Typed(f);
}

Hash32 TxHash(const Eip1559Tx& tx, const EvmSignature& sig) {
  return Keccak256(View(EncodeSigned(tx, sig)));
}

absl::StatusOr<Eip1559Tx> DecodeUnsigned(ByteView raw) {
  absl::StatusOr<std::vector<rlp::Item>> f = DecodeTyped(raw, kUnsignedFields);
  if (!f.ok()) return f.status();
  return ReadUnsignedFields(*f);
}

absl::StatusOr<SignedEip1559> DecodeSigned(ByteView raw) {
  absl::StatusOr<std::vector<rlp::Item>> f = DecodeTyped(raw, kSignedFields);
  if (!f.ok()) return f.status();
  absl::StatusOr<Eip1559Tx> tx = ReadUnsignedFields(*f);
  if (!tx.ok()) return tx.status();
  SignedEip1559 out;
  out.tx = std::move(*tx);
  absl::StatusOr<U256> parity = ReadUint((*f)[9], "y_parity", 1);
  if (!parity.ok()) return parity.status();
  if (*parity > U256::FromUint64(1)) return FieldError("y_parity", "must be 0 or 1");
  out.sig.y_parity = parity->big_endian()[31];
  absl::StatusOr<U256> r = ReadUint((*f)[10], "r");
  if (!r.ok()) return r.status();
  absl::StatusOr<U256> s = ReadUint((*f)[11], "s");
  if (!s.ok()) return s.status();
  if (r->IsZero() || r->big_endian() >= kOrder) return FieldError("r", "out of range");
  // EIP-2: 0 < s <= n/2 (floor, n is odd).
  if (s->IsZero() || s->big_endian() > kHalfOrder) {
    return FieldError("s", "out of range (EIP-2 requires s <= n/2)");
  }
  out.sig.r = r->big_endian();
  out.sig.s = s->big_endian();
  return out;
}

absl::StatusOr<Address> RecoverSender(const Eip1559Tx& tx, const EvmSignature& sig) {
  return RecoverSigner(SigningHash(tx), sig);
}

}  // namespace stakeward::chain::evm
