#include "policy/gates.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "chain/lovelace.h"
#include "policy/ada_text.h"
#include "policy/reward_model.h"

namespace stakeward::policy {

absl::string_view LevelName(Level l) {
  switch (l) {
    case Level::kAllow:
      return "allow";
    case Level::kWarn:
      return "warn";
    case Level::kDeny:
      return "deny";
  }
  return "?";
}

Verdict Verdict::Make(Level l, std::string_view gate, std::string message) {
  Verdict v;
  v.level = l;
  if (l != Level::kAllow) v.reasons.push_back(Reason{gate, l, std::move(message)});
  return v;
}

void Verdict::Merge(const Verdict& other) {
  level = std::max(level, other.level);
  reasons.insert(reasons.end(), other.reasons.begin(), other.reasons.end());
}

void Verdict::Merge(Verdict&& other) {
  level = std::max(level, other.level);
  if (reasons.empty()) {
    reasons = std::move(other.reasons);
    return;
  }
  for (Reason& r : other.reasons) reasons.push_back(std::move(r));
}

Verdict GateRetiring(const Gates& g, const Pool& p, const GateContext& c) {
  if (!p.retiring_epoch.has_value()) return Verdict::Allow();
  const uint64_t r = *p.retiring_epoch;
  if (r <= c.epoch + g.retiring_within_epochs) {
    return Verdict::Make(
        Level::kDeny, "retiring",
        absl::StrCat("retires in epoch ", r, " (within ", g.retiring_within_epochs, " epochs)"));
  }
  return Verdict::Make(Level::kWarn, "retiring", absl::StrCat("announced retirement in epoch ", r));
}

Verdict GateMargin(const Gates& g, const Pool& p) {
  if (RatioLess(g.max_margin, p.margin)) {
    return Verdict::Make(
        Level::kDeny, "margin",
        absl::StrCat("margin ", p.margin.ToString(), " above ", g.max_margin.ToString()));
  }
  return Verdict::Allow();
}

Verdict GateFixedCost(const Gates& g, const Pool& p) {
  if (p.fixed_cost > g.max_fixed_cost) {
    return Verdict::Make(
        Level::kDeny, "fixed_cost",
        absl::StrCat("fixed cost ", Ada(p.fixed_cost), " above ", Ada(g.max_fixed_cost)));
  }
  return Verdict::Allow();
}

namespace {

// The verdict of a gate whose evidence the snapshot lacks: the policy's when_missing rule.
Verdict Missing(WhenMissing rule, std::string_view gate, absl::string_view what) {
  switch (rule) {
    case WhenMissing::kAllow:
      return Verdict::Allow();
    case WhenMissing::kWarn:
      return Verdict::Make(Level::kWarn, gate,
                           absl::StrCat(what, " unknown in the snapshot (policy: warn)"));
    case WhenMissing::kDeny:
      break;
  }
  return Verdict::Make(Level::kDeny, gate,
                       absl::StrCat(what, " unknown in the snapshot (policy: deny)"));
}

}  // namespace

Verdict GatePledge(const Gates& g, const Pool& p) {
  if (p.pledge < g.min_pledge) {
    return Verdict::Make(
        Level::kDeny, "pledge",
        absl::StrCat("declared pledge ", Ada(p.pledge), " below ", Ada(g.min_pledge)));
  }
  if (g.require_pledge_met && !p.live_pledge_known) {
    return Missing(g.pledge_when_missing, "pledge", "the owners' live pledge");
  }
  if (g.require_pledge_met && p.live_pledge < p.pledge) {
    return Verdict::Make(
        Level::kDeny, "pledge",
        absl::StrCat("pledge not met: live ", Ada(p.live_pledge), " < declared ", Ada(p.pledge)));
  }
  return Verdict::Allow();
}

Verdict GatePerformance(const Gates& g, const Pool& p, const GateContext& c) {
  if (!p.blocks_known && !g.min_performance.IsZero()) {
    return Missing(g.performance_when_missing, "performance", "blocks made");
  }
  const Performance perf = c.performance != nullptr
                               ? *c.performance
                               : ApparentPerformance(p, c.epoch, g.performance_window_epochs);
  if (!perf.known) {
    if (g.min_performance.IsZero()) return Verdict::Allow();
    return Verdict::Make(
        Level::kWarn, "performance",
        absl::StrCat("no blocks expected in the last ", g.performance_window_epochs, " epochs"));
  }
  if (RatioLess(perf.value, g.min_performance)) {
    return Verdict::Make(
        Level::kDeny, "performance",
        absl::StrCat("performance ", perf.value.ToString(), " below ", g.min_performance.ToString(),
                     " over ", g.performance_window_epochs, " epochs"));
  }
  return Verdict::Allow();
}

Verdict GateAge(const Gates& g, const Pool& p, const GateContext& c) {
  if (g.min_age_epochs == 0) return Verdict::Allow();
  if (!p.registered_epoch.has_value()) return Missing(g.age_when_missing, "age", "pool age");
  const uint64_t r = *p.registered_epoch;
  const uint64_t age = c.epoch >= r ? c.epoch - r : 0;
  if (age < g.min_age_epochs) {
    return Verdict::Make(Level::kDeny, "age",
                         absl::StrCat("age ", age, " epochs below ", g.min_age_epochs));
  }
  return Verdict::Allow();
}

Verdict GateLists(const Gates& g, const Pool& p) {
  if (std::binary_search(g.deny.begin(), g.deny.end(), p.id)) {
    return Verdict::Make(Level::kDeny, "deny_list", "on the deny list");
  }
  if (g.allow_only && !std::binary_search(g.allow.begin(), g.allow.end(), p.id)) {
    return Verdict::Make(Level::kDeny, "allow_list", "not on the allow list (allow-only mode)");
  }
  return Verdict::Allow();
}

Verdict GateSaturation(const Allocation& a, const Pool& p, const GateContext& c) {
  const uint64_t limit =
      static_cast<uint64_t>(static_cast<u128>(c.saturation) * a.saturation_headroom_bps / 10000);
  const uint64_t others = p.live_stake - std::min(p.live_stake, c.ours_in_pool);
  if (others >= limit) {
    return Verdict::Make(
        Level::kDeny, "saturation",
        absl::StrCat("stake without ours ", Ada(others), " already at ", a.saturation_headroom_bps,
                     " bps of saturation (", Ada(c.saturation), ")"));
  }
  return Verdict::Allow();
}

Verdict GateReentry(const Churn& churn, const GateContext& c) {
  if (!c.dropped_epoch.has_value() || churn.reentry_delay_epochs == 0) return Verdict::Allow();
  if (c.epoch < *c.dropped_epoch + churn.reentry_delay_epochs) {
    return Verdict::Make(
        Level::kDeny, "reentry",
        absl::StrCat("dropped in epoch ", *c.dropped_epoch, "; may return from epoch ",
                     *c.dropped_epoch + churn.reentry_delay_epochs));
  }
  return Verdict::Allow();
}

Verdict EvaluatePool(const Policy& policy, const Pool& pool, const GateContext& c) {
  const Gates& g = policy.gates;
  Verdict v;
  v.Merge(GateLists(g, pool));
  v.Merge(GateRetiring(g, pool, c));
  v.Merge(GateMargin(g, pool));
  v.Merge(GateFixedCost(g, pool));
  v.Merge(GatePledge(g, pool));
  v.Merge(GatePerformance(g, pool, c));
  v.Merge(GateAge(g, pool, c));
  v.Merge(GateSaturation(policy.allocation, pool, c));
  v.Merge(GateReentry(policy.churn, c));
  return v;
}

Verdict GroupAccumulator::Admit(const Pool& pool, uint32_t group) {
  return TryAdmit(group) ? Verdict::Allow() : Denial(pool);
}

bool GroupAccumulator::TryAdmit(uint32_t group) {
  if (group >= count_.size()) count_.resize(group + 1, 0);
  uint64_t& n = count_[group];
  if (n >= max_) return false;
  ++n;
  return true;
}

Verdict GroupAccumulator::Denial(const Pool& pool) const {
  return Verdict::Make(
      Level::kDeny, "group",
      absl::StrCat("operator group '", pool.group, "' already has ", max_, " pool(s) selected"));
}

}  // namespace stakeward::policy
