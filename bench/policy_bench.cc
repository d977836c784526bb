// Planning at scale (design §10): MakePlan over 3,000 and 100,000 synthetic pools with 500 slots,
// for each allocation strategy. Reports time per plan and the process's peak resident memory
// (getrusage ru_maxrss) as counters. Snapshot generation is outside the timed loop; the plan is
// given the snapshot's hash, as the controller does (BM_SnapshotHash is that hash's cost).
#include <malloc.h>
#include <sys/resource.h>

#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "policy/plan.h"
#include "tests/support/synthetic.h"

namespace stakeward::policy {
namespace {

const Snapshot& SnapshotFor(size_t pools) {
  static std::map<size_t, std::unique_ptr<Snapshot>> cache;
  auto& s = cache[pools];
  if (!s) {
    s = std::make_unique<Snapshot>(MakeSyntheticSnapshot(LargeInstanceOptions(pools)));
    malloc_trim(0);
  }
  return *s;
}

// Resident now (VmRSS), to tell the snapshot's own footprint from what planning adds.
long CurrentRssKiB() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

long PeakRssKiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

void BM_Plan(benchmark::State& state) {
  const Snapshot& snap = SnapshotFor(static_cast<size_t>(state.range(0)));
  const long rss_before = CurrentRssKiB();
  const Policy policy = LargeInstancePolicy(static_cast<Strategy>(state.range(1)));
  // The controller plans from its parse cache, which holds the snapshot's verified hash.
  const chain::Hash32 snapshot_hash = SnapshotHash(snap);
  size_t actions = 0, txs = 0, selected = 0;
  for (auto _ : state) {
    auto plan = MakePlan(policy, snap, PlanHistory{}, snapshot_hash);
    if (!plan.ok()) {
      state.SkipWithError(std::string(plan.status().message()).c_str());
      return;
    }
    actions = plan->actions.size();
    txs = plan->txs.size();
    selected = 0;
    for (const auto& d : plan->pools) selected += d.selected;
    benchmark::DoNotOptimize(plan);
  }
  state.counters["actions"] = static_cast<double>(actions);
  state.counters["txs"] = static_cast<double>(txs);
  state.counters["pools_selected"] = static_cast<double>(selected);
  state.counters["peak_rss_MiB"] = static_cast<double>(PeakRssKiB()) / 1024;
  state.counters["rss_before_MiB"] = static_cast<double>(rss_before) / 1024;
  state.SetLabel(std::string(StrategyName(policy.allocation.strategy)));
}

// What a plan without the known hash adds: the canonical encoding streamed into blake2b.
void BM_SnapshotHash(benchmark::State& state) {
  const Snapshot& snap = SnapshotFor(static_cast<size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(SnapshotHash(snap));
  state.counters["peak_rss_MiB"] = static_cast<double>(PeakRssKiB()) / 1024;
}

BENCHMARK(BM_SnapshotHash)->Arg(3000)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(3);

BENCHMARK(BM_Plan)
    ->ArgsProduct({{1000, 3000, 10000, 30000, 100000}, {0, 1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace
}  // namespace stakeward::policy

BENCHMARK_MAIN();
