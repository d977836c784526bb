// Stakeward snapshot JSON: round trip, hash, validation of bad rows, exact numbers.
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "policy/json_exact.h"
#include "policy/ratio.h"
#include "test_util.h"
#include "tests/support/synthetic.h"

namespace stakeward::policy {
namespace {

TEST(Ratio, ParsesExactly) {
  EXPECT_EQ(*ParseRatio("0.3", "x"), Ratio::Of(3, 10));
  EXPECT_EQ(*ParseRatio("7.21e-05", "x"), Ratio::Of(721, 10000000));
  EXPECT_EQ(*ParseRatio("1E3", "x"), Ratio::Of(1000, 1));
  EXPECT_EQ(*ParseRatio("3/9", "x"), Ratio::Of(1, 3));
  EXPECT_EQ(*ParseRatio("0.000", "x"), Ratio::Zero());
  for (const char* bad :
       {"", "-1", "1/0", "abc", "1.2.3", "1e", "1e999", ".", "18446744073709551616"}) {
    EXPECT_FALSE(ParseRatio(bad, "x").ok()) << bad;
  }
  EXPECT_TRUE(RatioLess(Ratio::Of(1, 3), Ratio::Of(1, 2)));
  EXPECT_FALSE(RatioLess(Ratio::Of(2, 4), Ratio::Of(1, 2)));
}

TEST(JsonExact, NumbersStayExact) {
  auto j =
      json::ParseExact(R"({"a": 18446744073709551615, "b": 0.1, "c": "text 1.5", "d": [-3]})", "t");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(*json::U64((*j)["a"], "a"), UINT64_MAX);
  EXPECT_EQ(*json::RatioOf((*j)["b"], "b"), Ratio::Of(1, 10));
  EXPECT_EQ((*j)["c"].get<std::string>(), "text 1.5");
  EXPECT_FALSE(json::U64((*j)["d"][0], "d").ok());
  EXPECT_FALSE(json::U64((*j)["b"], "b").ok());
  EXPECT_FALSE(json::ParseExact("{\"a\": ", "t").ok());
  EXPECT_FALSE(json::ParseExact(std::string(100, '[') + std::string(100, ']'), "t").ok());
}

Snapshot Sample() {
  SyntheticOptions o;
  o.seed = 42;
  o.pools = 30;
  o.slots = 3;
  o.idle_stake = 1000 * testing::kAda;
  return MakeSyntheticSnapshot(o);
}

TEST(Snapshot, JsonRoundTripKeepsHash) {
  Snapshot s = Sample();
  std::string text = SnapshotToJson(s);
  auto back = LoadSnapshot(text);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(SnapshotHash(*back), SnapshotHash(s));
  EXPECT_EQ(SnapshotToJson(*back), text);
  Snapshot t = s;
  t.pools[3].live_stake += 1;
  EXPECT_NE(SnapshotHash(t), SnapshotHash(s));
}

// Pool age and block history the source did not know stay unknown (null) through JSON and are
// hashed as such; an empty history is known ("no blocks expected"), not unknown.
// The reader finds members wherever they are: keys sorted (as jq -S or nlohmann::json write them)
// read the same as the order SnapshotToJson writes.
TEST(Snapshot, MemberOrderDoesNotMatter) {
  Snapshot s = Sample();
  const std::string sorted = nlohmann::json::parse(SnapshotToJson(s)).dump();
  ASSERT_NE(sorted.find("{\"active_stake\""), std::string::npos);
  auto back = LoadSnapshot(sorted);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(SnapshotHash(*back), SnapshotHash(s));
}

TEST(Snapshot, UnknownAgeAndBlocksRoundTripAndAreHashed) {
  Snapshot s = Sample();
  Snapshot u = s;
  u.pools[0].registered_epoch.reset();
  u.pools[1].blocks.clear();
  u.pools[1].blocks_known = false;
  Snapshot empty = s;
  empty.pools[1].blocks.clear();
  EXPECT_NE(SnapshotHash(u), SnapshotHash(s));
  Snapshot only_blocks = u;
  only_blocks.pools[0].registered_epoch = s.pools[0].registered_epoch;
  EXPECT_NE(SnapshotHash(only_blocks), SnapshotHash(empty));
  std::string text = SnapshotToJson(u);
  EXPECT_NE(text.find("\"registered_epoch\": null"), std::string::npos);
  EXPECT_NE(text.find("\"blocks\": null"), std::string::npos);
  auto back = LoadSnapshot(text);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_FALSE(back->pools[0].registered_epoch.has_value());
  EXPECT_FALSE(back->pools[1].blocks_known);
  EXPECT_TRUE(back->pools[2].blocks_known);
  EXPECT_EQ(SnapshotHash(*back), SnapshotHash(u));
}

// An unknown live pledge is not "met": it is kept unknown through JSON and the hash, so the
// pledge-met gate can apply the policy's when_missing rule (issue 13).
TEST(Snapshot, UnknownLivePledgeRoundTripsAndIsHashed) {
  Snapshot s = Sample();
  Snapshot u = s;
  u.pools[0].live_pledge_known = false;
  u.pools[0].live_pledge = u.pools[0].pledge;
  Snapshot met = s;
  met.pools[0].live_pledge = met.pools[0].pledge;
  EXPECT_NE(SnapshotHash(u), SnapshotHash(met));  // unknown is not "equal to the pledge"
  const std::string text = SnapshotToJson(u);
  EXPECT_NE(text.find("\"live_pledge\": null"), std::string::npos);
  auto back = LoadSnapshot(text);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_FALSE(back->pools[0].live_pledge_known);
  EXPECT_TRUE(back->pools[1].live_pledge_known);
  EXPECT_EQ(SnapshotHash(*back), SnapshotHash(u));
  // Absent reads as unknown too.
  nlohmann::json j = nlohmann::json::parse(SnapshotToJson(s));
  j["pools"][0].erase("live_pledge");
  auto absent = LoadSnapshot(j.dump());
  ASSERT_TRUE(absent.ok()) << absent.status();
  EXPECT_FALSE(absent->pools[0].live_pledge_known);
}

// A slot's recorded deposit (what deregistration refunds) round-trips, is part of the hash only
// when present (earlier snapshots keep their hash), and needs a registered credential.
TEST(Snapshot, RecordedDepositRoundTripsAndIsHashed) {
  Snapshot s = Sample();
  const chain::Hash32 before = SnapshotHash(s);
  size_t reg = s.slots.size();
  for (size_t i = 0; i < s.slots.size(); ++i) {
    if (s.slots[i].registered) reg = i;
  }
  ASSERT_LT(reg, s.slots.size());
  s.slots[reg].deposit = chain::Lovelace(1500000);
  EXPECT_NE(SnapshotHash(s), before);
  EXPECT_EQ(s.HeldDeposit(s.slots[reg]), chain::Lovelace(1500000));
  auto back = LoadSnapshot(SnapshotToJson(s));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->slots[reg].deposit, std::optional<chain::Lovelace>(chain::Lovelace(1500000)));
  EXPECT_EQ(SnapshotHash(*back), SnapshotHash(s));
  s.slots[reg].deposit.reset();
  EXPECT_EQ(SnapshotHash(s), before);
  EXPECT_EQ(s.HeldDeposit(s.slots[reg]), s.params.key_deposit);

