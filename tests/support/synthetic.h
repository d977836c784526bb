// Deterministic synthetic chain snapshots for tests and benchmarks: heavy-tailed pool stake,
// multi-pool operator groups (shared owner keys and relays), announced retirements, pledge
// shortfalls, under-performers, and our slots spread over some pools. Integer-only PRNG
// (splitmix64), so the same seed gives the same snapshot everywhere.
#ifndef STAKEWARD_TESTS_SUPPORT_SYNTHETIC_H_
#define STAKEWARD_TESTS_SUPPORT_SYNTHETIC_H_

#include <cstdint>

#include "policy/policy.h"
#include "policy/snapshot.h"

namespace stakeward::policy {

class SplitMix64 {
 public:
  explicit SplitMix64(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  uint64_t Below(uint64_t n);                  // uniform in [0, n), n > 0
  uint64_t Between(uint64_t lo, uint64_t hi);  // inclusive
  bool Chance(uint64_t num, uint64_t den);     // true with probability num/den

 private:
  uint64_t state_;
};

struct SyntheticOptions {
  uint64_t seed = 1;
  size_t pools = 50;
  size_t slots = 5;         // slots currently delegated (0 = fresh start)
  uint64_t our_stake = 0;   // lovelace over those slots; 0 = 40 saturation points' worth / 100
  uint64_t idle_stake = 0;  // lovelace in an undelegated slot (new deposits)
  uint64_t epoch = 500;
  chain::Network network = chain::Network::kTestnet;
  uint64_t k = 500;
  uint64_t circulating = 35000000000000000ull;  // 35 billion ADA
  uint64_t reserves = 8000000000000000ull;
  uint64_t pools_per_group = 4;        // average operator group size (1 = no groups)
  uint64_t retiring_per_mille = 30;    // announced retirements
  uint64_t treasury = 10000000000ull;  // lovelace in the treasury UTxO
};

Snapshot MakeSyntheticSnapshot(const SyntheticOptions& options);

// The planner benchmark's large instance (bench/policy_bench.cc, issue 17): `pools` pools, 500
// slots holding 10 billion ADA (about 150 saturation points), seed 2026.
SyntheticOptions LargeInstanceOptions(size_t pools);
// Its policy: 150 to 500 pools, at most 1% of our stake per pool and 2% per operator group, 1M ADA
// minimum per pool, 95% saturation headroom, 20% churn, 2% hysteresis.
Policy LargeInstancePolicy(Strategy strategy);

}  // namespace stakeward::policy

#endif  // STAKEWARD_TESTS_SUPPORT_SYNTHETIC_H_
