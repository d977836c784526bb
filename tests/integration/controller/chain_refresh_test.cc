// Issue 13: stakewardd with a chain link builds its own snapshot (RefreshSnapshot, and itself at
// each new epoch) from the chain source for the policy in force, recording the source and the tip.
// The chain is an in-test Ogmios server answering one hand-written chain state
// (tests/unit/chainsource/chain_state_fixture.h) for the test policy's addresses.
#include <memory>

#include "chainsource/ogmios_source.h"
#include "chainsource/snapshot_builder.h"
#include "controller/daemon/chain_watcher.h"
#include "nlohmann/json.hpp"
#include "policy/policy.h"
#include "tests/integration/controller/round_fixture.h"
#include "tests/unit/chainsource/chain_state_fixture.h"
#include "tests/unit/chainsource/test_servers.h"

namespace stakeward::controller::testing {
namespace {

namespace cst = chainsource::testing;

class ChainRefreshTest : public ControllerRound {
 protected:
  void SetUp() override {
    ControllerRound::SetUp();
    auto pol = policy::LoadPolicy(TestPolicyYaml(signers_));
    ASSERT_TRUE(pol.ok()) << pol.status();
    auto layout = chainsource::LayoutFromPolicy(*pol);
    ASSERT_TRUE(layout.ok()) << layout.status();
    results_ = cst::OgmiosResults(cst::MakeChainState(), *layout);
    server_ws_ = std::make_unique<cst::WsServer>([this](const std::string& req) {
      auto j = nlohmann::json::parse(req);
      auto it = results_.find(j["method"].get<std::string>());
      nlohmann::json answer = {{"jsonrpc", "2.0"}, {"method", j["method"]}, {"id", j["id"]}};
      if (it == results_.end()) {
        answer["error"] = {{"code", -32601}, {"message", "unknown method"}};
      } else {
        answer["result"] = it->second;
      }
      return cst::WsReply{cst::WsReply::kText, answer.dump()};
    });
    StopDaemon();
    chain_factory_ = [this](Controller* c) {
      auto src = chainsource::OgmiosSource::Create(server_ws_->url());
      EXPECT_TRUE(src.ok()) << src.status();
      watcher_ = std::make_unique<ChainWatcher>(c, std::move(*src), ChainRules{}, absl::Hours(1));
      return watcher_.get();
    };
    StartDaemon();
  }
  void TearDown() override {
    StopDaemon();
    watcher_.reset();
    server_ws_.reset();
    ControllerRound::TearDown();
  }

  grpc::Status Refresh(v1::PushSnapshotResponse* resp, const std::string& role = "operator") {
    return snapshots_->RefreshSnapshot(Ctx(role).get(), {}, resp);
  }

  std::map<std::string, nlohmann::json> results_;
  std::unique_ptr<cst::WsServer> server_ws_;
  std::unique_ptr<ChainWatcher> watcher_;
};

TEST_F(ChainRefreshTest, RefreshBuildsAndPushesTheChainsSnapshotWithItsTip) {
  InstallPolicy();
  v1::PushSnapshotResponse resp;
  grpc::Status st = Refresh(&resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(resp.created());
  const cst::ChainState state = cst::MakeChainState();
  EXPECT_EQ(resp.snapshot().epoch(), state.epoch);
  EXPECT_EQ(resp.snapshot().slot(), state.slot);
  EXPECT_EQ(resp.snapshot().pool_count(), state.pools.size());

  v1::GetSnapshotRequest g;
  v1::GetSnapshotResponse doc;
  ASSERT_TRUE(snapshots_->GetSnapshot(Ctx("auditor").get(), g, &doc).ok());
  const nlohmann::json j = nlohmann::json::parse(doc.document());
  const std::string text = j.dump();
  EXPECT_NE(text.find(server_ws_->url()), std::string::npos) << "source not recorded";
  EXPECT_NE(text.find(state.tip_hash), std::string::npos) << "tip not recorded";

  // The same chain state again: the same snapshot, not a second one.
  ASSERT_TRUE(Refresh(&resp).ok());
  EXPECT_FALSE(resp.created());
}

TEST_F(ChainRefreshTest, RefreshNeedsAPolicyInForceAndAnOperator) {
  v1::PushSnapshotResponse resp;
  grpc::Status st = Refresh(&resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(st.error_message().find("no policy is in force"), std::string::npos);
  InstallPolicy();
  EXPECT_EQ(Refresh(&resp, "auditor").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Refresh(&resp, "signer:alice").error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace stakeward::controller::testing
