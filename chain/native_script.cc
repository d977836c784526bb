// Native (timelock) scripts: conway.cddl `native_script`; hash prefix 0x00 from cardano-ledger
// eras/shelley/impl/src/Cardano/Ledger/Shelley/Scripts.hs (nativeMultiSigTag).
#include "chain/native_script.h"

#include <algorithm>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "chain/hash.h"

namespace stakeward::chain {

NativeScript NativeScript::Sig(const Hash28& key_hash) {
  NativeScript s;
  s.type = Type::kSig;
  s.key_hash = key_hash;
  return s;
}

NativeScript NativeScript::AtLeast(uint64_t n, std::vector<NativeScript> scripts) {
  NativeScript s;
  s.type = Type::kAtLeast;
  s.required = n;
  s.scripts = std::move(scripts);
  return s;
}

NativeScript NativeScript::All(std::vector<NativeScript> scripts) {
  NativeScript s;
  s.type = Type::kAll;
  s.scripts = std::move(scripts);
  return s;
}

NativeScript NativeScript::Any(std::vector<NativeScript> scripts) {
  NativeScript s;
  s.type = Type::kAny;
  s.scripts = std::move(scripts);
  return s;
}

void WriteNativeScript(cbor::Writer& w, const NativeScript& script) {
  using T = NativeScript::Type;
  switch (script.type) {
    case T::kSig:
      w.ArrayHeader(2).Uint(0).Bytes(View(script.key_hash));
      return;
    case T::kAll:
    case T::kAny:
      w.ArrayHeader(2).Uint(static_cast<uint64_t>(script.type)).ArrayHeader(script.scripts.size());
      for (const auto& s : script.scripts) WriteNativeScript(w, s);
      return;
    case T::kAtLeast:
      w.ArrayHeader(3).Uint(3).Uint(script.required).ArrayHeader(script.scripts.size());
      for (const auto& s : script.scripts) WriteNativeScript(w, s);
      return;
    case T::kInvalidBefore:
    case T::kInvalidHereafter:
      w.ArrayHeader(2).Uint(static_cast<uint64_t>(script.type)).Uint(script.slot);
      return;
  }
}

Bytes EncodeNativeScript(const NativeScript& script) {
  cbor::Writer w;
  WriteNativeScript(w, script);
  return w.Take();
}

namespace {

// Fills `s` in place (a script tree is built node by node, without a StatusOr and a move each).
absl::Status ScriptInto(const cbor::Item& item, NativeScript& s) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("native script at byte ", item.offset, ": ", why));
  };
  if (!item.IsArray() || item.children.empty() || !item.children[0].IsUint()) {
    return bad("expected [type, ...]");
  }
  const auto& c = item.children;
  const uint64_t type = c[0].arg;
  auto sub_scripts = [&](const cbor::Item& list) -> absl::Status {
    if (!list.IsArray()) return bad("expected a list of scripts");
    s.scripts.reserve(list.children.size());
    for (const auto& child : list.children) {
      if (absl::Status st = ScriptInto(child, s.scripts.emplace_back()); !st.ok()) return st;
    }
    return absl::OkStatus();
  };
  switch (type) {
    case 0:
      if (c.size() != 2 || !c[1].IsBytes() || c[1].bytes.size() != 28) {
        return bad("sig needs a 28-byte key hash");
      }
      s.type = NativeScript::Type::kSig;
      std::copy(c[1].bytes.begin(), c[1].bytes.end(), s.key_hash.begin());
      return absl::OkStatus();
    case 1:
    case 2:
      if (c.size() != 2) return bad("all/any takes one list");
      s.type = static_cast<NativeScript::Type>(type);
      return sub_scripts(c[1]);
    case 3:
      // n is int64 in the newest CDDL; a negative n is accepted by the ledger but never written
      // by Stakeward or a hardware wallet, so it is refused here.
      if (c.size() != 3 || !c[1].IsUint())
        return bad("atLeast needs [3, n, [scripts]] with n >= 0");
      s.type = NativeScript::Type::kAtLeast;
      s.required = c[1].arg;
      return sub_scripts(c[2]);
    case 4:
    case 5:
      if (c.size() != 2 || !c[1].IsUint()) return bad("time lock needs a slot");
      s.type = static_cast<NativeScript::Type>(type);
      s.slot = c[1].arg;
      return absl::OkStatus();
    default:
      return bad(absl::StrCat("unknown native script type ", type));
  }
}

}  // namespace

