// DecodeTransaction's fast path: the transactions Stakeward builds and hardware wallets sign, read
// straight from the bytes into the typed transaction, without the general decoder's item
// document. It takes only canonical CBOR (shortest heads, definite lengths, map keys ascending)
// and the fields Stakeward models: inputs, ADA-only outputs, fee, ttl, stake and vote
// certificates (types 0, 1, 2, 7..13), withdrawals, auxiliary data hash, validity start,
// required signers, network id; vkey witnesses and native scripts; auxiliary data (checked by the
// general decoder on its own: it is small and its forms many). Anything else, valid or not, makes
// it give up and the general decoder decides, so every error message, lenient form and rare field
// keeps one implementation. What it accepts, the general decoder accepts with the same result
// (tests/fuzz/tx_decoder_fuzz.cc checks this on every input).
#include <algorithm>
#include <array>
#include <vector>

#include "chain/address.h"
#include "chain/tx.h"
#include "chain/tx_internal.h"

namespace stakeward::chain::tx_internal {
namespace {

// Far below TxLimits' item budget (every item takes a byte), far above maxTxSize.
constexpr size_t kFastMaxBytes = 1 << 16;
// Native scripts nested deeper than this go to the general decoder (and its depth limit).
constexpr int kFastMaxScriptDepth = 16;
// The fewest bytes of an element the fast path takes (heads, hashes and keys included).
constexpr size_t kMinInput = 1 + 2 + 32 + 1;                  // [tx id, index]
constexpr size_t kMinOutput = 1 + 2 + 29 + 1;                 // [address (29 bytes at least), coin]
constexpr size_t kMinCertificate = 1 + 1 + (1 + 1 + 2 + 28);  // [type, [kind, hash28]]
constexpr size_t kMinWithdrawal = 2 + 29 + 1;                 // reward account => coin
constexpr size_t kMinSigner = 2 + 28;
constexpr size_t kMinVkeyWitness = 1 + 2 + 32 + 2 + 64;
constexpr size_t kMinScript = 3;  // [4 / 5, slot]

// Canonical heads only; every read returns false at the first thing outside the fast form.
class Reader {
 public:
  explicit Reader(ByteView data) : p_(data.data()), end_(data.data() + data.size()) {}

