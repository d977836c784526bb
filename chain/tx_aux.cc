// Auxiliary data and transaction metadata (conway.cddl `auxiliary_data`, `metadata`,
// `transaction_metadatum`).
#include <set>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "chain/tx.h"
#include "chain/tx_internal.h"

namespace stakeward::chain {
namespace {

using tx_internal::Bad;

// Strings and byte strings in metadata are at most 64 bytes (conway.cddl).
constexpr size_t kMaxMetadataString = 64;
constexpr size_t kMaxMetadataDepth = 32;

absl::Status WriteMetadatum(cbor::Writer& w, const Metadatum& m, size_t depth) {
  if (depth > kMaxMetadataDepth) return absl::InvalidArgumentError("metadata nested too deeply");
  switch (m.kind) {
    case Metadatum::Kind::kInt:
      w.Int(m.int_value);
      return absl::OkStatus();
    case Metadatum::Kind::kBytes:
      if (m.bytes.size() > kMaxMetadataString) {
        return absl::InvalidArgumentError(
            absl::StrCat("metadata bytes of ", m.bytes.size(), " bytes exceed 64"));
      }
      w.Bytes(View(m.bytes));
      return absl::OkStatus();
    case Metadatum::Kind::kText:
      if (m.text.size() > kMaxMetadataString) {
        return absl::InvalidArgumentError(
            absl::StrCat("metadata text of ", m.text.size(), " bytes exceeds 64"));
      }
      w.Text(m.text);
      return absl::OkStatus();
    case Metadatum::Kind::kList:
      w.ArrayHeader(m.list.size());
      for (const auto& e : m.list) {
        if (auto s = WriteMetadatum(w, e, depth + 1); !s.ok()) return s;
      }
      return absl::OkStatus();
    case Metadatum::Kind::kMap: {
      cbor::MapBuilder mb;
      std::set<Bytes> keys;
      for (const auto& [k, v] : m.map) {
        cbor::Writer kw, vw;
        if (auto s = WriteMetadatum(kw, k, depth + 1); !s.ok()) return s;
        if (auto s = WriteMetadatum(vw, v, depth + 1); !s.ok()) return s;
        if (!keys.insert(kw.data()).second) {
          return absl::InvalidArgumentError("duplicate key in metadata map");
        }
        mb.Add(kw.Take(), vw.Take());
      }
      mb.WriteTo(w);
      return absl::OkStatus();
    }
  }
  return absl::InternalError("unknown metadatum kind");
}

absl::StatusOr<Metadatum> MetadatumFromItem(const cbor::Item& item, size_t depth) {
  if (depth > kMaxMetadataDepth) return Bad(item, "metadata nested too deeply");
  Metadatum m;
  switch (item.type) {
    case cbor::MajorType::kUnsigned:
    case cbor::MajorType::kNegative:
      // The CDDL allows -2^64..2^64-1; Stakeward keeps int64 and refuses the rest.
      if (item.arg > static_cast<uint64_t>(INT64_MAX)) {
        return Bad(item, "metadata integer outside int64");
      }
      m.kind = Metadatum::Kind::kInt;
      m.int_value =
          item.IsUint() ? static_cast<int64_t>(item.arg) : -1 - static_cast<int64_t>(item.arg);
      return m;
    case cbor::MajorType::kBytes:
      if (item.bytes.size() > kMaxMetadataString) return Bad(item, "metadata bytes longer than 64");
      m.kind = Metadatum::Kind::kBytes;
      m.bytes = CopyBytes(item.bytes);
      return m;
    case cbor::MajorType::kText:
      if (item.text().size() > kMaxMetadataString) return Bad(item, "metadata text longer than 64");
      m.kind = Metadatum::Kind::kText;
      m.text = std::string(item.text());
      return m;
    case cbor::MajorType::kArray:
      m.kind = Metadatum::Kind::kList;
      for (const auto& c : item.children) {
        auto e = MetadatumFromItem(c, depth + 1);
        if (!e.ok()) return e.status();
        m.list.push_back(std::move(*e));
      }
      return m;
    case cbor::MajorType::kMap:
      m.kind = Metadatum::Kind::kMap;
      for (size_t i = 0; i < item.map_size(); ++i) {
        auto k = MetadatumFromItem(item.map_key(i), depth + 1);
        if (!k.ok()) return k.status();
        auto v = MetadatumFromItem(item.map_value(i), depth + 1);
        if (!v.ok()) return v.status();
        m.map.emplace_back(std::move(*k), std::move(*v));
      }
      return m;
    default:
      return Bad(item, "metadata value must be int, bytes, text, list or map");
  }
}

absl::StatusOr<Metadata> MetadataFromItem(const cbor::Item& item) {
  if (!item.IsMap()) return Bad(item, "metadata must be a map");
  Metadata md;
  for (size_t i = 0; i < item.map_size(); ++i) {
    if (!item.map_key(i).IsUint()) return Bad(item.map_key(i), "metadata label must be a uint");
    auto v = MetadatumFromItem(item.map_value(i), 0);
    if (!v.ok()) return v.status();
    md[item.map_key(i).arg] = std::move(*v);
  }
  return md;
}

// Returns the metadata map inside any of the three auxiliary data forms, or nullptr if absent.
absl::StatusOr<const cbor::Item*> FindMetadata(const cbor::Item& item) {
  if (item.IsMap()) return &item;  // Shelley: bare metadata
  if (item.IsArray()) {            // Allegra/Mary: [metadata, [* native_script]]
    if (item.children.size() != 2 || !item.children[0].IsMap() || !item.children[1].IsArray()) {
      return Bad(item, "auxiliary data array must be [metadata, [native scripts]]");
    }
    for (const auto& s : item.children[1].children) {
      if (auto r = NativeScriptFromItem(s); !r.ok()) return r.status();
    }
    return &item.children[0];
  }
  if (item.IsTag(cbor::kTagAuxData)) {  // Alonzo+: #6.259({? 0: metadata, ? 1..4: scripts})
    const cbor::Item& m = item.children[0];
    if (!m.IsMap()) return Bad(m, "tag-259 auxiliary data must hold a map");
    const cbor::Item* md = nullptr;
    for (size_t i = 0; i < m.map_size(); ++i) {
      const cbor::Item& k = m.map_key(i);
      if (!k.IsUint() || k.arg > 4) return Bad(k, "unknown auxiliary data key");
      if (!m.map_value(i).IsMap() && k.arg == 0) return Bad(k, "metadata must be a map");
      if (k.arg != 0 && !m.map_value(i).IsArray()) return Bad(k, "scripts must be a list");
      if (k.arg == 0) md = &m.map_value(i);
    }
    return md;
  }
  return Bad(item, "auxiliary data must be a map, an array or tag 259");
}

}  // namespace

Metadatum::Metadatum() = default;
Metadatum::~Metadatum() = default;
Metadatum::Metadatum(const Metadatum&) = default;
Metadatum::Metadatum(Metadatum&&) noexcept = default;
Metadatum& Metadatum::operator=(const Metadatum&) = default;
Metadatum& Metadatum::operator=(Metadatum&&) noexcept = default;

Metadatum Metadatum::Int(int64_t v) {
  Metadatum m;
  m.kind = Kind::kInt;
  m.int_value = v;
  return m;
}

Metadatum Metadatum::Text(std::string s) {
  Metadatum m;
  m.kind = Kind::kText;
  m.text = std::move(s);
  return m;
}

Metadatum Metadatum::Blob(Bytes b) {
  Metadatum m;
  m.kind = Kind::kBytes;
  m.bytes = std::move(b);
  return m;
}

absl::StatusOr<Bytes> EncodeAuxData(const Metadata& metadata) {
  cbor::Writer w;
  w.MapHeader(metadata.size());  // std::map order = ascending uint = canonical order
  for (const auto& [label, value] : metadata) {
    w.Uint(label);
    if (auto s = WriteMetadatum(w, value, 0); !s.ok()) return s;
  }
  return w.Take();
}

absl::StatusOr<Metadata> DecodeAuxDataMetadata(ByteView aux_data_cbor) {
  if (aux_data_cbor.size() > tx_internal::kMaxTxBytes) {
    return absl::InvalidArgumentError("auxiliary data too large");
  }
  auto doc = cbor::Decode(aux_data_cbor, tx_internal::TxLimits());
  if (!doc.ok()) return doc.status();
  auto md = FindMetadata(doc->root());
  if (!md.ok()) return md.status();
  if (*md == nullptr) return Metadata{};
  return MetadataFromItem(**md);
}

namespace tx_internal {
absl::Status CheckAuxDataShape(const cbor::Item& item) { return FindMetadata(item).status(); }
}  // namespace tx_internal

}  // namespace stakeward::chain
