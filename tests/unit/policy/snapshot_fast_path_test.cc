// LoadSnapshot's fast path (policy/snapshot_fast.cc) against the general reader: every document
// it takes reads to the same Snapshot, and every document it leaves (rare forms, every error) gets
// the general reader's verdict unchanged. The expected values are the general reader's, which
// snapshot_test.cc holds to hand-written expectations.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "policy/snapshot_internal.h"
#include "test_util.h"
#include "tests/common/snapshot_same.h"
#include "tests/support/synthetic.h"

namespace stakeward::policy {
namespace {

using snapshot_internal::LoadSnapshotFast;
using snapshot_internal::LoadSnapshotGeneral;
using stakeward::testing::SameSnapshot;
using stakeward::testing::SameSnapshotResult;

std::string SampleText() { return testing::ReadFile(testing::SamplePath("snapshot.json")); }

// The sample changed by `edit`, written compactly (members keep their order).
template <typename F>
std::string WithRoot(F edit) {
  auto j = nlohmann::ordered_json::parse(SampleText());
  edit(j);
  return j.dump();
}

// The same for pool 0.
template <typename F>
std::string WithPool0(F edit) {
  return WithRoot([&](nlohmann::ordered_json& j) { edit(j["pools"][0]); });
}

// The sample text with the first `from` replaced by `to` (the row's change must happen).
std::string Replaced(const std::string& from, const std::string& to) {
  std::string t = SampleText();
  const size_t at = t.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) t.replace(at, from.size(), to);
  return t;
}

void ExpectTaken(const std::string& text, const std::string& row) {
  SCOPED_TRACE(row);
  std::optional<Snapshot> fast = LoadSnapshotFast(text);
  absl::StatusOr<Snapshot> general = LoadSnapshotGeneral(text);
  ASSERT_TRUE(general.ok()) << general.status();
  ASSERT_TRUE(fast.has_value());
  EXPECT_TRUE(SameSnapshot(*fast, *general));
  // The same reservations: a held 100k-pool snapshot keeps no growth slack on either path.
  EXPECT_EQ(fast->pools.capacity(), general->pools.capacity());
  for (size_t i = 0; i < fast->pools.size(); ++i) {
    EXPECT_EQ(fast->pools[i].blocks.capacity(), general->pools[i].blocks.capacity());
    EXPECT_EQ(fast->pools[i].owners.capacity(), general->pools[i].owners.capacity());
    EXPECT_EQ(fast->pools[i].relays.capacity(), general->pools[i].relays.capacity());
  }
  absl::StatusOr<Snapshot> loaded = LoadSnapshot(text);
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(SameSnapshot(*loaded, *general));
}

// Left to the general reader, whose verdict LoadSnapshot returns; `loads` says which it is.
void ExpectLeft(const std::string& text, bool loads, const std::string& row) {
  SCOPED_TRACE(row);
  EXPECT_FALSE(LoadSnapshotFast(text).has_value());
  absl::StatusOr<Snapshot> general = LoadSnapshotGeneral(text);
  EXPECT_EQ(general.ok(), loads) << general.status();
  EXPECT_TRUE(SameSnapshotResult(LoadSnapshot(text), general));
}

TEST(SnapshotFastPath, SamplesAndWrittenSnapshotsReadTheSame) {
  ExpectTaken(SampleText(), "sample, pretty-printed");
  const auto parsed = LoadSnapshotGeneral(SampleText());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ExpectTaken(SnapshotToJson(*parsed), "SnapshotToJson");
  ExpectTaken(nlohmann::json::parse(SampleText()).dump(), "keys sorted, compact");
  auto synthetic = MakeSyntheticSnapshot(LargeInstanceOptions(3000));
  ExpectTaken(SnapshotToJson(synthetic), "the benchmark's 3,000-pool instance");
}

TEST(SnapshotFastPath, EveryPoolMemberFormReadsTheSame) {
  using J = nlohmann::ordered_json;
  struct Row {
    const char* name;
    std::string text;
  };
  const std::vector<Row> rows = {
      {"live_pledge null", WithPool0([](J& p) { p["live_pledge"] = nullptr; })},
      {"live_pledge absent", WithPool0([](J& p) { p.erase("live_pledge"); })},
      {"active_stake absent", WithPool0([](J& p) { p.erase("active_stake"); })},
      {"blocks null", WithPool0([](J& p) { p["blocks"] = nullptr; })},
      {"blocks absent", WithPool0([](J& p) { p.erase("blocks"); })},
      {"blocks empty", WithPool0([](J& p) { p["blocks"] = J::array(); })},
      {"blocks out of order", WithPool0([](J& p) { std::swap(p["blocks"][0], p["blocks"][1]); })},
      {"block members reordered", WithPool0([](J& p) {
         J b = p["blocks"][0];
         p["blocks"][0] =
             J{{"expected", b["expected"]}, {"made", b["made"]}, {"epoch", b["epoch"]}};
       })},
      {"registered_epoch null", WithPool0([](J& p) { p["registered_epoch"] = nullptr; })},
      {"retiring_epoch set", WithPool0([](J& p) { p["retiring_epoch"] = 260; })},
      {"epochs as strings", WithPool0([](J& p) { p["registered_epoch"] = "128"; })},
      {"amounts as strings", WithPool0([](J& p) {
         p["pledge"] = "7450000000";
         p["live_stake"] = "7450000000";
       })},
      {"metadata_url absent", WithPool0([](J& p) { p.erase("metadata_url"); })},
      {"metadata_url null", WithPool0([](J& p) { p["metadata_url"] = nullptr; })},
      {"owners empty", WithPool0([](J& p) { p["owners"] = J::array(); })},
      {"owners null", WithPool0([](J& p) { p["owners"] = nullptr; })},
      {"owners twice the same", WithPool0([](J& p) { p["owners"].push_back(p["owners"][0]); })},
      {"relays absent", WithPool0([](J& p) { p.erase("relays"); })},
      {"relays unsorted", WithPool0([](J& p) {
         p["relays"] = {"z.example:1", "a.example:1"};
       })},
      {"ticker", WithPool0([](J& p) { p["ticker"] = "ABC12"; })},
      {"ticker null", WithPool0([](J& p) { p["ticker"] = nullptr; })},
      {"group named", WithPool0([](J& p) { p["group"] = "operator-x"; })},
      {"group empty", WithPool0([](J& p) { p["group"] = ""; })},
      {"margin as a decimal string", WithPool0([](J& p) { p["margin"] = "0.011"; })},
      {"margin 1", WithPool0([](J& p) { p["margin"] = 1; })},
      {"escaped string",
       WithPool0([](J& p) { p["metadata_url"] = "https://x.example/\"a\"\u00e9"; })},
      {"members reversed", WithPool0([](J& p) {
         J r = J::object();
         std::vector<std::string> keys;
         for (auto& [k, v] : p.items()) keys.push_back(k);
         for (auto k = keys.rbegin(); k != keys.rend(); ++k) r[*k] = p[*k];
         p = r;
       })},
      {"number tokens with exponent and fraction",
       Replaced("\"fixed_cost\": 281000000", "\"fixed_cost\": 2.81e8")},
      {"margin a number token", Replaced("\"margin\": \"11/1000\"", "\"margin\": 0.011")},
      {"whitespace around the pools array", Replaced("\"pools\": [", "\"pools\" :\n\t [ ")},
      {"root key escaped", Replaced("\"pools\"", "\"pool\\u0073\"")},
  };
  for (const Row& row : rows) ExpectTaken(row.text, row.name);

  // The pools member last in the document, and first.
  auto last = nlohmann::ordered_json::parse(SampleText());
  auto pools = last["pools"];
  last.erase("pools");
  last["pools"] = pools;
  ExpectTaken(last.dump(1), "pools last");
  nlohmann::ordered_json first = {{"pools", pools}};
  for (auto& [k, v] : last.items()) {
    if (k != "pools") first[k] = v;
  }
  ExpectTaken(first.dump(), "pools first");
}

TEST(SnapshotFastPath, RareFormsAndErrorsGetTheGeneralVerdict) {
  using J = nlohmann::ordered_json;
  struct Row {
    const char* name;
    std::string text;
    bool loads;
  };
  const std::string long_group(65, 'g');
  const std::string long_relay(257, 'r');
  const std::vector<Row> rows = {
      // Valid, but not a form the fast path reads.
      {"unknown pool member", WithPool0([](J& p) {
         p["note"] = {{"x", 1}};
       }),
       true},
      {"unknown block member", WithPool0([](J& p) { p["blocks"][0]["slot"] = 1; }), true},
      {"escaped member name", Replaced("\"pledge\"", "\"pl\\u0065dge\""), true},
      // Refused by the general reader.
      {"pool member twice", Replaced("\"pledge\": 7450000000,", "\"pledge\": 1, \"pledge\": 2,"),
       false},
      {"block member twice", Replaced("\"made\": 0,", "\"made\": 0, \"made\": 1,"), false},
      {"block member missing", WithPool0([](J& p) { p["blocks"][0].erase("made"); }), false},
      {"block expected null", WithPool0([](J& p) { p["blocks"][0]["expected"] = nullptr; }), false},
      {"id missing", WithPool0([](J& p) { p.erase("id"); }), false},
      {"id a number", WithPool0([](J& p) { p["id"] = 5; }), false},
      {"id not a pool id", WithPool0([](J& p) { p["id"] = "pool1xyz"; }), false},
      {"vrf short", WithPool0([](J& p) { p["vrf"] = "e0c6"; }), false},
      {"pledge null", WithPool0([](J& p) { p["pledge"] = nullptr; }), false},
      {"pledge a boolean", WithPool0([](J& p) { p["pledge"] = true; }), false},
      {"pledge negative", WithPool0([](J& p) { p["pledge"] = -1; }), false},
      {"pledge a fraction", WithPool0([](J& p) { p["pledge"] = "1/2"; }), false},
      {"live_stake missing", WithPool0([](J& p) { p.erase("live_stake"); }), false},
      {"margin null", WithPool0([](J& p) { p["margin"] = nullptr; }), false},
      {"margin above 1", WithPool0([](J& p) { p["margin"] = "3/2"; }), false},
      {"ticker empty", WithPool0([](J& p) { p["ticker"] = ""; }), false},
      {"ticker lower case", WithPool0([](J& p) { p["ticker"] = "abc"; }), false},
      {"group too long", WithPool0([&](J& p) { p["group"] = long_group; }), false},
      {"relay too long", WithPool0([&](J& p) { p["relays"] = {long_relay}; }), false},
      {"relays an object", WithPool0([](J& p) { p["relays"] = J::object(); }), false},
      {"owner not hex", WithPool0([](J& p) { p["owners"][0] = "zz"; }), false},
      {"owners 10001", WithPool0([](J& p) {
         p["owners"] = J::array();
         for (int i = 0; i < 10001; ++i) p["owners"].push_back(std::string(56, 'a'));
       }),
       false},
      {"metadata_url a number", WithPool0([](J& p) { p["metadata_url"] = 7; }), false},
      {"pool an array", WithPool0([](J& p) { p = J::array(); }), false},
      {"pool listed twice", WithRoot([](J& j) { j["pools"][1]["id"] = j["pools"][0]["id"]; }),
       false},
      {"number with a leading zero", Replaced("\"made\": 0,", "\"made\": 00,"), false},
      {"bad escape", Replaced("relay10.op6.example:3001", "relay10\\q"), false},
      {"invalid UTF-8 in a relay", Replaced("relay10.op6.example:3001", "relay\xff"), false},
      {"null misspelt", Replaced("\"retiring_epoch\": null", "\"retiring_epoch\": nul"), false},
      {"pools twice", Replaced("\"schema\": 1,", "\"schema\": 1, \"pools\": [],"), false},
      {"pools an object", WithRoot([](J& j) { j["pools"] = J::object(); }), false},
      {"garbage after the pools array", Replaced("\n  ],\n  \"slots\"", "\n  ] x,\n  \"slots\""),
       false},
      {"garbage after the document", SampleText() + " {}", false},
      {"root an array", "[" + SampleText() + "]", false},
      {"truncated", SampleText().substr(0, SampleText().size() / 2), false},
  };
  for (const Row& row : rows) ExpectLeft(row.text, row.loads, row.name);
}

// The pools' values and keys count toward json::Doc's node limit exactly as the general reader
// counts them: the fast path takes the sample at the general reader's limit and not one below.
TEST(SnapshotFastPath, NodeLimitFallsAtTheSamePlace) {
  const std::string text = SampleText();
  size_t lo = 1;
  size_t hi = size_t{1} << 20;
  ASSERT_TRUE(LoadSnapshotGeneral(text, hi).ok());
  ASSERT_FALSE(LoadSnapshotGeneral(text, lo).ok());
  while (hi - lo > 1) {  // the smallest limit the general reader accepts
    const size_t mid = lo + (hi - lo) / 2;
    (LoadSnapshotGeneral(text, mid).ok() ? hi : lo) = mid;
  }
  EXPECT_TRUE(LoadSnapshotFast(text, hi).has_value());
  EXPECT_FALSE(LoadSnapshotFast(text, hi - 1).has_value());
  const absl::StatusOr<Snapshot> refused = LoadSnapshotGeneral(text, hi - 1);
  EXPECT_NE(refused.status().message().find("JSON values and keys"), std::string::npos)
      << refused.status();
}

}  // namespace
}  // namespace stakeward::policy
