// The large snapshot the load and comparison benchmarks plan over: policy/samples/snapshot.json
// with its pool list cloned to `pools` entries (fresh ids, groups, owners and relays past the
// sample's own pools), so its JSON has the shape and number formats of a real snapshot.
#ifndef STAKEWARD_BENCH_SUPPORT_BIG_SNAPSHOT_H_
#define STAKEWARD_BENCH_SUPPORT_BIG_SNAPSHOT_H_

#include "nlohmann/json.hpp"

namespace stakeward::bench {

// `sample` is the parsed sample snapshot; the result's slot number is the sample's plus one (a
// different document, so a different hash).
nlohmann::json CloneSnapshot(const nlohmann::json& sample, int pools);

}  // namespace stakeward::bench

#endif  // STAKEWARD_BENCH_SUPPORT_BIG_SNAPSHOT_H_
