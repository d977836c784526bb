// The controller's witness checks refuse every way a signed transaction can fall short: an
// under-signed export, a key counted for two signers, a native script not satisfied, an expected
// script missing, a certificate or withdrawal whose script credential is not witnessed, and a bad
// signature. The transactions are the real ones the builders make from the sample policy and
// snapshots; the witnesses are made with the mocks' keys (alice, bob, carol).
#include "controller/model/witness_check.h"

#include <fstream>
#include <sstream>

#include "chain/check.h"
#include "chain/evm.h"
#include "chain/keys.h"
#include "controller/build/proposal_builder.h"
#include "controller/build/reward_proposal.h"
#include "gtest/gtest.h"
#include "policy/plan.h"
#include "policy/policy.h"
#include "policy/snapshot.h"

namespace stakeward::controller {
namespace {

std::string Sample(const std::string& name) {
  std::ifstream in(std::string(STAKEWARD_SOURCE_DIR) + "/policy/samples/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Keys {
  std::string name;
  chain::XPrv root;
};

const std::vector<Keys>& Signers() {
  static const std::vector<Keys> keys = [] {
    struct M {
      const char* name;
      const char* mnemonic;
      chain::Derivation d;
    } ms[] = {{"alice", "all all all all all all all all all all all all",
               chain::Derivation::kIcarusTrezor},
              {"bob",
               "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
               "abandon about",
               chain::Derivation::kIcarus},
              {"carol",
               "glory promote mansion idle axis finger extra february uncover one trip resource "
               "lawn turtle enact monster seven myth punch hobby comfort wild raise skin",
               chain::Derivation::kLedger}};
    std::vector<Keys> out;
    for (const M& m : ms) {
      auto root = chain::MasterKeyFromMnemonic(m.mnemonic, "", m.d);
      SW_CHECK(root.ok());
      out.push_back({m.name, *root});
    }
    return out;
  }();
  return keys;
}

// Every witness `signer` must give for `tx`, signed over its id.
std::vector<WitnessRec> WitnessesOf(const ProposalTxRec& tx, const std::string& signer) {
  std::vector<WitnessRec> out;
  const Keys* keys = nullptr;
  for (const Keys& k : Signers()) {
    if (k.name == signer) keys = &k;
  }
  SW_CHECK(keys != nullptr);
  for (const RequiredSignerRec& r : tx.required) {
    if (r.signer != signer) continue;
    for (const SignerKeyRec& k : r.keys) {
      chain::XPrv key = chain::DerivePath(keys->root, *chain::ParsePath(k.path));
      WitnessRec w;
      w.tx_idx = tx.idx;
      w.signer = signer;
      w.witness.vkey = chain::ToPublic(key).public_key;
      w.witness.signature = chain::Sign(key, chain::View(tx.tx_id));
      out.push_back(w);
    }
  }
  return out;
}

std::vector<WitnessRec> Join(std::vector<WitnessRec> a, const std::vector<WitnessRec>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

class WitnessCheck : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pol = policy::LoadPolicy(Sample("policy.yaml"));
    ASSERT_TRUE(pol.ok()) << pol.status();
    policy_ = new policy::Policy(*pol);
    auto snap = policy::LoadSnapshot(Sample("snapshot.json"));
    ASSERT_TRUE(snap.ok()) << snap.status();
    auto plan = policy::MakePlan(*policy_, *snap, policy::PlanHistory{});
    ASSERT_TRUE(plan.ok()) << plan.status();
    auto txs = BuildProposalTxs({policy_, &*snap, &*plan, "p-test", snap->slot + 7200, {}});
    ASSERT_TRUE(txs.ok()) << txs.status();
    ASSERT_FALSE(txs->empty());
    rebalance_ = new ProposalTxRec((*txs)[0]);
    auto rsnap = policy::LoadSnapshot(Sample("snapshot-rewards.json"));
    ASSERT_TRUE(rsnap.ok()) << rsnap.status();
    auto op = chain::evm::ParseAddress(policy_->rewards.operator_l2_address);
    ASSERT_TRUE(op.ok());
    auto rewards = BuildRewardTxs(
        {policy_, &*rsnap, "r-test", *op, chain::Lovelace(), rsnap->slot + 7200, {}, {}});
    ASSERT_TRUE(rewards.ok()) << rewards.status();
    ASSERT_FALSE(rewards->txs.empty());
    reward_ = new ProposalTxRec(rewards->txs[0]);
  }
  static void TearDownTestSuite() {
    delete policy_;
    delete rebalance_;
    delete reward_;
  }

  // A signed transaction from `tx` with `witnesses` and `scripts`, without the assembler's checks.
  static chain::Bytes Signed(const ProposalTxRec& tx, const std::vector<WitnessRec>& witnesses,
                             const std::vector<chain::NativeScript>& scripts) {
    auto t = chain::DecodeTransaction(chain::View(tx.unsigned_tx));
    SW_CHECK(t.ok());
    for (const WitnessRec& w : witnesses) t->witnesses.vkeys.push_back(w.witness);
    t->witnesses.scripts = scripts;
    return chain::EncodeTransaction(*t);
  }

  static policy::Policy* policy_;
  static ProposalTxRec* rebalance_;
  static ProposalTxRec* reward_;
};
policy::Policy* WitnessCheck::policy_ = nullptr;
ProposalTxRec* WitnessCheck::rebalance_ = nullptr;
ProposalTxRec* WitnessCheck::reward_ = nullptr;

TEST_F(WitnessCheck, TwoSignersAssembleAndVerify) {
  for (const ProposalTxRec* tx : {rebalance_, reward_}) {
    auto w = Join(WitnessesOf(*tx, "alice"), WitnessesOf(*tx, "carol"));
    auto signed_tx = AssembleSignedTx(*tx, w);
    ASSERT_TRUE(signed_tx.ok()) << signed_tx.status();
    EXPECT_TRUE(VerifySignedTx(chain::View(*signed_tx), tx->scripts).ok());
  }
}

TEST_F(WitnessCheck, UnderSignedExportIsRefused) {
  auto signed_tx = AssembleSignedTx(*rebalance_, WitnessesOf(*rebalance_, "alice"));
  EXPECT_EQ(signed_tx.status().code(), absl::StatusCode::kFailedPrecondition) << signed_tx.status();
  // A signer with one of several keys missing does not count either.
  auto partial = WitnessesOf(*reward_, "carol");
  ASSERT_GT(partial.size(), 1u);
  partial.pop_back();
  EXPECT_FALSE(AssembleSignedTx(*reward_, Join(WitnessesOf(*reward_, "alice"), partial)).ok());
}

TEST_F(WitnessCheck, OneKeyNeverCountsForTwoSigners) {
  // bob submits alice's witnesses: refused at submission, and never counted for bob.
  const std::vector<WitnessRec> alice = WitnessesOf(*rebalance_, "alice");
  EXPECT_EQ(CheckWitness(*rebalance_, "bob", alice[0].witness).code(),
            absl::StatusCode::kPermissionDenied);
  std::vector<WitnessRec> as_bob = alice;
  for (WitnessRec& w : as_bob) w.signer = "bob";
  EXPECT_EQ(FullySignedSigners(*rebalance_, Join(alice, as_bob)),
            std::vector<std::string>{"alice"});
  EXPECT_FALSE(AssembleSignedTx(*rebalance_, Join(alice, as_bob)).ok());
}

TEST_F(WitnessCheck, BadSignatureIsRefused) {
  std::vector<WitnessRec> alice = WitnessesOf(*rebalance_, "alice");
  alice[0].witness.signature[5] ^= 1;
  EXPECT_EQ(CheckWitness(*rebalance_, "alice", alice[0].witness).code(),
            absl::StatusCode::kInvalidArgument);
  auto bytes =
      Signed(*rebalance_, Join(alice, WitnessesOf(*rebalance_, "carol")), rebalance_->scripts);
  EXPECT_EQ(VerifySignedTx(chain::View(bytes), rebalance_->scripts).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(WitnessCheck, ScriptNotSatisfiedIsRefused) {
  auto bytes = Signed(*rebalance_, WitnessesOf(*rebalance_, "alice"), rebalance_->scripts);
  absl::Status s = VerifySignedTx(chain::View(bytes), rebalance_->scripts);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("not satisfied"), std::string::npos) << s;
}

TEST_F(WitnessCheck, ExpectedScriptMissingIsRefused) {
  auto w = Join(WitnessesOf(*rebalance_, "alice"), WitnessesOf(*rebalance_, "carol"));
  std::vector<chain::NativeScript> fewer = rebalance_->scripts;
  ASSERT_GT(fewer.size(), 1u);
  fewer.pop_back();
  auto bytes = Signed(*rebalance_, w, fewer);
  absl::Status s = VerifySignedTx(chain::View(bytes), rebalance_->scripts);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("expected native script is missing"), std::string::npos) << s;
}

TEST_F(WitnessCheck, WithdrawalNotWitnessedIsRefused) {
  // Drop a withdrawn slot's stake script from the transaction and from the expected list: the
  // withdrawal's script credential is then backed by nothing.
  auto w = Join(WitnessesOf(*reward_, "alice"), WitnessesOf(*reward_, "carol"));
  std::vector<chain::NativeScript> fewer = reward_->scripts;
  ASSERT_GT(fewer.size(), 1u);
  fewer.pop_back();  // the payment script comes first, slot stake scripts after
  auto bytes = Signed(*reward_, w, fewer);
  absl::Status s = VerifySignedTx(chain::View(bytes), fewer);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("withdrawal's credential is not witnessed"), std::string::npos) << s;
}

}  // namespace
}  // namespace stakeward::controller
