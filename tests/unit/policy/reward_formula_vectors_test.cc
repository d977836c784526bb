// The reward model against expected values computed outside C++ (issue 12): exact rationals in
// Python from the Shelley ledger specification's formulas, floored where the ledger floors
// (tests/unit/policy/vectors/reward_formula.py, whose output is reward_formula.json). The integer
// model floors a few intermediates more, which can only lower a result: it must never exceed the
// specification's value and stay within a couple of lovelace of it.
#include <fstream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "policy/reward_model.h"
#include "policy/snapshot.h"

namespace stakeward::policy {
namespace {

constexpr uint64_t kTolerance = 2;  // lovelace lost to the model's extra floors

nlohmann::json LoadVectors() {
  std::ifstream f(std::string(STAKEWARD_SOURCE_DIR) +
                  "/tests/unit/policy/vectors/reward_formula.json");
  EXPECT_TRUE(f.good()) << "reward_formula.json is missing";
  std::stringstream ss;
  ss << f.rdbuf();
  return nlohmann::json::parse(ss.str());
}

Ratio R(const nlohmann::json& pair) {
  return Ratio::Of(pair[0].get<uint64_t>(), pair[1].get<uint64_t>());
}

TEST(RewardFormulaVectors, MatchTheSpecificationComputedWithExactRationals) {
  const nlohmann::json doc = LoadVectors();
  ASSERT_GE(doc["vectors"].size(), 10u);
  for (const nlohmann::json& v : doc["vectors"]) {
    const nlohmann::json& c = v["case"];
    const nlohmann::json& e = v["expected"];
    SCOPED_TRACE(c["name"].get<std::string>());
    Snapshot s;
    s.circulating = c["circulating"].get<uint64_t>();
    s.reserves = c["reserves"].get<uint64_t>();
    s.params.k = c["k"].get<uint64_t>();
    s.params.rho = R(c["rho"]);
    s.params.tau = R(c["tau"]);
    s.params.a0 = R(c["a0"]);
    Pool pool;
    pool.pledge = c["pledge"].get<uint64_t>();
    pool.live_pledge = c["live_pledge"].get<uint64_t>();
    pool.fixed_cost = c["fixed_cost"].get<uint64_t>();
    pool.margin = R(c["margin"]);
    const Ratio perf = R(c["perf"]);
    const uint64_t others = c["others"].get<uint64_t>();
    const uint64_t x = c["x"].get<uint64_t>();

    const RewardContext ctx = MakeRewardContext(s);
    EXPECT_EQ(static_cast<uint64_t>(ctx.pot), e["pot"].get<uint64_t>());
    const uint64_t f = static_cast<uint64_t>(PoolReward(ctx, pool, perf, others + x));
    const uint64_t want_f = e["pool_reward"].get<uint64_t>();
    EXPECT_LE(f, want_f);
    EXPECT_LE(want_f - std::min(f, want_f), kTolerance) << "pool reward " << f << " vs " << want_f;
    const uint64_t m = static_cast<uint64_t>(MemberReward(ctx, pool, perf, others, x));
    const uint64_t want_m = e["member_reward"].get<uint64_t>();
    EXPECT_LE(m, want_m);
    EXPECT_LE(want_m - std::min(m, want_m), kTolerance)
        << "member reward " << m << " vs " << want_m;
  }
}

}  // namespace
}  // namespace stakeward::policy
