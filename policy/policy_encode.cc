// Canonical encoding, hash and summary of a policy.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "chain/cbor.h"
#include "chain/hash.h"
#include "chain/lovelace.h"
#include "policy/ada_text.h"
#include "policy/policy.h"

namespace stakeward::policy {
namespace {

using chain::cbor::Writer;

void WriteRatio(Writer& w, const Ratio& r) { w.ArrayHeader(2).Uint(r.num).Uint(r.den); }

void WriteHashes(Writer& w, const std::vector<chain::Hash28>& hs) {
  w.ArrayHeader(hs.size());
  for (const auto& h : hs) w.Bytes(chain::View(h));
}

}  // namespace

absl::string_view StrategyName(Strategy s) {
  switch (s) {
    case Strategy::kEqual:
      return "equal";
    case Strategy::kScoreWeighted:
      return "score-weighted";
    case Strategy::kMaxRewards:
      return "max-rewards";
  }
  return "?";
}

absl::string_view DeviceKindName(DeviceKind d) {
  return d == DeviceKind::kLedger ? "ledger" : "trezor";
}

absl::string_view WhenMissingName(WhenMissing w) {
  switch (w) {
    case WhenMissing::kDeny:
      return "deny";
    case WhenMissing::kWarn:
      return "warn";
    case WhenMissing::kAllow:
      return "allow";
  }
  return "?";
}

std::string DRepChoiceText(const DRepChoice& d) {
  switch (d.kind) {
    case DRepChoice::Kind::kAbstain:
      return "abstain";
    case DRepChoice::Kind::kNoConfidence:
      return "no-confidence";
    case DRepChoice::Kind::kDRep:
      return chain::DRepIdCip129(d.drep);
  }
  return "?";
}

// Field order is part of the hash: never reorder, only append in a new schema version.
chain::Bytes EncodePolicy(const Policy& p) {
  Writer w;
  w.ArrayHeader(13);
  w.Uint(p.version);
  w.Uint(static_cast<uint64_t>(p.network)).Uint(p.protocol_magic);
  w.ArrayHeader(p.signers.size());
  for (const auto& s : p.signers) {
    auto x = s.account_xpub.Serialize();
    w.ArrayHeader(3).Text(s.name).Bytes(chain::View(x)).Uint(static_cast<uint64_t>(s.device));
  }
  w.Uint(p.threshold);
  w.Uint(p.max_slots);
  const Gates& g = p.gates;
  // when_missing is appended only when it differs from the default (deny, deny), so documents
  // written before it keep their hash; their meaning was deny-by-default from then on.
  // The pledge rule came later: it is a third element only when it is not deny, for the same
  // reason.
  const bool pledge_rule = g.pledge_when_missing != WhenMissing::kDeny;
  const bool missing_rules = g.age_when_missing != WhenMissing::kDeny ||
                             g.performance_when_missing != WhenMissing::kDeny || pledge_rule;
  w.ArrayHeader(missing_rules ? 13 : 12);
  w.Uint(g.retiring_within_epochs);
  WriteRatio(w, g.max_margin);
  w.Uint(g.max_fixed_cost).Uint(g.min_pledge).Bool(g.require_pledge_met);
  WriteRatio(w, g.min_performance);
  w.Uint(g.performance_window_epochs).Uint(g.min_age_epochs);
  WriteHashes(w, g.deny);
  WriteHashes(w, g.allow);
  w.Bool(g.allow_only).Uint(g.max_pools_per_group);
  if (missing_rules) {
    w.ArrayHeader(pledge_rule ? 3 : 2)
        .Uint(static_cast<uint64_t>(g.age_when_missing))
        .Uint(static_cast<uint64_t>(g.performance_when_missing));
    if (pledge_rule) w.Uint(static_cast<uint64_t>(g.pledge_when_missing));
  }
  w.ArrayHeader(3)
      .Uint(p.scoring.return_weight_bps)
      .Uint(p.scoring.performance_weight_bps)
      .Uint(p.scoring.pledge_weight_bps);
  const Allocation& a = p.allocation;
  w.ArrayHeader(7)
      .Uint(static_cast<uint64_t>(a.strategy))
      .Uint(a.min_pools)
      .Uint(a.max_pools)
      .Uint(a.max_pool_share_bps)
      .Uint(a.saturation_headroom_bps)
      .Uint(a.max_group_share_bps)
      .Uint(a.min_per_pool);
  w.ArrayHeader(3)
      .Uint(p.churn.max_moved_bps_per_epoch)
      .Uint(p.churn.hysteresis_bps)
      .Uint(p.churn.reentry_delay_epochs);
  if (p.drep.kind == DRepChoice::Kind::kDRep) {
    w.ArrayHeader(2)
        .Uint(static_cast<uint64_t>(p.drep.drep.kind))
        .Bytes(chain::View(p.drep.drep.hash));
  } else {
    w.ArrayHeader(1).Uint(p.drep.kind == DRepChoice::Kind::kAbstain ? 2
                                                                    : 3);  // conway drep [2]/[3]
  }
  const RewardRouting& r = p.rewards;
  // Fields added after schema version 1 are appended only when set, so every document written
  // before them keeps its hash (and its approvals).
  const bool pinned_l2 = !r.operator_l2_address.empty();
  w.ArrayHeader(pinned_l2 ? 10 : 9)
      .Uint(r.commission_bps)
      .Text(r.treasury_address)
      .Text(r.bridge_address)
      .Text(r.bridge_magic)
      .Uint(r.l2_chain_id)
      .Text(r.contract_address)
      .Uint(r.roi)
      .Text(r.operator_path)
      .Uint(r.bridge_min_lovelace);
  if (pinned_l2) w.Text(r.operator_l2_address);
  return w.Take();
}

chain::Hash32 PolicyHash(const Policy& policy) {
  chain::Bytes b = EncodePolicy(policy);
  return chain::Blake2b256(chain::View(b));
}

std::string PolicySummary(const Policy& p) {
  std::string s;
  absl::StrAppend(&s,
                  "network:        ", p.network == chain::Network::kMainnet ? "mainnet" : "testnet",
                  " (magic ", p.protocol_magic, ")\n");
  absl::StrAppend(&s, "signers:        ", p.threshold, " of ", p.signers.size(), "\n");
  for (const auto& sg : p.signers)
    absl::StrAppend(&s, "  - ", sg.name, " (", DeviceKindName(sg.device), ")\n");
  absl::StrAppend(&s, "max slots:      ", p.max_slots, "\n");
  const Gates& g = p.gates;
  absl::StrAppend(&s, "gates:          retiring within ", g.retiring_within_epochs,
                  " epochs; margin <= ", g.max_margin.ToString(), "; fixed cost <= ",
                  g.max_fixed_cost == UINT64_MAX ? std::string("any") : Ada(g.max_fixed_cost),
                  "; pledge >= ", Ada(g.min_pledge), g.require_pledge_met ? " and met" : "",
                  "; performance >= ", g.min_performance.ToString(), " over ",
                  g.performance_window_epochs, " epochs; age >= ", g.min_age_epochs,
                  " epochs; deny ", g.deny.size(), ", allow ", g.allow.size(),
                  g.allow_only ? " (allow-only)" : "", "; per group <= ",
                  g.max_pools_per_group == UINT64_MAX ? std::string("any")
                                                      : absl::StrCat(g.max_pools_per_group),
                  "\n");
  absl::StrAppend(&s, "when missing:   age ", WhenMissingName(g.age_when_missing), ", performance ",
                  WhenMissingName(g.performance_when_missing), ", pledge ",
                  WhenMissingName(g.pledge_when_missing), "\n");
  const Allocation& a = p.allocation;
  absl::StrAppend(&s, "allocation:     ", StrategyName(a.strategy), ", ", a.min_pools, "..",
                  a.max_pools, " pools, <= ", a.max_pool_share_bps,
                  " bps per pool, <= ", a.max_group_share_bps,
                  " bps per group, <= ", a.saturation_headroom_bps,
                  " bps of saturation, >= ", Ada(a.min_per_pool), " per pool\n");
  absl::StrAppend(&s, "churn:          <= ", p.churn.max_moved_bps_per_epoch,
                  " bps per epoch, hysteresis ", p.churn.hysteresis_bps, " bps, re-entry after ",
                  p.churn.reentry_delay_epochs, " epochs\n");
  absl::StrAppend(&s, "drep:           ", DRepChoiceText(p.drep), "\n");
  const RewardRouting& r = p.rewards;
  absl::StrAppend(&s, "rewards:        commission ", r.commission_bps, " bps to ",
                  r.treasury_address, "\n                rest to bridge ", r.bridge_address, " (",
                  r.bridge_magic, ", min ", Ada(r.bridge_min_lovelace),
                  ")\n                L2 chain ", r.l2_chain_id, ", contract ", r.contract_address,
                  ", _roi ", r.roi, ", operator ", r.operator_path, " ",
                  r.operator_l2_address.empty() ? std::string("(L2 account not pinned)")
                                                : r.operator_l2_address,
                  "\n");
  return s;
}

}  // namespace stakeward::policy
