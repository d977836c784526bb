// Table-driven tests of every gate: each row changes the pool or the policy and names the
// expected level and gate.
#include "policy/gates.h"

#include <functional>

#include "gtest/gtest.h"
#include "test_util.h"

namespace stakeward::policy {
namespace {

using testing::kAda;
using testing::MakePool;

struct Row {
  const char* name;
  std::function<void(Pool&, Policy&, GateContext&)> setup;
  Level level;
  const char* gate;  // expected gate code when not allowed
};

class GateTable : public ::testing::TestWithParam<Row> {};

TEST_P(GateTable, Verdict) {
  const Row& row = GetParam();
  Pool pool = MakePool(1, 5000000 * kAda);
  Policy policy = testing::TestPolicy();
  GateContext ctx;
  ctx.epoch = 500;
  ctx.saturation = 70000000 * kAda;
  row.setup(pool, policy, ctx);
  Verdict v = EvaluatePool(policy, pool, ctx);
  EXPECT_EQ(v.level, row.level) << row.name;
  if (row.level == Level::kAllow) {
    EXPECT_TRUE(v.reasons.empty());
  } else {
    bool found = false;
    for (const Reason& r : v.reasons) found = found || (r.gate == row.gate && r.level == row.level);
    EXPECT_TRUE(found) << row.name << ": no " << row.gate << " reason";
    for (const Reason& r : v.reasons) EXPECT_FALSE(r.message.empty());
  }
}

const Row kRows[] = {
    {"defaults allow", [](Pool&, Policy&, GateContext&) {}, Level::kAllow, ""},
    // retiring
    {"retiring next epoch", [](Pool& p, Policy&, GateContext&) { p.retiring_epoch = 501; },
     Level::kDeny, "retiring"},
    {"retiring exactly at R",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.retiring_within_epochs = 3;
       p.retiring_epoch = 503;
     },
     Level::kDeny, "retiring"},
    {"retiring beyond R warns",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.retiring_within_epochs = 3;
       p.retiring_epoch = 504;
     },
     Level::kWarn, "retiring"},
    // margin
    {"margin at max",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.max_margin = Ratio::Of(5, 100);
       p.margin = Ratio::Of(1, 20);
     },
     Level::kAllow, ""},
    {"margin above max",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.max_margin = Ratio::Of(5, 100);
       p.margin = Ratio::Of(51, 1000);
     },
     Level::kDeny, "margin"},
    // fixed cost
    {"cost at max", [](Pool& p, Policy& q, GateContext&) { q.gates.max_fixed_cost = 340 * kAda; },
     Level::kAllow, ""},
    {"cost above max",
     [](Pool& p, Policy& q, GateContext&) { q.gates.max_fixed_cost = 340 * kAda - 1; },
     Level::kDeny, "fixed_cost"},
    // pledge
    {"pledge declared and met",
     [](Pool& p, Policy& q, GateContext&) { q.gates.min_pledge = p.pledge; }, Level::kAllow, ""},
    {"pledge below minimum",
     [](Pool& p, Policy& q, GateContext&) { q.gates.min_pledge = p.pledge + 1; }, Level::kDeny,
     "pledge"},
    {"pledge not met", [](Pool& p, Policy&, GateContext&) { p.live_pledge = p.pledge - 1; },
     Level::kDeny, "pledge"},
    {"pledge not met but not required",
     [](Pool& p, Policy& q, GateContext&) {
       p.live_pledge = 0;
       q.gates.require_pledge_met = false;
     },
     Level::kAllow, ""},
    // performance
    {"performance at min",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.min_performance = Ratio::Of(9, 10);
       for (auto& b : p.blocks) b.made = 9;
     },
     Level::kAllow, ""},
    {"performance below min",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.min_performance = Ratio::Of(9, 10);
       for (auto& b : p.blocks) b.made = 8;
     },
     Level::kDeny, "performance"},
    {"performance outside window ignored",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.min_performance = Ratio::Of(9, 10);
       q.gates.performance_window_epochs = 2;
       p.blocks[0].made = 0;
     },
     Level::kAllow, ""},
    {"no expected blocks warns",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.min_performance = Ratio::Of(1, 2);
       p.blocks.clear();
     },
     Level::kWarn, "performance"},
    // age
    {"old enough", [](Pool& p, Policy& q, GateContext&) { q.gates.min_age_epochs = 100; },
     Level::kAllow, ""},
    {"too young", [](Pool& p, Policy& q, GateContext&) { q.gates.min_age_epochs = 101; },
     Level::kDeny, "age"},
    // missing data: the policy's when_missing rule decides (default deny)
    {"age unknown denies by default",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.min_age_epochs = 10;
       p.registered_epoch.reset();
     },
     Level::kDeny, "age"},
    {"age unknown, policy warns",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.min_age_epochs = 10;
       q.gates.age_when_missing = WhenMissing::kWarn;
       p.registered_epoch.reset();
     },
     Level::kWarn, "age"},
    {"age unknown, policy allows",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.min_age_epochs = 10;
       q.gates.age_when_missing = WhenMissing::kAllow;
       p.registered_epoch.reset();
     },
     Level::kAllow, ""},
    {"age unknown, no age gate",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.min_age_epochs = 0;
       p.registered_epoch.reset();
     },
     Level::kAllow, ""},
    {"live pledge unknown denies by default",
     [](Pool& p, Policy&, GateContext&) { p.live_pledge_known = false; }, Level::kDeny, "pledge"},
    {"live pledge unknown, policy warns",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.pledge_when_missing = WhenMissing::kWarn;
       p.live_pledge_known = false;
     },
     Level::kWarn, "pledge"},
    {"live pledge unknown, policy allows",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.pledge_when_missing = WhenMissing::kAllow;
       p.live_pledge_known = false;
     },
     Level::kAllow, ""},
    {"live pledge unknown, pledge not required",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.require_pledge_met = false;
       p.live_pledge_known = false;
     },
     Level::kAllow, ""},
    {"declared pledge too low wins over an unknown live pledge",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.min_pledge = p.pledge + 1;
       p.live_pledge_known = false;
     },
     Level::kDeny, "pledge"},
    {"blocks unknown denies by default",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.min_performance = Ratio::Of(1, 2);
       p.blocks.clear();
       p.blocks_known = false;
     },
     Level::kDeny, "performance"},
    {"blocks unknown, policy warns",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.min_performance = Ratio::Of(1, 2);
       q.gates.performance_when_missing = WhenMissing::kWarn;
       p.blocks_known = false;
     },
     Level::kWarn, "performance"},
    {"blocks unknown, policy allows",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.min_performance = Ratio::Of(1, 2);
       q.gates.performance_when_missing = WhenMissing::kAllow;
       p.blocks_known = false;
     },
     Level::kAllow, ""},
    {"blocks unknown, no performance gate",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.min_performance = Ratio::Zero();
       p.blocks_known = false;
     },
     Level::kAllow, ""},
    // lists
    {"deny list", [](Pool& p, Policy& q, GateContext&) { q.gates.deny = {p.id}; }, Level::kDeny,
     "deny_list"},
    {"allow-only, listed",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.allow = {p.id};
       q.gates.allow_only = true;
     },
     Level::kAllow, ""},
    {"allow-only, not listed",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.allow = {chain::Hash28{}};
       q.gates.allow_only = true;
     },
     Level::kDeny, "allow_list"},
    {"deny beats allow",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.allow = {p.id};
       q.gates.deny = {p.id};
       q.gates.allow_only = true;
     },
     Level::kDeny, "deny_list"},
    // saturation headroom (others = live - ours)
    {"below headroom",
     [](Pool& p, Policy&, GateContext& c) { p.live_stake = c.saturation * 95 / 100 - 1; },
     Level::kAllow, ""},
    {"at headroom",
     [](Pool& p, Policy&, GateContext& c) { p.live_stake = c.saturation * 95 / 100; }, Level::kDeny,
     "saturation"},
    {"our own stake does not count",
     [](Pool& p, Policy&, GateContext& c) {
       p.live_stake = c.saturation;
       c.ours_in_pool = c.saturation / 2;
     },
     Level::kAllow, ""},
    // re-entry
    {"dropped, delay passed",
     [](Pool&, Policy& q, GateContext& c) {
       q.churn.reentry_delay_epochs = 3;
       c.dropped_epoch = 497;
     },
     Level::kAllow, ""},
    {"dropped, delay running",
     [](Pool&, Policy& q, GateContext& c) {
       q.churn.reentry_delay_epochs = 3;
       c.dropped_epoch = 498;
     },
     Level::kDeny, "reentry"},
    // precedence: a warn and a deny give deny
    {"warn and deny give deny",
     [](Pool& p, Policy& q, GateContext&) {
       q.gates.retiring_within_epochs = 0;
       p.retiring_epoch = 510;
       p.margin = Ratio::One();
       q.gates.max_margin = Ratio::Of(1, 2);
     },
     Level::kDeny, "margin"},
};

