// MakePlan: verdicts and scores → allocation → churn-limited pool amounts → slots → actions.
#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "chain/check.h"
#include "chain/hash.h"
#include "chain/lovelace.h"
#include "policy/ada_text.h"
#include "policy/allocate.h"
#include "policy/plan.h"
#include "policy/plan_internal.h"
#include "policy/reward_model.h"
#include "policy/slot_scripts.h"

namespace stakeward::policy {
namespace {

uint64_t Bps(uint64_t v, uint64_t bps) {
  return static_cast<uint64_t>(static_cast<u128>(v) * bps / 10000);
}

// Weights of the policy's score (see Scoring in policy.h), in bps.
u128 Score(const Policy& policy, const RewardContext& ctx, const Candidate& c, uint64_t probe) {
  const Scoring& w = policy.scoring;
  u128 ret = ReturnPerLovelace(ctx, *c.pool, c.perf, c.others, probe);
  u128 weight = w.return_weight_bps;
  weight += static_cast<u128>(w.performance_weight_bps) * c.perf.num / c.perf.den;
  if (ctx.saturation > 0) {
    weight += static_cast<u128>(w.pledge_weight_bps) *
              std::min<uint64_t>(c.pool->pledge, ctx.saturation) / ctx.saturation;
  }
  return ret * weight / 10000;
}

// Candidates ranked (score, boosted for `incumbent` pools by the hysteresis) and admitted per
// operator group in rank order, then allocated.
struct Ranking {
  std::vector<Candidate> ranked;
  std::vector<size_t> ranked_pool;   // ranked → pool index
  std::vector<size_t> group_denied;  // pool indexes the group accumulator turned away
};
constexpr int kHysteresisRounds = 8;

absl::StatusOr<AllocationOutcome> RankAndAllocate(const Policy& policy, const RewardContext& ctx,
                                                  const Snapshot& snap,
                                                  const std::vector<Candidate>& cands,
                                                  const std::vector<size_t>& cand_pool,
                                                  const std::vector<bool>& incumbent,
                                                  uint64_t total, Ranking& out) {
  std::vector<u128> rank(cands.size());
  for (size_t k = 0; k < cands.size(); ++k) {
    const Candidate& c = cands[k];
    rank[k] =
        incumbent[cand_pool[k]] ? c.score * (10000 + policy.churn.hysteresis_bps) / 10000 : c.score;
  }
  std::vector<size_t> order(cands.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (rank[a] != rank[b]) return rank[a] > rank[b];
    return cands[a].pool->id < cands[b].pool->id;
  });
  GroupAccumulator groups(policy.gates.max_pools_per_group);
  out = Ranking{};
  out.ranked.reserve(cands.size());
  out.ranked_pool.reserve(cands.size());
  for (size_t k : order) {
    const size_t pi = cand_pool[k];
    if (!groups.TryAdmit(cands[k].group)) {
      out.group_denied.push_back(pi);
      continue;
    }
    out.ranked.push_back(cands[k]);
    out.ranked.back().incumbent = incumbent[pi];
    out.ranked.back().rank = rank[k];
    out.ranked_pool.push_back(pi);
  }
  return Allocate(policy, ctx, out.ranked, total);
}

// One per pool (100k at the limit), so kept to 40 bytes.
constexpr uint32_t kNoRank = UINT32_MAX;  // not a candidate; sorts after every rank
struct PoolState {
  const Pool* pool = nullptr;
  uint64_t current = 0;
  uint64_t target = 0;
  uint64_t after = 0;
  uint32_t rank = kNoRank;  // snapshots hold far fewer pools (kMaxListItems)
  bool evacuate = false;
  bool candidate = false;
  enum class Cap : uint8_t { kNone, kHeadroom, kPerPool } cap = Cap::kNone;
};

const char* CapNote(PoolState::Cap c) {
  switch (c) {
    case PoolState::Cap::kHeadroom:
      return " (at saturation headroom)";
    case PoolState::Cap::kPerPool:
      return " (at per-pool cap)";
    case PoolState::Cap::kNone:
      break;
  }
  return "";
}

}  // namespace

