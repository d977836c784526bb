// Transaction witness set (conway.cddl `transaction_witness_set`).
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "chain/tx.h"
#include "chain/tx_internal.h"

namespace stakeward::chain {

using tx_internal::Bad;
using tx_internal::FixedBytesOf;
using tx_internal::SetElements;
using tx_internal::WriteSetHeader;

Bytes EncodeWitnessSet(const WitnessSet& ws) {
  cbor::MapBuilder mb;
  if (!ws.vkeys.empty()) {
    cbor::Writer w;
    WriteSetHeader(w, ws.vkeys.size(), ws.set_tags);
    for (const auto& v : ws.vkeys) {
      w.ArrayHeader(2).Bytes(View(v.vkey)).Bytes(View(v.signature));
    }
    mb.AddUintKey(0, w.Take());
  }
  if (!ws.scripts.empty()) {
    cbor::Writer w;
    WriteSetHeader(w, ws.scripts.size(), ws.set_tags);
    for (const auto& s : ws.scripts) WriteNativeScript(w, s);
    mb.AddUintKey(1, w.Take());
  }
  for (const auto& [key, value] : ws.other_fields) mb.AddUintKey(key, value);
  return mb.Encode();
}

namespace tx_internal {

absl::Status WitnessSetInto(ByteView source, const cbor::Item& item, WitnessSet& ws) {
  if (!item.IsMap()) return Bad(item, "witness set must be a map");
  bool tags_known = false;
  for (size_t i = 0; i < item.map_size(); ++i) {
    const cbor::Item& k = item.map_key(i);
    const cbor::Item& v = item.map_value(i);
    if (!k.IsUint()) return Bad(k, "witness set keys must be unsigned integers");
    bool tagged = false;
    switch (k.arg) {
      case 0: {
        auto elems = SetElements(v, &tagged, "vkey witnesses");
        if (!elems.ok()) return elems.status();
        if (elems->empty()) return Bad(v, "vkey witnesses must not be empty");
        if (!tags_known) ws.set_tags = tagged;
        tags_known = true;
        ws.vkeys.reserve(elems->size());
        for (const auto& e : *elems) {
          if (!e.IsArray() || e.children.size() != 2) {
            return Bad(e, "vkey witness must be [vkey, signature]");
          }
          auto vk = FixedBytesOf<32>(e.children[0], "witness vkey");
          if (!vk.ok()) return vk.status();
          auto sig = FixedBytesOf<64>(e.children[1], "witness signature");
          if (!sig.ok()) return sig.status();
          VkeyWitness w{*vk, *sig};
          for (const auto& prev : ws.vkeys) {
            if (prev == w) return Bad(e, "duplicate vkey witness");
          }
          ws.vkeys.push_back(w);
        }
        break;
      }
      case 1: {
        auto elems = SetElements(v, &tagged, "native scripts");
        if (!elems.ok()) return elems.status();
        if (elems->empty()) return Bad(v, "native scripts must not be empty");
        if (!tags_known) ws.set_tags = tagged;
        tags_known = true;
        ws.scripts.reserve(elems->size());
        for (const auto& e : *elems) {
          auto s = NativeScriptFromItem(e);
          if (!s.ok()) return s.status();
          ws.scripts.push_back(std::move(*s));
        }
        break;
      }
      case 2:    // bootstrap witnesses
      case 3:    // plutus v1 scripts
      case 4:    // plutus data
      case 5:    // redeemers
      case 6:    // plutus v2 scripts
      case 7: {  // plutus v3 scripts
        const ByteView raw = cbor::Span(source, v);
        ws.other_fields[k.arg] = Bytes(raw.begin(), raw.end());
        break;
      }
      default:
        return Bad(k, absl::StrCat("unknown witness set key ", k.arg));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<WitnessSet> WitnessSetFromItem(ByteView source, const cbor::Item& item) {
  WitnessSet ws;
  if (absl::Status st = WitnessSetInto(source, item, ws); !st.ok()) return st;
  return ws;
}

}  // namespace tx_internal

absl::StatusOr<WitnessSet> DecodeWitnessSet(ByteView cbor_bytes) {
  if (cbor_bytes.size() > tx_internal::kMaxTxBytes) {
    return absl::InvalidArgumentError("witness set too large");
  }
  auto doc = cbor::Decode(cbor_bytes, tx_internal::TxLimits());
  if (!doc.ok()) return doc.status();
  return tx_internal::WitnessSetFromItem(cbor_bytes, doc->root());
}

}  // namespace stakeward::chain