absl::StatusOr<NativeScript> NativeScriptFromItem(const cbor::Item& item) {
  NativeScript s;
  if (absl::Status st = ScriptInto(item, s); !st.ok()) return st;
  return s;
}

absl::StatusOr<NativeScript> DecodeNativeScript(ByteView cbor_bytes) {
  cbor::Limits lim;
  lim.require_canonical = false;
  auto doc = cbor::Decode(cbor_bytes, lim);
  if (!doc.ok()) return doc.status();
  return NativeScriptFromItem(doc->root());
}

Hash28 NativeScriptHash(const NativeScript& script) {
  cbor::Writer w;
  const uint8_t native_tag = 0x00;
  w.Raw(ByteView(&native_tag, 1));
  WriteNativeScript(w, script);
  return Blake2b224(View(w.data()));
}

namespace {

bool Satisfied(const NativeScript& script, absl::FunctionRef<bool(const Hash28&)> signed_by,
               std::optional<uint64_t> validity_start, std::optional<uint64_t> ttl) {
  using T = NativeScript::Type;
  switch (script.type) {
    case T::kSig:
      return signed_by(script.key_hash);
    case T::kAll:
      return std::all_of(script.scripts.begin(), script.scripts.end(), [&](const auto& s) {
        return Satisfied(s, signed_by, validity_start, ttl);
      });
    case T::kAny:
      return std::any_of(script.scripts.begin(), script.scripts.end(), [&](const auto& s) {
        return Satisfied(s, signed_by, validity_start, ttl);
      });
    case T::kAtLeast: {
      uint64_t ok = 0;
      for (const auto& s : script.scripts) {
        if (Satisfied(s, signed_by, validity_start, ttl)) ++ok;
      }
      return ok >= script.required;
    }
    case T::kInvalidBefore:
      // Valid from `slot` on: the tx's lower bound must exist and be at or after it.
      return validity_start.has_value() && script.slot <= *validity_start;
    case T::kInvalidHereafter:
      // Valid before `slot`: the tx's upper bound must exist and be at or before it.
      return ttl.has_value() && *ttl <= script.slot;
  }
  return false;
}

}  // namespace

bool NativeScriptSatisfied(const NativeScript& script, const std::set<Hash28>& signers,
                           std::optional<uint64_t> validity_start, std::optional<uint64_t> ttl) {
  return Satisfied(
      script, [&](const Hash28& h) { return signers.count(h) > 0; }, validity_start, ttl);
}

bool NativeScriptSatisfiedSorted(const NativeScript& script,
                                 absl::Span<const Hash28> sorted_signers,
                                 std::optional<uint64_t> validity_start,
                                 std::optional<uint64_t> ttl) {
  return Satisfied(
      script,
      [&](const Hash28& h) {
        return std::binary_search(sorted_signers.begin(), sorted_signers.end(), h);
      },
      validity_start, ttl);
}

namespace {
void CollectKeyHashes(const NativeScript& s, std::vector<Hash28>& out) {
  if (s.type == NativeScript::Type::kSig) {
    if (std::find(out.begin(), out.end(), s.key_hash) == out.end()) out.push_back(s.key_hash);
    return;
  }
  for (const auto& sub : s.scripts) CollectKeyHashes(sub, out);
}
}  // namespace

std::vector<Hash28> NativeScriptKeyHashes(const NativeScript& script) {
  std::vector<Hash28> out;
  CollectKeyHashes(script, out);
  return out;
}

}  // namespace stakeward::chain