void AppendDecisionReason(const PoolDecision& d, std::string& out) {
  if (d.verdict.denied()) {
    out += "denied: ";
    bool first = true;
    for (const Reason& r : d.verdict.reasons) {
      if (r.level != Level::kDeny) continue;
      absl::StrAppend(&out, first ? "" : "; ", r.message);
      first = false;
    }
  }
  out += d.reason_tail;
}

std::string DecisionReason(const PoolDecision& d) {
  std::string s;
  AppendDecisionReason(d, s);
  return s;
}

absl::StatusOr<Plan> MakePlan(const Policy& policy, const Snapshot& snap,
                              const PlanHistory& history) {
  return MakePlan(policy, snap, history, SnapshotHash(snap));
}

absl::StatusOr<Plan> MakePlan(const Policy& policy, const Snapshot& snap,
                              const PlanHistory& history, const chain::Hash32& snapshot_hash) {
  if (policy.network != snap.network) {
    return absl::InvalidArgumentError("snapshot and policy are for different networks");
  }
  if (absl::Status a = CheckSlotAddresses(policy, snap); !a.ok()) return a;
  Plan plan;
  plan.policy_hash = PolicyHash(policy);
  plan.snapshot_hash = snapshot_hash;
  plan.epoch = snap.epoch;
  const RewardContext ctx = MakeRewardContext(snap);
  const uint64_t sat_limit = Bps(snap.SaturationPoint(), policy.allocation.saturation_headroom_bps);

  // Our stake, per pool and idle.
  uint64_t total = 0;
  std::map<chain::Hash28, uint64_t> ours;
  for (const SlotState& s : snap.slots) {
    total += s.balance.value();  // bounded by the circulating supply (NormalizeSnapshot)
    if (s.pool.has_value()) ours[*s.pool] += s.balance.value();
  }
  plan.total_stake = total;
  std::map<chain::Hash28, uint64_t> dropped_at;
  for (const DroppedPool& d : history.dropped) {
    uint64_t& e = dropped_at[d.pool];
    e = std::max(e, d.epoch);
  }

  // Verdicts and candidates.
  std::vector<PoolState> states(snap.pools.size());
  plan.pools.resize(snap.pools.size());
  std::vector<Candidate> cands;
  std::vector<size_t> cand_pool;  // candidate → pool index
  const uint64_t lower = std::max<uint64_t>(1, policy.allocation.min_pools);
  for (size_t i = 0; i < snap.pools.size(); ++i) {
    const Pool& p = snap.pools[i];
    PoolState& st = states[i];
    st.pool = &p;
    auto o = ours.find(p.id);
    st.current = o == ours.end() ? 0 : o->second;
    GateContext gc;
    gc.epoch = snap.epoch;
    gc.saturation = snap.SaturationPoint();
    gc.ours_in_pool = st.current;
    if (auto d = dropped_at.find(p.id); d != dropped_at.end() && st.current == 0)
      gc.dropped_epoch = d->second;
    PoolDecision& dec = plan.pools[i];
    dec.id = p.id;
    dec.group = p.group;
    dec.current = st.current;
    const Performance perf =
        ApparentPerformance(p, snap.epoch, policy.gates.performance_window_epochs);
    gc.performance = &perf;
    dec.verdict = EvaluatePool(policy, p, gc);
    st.evacuate = st.current > 0 && (p.retiring_epoch.has_value() || p.live_stake >= sat_limit);
    if (dec.verdict.denied()) continue;
    Candidate c;
    c.pool = &p;
    c.others = p.live_stake - st.current;
    c.headroom = sat_limit - c.others;  // > 0: the saturation gate denied the rest
    c.perf = perf.value;
    c.incumbent = st.current > 0;
    cands.push_back(c);
    cand_pool.push_back(i);
  }
  AssignGroupIds(cands);
  const uint64_t probe_base = std::max<uint64_t>(1, total / lower);
  for (Candidate& c : cands) {
    uint64_t probe = std::max<uint64_t>(
        1, std::min(probe_base, PoolCap(policy, c, std::max<uint64_t>(total, 1))));
    c.score = Score(policy, ctx, c, probe);
  }
  for (size_t k = 0; k < cands.size(); ++k) plan.pools[cand_pool[k]].score = cands[k].score;
  // Hysteresis: incumbents rank (and, for max-rewards, weigh) higher. The plan's incumbent set is
  // made a fixed point: starting from the pools we hold, the allocation is recomputed with the
  // pools it selects as incumbents until they are the same set. Applying the plan makes that set
  // the held set, so planning again starts at the fixed point and reproduces the same targets
  // (idempotence, tested by PlannerProperties). Without hysteresis incumbency changes nothing.
  std::vector<bool> incumbent(snap.pools.size(), false);
  for (size_t i = 0; i < states.size(); ++i) incumbent[i] = states[i].current > 0;
  Ranking rk;
  auto alloc = RankAndAllocate(policy, ctx, snap, cands, cand_pool, incumbent, total, rk);
  if (alloc.ok() && policy.churn.hysteresis_bps > 0) {
    for (int round = 0;; ++round) {
      std::vector<bool> selected(snap.pools.size(), false);
      for (size_t r = 0; r < rk.ranked.size(); ++r)
        selected[rk.ranked_pool[r]] = alloc->amounts[r] > 0;
      bool same = true;
      for (size_t pi : cand_pool) same = same && selected[pi] == incumbent[pi];
      if (same) break;
      if (round == kHysteresisRounds) {
        alloc->notes.push_back(
            "hysteresis: the selected pool set did not settle; planning again may move stake");
        break;
      }
      Ranking next;
      auto again = RankAndAllocate(policy, ctx, snap, cands, cand_pool, selected, total, next);
      if (!again.ok()) {
        alloc->notes.push_back(
            "hysteresis: the selected pool set could not be re-checked; planning again may move "
            "stake");
        break;
      }
      incumbent = std::move(selected);
      rk = std::move(next);
      alloc = std::move(again);
    }
  }
  {
    const GroupAccumulator wording(policy.gates.max_pools_per_group);
    for (size_t pi : rk.group_denied) plan.pools[pi].verdict.Merge(wording.Denial(snap.pools[pi]));
  }
  for (size_t r = 0; r < rk.ranked.size(); ++r) {
    states[rk.ranked_pool[r]].candidate = true;
    states[rk.ranked_pool[r]].rank = static_cast<uint32_t>(r);
  }
  const std::vector<Candidate>& ranked = rk.ranked;
  const std::vector<size_t>& ranked_pool = rk.ranked_pool;
  if (!alloc.ok()) {
    std::map<std::string, size_t> denials;
    for (const PoolDecision& d : plan.pools) {
      for (const Reason& r : d.verdict.reasons) {
        if (r.level == Level::kDeny) ++denials[std::string(r.gate)];
      }
    }
    std::string why;
    for (const auto& [gate, n] : denials)
      absl::StrAppend(&why, why.empty() ? "" : ", ", gate, " ", n);
    return absl::Status(
        alloc.status().code(),
        absl::StrCat(alloc.status().message(), " (", ranked.size(), " of ", snap.pools.size(),
                     " pools eligible; denials by gate: ", why.empty() ? "none" : why, ")"));
  }
  plan.notes = alloc->notes;
  for (size_t r = 0; r < ranked.size(); ++r) {
    PoolState& st = states[ranked_pool[r]];
    st.target = alloc->amounts[r];
    if (st.target > 0) {
      const uint64_t cap = PoolCap(policy, ranked[r], total);
      if (st.target == cap) {
        st.cap = cap == ranked[r].headroom ? PoolState::Cap::kHeadroom : PoolState::Cap::kPerPool;
      }
    }
  }

  // Churn: evacuations and idle stake move freely; other decreases share the budget, worst first.
  plan.churn_budget = Bps(total, policy.churn.max_moved_bps_per_epoch);
  uint64_t budget = plan.churn_budget;
  uint64_t freed = 0;
  for (const SlotState& s : snap.slots) {
    if (!s.pool.has_value()) freed += s.balance.value();  // idle stake: placed, not re-delegated
  }
  std::vector<size_t> leaving;  // pools whose stake decreases, worst first
  for (size_t i = 0; i < states.size(); ++i) {
    PoolState& st = states[i];
    st.after = st.current;
    if (st.current > st.target) leaving.push_back(i);
  }
  std::sort(leaving.begin(), leaving.end(), [&](size_t a, size_t b) {
    const PoolState &x = states[a], &y = states[b];
    if (x.candidate != y.candidate) return !x.candidate;  // denied pools leave first
    if (x.rank != y.rank) return x.rank > y.rank;         // then the lowest-ranked
    return x.pool->id < y.pool->id;
  });
  for (size_t i : leaving) {
    PoolState& st = states[i];
    uint64_t dec = st.current - st.target;
    if (st.evacuate) {
      plan.moved_exempt += dec;
    } else {
      dec = std::min(dec, budget);
      budget -= dec;
      plan.moved += dec;
    }
    st.after -= dec;
    freed += dec;
  }
  // Place what was freed on pools below target, best rank first.
  for (size_t r = 0; r < ranked.size() && freed > 0; ++r) {
    PoolState& st = states[ranked_pool[r]];
    if (st.target <= st.current) continue;
    uint64_t inc = std::min(st.target - st.current, freed);
    st.after += inc;
    freed -= inc;
  }
  SW_CHECK(freed == 0);  // Σ target = total = Σ current + idle

  // Pool decisions.
  for (size_t i = 0; i < states.size(); ++i) {
    const PoolState& st = states[i];
    PoolDecision& d = plan.pools[i];
    d.target = st.target;
    d.after = st.after;
    d.selected = st.target > 0;
    d.evacuation = st.evacuate && st.after < st.current;
    if (d.verdict.denied()) {
      // DecisionReason prefixes the denial.
    } else if (st.target > 0) {
      d.reason_tail = absl::StrCat("selected (rank ", st.rank + 1, "), target ", Ada(st.target),
                                   CapNote(st.cap));
    } else {
      d.reason_tail = absl::StrCat("eligible, not selected (rank ", st.rank + 1, ")");
    }
    if (st.after != st.target) {
      absl::StrAppend(&d.reason_tail,
                      st.after > st.target ? "; leaving gradually (churn cap): keeps "
                                           : "; filling gradually (churn cap): reaches ",
                      Ada(st.after), " this epoch");
    }
    if (d.evacuation) {
      absl::StrAppend(&d.reason_tail, "; evacuated regardless of the churn cap (",
                      st.pool->retiring_epoch.has_value() ? "retiring" : "saturated", ")");
    }
    if (st.current > 0 && st.after == 0) plan.dropped.push_back({st.pool->id, snap.epoch});
  }

  std::vector<internal::PoolAfter> pools_after;
  for (const PoolState& st : states) {
    if (st.current == 0 && st.after == 0) continue;
    pools_after.push_back(
        {st.pool->id, st.current, st.after, st.rank == kNoRank ? SIZE_MAX : size_t{st.rank}});
  }
  absl::Status s = internal::AssignSlotsAndActions(policy, snap, pools_after, plan);
  if (!s.ok()) return s;
  return plan;
}

}  // namespace stakeward::policy
