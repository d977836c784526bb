// The same chain state given as cardano-cli files, as Koios answers and as Ogmios answers yields
// the same SnapshotHash and the same plan hash under policy/samples/policy.yaml.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "chainsource/cli_dir.h"
#include "chainsource/koios_source.h"
#include "chainsource/ogmios_source.h"
#include "chainsource/snapshot_builder.h"
#include "gtest/gtest.h"
#include "policy/plan.h"
#include "policy/policy.h"
#include "tests/unit/chainsource/chain_state_fixture.h"
#include "tests/unit/chainsource/test_servers.h"

namespace stakeward::chainsource {
namespace {

namespace fs = std::filesystem;
using testing::ChainState;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class SameStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string text = ReadAll(std::string(STAKEWARD_SOURCE_DIR) + "/policy/samples/policy.yaml");
    ASSERT_FALSE(text.empty());
    auto p = policy::LoadPolicy(text);
    ASSERT_TRUE(p.ok()) << p.status();
    policy_ = *p;
    // cardano-cli and Ogmios cannot see pool age or blocks made, and cardano-cli's pool
    // parameters do not say what the owners hold: this DAO's policy says so.
    policy_.gates.age_when_missing = policy::WhenMissing::kWarn;
    policy_.gates.performance_when_missing = policy::WhenMissing::kWarn;
    policy_.gates.pledge_when_missing = policy::WhenMissing::kWarn;
    auto l = LayoutFromPolicy(policy_);
    ASSERT_TRUE(l.ok()) << l.status();
    layout_ = *l;
    state_ = testing::MakeChainState();
  }

