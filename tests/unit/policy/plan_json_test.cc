// PlanToJson / PlanHash write each pool's 128-bit score as decimal text. Expected digits computed
// outside the code under test (Python: str(10**19 * 10**19 + 5), str(2**64), str(2**128 - 1), ...).
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "policy/plan.h"

namespace stakeward::policy {
namespace {

u128 U128(uint64_t hi, uint64_t lo) { return (static_cast<u128>(hi) << 64) | lo; }

TEST(PlanJson, ScoresAreExactDecimals) {
  const u128 e19 = 10000000000000000000ULL;
  struct Row {
    u128 score;
    std::string digits;
  };
  const std::vector<Row> rows = {
      {0, "0"},
      {9, "9"},
      {10, "10"},
      {e19 - 1, "9999999999999999999"},
      {e19, "10000000000000000000"},
      {e19 + 1, "10000000000000000001"},
      {U128(1, 0), "18446744073709551616"},                                 // 2^64
      {e19 * e19 + 5, "100000000000000000000000000000000000005"},           // inner zeros kept
      {U128(1, 0) * e19 + 123, "184467440737095516160000000000000000123"},  // 2^64 * 10^19 + 123
      {U128(UINT64_MAX, UINT64_MAX), "340282366920938463463374607431768211455"},  // 2^128 - 1
  };
  Plan plan;
  for (const Row& r : rows) {
    PoolDecision d;
    d.score = r.score;
    d.target = 1;  // shown without include_all_pools too
    plan.pools.push_back(d);
  }
  const nlohmann::json j = nlohmann::json::parse(PlanToJson(plan, /*include_all_pools=*/true));
  ASSERT_EQ(j["pools"].size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(j["pools"][i]["score"], rows[i].digits) << i;
  }
}

}  // namespace
}  // namespace stakeward::policy