INSTANTIATE_TEST_SUITE_P(Gates, GateTable, ::testing::ValuesIn(kRows),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           std::string n = info.param.name;
                           for (char& c : n) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

TEST(GroupAccumulator, AdmitsAtMostGPerGroup) {
  GroupAccumulator acc(2);
  Pool a = MakePool(1, kAda), b = MakePool(2, kAda), c = MakePool(3, kAda), d = MakePool(4, kAda);
  a.group = b.group = c.group = "op";
  d.group = "other";
  EXPECT_EQ(acc.Admit(a, 0).level, Level::kAllow);
  EXPECT_EQ(acc.Admit(b, 0).level, Level::kAllow);
  Verdict v = acc.Admit(c, 0);
  EXPECT_EQ(v.level, Level::kDeny);
  ASSERT_EQ(v.reasons.size(), 1u);
  EXPECT_EQ(v.reasons[0].gate, "group");
  EXPECT_EQ(acc.Admit(d, 1).level, Level::kAllow);
}

TEST(Verdict, MergeKeepsStrongestLevelAndAllReasons) {
  Verdict v = Verdict::Make(Level::kWarn, "a", "x");
  v.Merge(Verdict::Allow());
  EXPECT_EQ(v.level, Level::kWarn);
  v.Merge(Verdict::Make(Level::kDeny, "b", "y"));
  v.Merge(Verdict::Make(Level::kWarn, "c", "z"));
  EXPECT_EQ(v.level, Level::kDeny);
  EXPECT_EQ(v.reasons.size(), 3u);
}

}  // namespace
}  // namespace stakeward::policy
