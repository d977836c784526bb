#include "controller/model/audit_anchor.h"

#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace stakeward::controller {
namespace {

constexpr absl::string_view kPrefix = "audit head ";

}  // namespace

void AppendAnchorLines(const AuditAnchor& a, std::vector<chain::Metadatum>& msg) {
  if (a.seq == 0) return;  // built outside a controller (tests, offline tools)
  msg.push_back(chain::Metadatum::Text(absl::StrCat(kPrefix, a.seq)));
  msg.push_back(chain::Metadatum::Text(chain::HexEncode(a.hash)));
}

absl::StatusOr<AuditAnchor> AnchorOfTransaction(const chain::Transaction& tx) {
  if (!tx.aux_data) return absl::NotFoundError("the transaction carries no metadata");
  absl::StatusOr<chain::Metadata> md = chain::DecodeAuxDataMetadata(chain::View(*tx.aux_data));
  if (!md.ok()) return md.status();
  auto root = md->find(kCip20Label);
  if (root == md->end() || root->second.kind != chain::Metadatum::Kind::kMap) {
    return absl::NotFoundError("the transaction carries no CIP-20 message");
  }
  for (const auto& [k, v] : root->second.map) {
    if (k.kind != chain::Metadatum::Kind::kText || k.text != "msg" ||
        v.kind != chain::Metadatum::Kind::kList) {
      continue;
    }
    for (size_t i = 0; i + 1 < v.list.size(); ++i) {
      const chain::Metadatum& line = v.list[i];
      if (line.kind != chain::Metadatum::Kind::kText) continue;
      absl::string_view text = line.text;
      if (!absl::ConsumePrefix(&text, kPrefix)) continue;
      AuditAnchor a;
      const chain::Metadatum& hash = v.list[i + 1];
      absl::StatusOr<chain::Hash32> h = hash.kind == chain::Metadatum::Kind::kText
                                            ? chain::HexDecodeFixed<32>(hash.text)
                                            : absl::InvalidArgumentError("not text");
      if (!absl::SimpleAtoi(text, &a.seq) || !h.ok()) {
        return absl::InvalidArgumentError("the transaction's audit head lines are malformed");
      }
      a.hash = *h;
      return a;
    }
  }
  return absl::NotFoundError("the transaction's CIP-20 message names no audit head");
}

}  // namespace stakeward::controller
