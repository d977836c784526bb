#include "policy/allocate_dp.h"

#include <algorithm>
#include <map>
#include <string>

namespace stakeward::policy {
namespace {

// A DP table over (quanta used, pools opened), stored row-major; `ok` marks reachable cells.
struct Table {
  uint64_t rows = 0;  // quanta 0..rows-1
  uint64_t cols = 0;  // pools 0..cols-1
  std::vector<u128> value;
  std::vector<bool> ok;
  std::vector<uint32_t> choice;  // how the cell was reached (meaning depends on the table)

  Table(uint64_t r, uint64_t c)
      : rows(r), cols(c), value(r * c, 0), ok(r * c, false), choice(r * c, 0) {}
  size_t At(uint64_t u, uint64_t c) const { return static_cast<size_t>(u * cols + c); }
  // Keeps the first optimum: replaces only on a strictly better value.
  void Offer(uint64_t u, uint64_t c, u128 v, uint32_t how) {
    const size_t k = At(u, c);
    if (ok[k] && v <= value[k]) return;
    ok[k] = true;
    value[k] = v;
    choice[k] = how;
  }
  std::vector<std::pair<uint64_t, uint64_t>> Cells() const {
    std::vector<std::pair<uint64_t, uint64_t>> out;
    for (uint64_t u = 0; u < rows; ++u) {
      for (uint64_t c = 0; c < cols; ++c) {
        if (ok[At(u, c)]) out.emplace_back(u, c);
      }
    }
    return out;
  }
};

}  // namespace

uint64_t GridWork(size_t items, size_t groups, uint64_t max_pools, uint64_t quanta) {
  const u128 cols = std::min<uint64_t>(max_pools, items) + 1;
  const u128 rows = static_cast<u128>(quanta) + 1;
  const u128 work = static_cast<u128>(items) * rows * rows * cols +
                    static_cast<u128>(groups) * rows * rows * cols * cols;
  return work > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(work);
}

std::optional<std::vector<uint64_t>> MaxRewardsOnGrid(const RewardContext& ctx,
                                                      const std::vector<Candidate>& ranked,
                                                      const GridProblem& pr) {
  if (pr.quanta == 0 || pr.quanta > 4096 || pr.items.empty()) return std::nullopt;
  const uint64_t q = pr.total / pr.quanta;
  if (q == 0) return std::nullopt;
  const uint64_t Q = pr.quanta;
  const uint64_t max_used = std::min<uint64_t>(pr.max_pools, pr.items.size());
  if (max_used == 0) return std::nullopt;
  const uint64_t min_q =
      pr.min_per_pool == 0 ? 1 : pr.min_per_pool / q + (pr.min_per_pool % q != 0 ? 1 : 0);
  const uint64_t group_q = std::min(Q, pr.group_cap / q);

  // Operator groups by name, their pools by id.
  std::map<std::string, std::vector<size_t>> groups;
  for (size_t i : pr.items) groups[ranked[i].pool->group].push_back(i);
  for (auto& [name, v] : groups) {
    std::sort(v.begin(), v.end(),
              [&](size_t x, size_t y) { return ranked[x].pool->id < ranked[y].pool->id; });
  }
  auto value = [&](size_t i, uint64_t x) {
    const Candidate& c = ranked[i];
    u128 r = MemberReward(ctx, *c.pool, c.perf, c.others, x * q);
    return c.incumbent && pr.boost_bps > 0 ? r * (10000 + pr.boost_bps) / 10000 : r;
  };

  // Per group: a table per pool prefix (the choice records the pool's quanta), kept for the walk
  // back.
  struct GroupDp {
    std::vector<size_t> pools;
    std::vector<Table> steps;  // steps[k]: after pools[0..k]
  };
  std::vector<GroupDp> gdp;
  for (const auto& [name, pools] : groups) {
    GroupDp g;
    g.pools = pools;
    Table t(group_q + 1, max_used + 1);
    t.Offer(0, 0, 0, 0);
    for (size_t i : pools) {
      const uint64_t cap_q = std::min(group_q, pr.caps[i] / q);
      std::vector<u128> v(cap_q + 1, 0);
      for (uint64_t x = min_q; x <= cap_q; ++x) v[x] = value(i, x);
      Table next(group_q + 1, max_used + 1);
      const auto cells = t.Cells();
      for (auto [u, c] : cells) next.Offer(u, c, t.value[t.At(u, c)], 0);  // pool unused
      for (auto [u, c] : cells) {
        if (c >= max_used) continue;
        const u128 base = t.value[t.At(u, c)];
        for (uint64_t x = min_q; x <= cap_q && u + x <= group_q; ++x) {
          next.Offer(u + x, c + 1, base + v[x], static_cast<uint32_t>(x));
        }
      }
      g.steps.push_back(next);
      t = std::move(next);
    }
    gdp.push_back(std::move(g));
  }

  // Across groups: the choice records the group's cell (quanta · cols + pools).
  std::vector<Table> across;
  Table acc(Q + 1, max_used + 1);
  acc.Offer(0, 0, 0, 0);
  for (const GroupDp& g : gdp) {
    const Table& gt = g.steps.back();
    const auto gcells = gt.Cells();
    Table next(Q + 1, max_used + 1);
    for (auto [u, c] : acc.Cells()) {
      const u128 base = acc.value[acc.At(u, c)];
      for (auto [gu, gc] : gcells) {
        if (u + gu > Q || c + gc > max_used) continue;
        next.Offer(u + gu, c + gc, base + gt.value[gt.At(gu, gc)],
                   static_cast<uint32_t>(gt.At(gu, gc)));
      }
    }
    across.push_back(next);
    acc = std::move(next);
  }
  std::optional<uint64_t> best_c;
  for (uint64_t c = 1; c <= max_used; ++c) {
    if (acc.ok[acc.At(Q, c)] &&
        (!best_c || acc.value[acc.At(Q, c)] > acc.value[acc.At(Q, *best_c)]))
      best_c = c;
  }
  if (!best_c) return std::nullopt;

  // Walk back: groups last to first, then each group's pools last to first.
  std::vector<uint64_t> amounts(ranked.size(), 0);
  uint64_t u = Q, c = *best_c;
  for (size_t k = gdp.size(); k-- > 0;) {
    const GroupDp& g = gdp[k];
    const Table& gt = g.steps.back();
    const uint32_t cell = across[k].choice[across[k].At(u, c)];
    uint64_t gu = cell / gt.cols, gc = cell % gt.cols;
    u -= gu;
    c -= gc;
    for (size_t p = g.pools.size(); p-- > 0;) {
      const Table& st = g.steps[p];
      const uint64_t x = st.choice[st.At(gu, gc)];
      amounts[g.pools[p]] = x * q;
      if (x > 0) {
        gu -= x;
        gc -= 1;
      }
    }
  }
  return amounts;
}

}  // namespace stakeward::policy