  s.slots[reg].deposit = chain::Lovelace(1500000);
  s.slots[reg].registered = false;
  s.slots[reg].pool.reset();
  s.slots[reg].drep.reset();
  s.slots[reg].rewards = chain::Lovelace(0);
  auto refused = LoadSnapshot(SnapshotToJson(s));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("has a deposit but is not registered"),
            std::string::npos)
      << refused.status();
}

// Issue 16: a pool's CIP-6 ticker round-trips, is hashed only when present (earlier snapshots
// keep their hash) and changes the hash when it changes (a signer's review shows it).
TEST(Snapshot, TickerRoundTripsAndIsHashed) {
  Snapshot s = Sample();
  const chain::Hash32 before = SnapshotHash(s);
  EXPECT_EQ(SnapshotToJson(s).find("\"ticker\""), std::string::npos);
  s.pools[0].ticker = "ABC12";
  const chain::Hash32 with = SnapshotHash(s);
  EXPECT_NE(with, before);
  auto back = LoadSnapshot(SnapshotToJson(s));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->pools[0].ticker, "ABC12");
  EXPECT_EQ(SnapshotHash(*back), with);
  s.pools[0].ticker = "ABC13";
  EXPECT_NE(SnapshotHash(s), with);
  s.pools[0].ticker.clear();
  EXPECT_EQ(SnapshotHash(s), before);
}

// CIP-6 (cips/CIP-0006/schema.json): "ticker" matches ^[A-Z0-9]{3,5}$.
TEST(Snapshot, TickerFollowsCip6) {
  for (const char* ok : {"ABC", "AB12", "IOGP", "12345"}) EXPECT_TRUE(IsCip6Ticker(ok)) << ok;
  for (const char* bad : {"", "AB", "ABCDEF", "abc", "AB C", "AB-C", "AB\x1b[",
                          "\xd0\x90"
                          "BC"}) {
    EXPECT_FALSE(IsCip6Ticker(bad)) << bad;
  }
}

