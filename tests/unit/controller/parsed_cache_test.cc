// ParsedCache: hits share one parse, a document that does not hash to its key is refused, the
// least recently used entry is evicted first.
#include "controller/daemon/parsed_cache.h"

#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace stakeward::controller {
namespace {

std::string Sample(const std::string& name) {
  std::ifstream f(std::string(STAKEWARD_SOURCE_DIR) + "/policy/samples/" + name);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The sample snapshot at another slot (a different hash).
std::string SnapshotAt(uint64_t slot) {
  nlohmann::json j = nlohmann::json::parse(Sample("snapshot.json"));
  j["slot"] = slot;
  return j.dump();
}

chain::Hash32 HashOf(const std::string& doc) {
  auto s = policy::LoadSnapshot(doc);
  EXPECT_TRUE(s.ok()) << s.status();
  return policy::SnapshotHash(*s);
}

TEST(ParsedCache, HitsShareOneParse) {
  ParsedCache cache(2);
  const std::string doc = SnapshotAt(100);
  const chain::Hash32 h = HashOf(doc);
  auto a = cache.GetSnapshot(h, doc);
  ASSERT_TRUE(a.ok()) << a.status();
  // A hit never looks at the text again.
  auto b = cache.GetSnapshot(h, "");
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->get(), b->get());
  EXPECT_EQ((*b)->slot, 100u);
}

TEST(ParsedCache, WrongHashOrBadTextIsDataLoss) {
  ParsedCache cache;
  const std::string doc = SnapshotAt(100);
  chain::Hash32 wrong = HashOf(doc);
  wrong[0] ^= 1;
  EXPECT_EQ(cache.GetSnapshot(wrong, doc).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(cache.GetSnapshot(wrong, "{broken").status().code(), absl::StatusCode::kDataLoss);
  // Nothing was cached under the wrong key.
  EXPECT_EQ(cache.GetSnapshot(wrong, "").status().code(), absl::StatusCode::kDataLoss);

  const std::string yaml = Sample("policy.yaml");
  auto pol = policy::LoadPolicy(yaml);
  ASSERT_TRUE(pol.ok()) << pol.status();
  chain::Hash32 ph = policy::PolicyHash(*pol);
  auto p = cache.GetPolicy(ph, yaml);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ((*p)->threshold, pol->threshold);
  ph[31] ^= 0x80;
  EXPECT_EQ(cache.GetPolicy(ph, yaml).status().code(), absl::StatusCode::kDataLoss);
}

// PutPolicy (ProposePolicy's parse) seeds an entry: later reads under its hash never parse.
TEST(ParsedCache, PutPolicySeedsAnEntry) {
  ParsedCache cache;
  auto pol = policy::LoadPolicy(Sample("policy.yaml"));
  ASSERT_TRUE(pol.ok()) << pol.status();
  const chain::Hash32 ph = policy::PolicyHash(*pol);
  EXPECT_EQ(cache.GetPolicy(ph, "").status().code(), absl::StatusCode::kDataLoss);
  const uint64_t threshold = pol->threshold;
  cache.PutPolicy(ph, std::make_shared<const policy::Policy>(std::move(*pol)));
  auto p = cache.GetPolicy(ph, "");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ((*p)->threshold, threshold);
}

TEST(ParsedCache, EvictsTheLeastRecentlyUsed) {
  ParsedCache cache(2);
  const std::string d1 = SnapshotAt(101), d2 = SnapshotAt(102), d3 = SnapshotAt(103);
  const chain::Hash32 h1 = HashOf(d1), h2 = HashOf(d2), h3 = HashOf(d3);
  ASSERT_TRUE(cache.GetSnapshot(h1, d1).ok());
  ASSERT_TRUE(cache.GetSnapshot(h2, d2).ok());
  ASSERT_TRUE(cache.GetSnapshot(h1, "").ok());  // h1 used again: h2 is now the oldest
  ASSERT_TRUE(cache.GetSnapshot(h3, d3).ok());  // evicts h2
  EXPECT_TRUE(cache.GetSnapshot(h1, "").ok());
  EXPECT_TRUE(cache.GetSnapshot(h3, "").ok());
  EXPECT_EQ(cache.GetSnapshot(h2, "").status().code(), absl::StatusCode::kDataLoss);
  // PutSnapshot seeds an entry as a verified parse would.
  auto parsed = policy::LoadSnapshot(d2);
  ASSERT_TRUE(parsed.ok());
  cache.PutSnapshot(h2, std::make_shared<const policy::Snapshot>(std::move(*parsed)));
  auto again = cache.GetSnapshot(h2, "");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->slot, 102u);
}

// A plan is kept for exactly its (policy, snapshot) pair: another snapshot or another policy
// with the same other half finds nothing, and the pair's own entry is the one stored.
TEST(ParsedCache, PlansAreKeptPerPolicyAndSnapshotPair) {
  ParsedCache cache;
  chain::Hash32 pol{}, snap_a{}, snap_b{};
  pol[0] = 1;
  snap_a[0] = 2;
  snap_b[0] = 3;
  auto planned = std::make_shared<PlannedRound>();
  planned->plan_hash[0] = 0x42;
  cache.PutPlan(pol, snap_a, planned);
  EXPECT_EQ(cache.PeekPlan(pol, snap_a), planned);
  EXPECT_EQ(cache.PeekPlan(pol, snap_b), nullptr);
  EXPECT_EQ(cache.PeekPlan(snap_a, pol), nullptr);  // the order of the pair matters
  chain::Hash32 other_pol = pol;
  other_pol[31] = 9;
  EXPECT_EQ(cache.PeekPlan(other_pol, snap_a), nullptr);
}

}  // namespace
}  // namespace stakeward::controller
