#include "tests/support/synthetic.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "chain/check.h"

namespace stakeward::policy {

uint64_t SplitMix64::Next() {
  // splitmix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", 2014).
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t SplitMix64::Below(uint64_t n) {
  SW_CHECK(n > 0);
  return static_cast<uint64_t>((static_cast<u128>(Next()) * n) >> 64);
}

uint64_t SplitMix64::Between(uint64_t lo, uint64_t hi) { return lo + Below(hi - lo + 1); }

bool SplitMix64::Chance(uint64_t num, uint64_t den) { return Below(den) < num; }

namespace {

template <size_t N>
std::array<uint8_t, N> RandomBytes(SplitMix64& rng) {
  std::array<uint8_t, N> a{};
  for (size_t i = 0; i < N; i += 8) {
    uint64_t v = rng.Next();
    for (size_t k = 0; k < 8 && i + k < N; ++k) a[i + k] = static_cast<uint8_t>(v >> (8 * k));
  }
  return a;
}

constexpr uint64_t kAda = 1000000;

}  // namespace

Snapshot MakeSyntheticSnapshot(const SyntheticOptions& o) {
  SplitMix64 rng(o.seed);
  Snapshot s;
  s.network = o.network;
  s.epoch = o.epoch;
  s.slot = o.epoch * 432000;
  s.params.k = o.k;
  s.circulating = o.circulating;
  s.reserves = o.reserves;
  const uint64_t z = s.SaturationPoint();
  const size_t groups = std::max<size_t>(1, o.pools / std::max<uint64_t>(1, o.pools_per_group));
  // Keep the total pool stake well below the circulating supply for large pool counts.
  const uint64_t base_hi =
      o.pools > 3000 ? std::max<uint64_t>(2000, 100000 * 3000 / o.pools) : 100000;
  std::vector<chain::Hash28> group_owner(groups);
  for (auto& g : group_owner) g = RandomBytes<28>(rng);
  s.pools.resize(o.pools);
  for (size_t i = 0; i < o.pools; ++i) {
    Pool& p = s.pools[i];
    p.id = RandomBytes<28>(rng);
    p.vrf = RandomBytes<32>(rng);
    // Heavy tail: 1k..100k ADA times 4^level, level geometric; a few pools end up saturated.
    uint64_t level = 0;
    while (level < 6 && rng.Chance(1, 2)) ++level;
    uint64_t stake = rng.Between(base_hi / 100, base_hi) * kAda << (2 * level);
    stake = std::min(stake, z + z / 10);
    p.live_stake = stake;
    p.active_stake = stake - std::min(stake, rng.Below(stake / 20 + 1));
    p.pledge = std::min(stake, rng.Between(0, 50000) * kAda * (rng.Chance(1, 10) ? 20 : 1));
    p.live_pledge = rng.Chance(1, 25) ? p.pledge / 2 : p.pledge;
    p.margin = rng.Chance(1, 20) ? Ratio::One() : Ratio::Of(rng.Below(61), 1000);
    p.fixed_cost = rng.Between(170, 400) * kAda;
    p.registered_epoch = o.epoch - std::min<uint64_t>(o.epoch, rng.Below(400));
    if (rng.Below(1000) < o.retiring_per_mille) p.retiring_epoch = o.epoch + 1 + rng.Below(6);
    const size_t g = o.pools_per_group <= 1 ? i : rng.Below(groups);
    p.owners.push_back(o.pools_per_group <= 1 ? RandomBytes<28>(rng) : group_owner[g]);
    p.relays.push_back(absl::StrCat("relay", i, ".op", g, ".example:3001"));
    p.metadata_url = absl::StrCat("https://op", g, ".example/pool", i, ".json");
    // Blocks: expected = 21600 slots-with-leaders per epoch (f = 1/20 of 432000) times the
    // relative stake; made = expected times a performance between 70% and 105%.
    const uint64_t perf_pm = rng.Chance(1, 10) ? rng.Between(300, 900) : rng.Between(900, 1050);
    p.blocks.reserve(10);  // as the snapshot loader does: no growth slack per pool
    for (uint64_t e = o.epoch > 10 ? o.epoch - 10 : 0; e < o.epoch; ++e) {
      EpochBlocks b;
      b.epoch = e;
      b.expected = Ratio::Of(stake / kAda * 21600, o.circulating / kAda);
      // Stochastic rounding in micro-blocks, so small pools make whole blocks at the right rate.
      const u128 micro = static_cast<u128>(stake) * 21600 * perf_pm * 1000 / o.circulating;
      b.made =
          static_cast<uint64_t>(micro / 1000000) + (rng.Below(1000000) < micro % 1000000 ? 1 : 0);
      p.blocks.push_back(b);
    }
  }
  std::sort(s.pools.begin(), s.pools.end(),
            [](const Pool& a, const Pool& b) { return a.id < b.id; });
  // Our slots: spread over random pools with room, our stake included in their live stake.
  uint64_t ours = o.our_stake != 0 ? o.our_stake : z * 40 / 100;
  for (size_t i = 0; i < o.slots && !s.pools.empty(); ++i) {
    SlotState sl;
    sl.index = static_cast<uint32_t>(i);
    sl.registered = true;
    Pool& p = s.pools[rng.Below(s.pools.size())];
    sl.pool = p.id;
    sl.drep = DRepChoice{};
    sl.balance = chain::Lovelace(ours / o.slots + (i < ours % o.slots ? 1 : 0));
    sl.rewards = chain::Lovelace(rng.Below(500) * kAda);
    p.live_stake += sl.balance.value();
    s.slots.push_back(sl);
  }
  if (o.idle_stake > 0) {
    SlotState sl;
    sl.index = static_cast<uint32_t>(o.slots);
    sl.balance = chain::Lovelace(o.idle_stake);
    s.slots.push_back(sl);
  }
  Utxo t;
  t.tx = RandomBytes<32>(rng);
  t.lovelace = chain::Lovelace(o.treasury);
  s.treasury.push_back(t);
  SW_CHECK(NormalizeSnapshot(s).ok());
  return s;
}

SyntheticOptions LargeInstanceOptions(size_t pools) {
  SyntheticOptions o;
  o.seed = 2026;
  o.pools = pools;
  o.slots = 500;
  o.our_stake = 10000000000ull * 1000000;  // 10 billion ADA
  o.treasury = 100000ull * 1000000;
  return o;
}

Policy LargeInstancePolicy(Strategy strategy) {
  constexpr uint64_t kAda = 1000000;
  Policy p;
  p.network = chain::Network::kTestnet;
  p.threshold = 2;
  p.signers.resize(3);
  p.max_slots = 600;
  p.gates.max_margin = Ratio::Of(5, 100);
  p.gates.min_performance = Ratio::Of(8, 10);
  p.gates.max_pools_per_group = 2;
  p.allocation.strategy = strategy;
  p.allocation.min_pools = 150;
  p.allocation.max_pools = 500;
  p.allocation.max_pool_share_bps = 100;
  p.allocation.saturation_headroom_bps = 9500;
  p.allocation.max_group_share_bps = 200;
  p.allocation.min_per_pool = 1000000 * kAda;
  p.churn.max_moved_bps_per_epoch = 2000;
  p.churn.hysteresis_bps = 200;
  return p;
}

}  // namespace stakeward::policy