TEST(Snapshot, GroupsDerivedFromSharedOwners) {
  Snapshot s = testing::MakeSnapshot(
      {testing::MakePool(1, 1), testing::MakePool(2, 1), testing::MakePool(3, 1)});
  s.pools[1].owners = s.pools[0].owners;  // pools 1 and 2 share an owner
  ASSERT_TRUE(NormalizeSnapshot(s).ok());
  EXPECT_EQ(s.pools[0].group, s.pools[1].group);
  EXPECT_NE(s.pools[0].group, s.pools[2].group);
  std::string groups = chain::PoolIdBech32(s.pools[2].id) + " big-operator  # comment\n\n";
  ASSERT_TRUE(ApplyGroupsFile(groups, s).ok());
  EXPECT_EQ(s.pools[2].group, "big-operator");
  EXPECT_FALSE(ApplyGroupsFile("pool1zzz x\n", s).ok());
  EXPECT_FALSE(ApplyGroupsFile(chain::PoolIdBech32(chain::Hash28{}) + " x\n", s).ok());
}

struct BadSnapshot {
  const char* name;
  std::function<void(std::string&)> edit;
  const char* expect;
};

class SnapshotErrors : public ::testing::TestWithParam<BadSnapshot> {};

TEST_P(SnapshotErrors, Rejected) {
  std::string text = SnapshotToJson(Sample());
  GetParam().edit(text);
  auto s = LoadSnapshot(text);
  ASSERT_FALSE(s.ok()) << GetParam().name;
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.status().message().find(GetParam().expect), std::string::npos) << s.status();
}

void ReplaceFirst(std::string& s, const std::string& from, const std::string& to) {
  size_t p = s.find(from);
  ASSERT_NE(p, std::string::npos) << from;
  s.replace(p, from.size(), to);
}

