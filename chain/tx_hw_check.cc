// Hardware-wallet compatibility of a transaction body: the CIP-21 rules
// (cardano-foundation/CIPs CIP-0021/README.md) that Ledger and Trezor enforce.
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "chain/tx.h"
#include "chain/tx_internal.h"

namespace stakeward::chain {
namespace {

constexpr uint64_t kMaxCount = 65535;

absl::Status Violation(absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("not hardware-wallet compatible (CIP-21): ", what));
}

// Integers must fit in int64 or uint64: a negative argument beyond 2^63-1 is below -2^63.
absl::Status CheckIntegerRange(const cbor::Item& item) {
  if (item.type == cbor::MajorType::kNegative && item.arg > static_cast<uint64_t>(INT64_MAX)) {
    return Violation(absl::StrCat("integer below -2^63 at byte ", item.offset));
  }
  for (const auto& c : item.children) {
    if (auto s = CheckIntegerRange(c); !s.ok()) return s;
  }
  return absl::OkStatus();
}

class SetTagTracker {
 public:
  // Returns the elements of a set and records whether it was tagged.
  absl::StatusOr<absl::Span<const cbor::Item>> Elements(const cbor::Item& v,
                                                        absl::string_view what) {
    bool tagged = false;
    auto elems = tx_internal::SetElements(v, &tagged, what);
    if (!elems.ok()) return elems.status();
    if (first_.has_value() && *first_ != tagged) {
      return Violation(absl::StrCat("tag 258 used on some sets but not on ", what));
    }
    first_ = tagged;
    return elems;
  }

 private:
  std::optional<bool> first_;
};

absl::Status CheckCount(size_t n, absl::string_view what) {
  if (n > kMaxCount) return Violation(absl::StrCat("more than 65535 ", what));
  return absl::OkStatus();
}

absl::Status CheckMultiassetShape(const cbor::Item& ma) {
  if (ma.map_size() == 0) return Violation("output value carries an empty multiasset map");
  if (auto s = CheckCount(ma.map_size(), "asset groups"); !s.ok()) return s;
  for (size_t i = 0; i < ma.map_size(); ++i) {
    const cbor::Item& g = ma.map_value(i);
    if (g.IsMap() && g.map_size() == 0) return Violation("empty asset group");
    if (auto s = CheckCount(g.map_size(), "tokens in a group"); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status CheckOutput(const cbor::Item& out) {
  const cbor::Item* value = nullptr;
  if (out.IsArray() && out.children.size() >= 2) value = &out.children[1];
  if (out.IsMap()) {
    for (size_t i = 0; i < out.map_size(); ++i) {
      if (out.map_key(i).IsUint() && out.map_key(i).arg == 1) value = &out.map_value(i);
    }
  }
  if (value != nullptr && value->IsArray() && value->children.size() == 2 &&
      value->children[1].IsMap()) {
    return CheckMultiassetShape(value->children[1]);
  }
  return absl::OkStatus();
}

absl::Status CheckCertificates(absl::Span<const cbor::Item> certs, SetTagTracker& tags) {
  if (auto s = CheckCount(certs.size(), "certificates"); !s.ok()) return s;
  for (const auto& c : certs) {
    if (!c.IsArray() || c.children.empty() || !c.children[0].IsUint()) continue;
    const uint64_t type = c.children[0].arg;
    if (type == 5 || type == 6) return Violation("genesis delegation / MIR certificate");
    if (type >= 10 && type <= 13) {
      return Violation(
          absl::StrCat("combined certificate ",
                       std::string(CertificateTypeName(static_cast<Certificate::Type>(type))),
                       " (use separate certificates 7 + 2 + 9)"));
    }
    if (type == 3) {
      if (certs.size() != 1) return Violation("a pool registration must be the only certificate");
      if (c.children.size() == 10) {
        auto owners = tags.Elements(c.children[7], "pool owners");
        if (!owners.ok()) return owners.status();
        if (auto s = CheckCount(owners->size(), "pool owners"); !s.ok()) return s;
        if (c.children[8].IsArray()) {
          if (auto s = CheckCount(c.children[8].children.size(), "relays"); !s.ok()) return s;
        }
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckHardwareWalletCompatible(ByteView body_cbor) {
  // Structure first (the lenient decoder reports malformed bodies precisely) ...
  auto body = DecodeBody(body_cbor);
  if (!body.ok()) return body.status();
  // ... then canonical CBOR: shortest heads, sorted keys, definite lengths.
  cbor::Limits strict = tx_internal::TxLimits();
  strict.require_canonical = true;
  auto doc = cbor::Decode(body_cbor, strict);
  if (!doc.ok()) return Violation(doc.status().message());
  const cbor::Item* item = &doc->root();
  if (auto s = CheckIntegerRange(*item); !s.ok()) return s;

  SetTagTracker tags;
  for (size_t i = 0; i < item->map_size(); ++i) {
    const uint64_t key = item->map_key(i).arg;
    const cbor::Item& v = item->map_value(i);
    switch (key) {
      case 6:
        return Violation("body key 6 (update) must be absent");
      case 20:
        return Violation("body key 20 (proposal procedures) must be absent");
      case 0:
      case 13:
      case 14:
      case 18: {
        const char* what = key == 0    ? "inputs"
                           : key == 13 ? "collateral inputs"
                           : key == 14 ? "required signers"
                                       : "reference inputs";
        auto elems = tags.Elements(v, what);
        if (!elems.ok()) return elems.status();
        if (key != 0 && elems->empty()) return Violation(absl::StrCat("empty ", what));
        if (auto s = CheckCount(elems->size(), what); !s.ok()) return s;
        break;
      }
      case 1:
        if (auto s = CheckCount(v.children.size(), "outputs"); !s.ok()) return s;
        for (const auto& out : v.children) {
          if (auto s = CheckOutput(out); !s.ok()) return s;
        }
        break;
      case 4: {
        auto certs = tags.Elements(v, "certificates");
        if (!certs.ok()) return certs.status();
        if (auto s = CheckCertificates(*certs, tags); !s.ok()) return s;
        break;
      }
      case 5:
        if (auto s = CheckCount(v.map_size(), "withdrawals"); !s.ok()) return s;
        break;
      case 9:
        if (v.IsMap() && v.map_size() == 0) return Violation("empty mint");
        if (v.IsMap()) {
          if (auto s = CheckMultiassetShape(v); !s.ok()) return s;
        }
        break;
      case 16:
        if (auto s = CheckOutput(v); !s.ok()) return s;
        break;
      case 19:
        // At most one voter casting one vote.
        if (!v.IsMap() || v.map_size() != 1 || !v.map_value(0).IsMap() ||
            v.map_value(0).map_size() != 1) {
          return Violation("voting procedures must hold exactly one voter with one vote");
        }
        break;
      default:
        break;
    }
  }
  return absl::OkStatus();
}

}  // namespace stakeward::chain
