// Conway transaction body (conway.cddl `transaction_body`): canonical encoding and strict decoding.
#include <algorithm>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "chain/tx.h"
#include "chain/tx_internal.h"

namespace stakeward::chain {
namespace tx_internal {

absl::Status Bad(const cbor::Item& item, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(what, " (at byte ", item.offset, ")"));
}

absl::StatusOr<absl::Span<const cbor::Item>> SetElements(const cbor::Item& item, bool* tagged,
                                                         absl::string_view what) {
  const cbor::Item* arr = &item;
  *tagged = false;
  if (item.IsTag(cbor::kTagSet)) {
    *tagged = true;
    arr = &item.children[0];
  }
  if (!arr->IsArray()) return Bad(item, absl::StrCat(what, " must be an array or a tag-258 set"));
  return arr->children;
}

void WriteSetHeader(cbor::Writer& w, size_t count, bool tagged) {
  if (tagged) w.Tag(cbor::kTagSet);
  w.ArrayHeader(count);
}

absl::StatusOr<uint64_t> UintOf(const cbor::Item& item, absl::string_view what) {
  if (!item.IsUint()) return Bad(item, absl::StrCat(what, " must be an unsigned integer"));
  return item.arg;
}

cbor::Limits TxLimits() {
  cbor::Limits lim;
  lim.max_depth = 64;
  lim.max_items = 100000;  // a 16 KiB transaction has at most 16384 items
  lim.require_canonical = false;
  lim.allow_indefinite = false;
  return lim;
}

absl::StatusOr<TxIn> TxInFromItem(const cbor::Item& item) {
  if (!item.IsArray() || item.children.size() != 2) {
    return Bad(item, "transaction input must be [tx id, index]");
  }
  auto id = FixedBytesOf<32>(item.children[0], "input tx id");
  if (!id.ok()) return id.status();
  auto ix = UintOf(item.children[1], "input index");
  if (!ix.ok()) return ix.status();
  if (*ix > 0xffff) return Bad(item.children[1], "input index exceeds 65535");
  return TxIn{*id, static_cast<uint32_t>(*ix)};
}

namespace {

// multiasset<a> = {+ policy_id(28) => {+ asset_name(<= 32 bytes) => a}}
absl::Status CheckMultiasset(const cbor::Item& item) {
  if (!item.IsMap()) return Bad(item, "multiasset must be a map");
  for (size_t i = 0; i < item.map_size(); ++i) {
    if (!item.map_key(i).IsBytes() || item.map_key(i).bytes.size() != 28) {
      return Bad(item.map_key(i), "policy id must be 28 bytes");
    }
    const cbor::Item& assets = item.map_value(i);
    if (!assets.IsMap()) return Bad(assets, "asset group must be a map");
    for (size_t j = 0; j < assets.map_size(); ++j) {
      if (!assets.map_key(j).IsBytes() || assets.map_key(j).bytes.size() > 32) {
        return Bad(assets.map_key(j), "asset name must be at most 32 bytes");
      }
      if (!assets.map_value(j).IsUint())
        return Bad(assets.map_value(j), "asset amount must be a uint");
    }
  }
  return absl::OkStatus();
}

absl::Status ReadValue(ByteView source, const cbor::Item& item, TxOut& out) {
  if (item.IsUint()) {
    out.coin = Lovelace(item.arg);
    return absl::OkStatus();
  }
  if (!item.IsArray() || item.children.size() != 2 || !item.children[0].IsUint()) {
    return Bad(item, "value must be coin or [coin, multiasset]");
  }
  out.coin = Lovelace(item.children[0].arg);
  if (auto s = CheckMultiasset(item.children[1]); !s.ok()) return s;
  const ByteView ma = cbor::Span(source, item.children[1]);
  out.multiasset.assign(ma.begin(), ma.end());
  return absl::OkStatus();
}

absl::Status ReadAddress(const cbor::Item& item, TxOut& out) {
  if (!item.IsBytes()) return Bad(item, "output address must be bytes");
  auto a = ParseAddressBytes(item.bytes);
  if (!a.ok()) return Bad(item, absl::StrCat("output address: ", a.status().message()));
  out.address = std::move(a->raw);
  return absl::OkStatus();
}

void CopySpan(ByteView source, const cbor::Item& item, Bytes& dst) {
  const ByteView s = cbor::Span(source, item);
  dst.assign(s.begin(), s.end());
}

}  // namespace

absl::Status TxOutInto(ByteView source, const cbor::Item& item, TxOut& out) {
  if (item.IsArray()) {
    // Legacy form [address, value, ? datum_hash].
    if (item.children.size() != 2 && item.children.size() != 3) {
      return Bad(item, "output must be [address, value, ? datum_hash]");
    }
    if (auto s = ReadAddress(item.children[0], out); !s.ok()) return s;
    if (auto s = ReadValue(source, item.children[1], out); !s.ok()) return s;
    if (item.children.size() == 3) {
      if (auto h = FixedBytesOf<32>(item.children[2], "datum hash"); !h.ok()) return h.status();
      CopySpan(source, item.children[2], out.datum_option);
    }
    return absl::OkStatus();
  }
  if (!item.IsMap()) return Bad(item, "output must be an array or a map");
  // Post-Alonzo form {0: address, 1: value, ? 2: datum_option, ? 3: script_ref}.
  out.map_form = true;
  bool have_addr = false, have_value = false;
  for (size_t i = 0; i < item.map_size(); ++i) {
    const cbor::Item& k = item.map_key(i);
    const cbor::Item& v = item.map_value(i);
    if (!k.IsUint()) return Bad(k, "output map keys must be unsigned integers");
    switch (k.arg) {
      case 0:
        if (auto s = ReadAddress(v, out); !s.ok()) return s;
        have_addr = true;
        break;
      case 1:
        if (auto s = ReadValue(source, v, out); !s.ok()) return s;
        have_value = true;
        break;
      case 2:
        // datum_option = [0, hash32] / [1, #6.24(bytes)]
        if (!v.IsArray() || v.children.size() != 2 || !v.children[0].IsUint() ||
            v.children[0].arg > 1) {
          return Bad(v, "datum option must be [0, hash] or [1, data]");
        }
        CopySpan(source, v, out.datum_option);
        break;
      case 3:
        if (!v.IsTag(24) || !v.children[0].IsBytes()) {
          return Bad(v, "script reference must be #6.24(bytes)");
        }
        CopySpan(source, v, out.script_ref);
        break;
      default:
        return Bad(k, absl::StrCat("unknown output field ", k.arg));
    }
  }
  if (!have_addr || !have_value) return Bad(item, "output map needs keys 0 and 1");
  return absl::OkStatus();
}

}  // namespace tx_internal

