#include "policy/approval.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "chain/cbor.h"
#include "chain/hash.h"
#include "policy/approval_chain.h"
#include "policy/json_exact.h"

namespace stakeward::policy {

chain::Bytes ApprovalBody(const chain::Hash32& policy_hash) {
  chain::cbor::Writer w;
  w.MapHeader(4);
  w.Uint(0)
      .Tag(chain::cbor::kTagSet)
      .ArrayHeader(1)
      .ArrayHeader(2)
      .Bytes(chain::View(policy_hash))
      .Uint(0);
  w.Uint(1).ArrayHeader(0);
  w.Uint(2).Uint(0);
  w.Uint(7).Bytes(chain::View(policy_hash));
  return w.Take();
}

chain::Hash32 ApprovalTxId(const chain::Hash32& policy_hash) {
  chain::Bytes body = ApprovalBody(policy_hash);
  return chain::Blake2b256(chain::View(body));
}

absl::StatusOr<std::array<uint8_t, 32>> ApprovalKey(const Signer& signer) {
  auto path = chain::ParsePath("0/0");
  if (!path.ok()) return path.status();
  auto x = chain::DerivePublicPath(signer.account_xpub, *path);
  if (!x.ok()) return x.status();
  return x->public_key;
}

ApprovalVerdict VerifyApprovals(const Policy& policy, const std::vector<Approval>& approvals) {
  return VerifyApprovalsUnder(policy, PolicyHash(policy), approvals);
}

absl::StatusOr<std::vector<Approval>> ParseApprovals(absl::string_view text) {
  auto j = json::ParseExact(text, "approvals");
  if (!j.ok()) return j.status();
  if (!j->is_array()) return absl::InvalidArgumentError("approvals: expected a JSON array");
  if (j->size() > 1000) return absl::InvalidArgumentError("approvals: too many entries");
  std::vector<Approval> out;
  for (size_t i = 0; i < j->size(); ++i) {
    const auto& e = (*j)[i];
    std::string what = absl::StrCat("approvals[", i, "]");
    if (!e.is_object())
      return absl::InvalidArgumentError(absl::StrCat(what, ": expected an object"));
    Approval a;
    auto name = json::StrAt(e, "signer", what);
    if (!name.ok()) return name.status();
    a.signer = *name;
    auto vk = json::StrAt(e, "vkey", what);
    if (!vk.ok()) return vk.status();
    auto vkb = chain::HexDecodeFixed<32>(*vk);
    if (!vkb.ok())
      return absl::InvalidArgumentError(absl::StrCat(what, ".vkey: expected 64 hex digits"));
    a.vkey = *vkb;
    auto sig = json::StrAt(e, "signature", what);
    if (!sig.ok()) return sig.status();
    auto sigb = chain::HexDecodeFixed<64>(*sig);
    if (!sigb.ok())
      return absl::InvalidArgumentError(absl::StrCat(what, ".signature: expected 128 hex digits"));
    a.signature = *sigb;
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace stakeward::policy