  const uint8_t* pos() const { return p_; }
  bool AtEnd() const { return p_ == end_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  // The major type of the next item (8 at the end of the input).
  uint8_t PeekMajor() const { return p_ == end_ ? 8 : *p_ >> 5; }

  bool Uint(uint64_t& v) { return Head(0, v); }
  // `min_each`: the fewest bytes an element can take, so that a count the input cannot hold is
  // refused before anything is reserved for it.
  bool Array(size_t& n, size_t min_each = 1) { return Count(4, min_each, n); }
  bool Map(size_t& n, size_t min_pair = 2) { return Count(5, min_pair, n); }
  bool ArrayOf(size_t want) {
    size_t n = 0;
    return Array(n) && n == want;
  }
  bool Bytes(ByteView& out) {
    uint64_t len = 0;
    if (!Head(2, len) || len > remaining()) return false;
    out = ByteView(p_, len);
    p_ += len;
    return true;
  }
  template <size_t N>
  bool Fixed(std::array<uint8_t, N>& out) {
    ByteView b;
    if (!Bytes(b) || b.size() != N) return false;
    std::copy(b.begin(), b.end(), out.begin());
    return true;
  }
  // `#6.258([* a]) / [* a]`: the tag as d9 01 02, its shortest form.
  bool Set(size_t& n, bool& tagged, size_t min_each) {
    tagged = remaining() >= 3 && p_[0] == 0xd9 && p_[1] == 0x01 && p_[2] == 0x02;
    if (tagged) p_ += 3;
    return Array(n, min_each);
  }
  // false (f4), true (f5), null (f6).
  bool Simple(uint8_t& v) {
    if (p_ == end_ || *p_ < 0xf4 || *p_ > 0xf6) return false;
    v = *p_++ & 0x1f;
    return true;
  }
  // Map keys: unsigned, strictly ascending (for shortest-form unsigned integers the canonical key
  // order is the numeric order, and strictly ascending rules out duplicates).
  bool NextKey(uint64_t& key, bool first, uint64_t prev) {
    return Uint(key) && (first || key > prev);
  }

 private:
  bool Head(uint8_t major, uint64_t& arg) {
    if (p_ == end_ || (*p_ >> 5) != major) return false;
    const uint8_t ai = *p_++ & 0x1f;
    if (ai < 24) {
      arg = ai;
      return true;
    }
    if (ai > 27) return false;  // indefinite or reserved
    const size_t n = size_t{1} << (ai - 24);
    if (remaining() < n) return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | *p_++;
    arg = v;
    return (n == 1 && v >= 24) || (n == 2 && v > 0xff) || (n == 4 && v > 0xffff) ||
           (n == 8 && v > 0xffffffffULL);
  }
  // A count no larger than the input could hold (each item takes at least a byte).
  bool Count(uint8_t major, size_t bytes_each, size_t& n) {
    uint64_t c = 0;
    if (!Head(major, c) || c > remaining() / bytes_each) return false;
    n = static_cast<size_t>(c);
    return true;
  }

  const uint8_t* p_;
  const uint8_t* end_;
};

// The first set-valued field fixes whether sets carry tag 258 (as the general decoder does).
struct SetTags {
  bool known = false;
  void Note(bool tagged, bool& set_tags) {
    if (!known) set_tags = tagged;
    known = true;
  }
};

// A set (`#6.258([* a]) / [* a]`) read into `out` by `read_one(element)`; `non_empty` for the
// sets the ledger wants non-empty. The first set read fixes `set_tags`.
template <typename T, typename ReadOne>
bool ReadSet(Reader& r, SetTags& tags, bool& set_tags, size_t min_each, bool non_empty,
             std::vector<T>& out, const ReadOne& read_one) {
  size_t n = 0;
  bool tagged = false;
  if (!r.Set(n, tagged, min_each) || (non_empty && n == 0)) return false;
  tags.Note(tagged, set_tags);
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (!read_one(out.emplace_back())) return false;
  }
  return true;
}

bool ReadCredential(Reader& r, Credential& c) {
  uint64_t kind = 0;
  if (!r.ArrayOf(2) || !r.Uint(kind) || kind > 1) return false;
  c.kind = static_cast<Credential::Kind>(kind);
  return r.Fixed(c.hash);
}

bool ReadDRep(Reader& r, DRep& d) {
  size_t n = 0;
  uint64_t kind = 0;
  if (!r.Array(n) || n == 0 || !r.Uint(kind) || kind > 3) return false;
  d.kind = static_cast<DRep::Kind>(kind);
  if (d.kind == DRep::Kind::kKeyHash || d.kind == DRep::Kind::kScriptHash) {
    return n == 2 && r.Fixed(d.hash);
  }
  return n == 1;
}

// The certificate types encoded from their fields (0, 1, 2, 7..13); the rest (pool and
// governance certificates, kept raw) are the general decoder's.
bool ReadCertificate(Reader& r, Certificate& cert) {
  size_t n = 0;
  uint64_t type = 0;
  if (!r.Array(n) || n == 0 || !r.Uint(type)) return false;
  // The fields after the credential, in order, for each type.
  const bool pool = type == 2 || type == 10 || type == 11 || type == 13;
  const bool drep = type == 9 || type == 10 || type == 12 || type == 13;
  const bool coin = type == 7 || type == 8 || type == 11 || type == 12 || type == 13;
  if (type > 13 || (type >= 3 && type <= 6)) return false;
  if (n != 2 + size_t{pool} + size_t{drep} + size_t{coin}) return false;
  cert.type = static_cast<Certificate::Type>(type);
  if (!ReadCredential(r, cert.credential)) return false;
  if (pool && !r.Fixed(cert.pool)) return false;
  if (drep && !ReadDRep(r, cert.drep)) return false;
  uint64_t amount = 0;
  if (coin && !r.Uint(amount)) return false;
  cert.coin = Lovelace(amount);
  return true;
}

bool ReadScript(Reader& r, NativeScript& s, int depth) {
  size_t n = 0;
  uint64_t type = 0;
  if (depth > kFastMaxScriptDepth || !r.Array(n) || n == 0 || !r.Uint(type)) return false;
  auto subs = [&]() {
    size_t k = 0;
    if (!r.Array(k, kMinScript)) return false;
    s.scripts.reserve(k);
    for (size_t i = 0; i < k; ++i) {
      if (!ReadScript(r, s.scripts.emplace_back(), depth + 1)) return false;
    }
    return true;
  };
  switch (type) {
    case 0:
      s.type = NativeScript::Type::kSig;
      return n == 2 && r.Fixed(s.key_hash);
    case 1:
    case 2:
      s.type = static_cast<NativeScript::Type>(type);
      return n == 2 && subs();
    case 3:
      s.type = NativeScript::Type::kAtLeast;
      return n == 3 && r.Uint(s.required) && subs();
    case 4:
    case 5:
      s.type = static_cast<NativeScript::Type>(type);
      return n == 2 && r.Uint(s.slot);
    default:
      return false;
  }
}

bool ReadAddress(Reader& r, Bytes& out) {
  ByteView b;
  if (!r.Bytes(b)) return false;
  auto a = ParseAddressBytes(b);
  if (!a.ok()) return false;
  out = std::move(a->raw);
  return true;
}

// [address, coin] or {0: address, 1: coin}: no multiasset, datum or script reference.
bool ReadOutput(Reader& r, TxOut& out) {
  uint64_t coin = 0;
  if (r.PeekMajor() == 4) {
    if (!r.ArrayOf(2) || !ReadAddress(r, out.address) || !r.Uint(coin)) return false;
    out.coin = Lovelace(coin);
    return true;
  }
  out.map_form = true;
  uint64_t k0 = 0, k1 = 0;
  size_t n = 0;
  if (!r.Map(n) || n != 2 || !r.Uint(k0) || k0 != 0 || !ReadAddress(r, out.address) ||
      !r.Uint(k1) || k1 != 1 || !r.Uint(coin)) {
    return false;
  }
  out.coin = Lovelace(coin);
  return true;
}

bool ReadInputs(Reader& r, TxBody& body, SetTags& tags) {
  auto read = [&r](TxIn& in) {
    uint64_t ix = 0;
    if (!r.ArrayOf(2) || !r.Fixed(in.tx_id) || !r.Uint(ix) || ix > 0xffff) return false;
    in.index = static_cast<uint32_t>(ix);
    return true;
  };
  return ReadSet(r, tags, body.set_tags, kMinInput, false, body.inputs, read) &&
         !FirstRepeat(body.inputs).has_value();
}

bool ReadOutputs(Reader& r, TxBody& body) {
  size_t n = 0;
  if (!r.Array(n, kMinOutput)) return false;
  body.outputs.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (!ReadOutput(r, body.outputs.emplace_back())) return false;
  }
  return true;
}

bool ReadCertificates(Reader& r, TxBody& body, SetTags& tags) {
  return ReadSet(r, tags, body.set_tags, kMinCertificate, true, body.certificates,
                 [&r](Certificate& c) { return ReadCertificate(r, c); });
}

// Reward-account keys of one length: canonical order is byte order, strictly ascending.
bool ReadWithdrawals(Reader& r, TxBody& body) {
  size_t n = 0;
  if (!r.Map(n, kMinWithdrawal) || n == 0) return false;
  body.withdrawals.reserve(n);
  ByteView prev;
  for (size_t i = 0; i < n; ++i) {
    ByteView acct;
    uint64_t coin = 0;
    if (!r.Bytes(acct) || acct.size() != 29) return false;
    if (i > 0 &&
        !std::lexicographical_compare(prev.begin(), prev.end(), acct.begin(), acct.end())) {
      return false;
    }
    prev = acct;
    auto a = ParseAddressBytes(acct);
    if (!a.ok() || a->type != AddressType::kReward || !r.Uint(coin)) return false;
    body.withdrawals.push_back(Withdrawal{std::move(a->raw), Lovelace(coin)});
  }
  return true;
}

bool ReadRequiredSigners(Reader& r, TxBody& body, SetTags& tags) {
  return ReadSet(r, tags, body.set_tags, kMinSigner, true, body.required_signers,
                 [&r](Hash28& h) { return r.Fixed(h); }) &&
         !FirstRepeat(body.required_signers).has_value();
}

bool ReadBodyField(Reader& r, uint64_t key, TxBody& body, SetTags& tags) {
  uint64_t v = 0;
  switch (key) {
    case 0:
      return ReadInputs(r, body, tags);
    case 1:
      return ReadOutputs(r, body);
    case 2:
      if (!r.Uint(v)) return false;
      body.fee = Lovelace(v);
      return true;
    case 3:
    case 8:
      if (!r.Uint(v)) return false;
      (key == 3 ? body.ttl : body.validity_start) = v;
      return true;
    case 4:
      return ReadCertificates(r, body, tags);
    case 5:
      return ReadWithdrawals(r, body);
    case 7:
      return r.Fixed(body.aux_data_hash.emplace());
    case 14:
      return ReadRequiredSigners(r, body, tags);
    case 15:
      if (!r.Uint(v) || v > 1) return false;
      body.network_id = static_cast<uint8_t>(v);
      return true;
    default:
      return false;
  }
}

bool ReadBody(Reader& r, TxBody& body) {
  size_t n = 0;
  if (!r.Map(n)) return false;
  SetTags tags;
  uint64_t key = 0;
  unsigned required = 0;  // bits for inputs (0), outputs (1) and fee (2)
  for (size_t i = 0; i < n; ++i) {
    const uint64_t prev = key;
    if (!r.NextKey(key, i == 0, prev) || !ReadBodyField(r, key, body, tags)) return false;
    if (key <= 2) required |= 1u << key;
  }
  return required == 7;
}

bool ReadVkeyWitnesses(Reader& r, WitnessSet& ws, SetTags& tags) {
  auto read = [&r](VkeyWitness& w) {
    return r.ArrayOf(2) && r.Fixed(w.vkey) && r.Fixed(w.signature);
  };
  if (!ReadSet(r, tags, ws.set_tags, kMinVkeyWitness, true, ws.vkeys, read)) return false;
  for (size_t i = 1; i < ws.vkeys.size(); ++i) {  // pairwise, as the general decoder
    for (size_t j = 0; j < i; ++j) {
      if (ws.vkeys[j] == ws.vkeys[i]) return false;
    }
  }
  return true;
}

bool ReadScripts(Reader& r, WitnessSet& ws, SetTags& tags) {
  return ReadSet(r, tags, ws.set_tags, kMinScript, true, ws.scripts,
                 [&r](NativeScript& s) { return ReadScript(r, s, 0); });
}

bool ReadWitnessSet(Reader& r, WitnessSet& ws) {
  size_t n = 0;
  if (!r.Map(n)) return false;
  SetTags tags;
  uint64_t key = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t prev = key;
    if (!r.NextKey(key, i == 0, prev)) return false;
    if (key == 0 ? !ReadVkeyWitnesses(r, ws, tags) : key != 1 || !ReadScripts(r, ws, tags)) {
      return false;
    }
  }
  return true;
}