  policy::Snapshot FromCli() {
    fs::path dir = fs::temp_directory_path() /
                   ("sw_cli_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                    "_" + std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::create_directories(dir);
    for (const auto& [name, content] : testing::CliFiles(state_, layout_)) {
      std::ofstream(dir / name, std::ios::binary) << content;
    }
    auto s = ImportCliDir(dir.string(), layout_.network);
    fs::remove_all(dir);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? *s : policy::Snapshot{};
  }

  policy::Snapshot FromOgmios() {
    auto results = testing::OgmiosResults(state_, layout_);
    testing::WsServer server([&results](const std::string& req) {
      auto j = nlohmann::json::parse(req);
      auto it = results.find(j["method"].get<std::string>());
      nlohmann::json answer = {{"jsonrpc", "2.0"}, {"method", j["method"]}, {"id", j["id"]}};
      if (it == results.end()) {
        answer["error"] = {{"code", -32601}, {"message", "unknown method"}};
      } else if (j["method"] == "queryLedgerState/stakePoolsPerformances" && j.contains("params")) {
        // As Ogmios v6.14 answers (the request's schema allows no params).
        answer["error"] = {{"code", -32600}, {"message", "field 'params' is not allowed"}};
      } else {
        answer["result"] = it->second;
      }
      return testing::WsReply{testing::WsReply::kText, answer.dump()};
    });
    auto src = OgmiosSource::Create(server.url());
    EXPECT_TRUE(src.ok());
    return Build(**src);
  }

  policy::Snapshot FromKoios(bool with_history = false) {
    auto rows = testing::KoiosRows(state_, layout_);
    if (with_history) {
      for (auto& row : rows["/pool_info"]) row["active_epoch_no"] = 300;
      rows["/pool_history"] = nlohmann::json::array(
          {{{"epoch_no", 508}, {"block_cnt", 3}, {"active_stake_pct", "0.0125"}},
           {{"epoch_no", 509}, {"block_cnt", 2}, {"active_stake_pct", "0.0125"}}});
    }
    testing::HttpServer server(
        [&rows](const std::string& path, const std::string&, const std::string&) {
          auto it = rows.find(path);
          if (it == rows.end()) return testing::HttpReply{404, "[]"};
          return testing::HttpReply{200, it->second.dump()};
        });
    auto src = KoiosSource::Create(server.url());
    EXPECT_TRUE(src.ok());
    return Build(**src);
  }

  policy::Snapshot Build(ChainSource& src) {
    auto facts = CollectFacts(src, layout_, absl::Seconds(60));
    EXPECT_TRUE(facts.ok()) << facts.status();
    if (!facts.ok()) return {};
    auto s = BuildSnapshot(*facts, layout_);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? *s : policy::Snapshot{};
  }

  policy::Policy policy_;
  BridgeLayout layout_;
  ChainState state_;
};

TEST_F(SameStateTest, ThreeSourcesGiveTheSameSnapshotAndPlan) {
  policy::Snapshot cli = FromCli();
  policy::Snapshot ogmios = FromOgmios();
  policy::Snapshot koios = FromKoios();
  ASSERT_EQ(cli.pools.size(), 3u);
  ASSERT_EQ(cli.slots.size(), 2u);
  EXPECT_EQ(cli.circulating, 37000000000000000u);
  // cardano-cli's pool parameters do not carry the owners' stake: its live pledge is unknown (the
  // pledge-met gate then applies gates.when_missing.pledge); Ogmios and Koios know it.
  for (const policy::Pool& p : cli.pools) EXPECT_FALSE(p.live_pledge_known);
  for (const policy::Pool& p : ogmios.pools) EXPECT_TRUE(p.live_pledge_known);
  // Field by field first (a readable diff), then the hashes. Everything but the live pledge is
  // the same from all three; Ogmios and Koios agree on that too.
  auto strip = [](policy::Snapshot s, bool forget_live_pledge) {
    s.origin.reset();
    for (policy::Pool& p : s.pools) {
      if (!forget_live_pledge) continue;
      p.live_pledge_known = false;
      p.live_pledge = p.pledge;
    }
    return policy::SnapshotToJson(s);
  };
  EXPECT_EQ(strip(cli, true), strip(ogmios, true));
  EXPECT_EQ(strip(cli, true), strip(koios, true));
  EXPECT_EQ(strip(ogmios, false), strip(koios, false));
  EXPECT_EQ(chain::HexEncode(policy::SnapshotHash(ogmios)),
            chain::HexEncode(policy::SnapshotHash(koios)));
  EXPECT_NE(policy::SnapshotHash(cli), policy::SnapshotHash(koios));

  policy::PlanHistory none;
  auto plan_cli = policy::MakePlan(policy_, cli, none);
  auto plan_ogmios = policy::MakePlan(policy_, ogmios, none);
  auto plan_koios = policy::MakePlan(policy_, koios, none);
  ASSERT_TRUE(plan_cli.ok()) << plan_cli.status();
  ASSERT_TRUE(plan_ogmios.ok()) << plan_ogmios.status();
  ASSERT_TRUE(plan_koios.ok()) << plan_koios.status();
  EXPECT_EQ(policy::PlanHash(*plan_ogmios), policy::PlanHash(*plan_koios));
  // Under `pledge: warn` the unknown live pledge only adds warnings: the same delegation.
  ASSERT_EQ(plan_cli->slots.size(), plan_koios->slots.size());
  for (size_t i = 0; i < plan_cli->slots.size(); ++i) {
    EXPECT_EQ(plan_cli->slots[i].pool_after, plan_koios->slots[i].pool_after) << i;
    EXPECT_EQ(plan_cli->slots[i].after, plan_koios->slots[i].after) << i;
  }

  // Each snapshot records where it came from and the tip; the record survives a JSON round trip
  // and does not change the hash.
  ASSERT_TRUE(ogmios.origin.has_value());
  EXPECT_EQ(ogmios.origin->source.rfind("ogmios ws://127.0.0.1:", 0), 0u);
  EXPECT_EQ(ogmios.origin->tip_slot, state_.slot);
  EXPECT_EQ(ogmios.origin->tip_height, state_.height);
  ASSERT_TRUE(koios.origin.has_value());
  EXPECT_EQ(koios.origin->source.rfind("koios http://127.0.0.1:", 0), 0u);
  ASSERT_TRUE(cli.origin.has_value());
  EXPECT_EQ(chain::HexEncode(*cli.origin->tip_hash), state_.tip_hash);
  auto reloaded = policy::LoadSnapshot(policy::SnapshotToJson(ogmios));
  ASSERT_TRUE(reloaded.ok()) << reloaded.status();
  ASSERT_TRUE(reloaded->origin.has_value());
  EXPECT_EQ(reloaded->origin->source, ogmios.origin->source);
  EXPECT_EQ(reloaded->origin->tip_hash, ogmios.origin->tip_hash);
  EXPECT_EQ(policy::SnapshotHash(*reloaded), policy::SnapshotHash(koios));
}

// A change in the chain state shows up whichever source reads it.
TEST_F(SameStateTest, DifferentStateDifferentHash) {
  policy::Snapshot before = FromOgmios();
  state_.slots[0].rewards += 1;
  policy::Snapshot after_ogmios = FromOgmios();
  policy::Snapshot after_koios = FromKoios();
  EXPECT_NE(policy::SnapshotHash(before), policy::SnapshotHash(after_ogmios));
  EXPECT_EQ(policy::SnapshotHash(after_koios), policy::SnapshotHash(after_ogmios));
}

// Koios adds what the other sources lack: pool age and blocks made/expected per epoch.
TEST_F(SameStateTest, KoiosAddsAgeAndBlocks) {
  policy::Snapshot plain = FromKoios();
  policy::Snapshot rich = FromKoios(true);
  ASSERT_EQ(rich.pools.size(), 3u);
  for (const policy::Pool& p : rich.pools) {
    EXPECT_EQ(p.registered_epoch, 300u);
    ASSERT_EQ(p.blocks.size(), 2u);
    EXPECT_EQ(p.blocks[0].epoch, 508u);
    EXPECT_EQ(p.blocks[0].made, 3u);
    EXPECT_EQ(p.blocks[0].expected, policy::Ratio::Of(27, 10));  // 0.0125 % of 21600
  }
  EXPECT_NE(policy::SnapshotHash(plain), policy::SnapshotHash(rich));
  auto plan = policy::MakePlan(policy_, rich, policy::PlanHistory{});
  EXPECT_TRUE(plan.ok()) << plan.status();
}

// Missing data is a decision: under the sample policy as written (deny when age or blocks are
// unknown) no pool from Ogmios is eligible; with "warn" every pool carries the warning and the
// text view shows it.
TEST_F(SameStateTest, MissingAgeAndBlocksFollowThePolicy) {
  policy::Snapshot ogmios = FromOgmios();
  for (const policy::Pool& p : ogmios.pools) {
    EXPECT_FALSE(p.registered_epoch.has_value());
    EXPECT_FALSE(p.blocks_known);
  }
  policy::Policy strict = policy_;
  strict.gates.age_when_missing = policy::WhenMissing::kDeny;
  strict.gates.performance_when_missing = policy::WhenMissing::kDeny;
  auto denied = policy::MakePlan(strict, ogmios, policy::PlanHistory{});
  EXPECT_FALSE(denied.ok());
  auto warned = policy::MakePlan(policy_, ogmios, policy::PlanHistory{});
  ASSERT_TRUE(warned.ok()) << warned.status();
  for (const policy::PoolDecision& d : warned->pools) {
    EXPECT_EQ(d.verdict.level, policy::Level::kWarn) << chain::PoolIdBech32(d.id);
  }
  std::string table = policy::PlanToTable(*warned);
  EXPECT_NE(table.find("age: pool age unknown in the snapshot (policy: warn)"), std::string::npos)
      << table;
  EXPECT_NE(table.find("performance: blocks made unknown in the snapshot (policy: warn)"),
            std::string::npos)
      << table;
}

TEST_F(SameStateTest, ForeignUtxoIsRejected) {
  auto results = testing::OgmiosResults(state_, layout_);
  ChainFacts facts;
  facts.tip.slot = 1;
  facts.epoch = 1;
  facts.pots = {1, 1};
  AddressUtxo u;
  u.address = "addr_test1wz6lvjg3anml96vl22mls5vae3x2cgaqwy2ewp5gj3fcxdcw652wz";
  u.lovelace = 5;
  facts.utxos.push_back(u);
  auto s = BuildSnapshot(facts, layout_);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.status().message().find("not the bridge's"), std::string::npos) << s.status();
}

}  // namespace
}  // namespace stakeward::chainsource