INSTANTIATE_TEST_SUITE_P(
    Rows, SnapshotErrors,
    ::testing::Values(
        BadSnapshot{
            "negative stake",
            [](std::string& s) { ReplaceFirst(s, "\"live_stake\": ", "\"live_stake\": -"); },
            "negative"},
        BadSnapshot{"overflowing pledge",
                    [](std::string& s) {
                      ReplaceFirst(s, "\"pledge\": ", "\"pledge\": 99999999999999999999");
                    },
                    "pledge"},
        BadSnapshot{"bad pool id",
                    [](std::string& s) { ReplaceFirst(s, "\"id\": \"pool1", "\"id\": \"pool1x"); },
                    "not a pool id"},
        BadSnapshot{"bad vrf hex",
                    [](std::string& s) { ReplaceFirst(s, "\"vrf\": \"", "\"vrf\": \"zz"); }, "vrf"},
        BadSnapshot{"margin as float above one",
                    [](std::string& s) {
                      ReplaceFirst(s, "\"margin\": \"", "\"margin\": \"3/2\", \"m\": \"");
                    },
                    "margin"},
        BadSnapshot{"fractional amount",
                    [](std::string& s) {
                      ReplaceFirst(s, "\"fixed_cost\": ", "\"fixed_cost\": 0.5, \"x\": ");
                    },
                    "integer"},
        BadSnapshot{"slot on unknown pool",
                    [](std::string& s) {
                      size_t p = s.find("\"slots\"");
                      size_t q = s.find("\"pool\": \"pool1", p) + 9;
                      s.replace(q, s.find('"', q) - q, chain::PoolIdBech32(chain::Hash28{}));
                    },
                    "unknown pool"},
        BadSnapshot{"schema",
                    [](std::string& s) { ReplaceFirst(s, "\"schema\": 1", "\"schema\": 7"); },
                    "schema"},
        BadSnapshot{
            "supply",
            [](std::string& s) { ReplaceFirst(s, "\"circulating\": ", "\"circulating\": 9"); },
            "supply"},
        // Amounts beyond the 45e15 maximum supply: no honest chain state has them, and the
        // planner's deposit and fee sums rely on the bound.
        BadSnapshot{"key deposit above the supply",
                    [](std::string& s) {
                      ReplaceFirst(
                          s, "\"key_deposit\": ", "\"key_deposit\": 45000000000000001, \"x\": ");
                    },
                    "maximum supply"},
        BadSnapshot{"fixed fee above the supply",
                    [](std::string& s) {
                      ReplaceFirst(s,
                                   "\"min_fee_b\": ", "\"min_fee_b\": 45000000000000001, \"x\": ");
                    },
                    "maximum supply"},
        BadSnapshot{"slot rewards above the supply",
                    [](std::string& s) {
                      ReplaceFirst(s, "\"rewards\": ", "\"rewards\": 45000000000000001, \"x\": ");
                    },
                    "maximum supply"},
        BadSnapshot{"bad utxo tx",
                    [](std::string& s) { ReplaceFirst(s, "\"tx\": \"", "\"tx\": \"0"); }, "tx"},
        BadSnapshot{"duplicate pool",
                    [](std::string& s) {
                      size_t a = s.find("    {\n      \"id\"");
                      size_t b = s.find("    {\n      \"id\"", a + 1);
                      s.insert(a, s.substr(a, b - a));
                    },
                    "twice"},
        BadSnapshot{"not json", [](std::string& s) { s = "{"; }, "not valid JSON"},
        BadSnapshot{
            "lowercase ticker",
            [](std::string& s) { ReplaceFirst(s, "\"vrf\": ", "\"ticker\": \"abc\", \"vrf\": "); },
            "ticker must be 3 to 5 characters"},
        // A Cyrillic A looks like the Latin one on a signer's screen.
        BadSnapshot{"look-alike ticker",
                    [](std::string& s) {
                      ReplaceFirst(s, "\"vrf\": ",
                                   "\"ticker\": \"\xd0\x90"
                                   "BC\", \"vrf\": ");
                    },
                    "ticker must be 3 to 5 characters"},
        BadSnapshot{
            "ticker not a string",
            [](std::string& s) { ReplaceFirst(s, "\"vrf\": ", "\"ticker\": 7, \"vrf\": "); },
            "ticker"},
        // Repeated keys (issue 15): nlohmann keeps the last, other readers the first.
        BadSnapshot{"duplicate top level key",
                    [](std::string& s) {
                      ReplaceFirst(s, "\"schema\": 1", "\"schema\": 1, \"schema\": 1");
                    },
                    "\"schema\" appears twice"},
        BadSnapshot{"duplicate pool field",
                    [](std::string& s) {
                      ReplaceFirst(s, "\"live_stake\": ", "\"live_stake\": 1, \"live_stake\": ");
                    },
                    "\"live_stake\" appears twice"},
        BadSnapshot{
            "invalid utf8",
            [](std::string& s) { ReplaceFirst(s, "\"network\": \"", "\"network\": \"\xff"); },
            "not valid JSON"}),
    [](const ::testing::TestParamInfo<BadSnapshot>& info) {
      std::string n = info.param.name;
      for (char& c : n) {
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return n;
    });

// Issue 12: one UTxO listed in two places (two slots, or a slot and the treasury) is refused at
// intake, before any builder could spend a slot's funds as treasury change.
TEST(Snapshot, UtxoListedTwiceIsRefused) {
  const Utxo u{chain::Hash32{7}, 1, chain::Lovelace(5 * testing::kAda)};
  for (int where = 0; where < 3; ++where) {
    Snapshot s = testing::MakeSnapshot({testing::MakePool(1, 100 * testing::kAda)});
    for (uint32_t i = 0; i < 2; ++i) {
      SlotState sl;
      sl.index = i;
      sl.balance = chain::Lovelace(5 * testing::kAda);
      sl.utxos = {
          i == 0 || where == 0 ? u : Utxo{chain::Hash32{8}, i, chain::Lovelace(5 * testing::kAda)}};
      s.slots.push_back(sl);
    }
    s.treasury = {where == 1 ? u : Utxo{chain::Hash32{9}, 0, chain::Lovelace(2 * testing::kAda)}};
    if (where == 2)
      s.slots[1].utxos = {Utxo{chain::Hash32{8}, 1, chain::Lovelace(5 * testing::kAda)}};
    absl::Status st = NormalizeSnapshot(s);
    if (where == 2) {
      EXPECT_TRUE(st.ok()) << st;  // distinct references: accepted
      continue;
    }
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << where;
    EXPECT_NE(st.message().find("listed more than once"), std::string::npos) << st;
  }
}

TEST(Snapshot, OurStakeMustFitInPoolStake) {
  Snapshot s = testing::MakeSnapshot({testing::MakePool(1, 10 * testing::kAda)});
  SlotState sl;
  sl.index = 0;
  sl.registered = true;
  sl.pool = s.pools[0].id;
  sl.balance = chain::Lovelace(11 * testing::kAda);
  s.slots.push_back(sl);
  EXPECT_FALSE(NormalizeSnapshot(s).ok());
}

}  // namespace
}  // namespace stakeward::policy