// null, or the rest of the input as one item of a shape CheckAuxDataShape takes (Stakeward's
// proposals carry metadata). That item is decoded on its own by the general decoder, with the
// depth it has left inside the transaction (the transaction array is one level), so it is refused
// exactly when the whole transaction would be.
bool ReadAuxData(Reader& r, Transaction& tx) {
  uint8_t null = 0;
  if (r.PeekMajor() == 7) return r.Simple(null) && null == 22 && r.AtEnd();
  const ByteView rest(r.pos(), r.remaining());
  cbor::Limits limits = TxLimits();
  limits.max_depth -= 1;
  absl::StatusOr<cbor::Document> doc = cbor::Decode(rest, limits);
  if (!doc.ok() || !CheckAuxDataShape(doc->root()).ok()) return false;
  tx.aux_data = Bytes(rest.begin(), rest.end());
  return true;
}

}  // namespace

bool FastTransactionInto(ByteView data, Transaction& tx) {
  if (data.size() > kFastMaxBytes) return false;
  Reader r(data);
  if (!r.ArrayOf(4)) return false;
  const uint8_t* body_start = r.pos();
  if (!ReadBody(r, tx.body)) return false;
  tx.body_bytes.assign(body_start, r.pos());
  uint8_t is_valid = 0;
  if (!ReadWitnessSet(r, tx.witnesses) || !r.Simple(is_valid) || is_valid == 22) return false;
  tx.is_valid = is_valid == 21;
  return ReadAuxData(r, tx);
}

}  // namespace stakeward::chain::tx_internal
