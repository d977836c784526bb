// Issue 13: the signer's own chain view. A signer reviews a real proposal (from a running
// controller) and compares it with a chain source of their own; each row changes one fact the
// chain reports and shows the refusal naming it. The chain answers are derived from the reviewed
// snapshot and the policy's addresses (LayoutFromPolicy), so the unchanged row must agree.
#include <functional>
#include <map>

#include "chainsource/snapshot_builder.h"
#include "controller/client/chain_check.h"
#include "tests/integration/controller/round_fixture.h"
#include "tests/integration/controller/stub_chain_source.h"

namespace stakeward::controller::testing {
namespace {

// A chain that reports what the snapshot says, unless a row changed it.
class SnapshotChain : public StubChainSource {
 public:
  explicit SnapshotChain(const ReviewedProposal& r) {
    auto layout = chainsource::LayoutFromPolicy(r.policy);
    EXPECT_TRUE(layout.ok()) << layout.status();
    layout_ = *layout;
    tip.slot = r.snapshot.slot + 10;
    tip.height = 1000;
    for (const policy::Utxo& u : r.snapshot.treasury) {
      utxos.push_back({u.tx, u.index, layout_.treasury_addresses.at(0), u.lovelace.value(), false});
    }
    for (const policy::SlotState& s : r.snapshot.slots) {
      for (const auto& l : layout_.slots) {
        if (l.index != s.index) continue;
        for (const policy::Utxo& u : s.utxos) {
          utxos.push_back({u.tx, u.index, l.base_address, u.lovelace.value(), false});
        }
        chainsource::RewardAccountSummary a;
        a.credential = l.stake;
        a.registered = s.registered;
        a.rewards = s.rewards.value();
        a.pool = s.pool;
        accounts.push_back(a);
      }
    }
  }

  chainsource::Tip tip;
  std::vector<chainsource::AddressUtxo> utxos;
  std::vector<chainsource::RewardAccountSummary> accounts;
  absl::Status utxo_error;
  const chainsource::BridgeLayout& layout() const { return layout_; }

  absl::StatusOr<chainsource::Tip> QueryTip(absl::Duration) override { return tip; }
  absl::StatusOr<std::vector<chainsource::AddressUtxo>> QueryUtxos(
      absl::Span<const std::string> addresses, absl::Duration) override {
    if (!utxo_error.ok()) return utxo_error;
    std::vector<chainsource::AddressUtxo> out;
    for (const auto& u : utxos) {
      for (const std::string& a : addresses) {
        if (a == u.address) out.push_back(u);
      }
    }
    return out;
  }
  absl::StatusOr<std::vector<chainsource::RewardAccountSummary>> QueryRewardAccounts(
      chain::Network, absl::Span<const chain::Credential>, absl::Duration) override {
    return accounts;
  }

 private:
  chainsource::BridgeLayout layout_;
};

class SignerChainCheckTest : public ControllerRound {
 protected:
  ReviewedProposal Reviewed() {
    const v1::PolicyVersion pol = InstallPolicy();
    v1::PushSnapshotRequest sreq;
    sreq.set_document(SampleSnapshotJson());
    v1::PushSnapshotResponse sresp;
    EXPECT_TRUE(snapshots_->PushSnapshot(Ctx("operator").get(), sreq, &sresp).ok());
    grpc::Status st;
    const v1::Proposal p = CreateProposal(&st);
    EXPECT_TRUE(st.ok()) << st.error_message();
    ClientOptions client;
    client.server = "127.0.0.1:" + std::to_string(server_->port());
    client.dev_role = "signer:alice";
    absl::StatusOr<ReviewedProposal> r = ReviewProposal(client, p.id(), {HashOf(pol)});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : ReviewedProposal{};
  }
};

// The first input of the first transaction, and where the chain keeps it.
chainsource::AddressUtxo* FirstInput(const ReviewedProposal& r, SnapshotChain& c) {
  const chain::TxIn& in = r.txs.at(0).body.inputs.at(0);
  for (auto& u : c.utxos) {
    if (u.tx == in.tx_id && u.index == in.index) return &u;
  }
  ADD_FAILURE() << "the proposal's first input is not in the snapshot";
  return nullptr;
}

chainsource::RewardAccountSummary* FirstRegistered(SnapshotChain& c) {
  for (auto& a : c.accounts) {
    if (a.registered) return &a;
  }
  ADD_FAILURE() << "no registered slot in the sample";
  return nullptr;
}

TEST_F(SignerChainCheckTest, EachChainFactThatDiffersIsRefusedByName) {
  const ReviewedProposal r = Reviewed();
  ASSERT_FALSE(r.txs.empty());
  {
    SnapshotChain agree(r);
    absl::Status s = CheckAgainstChain(r, agree, ChainCheckOptions{});
    EXPECT_TRUE(s.ok()) << s;
  }
  struct Row {
    const char* name;
    std::function<void(SnapshotChain&)> change;
    const char* says;
  };
  const std::vector<Row> rows = {
      {"input already spent",
       [&](SnapshotChain& c) {
         auto* u = FirstInput(r, c);
         if (u != nullptr) u->address = "addr_test1_elsewhere";  // no longer at our addresses
       },
       "is not unspent at an address of the policy"},
      {"input at another holder",
       [&](SnapshotChain& c) {
         auto* u = FirstInput(r, c);
         if (u == nullptr) return;
         for (const auto& l : c.layout().slots) {
           if (l.base_address != u->address) {
             u->address = l.base_address;
             break;
           }
         }
       },
       "the proposal says it belongs to"},
      {"amount differs",
       [&](SnapshotChain& c) {
         if (auto* u = FirstInput(r, c)) u->lovelace += 1;
       },
       "lovelace on chain; the snapshot says"},
      {"input carries tokens",
       [&](SnapshotChain& c) {
         if (auto* u = FirstInput(r, c)) u->has_assets = true;
       },
       "native tokens"},
      {"rewards differ",
       [](SnapshotChain& c) {
         if (auto* a = FirstRegistered(c)) a->rewards += 1;
       },
       "of rewards on chain"},
      {"registration differs",
       [](SnapshotChain& c) {
         if (auto* a = FirstRegistered(c)) a->registered = false;
       },
       "not registered on chain"},
      {"delegation differs",
       [](SnapshotChain& c) {
         if (auto* a = FirstRegistered(c)) a->pool.reset();
       },
       "delegates to no pool on chain"},
      {"snapshot too old", [&](SnapshotChain& c) { c.tip.slot = r.snapshot.slot + 3601; },
       "slots behind your chain source's tip"},
      {"snapshot from the future", [&](SnapshotChain& c) { c.tip.slot = r.snapshot.slot - 1; },
       "later than your chain source's tip"},
  };
  for (const Row& row : rows) {
    SnapshotChain chain(r);
    row.change(chain);
    absl::Status s = CheckAgainstChain(r, chain, ChainCheckOptions{});
    EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << row.name;
    EXPECT_NE(s.message().find(row.says), std::string::npos) << row.name << ": " << s.message();
    EXPECT_NE(s.message().find("refusing to sign"), std::string::npos) << row.name;
  }
}

TEST_F(SignerChainCheckTest, AnUnreachableSourceRefusesWithItsOwnError) {
  const ReviewedProposal r = Reviewed();
  SnapshotChain chain(r);
  chain.utxo_error = absl::UnavailableError("connection refused");
  absl::Status s = CheckAgainstChain(r, chain, ChainCheckOptions{});
  EXPECT_EQ(s.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("could not be asked"), std::string::npos) << s;
}

}  // namespace
}  // namespace stakeward::controller::testing
