#include "policy/allocate.h"

#include <algorithm>
#include <map>
#include <optional>
#include <queue>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "chain/lovelace.h"
#include "policy/ada_text.h"
#include "policy/allocate_dp.h"
#include "policy/bps.h"

namespace stakeward::policy {
namespace {

// Caps that apply to a working set of candidates.
struct Caps {
  Caps(const std::vector<Candidate>& ranked, uint64_t cap)
      : group_used(GroupCount(ranked), 0), group_cap(cap) {}
  std::vector<uint64_t> pool;        // per candidate
  std::vector<uint64_t> group_used;  // lovelace placed per group (Candidate::group)
  uint64_t group_cap = 0;
};

uint64_t GroupSpare(const Caps& caps, uint32_t g) {
  const uint64_t used = caps.group_used[g];
  return caps.group_cap > used ? caps.group_cap - used : 0;
}

// Final pass: places what is left on the chosen pools in rank order, as far as caps allow.
uint64_t TopUp(const std::vector<size_t>& chosen, const std::vector<Candidate>& ranked, Caps& caps,
               std::vector<uint64_t>& amounts, uint64_t remaining) {
  for (size_t i : chosen) {
    if (remaining == 0) break;
    const uint32_t g = ranked[i].group;
    uint64_t spare = std::min(caps.pool[i] - amounts[i], GroupSpare(caps, g));
    uint64_t add = std::min(spare, remaining);
    amounts[i] += add;
    caps.group_used[g] += add;
    remaining -= add;
  }
  return remaining;
}

// Water-filling by weight over `chosen` (rank order). Returns the lovelace it could not place.
uint64_t WaterFill(const std::vector<size_t>& chosen, const std::vector<u128>& weight,
                   const std::vector<Candidate>& ranked, Caps& caps, std::vector<uint64_t>& amounts,
                   uint64_t total) {
  std::vector<bool> fixed(ranked.size(), false);
  uint64_t remaining = total;
  for (size_t round = 0; round <= 2 * chosen.size() + 2; ++round) {
    u128 w_sum = 0;
    size_t open = 0;
    for (size_t i : chosen) {
      if (!fixed[i]) {
        w_sum += weight[i];
        ++open;
      }
    }
    if (open == 0 || remaining == 0) break;
    // Pools left with zero weight (score 0) share what remains equally.
    auto w = [&](size_t i) -> u128 { return w_sum == 0 ? 1 : weight[i]; };
    const u128 w_total = w_sum == 0 ? open : w_sum;
    std::map<size_t, uint64_t> tentative;
    for (size_t i : chosen) {
      if (!fixed[i])
        tentative[i] = static_cast<uint64_t>(static_cast<u128>(remaining) * w(i) / w_total);
    }
    bool changed = false;
    for (auto& [i, t] : tentative) {
      if (t > caps.pool[i]) {
        const uint32_t g = ranked[i].group;
        const uint64_t give =
            std::min(caps.pool[i], GroupSpare(caps, g));  // never past the group cap
        amounts[i] = give;
        caps.group_used[g] += give;
        remaining -= give;
        fixed[i] = true;
        changed = true;
      }
    }
    if (changed) continue;
    std::map<uint32_t, std::pair<uint64_t, u128>> by_group;  // tentative sum, weight sum
    for (auto& [i, t] : tentative) {
      auto& e = by_group[ranked[i].group];
      e.first += t;
      e.second += w(i);
    }
    for (auto& [g, e] : by_group) {
      uint64_t spare = GroupSpare(caps, g);
      if (e.first <= spare) continue;
      for (auto& [i, t] : tentative) {
        if (ranked[i].group != g) continue;
        uint64_t give =
            e.second == 0 ? 0 : static_cast<uint64_t>(static_cast<u128>(spare) * w(i) / e.second);
        amounts[i] = give;
        caps.group_used[g] += give;
        remaining -= give;
        fixed[i] = true;
      }
      changed = true;
    }
    if (changed) continue;
    for (auto& [i, t] : tentative) {
      amounts[i] = t;
      caps.group_used[ranked[i].group] += t;
      remaining -= t;
      fixed[i] = true;
    }
    break;
  }
  return TopUp(chosen, ranked, caps, amounts, remaining);
}

struct Bounds {
  uint64_t upper = 0;  // most pools we may use
  uint64_t lower = 0;  // fewest pools we should use
};

Bounds CountBounds(const Policy& policy, size_t candidates, uint64_t total,
                   std::vector<std::string>& notes) {
  const Allocation& a = policy.allocation;
  Bounds b;
  b.upper = std::min<uint64_t>(a.max_pools, candidates);
  if (a.min_per_pool > 0)
    b.upper = std::min<uint64_t>(b.upper, std::max<uint64_t>(1, total / a.min_per_pool));
  b.lower = std::min(a.min_pools, b.upper);
  if (b.lower < a.min_pools) {
    notes.push_back(absl::StrCat("min_pools ", a.min_pools, " not reachable (", candidates,
                                 " eligible pools, stake ", Ada(total), "): using up to ",
                                 b.upper));
  }
  return b;
}

absl::Status NoCapacity(uint64_t left, uint64_t total) {
  return absl::FailedPreconditionError(
      absl::StrCat("eligible pools cannot absorb our stake under the policy's caps: ", Ada(left),
                   " of ", Ada(total), " left over"));
}

absl::StatusOr<AllocationOutcome> AllocateByWeight(const Policy& policy,
                                                   const std::vector<Candidate>& ranked,
                                                   uint64_t total, bool equal) {
  AllocationOutcome out;
  Bounds b = CountBounds(policy, ranked.size(), total, out.notes);
  std::vector<u128> weight(ranked.size(), 1);
  if (!equal) {
    bool any = false;
    for (size_t i = 0; i < ranked.size(); ++i) {
      weight[i] = ranked[i].score;
      any = any || weight[i] != 0;
    }
    if (!any) std::fill(weight.begin(), weight.end(), 1);
  }
  std::vector<bool> excluded(ranked.size(), false);
  uint64_t n = std::max<uint64_t>(b.lower, 1);
  for (size_t attempt = 0; attempt <= ranked.size() + b.upper + 1; ++attempt) {
    std::vector<size_t> chosen;
    for (size_t i = 0; i < ranked.size() && chosen.size() < n; ++i) {
      if (!excluded[i]) chosen.push_back(i);
    }
    if (chosen.empty()) break;
    Caps caps(ranked, GroupCap(policy, total));
    caps.pool.resize(ranked.size(), 0);
    for (size_t i : chosen) caps.pool[i] = PoolCap(policy, ranked[i], total);
    std::vector<uint64_t> amounts(ranked.size(), 0);
    std::vector<size_t> by_id = chosen;
    std::sort(by_id.begin(), by_id.end(),
              [&](size_t x, size_t y) { return ranked[x].pool->id < ranked[y].pool->id; });
    uint64_t left = WaterFill(by_id, weight, ranked, caps, amounts, total);
    if (left > 0) {
      if (n < b.upper && chosen.size() == n) {
        ++n;
        continue;
      }
      return NoCapacity(left, total);
    }
    // Minimum per pool: drop the lowest-ranked pool that falls short and try again.
    size_t short_one = SIZE_MAX;
    for (size_t i : chosen) {
      if (amounts[i] < policy.allocation.min_per_pool) short_one = i;
    }
    if (short_one != SIZE_MAX && chosen.size() > 1) {
      excluded[short_one] = true;
      out.notes.push_back(absl::StrCat("pool ", chain::PoolIdBech32(ranked[short_one].pool->id),
                                       " would get less than the minimum per pool; skipped"));
      continue;
    }
    out.amounts = std::move(amounts);
    return out;
  }
  return NoCapacity(total, total);
}

struct HeapEntry {
  u128 rate;
  chain::Hash28 id;
  size_t index;
  bool operator<(const HeapEntry& o) const {  // max-heap: higher rate, then lower pool id
    if (rate != o.rate) return rate < o.rate;
    return id > o.id;
  }
};

// The greedy fill can end with every opened pool full and less than the per-pool minimum left
// (no pool may open with it). Then one more pool opens at exactly the minimum: the leftover plus
// what it draws from the opened pools' amounts above the minimum, the last filled (lowest average
// return) first. The new pool is the allowed, unopened one with the best return at the minimum
// whose caps take it (ties: better rank). Returns what is still unplaced: 0, or `left` unchanged
// when no pool can open.
template <typename Rate>
uint64_t OpenForLeftover(const std::vector<Candidate>& ranked, const std::vector<bool>& allowed,
                         const std::vector<size_t>& fill_order, uint64_t min_per_pool,
                         uint64_t left, Caps& caps, const Rate& rate,
                         std::vector<uint64_t>& amounts, std::vector<size_t>& opened) {
  const uint64_t need = min_per_pool - left;
  uint64_t spare_above_min = 0;
  for (size_t i : fill_order) spare_above_min += amounts[i] - std::min(amounts[i], min_per_pool);
  if (spare_above_min < need) return left;
  std::optional<size_t> best;
  u128 best_rate = 0;
  for (size_t j = 0; j < ranked.size(); ++j) {
    if (!allowed[j] || amounts[j] != 0 || caps.pool[j] < min_per_pool) continue;
    // The draws below can free room in j's group; counted conservatively as not freed.
    if (GroupSpare(caps, ranked[j].group) < min_per_pool) continue;
    const u128 r = rate(j, min_per_pool);
    if (!best || r > best_rate) {
      best = j;
      best_rate = r;
    }
  }
  if (!best) return left;
  uint64_t owed = need;
  for (auto it = fill_order.rbegin(); it != fill_order.rend() && owed > 0; ++it) {
    const uint64_t d = std::min(owed, amounts[*it] - std::min(amounts[*it], min_per_pool));
    amounts[*it] -= d;
    caps.group_used[ranked[*it].group] -= d;
    owed -= d;
  }
  amounts[*best] = min_per_pool;
  caps.group_used[ranked[*best].group] += min_per_pool;
  opened.insert(
      std::upper_bound(opened.begin(), opened.end(), *best,
                       [&](size_t x, size_t y) { return ranked[x].pool->id < ranked[y].pool->id; }),
      *best);
  return 0;
}

// Greedy fill over `allowed` candidates: repeatedly fills the pool with the best average return per
// lovelace at its fullest reachable amount. Member reward is convex below saturation (the fixed
// cost is shared by more stake), so a pool's best average is at its fullest fill; the lazy heap
// is valid because a pool's reachable amount, and so its rate, only shrinks. Returns what it could
// not place.
uint64_t GreedyFill(const Policy& policy, const RewardContext& ctx,
                    const std::vector<Candidate>& ranked, const std::vector<bool>& allowed,
                    const std::vector<uint64_t>& pool_caps, uint64_t upper, bool boost,
                    uint64_t total, std::vector<uint64_t>& amounts, std::vector<size_t>& opened) {
  const uint64_t min_per_pool = policy.allocation.min_per_pool;
  const uint64_t hyst = boost ? policy.churn.hysteresis_bps : 0;
  Caps caps(ranked, GroupCap(policy, total));
  caps.pool = pool_caps;
  amounts.assign(ranked.size(), 0);
  opened.clear();
  uint64_t remaining = total;
  auto reach = [&](size_t i) {
    return std::min({caps.pool[i], remaining, GroupSpare(caps, ranked[i].group)});
  };
  auto rate = [&](size_t i, uint64_t x) {
    const Candidate& c = ranked[i];
    u128 r = ReturnPerLovelace(ctx, *c.pool, c.perf, c.others, x);
    return c.incumbent ? r * (10000 + hyst) / 10000 : r;
  };
  std::priority_queue<HeapEntry> heap;
  for (size_t i = 0; i < ranked.size(); ++i) {
    if (!allowed[i]) continue;
    uint64_t x = reach(i);
    if (x == 0 || x < min_per_pool) continue;
    heap.push({rate(i, x), ranked[i].pool->id, i});
  }
  while (remaining > 0 && !heap.empty() && opened.size() < upper) {
    HeapEntry top = heap.top();
    heap.pop();
    uint64_t x = reach(top.index);
    if (x == 0 || x < min_per_pool) continue;
    u128 r = rate(top.index, x);
    if (r < top.rate) {
      heap.push({r, top.id, top.index});
      continue;
    }
    amounts[top.index] = x;
    caps.group_used[ranked[top.index].group] += x;
    remaining -= x;
    opened.push_back(top.index);
  }
  const std::vector<size_t> fill_order = opened;
  std::sort(opened.begin(), opened.end(),
            [&](size_t x, size_t y) { return ranked[x].pool->id < ranked[y].pool->id; });
  remaining = TopUp(opened, ranked, caps, amounts, remaining);
  if (remaining == 0 || remaining >= min_per_pool || opened.size() >= upper) return remaining;
  return OpenForLeftover(ranked, allowed, fill_order, min_per_pool, remaining, caps, rate, amounts,
                         opened);
}

// Pairwise exchange after the greedy fill: moves stake from one pool to another (closing the
// source or filling the destination to its cap) while that raises the expected reward and keeps
// every cap. It closes the gaps a greedy fill leaves when a convex reward makes the choice of the
// partially filled pool matter. Steps: a whole pool, a destination's spare room, down to the
// minimum, and fixed quanta: k/10 of our stake (k = 1..9), 1/100 and 1/1000. Bounded: at most
// kExchangePool pools (the used ones and up to kExchangeNewcomers best-ranked unused ones) and
// kExchangeRounds passes (planning stays fast at hundreds of pools, where it is skipped).
constexpr size_t kExchangePool = 48;
constexpr size_t kExchangeNewcomers = 16;
constexpr int kExchangeRounds = 20;

void ImproveByExchange(const Policy& policy, const RewardContext& ctx,
                       const std::vector<Candidate>& ranked, const std::vector<bool>& allowed,
                       const std::vector<uint64_t>& caps, uint64_t upper, uint64_t total,
                       std::vector<uint64_t>& amounts) {
  std::vector<size_t> set;
  for (size_t i = 0; i < ranked.size(); ++i) {
    if (amounts[i] > 0) set.push_back(i);
  }
  if (set.size() >= kExchangePool) return;
  const size_t limit = std::min(kExchangePool, set.size() + kExchangeNewcomers);
  for (size_t i = 0; i < ranked.size() && set.size() < limit; ++i) {
    if (allowed[i] && amounts[i] == 0) set.push_back(i);  // best-ranked pools not yet used
  }
  std::sort(set.begin(), set.end(),
            [&](size_t x, size_t y) { return ranked[x].pool->id < ranked[y].pool->id; });
  const uint64_t min_pp = policy.allocation.min_per_pool;
  const uint64_t group_cap = GroupCap(policy, total);
  auto reward = [&](size_t i, uint64_t x) {
    return MemberReward(ctx, *ranked[i].pool, ranked[i].perf, ranked[i].others, x);
  };
  std::vector<uint64_t> group(GroupCount(ranked), 0);
  std::map<size_t, u128> current;  // reward of each pool at its current amount
  uint64_t used = 0;
  for (size_t i : set) {
    group[ranked[i].group] += amounts[i];
    used += amounts[i] > 0;
    current[i] = reward(i, amounts[i]);
  }
  for (int round = 0; round < kExchangeRounds; ++round) {
    bool improved = false;
    for (size_t i : set) {
      for (size_t j : set) {
        if (i == j || amounts[i] == 0) continue;
        const uint32_t gi = ranked[i].group;
        const uint32_t gj = ranked[j].group;
        uint64_t spare = caps[j] - amounts[j];
        if (gi != gj) spare = std::min(spare, group_cap - std::min(group_cap, group[gj]));
        const uint64_t keep_min = amounts[i] > min_pp ? amounts[i] - min_pp : 0;
        uint64_t steps[14] = {amounts[i], std::min(amounts[i], spare), std::min(keep_min, spare),
                              total / 100, total / 1000};
        for (uint64_t k = 1; k <= 9; ++k) steps[4 + k] = total / 10 * k;
        for (uint64_t d : steps) {
          if (d == 0 || d > spare || d > amounts[i]) continue;
          const uint64_t ai = amounts[i] - d, aj = amounts[j] + d;
          if ((ai != 0 && ai < min_pp) || aj < min_pp) continue;
          const uint64_t used_after = used - (ai == 0 ? 1 : 0) + (amounts[j] == 0 ? 1 : 0);
          if (used_after > upper) continue;
          const u128 ri = reward(i, ai), rj = reward(j, aj);
          if (ri + rj <= current[i] + current[j]) continue;
          group[gi] -= d;
          group[gj] += d;
          amounts[i] = ai;
          amounts[j] = aj;
          current[i] = ri;
          current[j] = rj;
          used = used_after;
          improved = true;
          break;
        }
      }
    }
    if (!improved) break;
  }
}

// The exact grid DP (allocate_dp.h) over the best-ranked allowed pools: all of them on small
// instances, otherwise the top kGridTopPools, fewer if needed for the coarsest grid to fit
// kGridWorkBudget; on the finest grid of kGridQuanta whose work fits the budget. On large
// instances this is a coarse search that the caller only keeps when it beats the greedy fill. The
// remainder below one quantum is topped up in pool-id order. nullopt when the grid has no
// allocation under the caps.
constexpr uint64_t kGridWorkBudget = 600000;
constexpr uint64_t kGridQuanta[] = {40, 20, 10};
constexpr size_t kGridTopPools = 24;

std::optional<std::vector<uint64_t>> GridAllocation(const Policy& policy, const RewardContext& ctx,
                                                    const std::vector<Candidate>& ranked,
                                                    const std::vector<bool>& allowed,
                                                    const std::vector<uint64_t>& pool_caps,
                                                    uint64_t upper, uint64_t total,
                                                    uint64_t boost_bps) {
  GridProblem pr;
  pr.caps = pool_caps;
  pr.group_cap = GroupCap(policy, total);
  pr.min_per_pool = policy.allocation.min_per_pool;
  pr.max_pools = upper;
  pr.total = total;
  pr.boost_bps = boost_bps;
  std::map<uint32_t, size_t> groups;
  for (size_t i = 0; i < ranked.size() && pr.items.size() < kGridTopPools; ++i) {
    if (!allowed[i]) continue;
    pr.items.push_back(i);
    ++groups[ranked[i].group];
  }
  // Large instances: drop the lowest-ranked items until the coarsest grid fits the budget.
  while (!pr.items.empty() && GridWork(pr.items.size(), groups.size(), upper,
                                       std::end(kGridQuanta)[-1]) > kGridWorkBudget) {
    const uint32_t g = ranked[pr.items.back()].group;
    if (--groups[g] == 0) groups.erase(g);
    pr.items.pop_back();
  }
  for (uint64_t q : kGridQuanta) {
    if (GridWork(pr.items.size(), groups.size(), upper, q) <= kGridWorkBudget) {
      pr.quanta = q;
      break;
    }
  }
  if (pr.quanta == 0 || pr.items.empty()) return std::nullopt;
  auto amounts = MaxRewardsOnGrid(ctx, ranked, pr);
  if (!amounts) return std::nullopt;
  Caps caps(ranked, pr.group_cap);
  caps.pool = pool_caps;
  std::vector<size_t> used;
  uint64_t placed = 0;
  for (size_t i = 0; i < ranked.size(); ++i) {
    if ((*amounts)[i] == 0) continue;
    used.push_back(i);
    placed += (*amounts)[i];
    caps.group_used[ranked[i].group] += (*amounts)[i];
  }
  std::sort(used.begin(), used.end(),
            [&](size_t x, size_t y) { return ranked[x].pool->id < ranked[y].pool->id; });
  if (TopUp(used, ranked, caps, *amounts, total - placed) != 0) return std::nullopt;
  return amounts;
}

// Expected member reward of `amounts`, incumbents' counted × (1 + boost_bps / 10000).
u128 Objective(const RewardContext& ctx, const std::vector<Candidate>& ranked,
               const std::vector<uint64_t>& amounts, uint64_t boost_bps) {
  u128 sum = 0;
  for (size_t i = 0; i < ranked.size(); ++i) {
    if (amounts[i] == 0) continue;
    u128 r = MemberReward(ctx, *ranked[i].pool, ranked[i].perf, ranked[i].others, amounts[i]);
    sum += ranked[i].incumbent ? r * (10000 + boost_bps) / 10000 : r;
  }
  return sum;
}

// Max-rewards: the better of the greedy fill and the grid DP (exact on small instances, over the
// top-ranked pools otherwise, so never worse than the greedy), then pairwise exchange. With
// hysteresis, pass 1 chooses the pools under the boosted objective and pass 2 sizes them without
// it.
absl::StatusOr<AllocationOutcome> AllocateMaxRewards(const Policy& policy, const RewardContext& ctx,
                                                     const std::vector<Candidate>& ranked,
                                                     uint64_t total) {
  AllocationOutcome out;
  Bounds b = CountBounds(policy, ranked.size(), total, out.notes);
  // min_pools is honoured by capping every pool at ceil(total / lower).
  const uint64_t spread_cap =
      b.lower > 1 ? total / b.lower + (total % b.lower != 0 ? 1 : 0) : total;
  std::vector<uint64_t> caps(ranked.size());
  for (size_t i = 0; i < ranked.size(); ++i)
    caps[i] = std::min(PoolCap(policy, ranked[i], total), spread_cap);
  const uint64_t hyst = policy.churn.hysteresis_bps;
  std::vector<bool> all(ranked.size(), true);
  std::vector<uint64_t> amounts;
  std::vector<size_t> opened;
  // Pass 1: the pool set, by the (boosted) objective.
  const uint64_t left =
      GreedyFill(policy, ctx, ranked, all, caps, b.upper, true, total, amounts, opened);
  auto grid = GridAllocation(policy, ctx, ranked, all, caps, b.upper, total, hyst);
  if (grid &&
      (left > 0 || Objective(ctx, ranked, *grid, hyst) > Objective(ctx, ranked, amounts, hyst))) {
    amounts = std::move(*grid);
  } else if (left > 0) {
    return NoCapacity(left, total);
  }
  std::vector<bool> allowed = all;
  if (hyst > 0) {
    // Pass 2: sizes within the chosen set, unboosted; keeps pass 1's amounts when nothing beats
    // them.
    std::vector<bool> chosen(ranked.size(), false);
    for (size_t i = 0; i < ranked.size(); ++i) chosen[i] = amounts[i] > 0;
    std::vector<uint64_t> sized;
    std::vector<size_t> opened2;
    if (GreedyFill(policy, ctx, ranked, chosen, caps, b.upper, false, total, sized, opened2) == 0 &&
        Objective(ctx, ranked, sized, 0) > Objective(ctx, ranked, amounts, 0)) {
      amounts = std::move(sized);
    }
    auto grid2 = GridAllocation(policy, ctx, ranked, chosen, caps, b.upper, total, 0);
    if (grid2 && Objective(ctx, ranked, *grid2, 0) > Objective(ctx, ranked, amounts, 0))
      amounts = std::move(*grid2);
    allowed = std::move(chosen);  // hysteresis decided the set; the exchange stays inside it
  }
  ImproveByExchange(policy, ctx, ranked, allowed, caps, b.upper, total, amounts);
  opened.clear();
  for (size_t i = 0; i < ranked.size(); ++i) {
    if (amounts[i] > 0) opened.push_back(i);
  }
  if (opened.size() < b.lower) {
    out.notes.push_back(
        absl::StrCat("only ", opened.size(), " pools used (min_pools ", b.lower, ")"));
  }
  out.amounts = std::move(amounts);
  return out;
}

}  // namespace

absl::StatusOr<AllocationOutcome> AllocateWith(const Policy& policy, const RewardContext& ctx,
                                               const std::vector<Candidate>& ranked,
                                               uint64_t total);

uint64_t PoolCap(const Policy& policy, const Candidate& c, uint64_t total) {
  return std::min(BpsOf(total, policy.allocation.max_pool_share_bps), c.headroom);
}

uint64_t GroupCap(const Policy& policy, uint64_t total) {
  return BpsOf(total, policy.allocation.max_group_share_bps);
}

void AssignGroupIds(std::vector<Candidate>& cands) {
  absl::flat_hash_map<absl::string_view, uint32_t> ids;
  for (Candidate& c : cands) {
    c.group = ids.try_emplace(c.pool->group, static_cast<uint32_t>(ids.size())).first->second;
  }
}

size_t GroupCount(const std::vector<Candidate>& cands) {
  uint32_t top = 0;
  for (const Candidate& c : cands) top = std::max(top, c.group + 1);
  return top;
}

absl::StatusOr<AllocationOutcome> Allocate(const Policy& policy_in, const RewardContext& ctx,
                                           const std::vector<Candidate>& ranked_in,
                                           uint64_t total) {
  std::vector<Candidate> grouped;
  const bool ungrouped = std::any_of(ranked_in.begin(), ranked_in.end(),
                                     [](const Candidate& c) { return c.group == kUngrouped; });
  if (ungrouped) {
    grouped = ranked_in;
    AssignGroupIds(grouped);
  }
  const std::vector<Candidate>& ranked = ungrouped ? grouped : ranked_in;
  Policy policy = policy_in;
  std::vector<std::string> notes;
  if (total < policy.allocation.min_per_pool) {
    // Less than one minimum in all: it goes to a single pool, the minimum cannot apply.
    notes.push_back(absl::StrCat("our stake ", Ada(total), " is below the minimum per pool ",
                                 Ada(policy.allocation.min_per_pool),
                                 ": one pool, minimum waived"));
    policy.allocation.min_per_pool = 0;
    policy.allocation.min_pools = 1;
    policy.allocation.max_pools = 1;
  }
  auto out = AllocateWith(policy, ctx, ranked, total);
  if (out.ok()) out->notes.insert(out->notes.begin(), notes.begin(), notes.end());
  return out;
}

absl::StatusOr<AllocationOutcome> AllocateWith(const Policy& policy, const RewardContext& ctx,
                                               const std::vector<Candidate>& ranked,
                                               uint64_t total) {
  if (total == 0) {
    AllocationOutcome out;
    out.amounts.assign(ranked.size(), 0);
    return out;
  }
  if (ranked.empty()) return NoCapacity(total, total);
  switch (policy.allocation.strategy) {
    case Strategy::kEqual:
      return AllocateByWeight(policy, ranked, total, true);
    case Strategy::kScoreWeighted:
      return AllocateByWeight(policy, ranked, total, false);
    case Strategy::kMaxRewards:
      return AllocateMaxRewards(policy, ctx, ranked, total);
  }
  return absl::InternalError("unknown strategy");
}

u128 ExpectedReward(const RewardContext& ctx, const std::vector<Candidate>& ranked,
                    const std::vector<uint64_t>& amounts) {
  u128 sum = 0;
  for (size_t i = 0; i < ranked.size(); ++i) {
    if (amounts[i] > 0)
      sum += MemberReward(ctx, *ranked[i].pool, ranked[i].perf, ranked[i].others, amounts[i]);
  }
  return sum;
}

}  // namespace stakeward::policy