using tx_internal::Bad;
using tx_internal::FixedBytesOf;
using tx_internal::SetElements;
using tx_internal::UintOf;
using tx_internal::WriteSetHeader;

Bytes EncodeTxOut(const TxOut& out) {
  auto value = [&]() {
    cbor::Writer v;
    if (out.multiasset.empty()) {
      v.Uint(out.coin.value());
    } else {
      v.ArrayHeader(2).Uint(out.coin.value()).Raw(View(out.multiasset));
    }
    return v.Take();
  };
  cbor::Writer w;
  if (!out.map_form) {
    const bool datum = !out.datum_option.empty();
    w.ArrayHeader(datum ? 3 : 2).Bytes(View(out.address)).Raw(View(value()));
    if (datum) w.Raw(View(out.datum_option));
    return w.Take();
  }
  cbor::MapBuilder mb;
  mb.AddUintKey(0, cbor::Writer().Bytes(View(out.address)).Take());
  mb.AddUintKey(1, value());
  if (!out.datum_option.empty()) mb.AddUintKey(2, out.datum_option);
  if (!out.script_ref.empty()) mb.AddUintKey(3, out.script_ref);
  mb.WriteTo(w);
  return w.Take();
}

Bytes EncodeBody(const TxBody& body) {
  const bool tags = body.set_tags;
  cbor::MapBuilder mb;
  {
    cbor::Writer w;
    WriteSetHeader(w, body.inputs.size(), tags);
    for (const auto& in : body.inputs) w.ArrayHeader(2).Bytes(View(in.tx_id)).Uint(in.index);
    mb.AddUintKey(0, w.Take());
  }
  {
    cbor::Writer w;
    w.ArrayHeader(body.outputs.size());
    for (const auto& out : body.outputs) w.Raw(View(EncodeTxOut(out)));
    mb.AddUintKey(1, w.Take());
  }
  mb.AddUintKey(2, cbor::Writer().Uint(body.fee.value()).Take());
  if (body.ttl) mb.AddUintKey(3, cbor::Writer().Uint(*body.ttl).Take());
  if (!body.certificates.empty()) {
    cbor::Writer w;
    WriteSetHeader(w, body.certificates.size(), tags);
    for (const auto& c : body.certificates) WriteCertificate(w, c);
    mb.AddUintKey(4, w.Take());
  }
  if (!body.withdrawals.empty()) {
    cbor::MapBuilder wd;
    for (const auto& x : body.withdrawals) {
      wd.Add(cbor::Writer().Bytes(View(x.reward_account)).Take(),
             cbor::Writer().Uint(x.coin.value()).Take());
    }
    mb.AddUintKey(5, wd.Encode());
  }
  if (body.aux_data_hash) mb.AddUintKey(7, cbor::Writer().Bytes(View(*body.aux_data_hash)).Take());
  if (body.validity_start) mb.AddUintKey(8, cbor::Writer().Uint(*body.validity_start).Take());
  if (!body.required_signers.empty()) {
    cbor::Writer w;
    WriteSetHeader(w, body.required_signers.size(), tags);
    for (const auto& h : body.required_signers) w.Bytes(View(h));
    mb.AddUintKey(14, w.Take());
  }
  if (body.network_id) mb.AddUintKey(15, cbor::Writer().Uint(*body.network_id).Take());
  for (const auto& [key, value] : body.other_fields) mb.AddUintKey(key, value);
  return mb.Encode();
}

namespace {

absl::Status BodyInto(ByteView source, const cbor::Item& item, TxBody& body) {
  if (!item.IsMap()) return Bad(item, "transaction body must be a map");
  bool have[3] = {false, false, false};
  bool set_tags_known = false;
  auto note_tag = [&](bool tagged) {
    if (!set_tags_known) body.set_tags = tagged;
    set_tags_known = true;
  };
  for (size_t i = 0; i < item.map_size(); ++i) {
    const cbor::Item& k = item.map_key(i);
    const cbor::Item& v = item.map_value(i);
    if (!k.IsUint()) return Bad(k, "transaction body keys must be unsigned integers");
    const uint64_t key = k.arg;
    if (key <= 2) have[key] = true;
    bool tagged = false;
    switch (key) {
      case 0: {
        auto elems = SetElements(v, &tagged, "inputs");
        if (!elems.ok()) return elems.status();
        note_tag(tagged);
        body.inputs.reserve(elems->size());
        for (const auto& e : *elems) {
          auto in = tx_internal::TxInFromItem(e);
          if (!in.ok()) return in.status();
          body.inputs.push_back(*in);
        }
        if (auto i = tx_internal::FirstRepeat(body.inputs)) {
          return Bad((*elems)[*i], "duplicate transaction input");
        }
        break;
      }
      case 1: {
        if (!v.IsArray()) return Bad(v, "outputs must be an array");
        body.outputs.reserve(v.children.size());
        for (const auto& e : v.children) {
          if (absl::Status st = tx_internal::TxOutInto(source, e, body.outputs.emplace_back());
              !st.ok()) {
            return st;
          }
        }
        break;
      }
      case 2: {
        auto fee = UintOf(v, "fee");
        if (!fee.ok()) return fee.status();
        body.fee = Lovelace(*fee);
        break;
      }
      case 3:
      case 8: {
        auto slot = UintOf(v, key == 3 ? "ttl" : "validity start");
        if (!slot.ok()) return slot.status();
        (key == 3 ? body.ttl : body.validity_start) = *slot;
        break;
      }
      case 4: {
        auto elems = SetElements(v, &tagged, "certificates");
        if (!elems.ok()) return elems.status();
        if (elems->empty()) return Bad(v, "certificates must not be empty");
        note_tag(tagged);
        body.certificates.reserve(elems->size());
        for (const auto& e : *elems) {
          if (absl::Status st = CertificateInto(source, e, body.certificates.emplace_back());
              !st.ok()) {
            return st;
          }
        }
        break;
      }
      case 5: {
        if (!v.IsMap() || v.map_size() == 0) return Bad(v, "withdrawals must be a non-empty map");
        body.withdrawals.reserve(v.map_size());
        for (size_t j = 0; j < v.map_size(); ++j) {
          const cbor::Item& acct = v.map_key(j);
          if (!acct.IsBytes() || acct.bytes.size() != 29) {
            return Bad(acct, "reward account must be 29 bytes");
          }
          auto a = ParseAddressBytes(acct.bytes);
          if (!a.ok() || a->type != AddressType::kReward) {
            return Bad(acct, "withdrawal key is not a reward account");
          }
          auto coin = UintOf(v.map_value(j), "withdrawal amount");
          if (!coin.ok()) return coin.status();
          body.withdrawals.push_back(Withdrawal{std::move(a->raw), Lovelace(*coin)});
        }
        break;
      }
      case 7: {
        auto h = FixedBytesOf<32>(v, "auxiliary data hash");
        if (!h.ok()) return h.status();
        body.aux_data_hash = *h;
        break;
      }
      case 14: {
        auto elems = SetElements(v, &tagged, "required signers");
        if (!elems.ok()) return elems.status();
        if (elems->empty()) return Bad(v, "required signers must not be empty");
        note_tag(tagged);
        body.required_signers.reserve(elems->size());
        for (const auto& e : *elems) {
          auto h = FixedBytesOf<28>(e, "required signer");
          if (!h.ok()) return h.status();
          body.required_signers.push_back(*h);
        }
        if (auto i = tx_internal::FirstRepeat(body.required_signers)) {
          return Bad((*elems)[*i], "duplicate required signer");
        }
        break;
      }
      case 15: {
        auto n = UintOf(v, "network id");
        if (!n.ok()) return n.status();
        if (*n > 1) return Bad(v, "network id must be 0 or 1");
        body.network_id = static_cast<uint8_t>(*n);
        break;
      }
      // Valid Conway fields Stakeward does not model: kept as encoded.
      case 9:     // mint
      case 11:    // script data hash
      case 13:    // collateral inputs
      case 16:    // collateral return
      case 17:    // total collateral
      case 18:    // reference inputs
      case 19:    // voting procedures
      case 20:    // proposal procedures
      case 21:    // current treasury value
      case 22: {  // donation
        const ByteView raw = cbor::Span(source, v);
        body.other_fields[key] = Bytes(raw.begin(), raw.end());
        break;
      }
      default:
        return Bad(k, absl::StrCat("transaction body key ", key, " does not exist in Conway"));
    }
  }
  if (!have[0] || !have[1] || !have[2]) {
    return Bad(item, "transaction body needs inputs (0), outputs (1) and fee (2)");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TxBody> DecodeBody(ByteView body_cbor) {
  if (body_cbor.size() > tx_internal::kMaxTxBytes) {
    return absl::InvalidArgumentError("transaction body too large");
  }
  auto doc = cbor::Decode(body_cbor, tx_internal::TxLimits());
  if (!doc.ok()) return doc.status();
  TxBody body;
  if (absl::Status st = BodyInto(body_cbor, doc->root(), body); !st.ok()) return st;
  return body;
}

namespace tx_internal {
absl::Status BodyIntoForTx(ByteView source, const cbor::Item& item, TxBody& body) {
  return BodyInto(source, item, body);
}
}  // namespace tx_internal

}  // namespace stakeward::chain
