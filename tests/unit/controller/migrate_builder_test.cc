// MIGRATE transactions (signer rotation): from the sample policy (alice, bob, carol; 2 of 3) to a
// version where dave replaces carol. Checked as properties against the inputs, not against our
// own output: every input is a snapshot UTxO of the outgoing policy or a change output of an
// earlier migration transaction; lovelace is conserved; every funded slot ends at the incoming
// policy's address for that slot and the treasury at the incoming treasury; each registered
// slot's old credential is deregistered and the new one registered, delegated to the same pool
// and to the DRep; and the witness rule needs M of the outgoing signers plus M' of the incoming.
#include "controller/build/migrate_builder.h"

#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "chain/check.h"
#include "chain/keys.h"
#include "controller/model/witness_check.h"
#include "gtest/gtest.h"
#include "policy/slot_scripts.h"

namespace stakeward::controller {
namespace {

std::string Sample(const std::string& name) {
  std::ifstream in(std::string(STAKEWARD_SOURCE_DIR) + "/policy/samples/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

chain::XPrv Root(const std::string& who) {
  struct M {
    const char* name;
    const char* mnemonic;
    chain::Derivation d;
  };
  // The mocks' seeds (tests/integration/controller/round_fixture.cc); dave is a Ledger holding
  // the "all" seed, so his keys differ from alice's (Trezor derivation of the same words).
  static const M ms[] = {
      {"alice", "all all all all all all all all all all all all",
       chain::Derivation::kIcarusTrezor},
      {"bob",
       "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
       "abandon about",
       chain::Derivation::kIcarus},
      {"carol",
       "glory promote mansion idle axis finger extra february uncover one trip resource "
       "lawn turtle enact monster seven myth punch hobby comfort wild raise skin",
       chain::Derivation::kLedger},
      {"dave", "all all all all all all all all all all all all", chain::Derivation::kLedger}};
  for (const M& m : ms) {
    if (who != m.name) continue;
    auto root = chain::MasterKeyFromMnemonic(m.mnemonic, "", m.d);
    SW_CHECK(root.ok());
    return *root;
  }
  SW_CHECK(false);
  return {};
}

std::string XpubHex(const std::string& who) {
  const chain::XPub x =
      chain::ToPublic(chain::DerivePath(Root(who), *chain::ParsePath("m/1854'/1815'/0'")));
  const auto ser = x.Serialize();
  return chain::HexEncode(chain::View(ser));
}

// The sample policy with carol's entry replaced by dave's (and optionally another threshold).
std::string RotatedYaml(const std::string& yaml, int threshold = 2) {
  std::string out = yaml;
  const size_t a = out.find("  - name: carol");
  const size_t b = out.find("threshold:", a);
  SW_CHECK(a != std::string::npos && b != std::string::npos);
  out.replace(a, b - a, "  - name: dave\n    xpub: " + XpubHex("dave") + "\n    device: ledger\n");
  const size_t t = out.find("threshold:");
  out.replace(t, out.find('\n', t) - t, "threshold: " + std::to_string(threshold));
  return out;
}

std::vector<WitnessRec> WitnessesOf(const ProposalTxRec& tx, const std::string& signer) {
  std::vector<WitnessRec> out;
  for (const RequiredSignerRec& r : tx.required) {
    if (r.signer != signer) continue;
    for (const SignerKeyRec& k : r.keys) {
      chain::XPrv key = chain::DerivePath(Root(signer), *chain::ParsePath(k.path));
      out.push_back({tx.idx,
                     signer,
                     {chain::ToPublic(key).public_key, chain::Sign(key, chain::View(tx.tx_id))}});
    }
  }
  return out;
}

std::vector<WitnessRec> Of(const ProposalTxRec& tx, std::initializer_list<const char*> who) {
  std::vector<WitnessRec> out;
  for (const char* w : who) {
    std::vector<WitnessRec> part = WitnessesOf(tx, w);
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

class MigrateBuilderTest : public ::testing::Test {
 public:  // the refusal rows edit the inputs
  void SetUp() override {
    auto from = policy::LoadPolicy(Sample("policy.yaml"));
    ASSERT_TRUE(from.ok()) << from.status();
    from_ = *from;
    auto to = policy::LoadPolicy(RotatedYaml(Sample("policy.yaml")));
    ASSERT_TRUE(to.ok()) << to.status();
    to_ = *to;
    auto snap = policy::LoadSnapshot(Sample("snapshot.json"));
    ASSERT_TRUE(snap.ok()) << snap.status();
    snap_ = *snap;
    for (policy::SlotState& s : snap_.slots)
      s.rewards = chain::Lovelace(0);  // withdrawn before migrating
  }
  absl::StatusOr<std::vector<ProposalTxRec>> Build() {
    return BuildMigrateTxs({&from_,
                            &to_,
                            policy::PolicyHash(from_),
                            policy::PolicyHash(to_),
                            &snap_,
                            "migrate-test",
                            snap_.slot + 7200,
                            {}});
  }
  chain::Bytes SlotAddr(const policy::Policy& p, uint32_t slot) {
    auto d = policy::DeriveSlots(p, slot, 1);
    SW_CHECK(d.ok());
    return chain::ParseAddress((*d)[0].base_address)->ToBytes();
  }
  chain::Credential StakeCred(const policy::Policy& p, uint32_t slot) {
    auto d = policy::DeriveSlots(p, slot, 1);
    SW_CHECK(d.ok());
    return (*d)[0].stake_credential;
  }
  chain::Bytes Treasury(const policy::Policy& p) {
    auto t = policy::TreasuryAddress(p);
    SW_CHECK(t.ok());
    return t->ToBytes();
  }

  policy::Policy from_, to_;
  policy::Snapshot snap_;
};

TEST_F(MigrateBuilderTest, MovesEverySlotAndTheTreasuryToTheIncomingScripts) {
  auto txs = Build();
  ASSERT_TRUE(txs.ok()) << txs.status();
  // Spendable: the snapshot's UTxOs (at the outgoing policy's addresses), then change outputs.
  std::map<chain::TxIn, uint64_t> spendable;
  uint64_t total_in = 0, funded_slots = 0, registered = 0;
  for (const policy::SlotState& s : snap_.slots) {
    for (const policy::Utxo& u : s.utxos) spendable[{u.tx, u.index}] = u.lovelace.value();
    total_in += s.balance.value();
    funded_slots += s.utxos.empty() ? 0 : 1;
    registered += s.registered ? 1 : 0;
  }
  for (const policy::Utxo& u : snap_.treasury) {
    spendable[{u.tx, u.index}] = u.lovelace.value();
    total_in += u.lovelace.value();
  }
  uint64_t fees = 0, at_new_slots = 0, at_new_treasury = 0;
  size_t dereg = 0, reg = 0, deleg = 0, vote = 0;
  for (size_t i = 0; i < txs->size(); ++i) {
    const ProposalTxRec& rec = (*txs)[i];
    auto tx = chain::DecodeTransaction(chain::View(rec.unsigned_tx));
    ASSERT_TRUE(tx.ok());
    const bool last = i + 1 == txs->size();
    uint64_t in = 0, out = 0;
    for (const chain::TxIn& x : tx->body.inputs) {
      auto it = spendable.find(x);
      ASSERT_NE(it, spendable.end()) << "input not at an outgoing address";
      in += it->second;
      spendable.erase(it);
    }
    for (size_t o = 0; o < tx->body.outputs.size(); ++o) {
      const chain::TxOut& x = tx->body.outputs[o];
      out += x.coin.value();
      if (x.address == Treasury(to_)) {
        EXPECT_TRUE(last);
        at_new_treasury += x.coin.value();
      } else if (x.address == Treasury(from_)) {
        EXPECT_FALSE(last);  // change for the next transaction
        spendable[{chain::TxId(*tx), static_cast<uint32_t>(o)}] = x.coin.value();
      } else {
        bool is_slot = false;
        for (const policy::SlotState& s : snap_.slots)
          is_slot |= x.address == SlotAddr(to_, s.index);
        EXPECT_TRUE(is_slot) << "output to an address that is not the incoming policy's";
        at_new_slots += x.coin.value();
      }
    }
    uint64_t deposits = 0, refunds = 0;
    for (const chain::Certificate& c : tx->body.certificates) {
      using T = chain::Certificate::Type;
      if (c.type == T::kUnregCert) {
        ++dereg;
        refunds += c.coin.value();
      }
      if (c.type == T::kRegCert) {
        ++reg;
        deposits += c.coin.value();
      }
      if (c.type == T::kStakeDelegation) ++deleg;
      if (c.type == T::kVoteDelegCert) ++vote;
    }
    EXPECT_TRUE(tx->body.withdrawals.empty());
    EXPECT_EQ(in + refunds, out + deposits + tx->body.fee.value());  // lovelace conserved
    fees += tx->body.fee.value();
  }
  EXPECT_TRUE(spendable.empty()) << "something stayed at the outgoing scripts";
  EXPECT_EQ(at_new_slots + at_new_treasury + fees, total_in);
  EXPECT_EQ(dereg, registered);
  EXPECT_EQ(reg, registered);
  EXPECT_EQ(vote, registered);
  EXPECT_GT(funded_slots, 0u);
  // Delegations keep each slot's pool, on the new credential.
  std::map<chain::Hash28, chain::Hash28> pool_of_new;
  for (const ProposalTxRec& rec : *txs) {
    auto tx = chain::DecodeTransaction(chain::View(rec.unsigned_tx));
    for (const chain::Certificate& c : tx->body.certificates) {
      if (c.type == chain::Certificate::Type::kStakeDelegation)
        pool_of_new[c.credential.hash] = c.pool;
    }
  }
  for (const policy::SlotState& s : snap_.slots) {
    if (!s.registered || !s.pool) continue;
    EXPECT_EQ(pool_of_new[StakeCred(to_, s.index).hash], *s.pool) << "slot " << s.index;
  }
  EXPECT_EQ(deleg, pool_of_new.size());
}

// Each old credential's deregistration refunds what it holds (the snapshot records it); the
// new registration pays today's parameter.
TEST_F(MigrateBuilderTest, DeregistrationsRefundWhatEachCredentialHolds) {
  uint64_t expected_refunds = 0;
  bool changed = false;
  for (policy::SlotState& s : snap_.slots) {
    if (!s.registered) continue;
    if (!changed) {
      s.deposit = chain::Lovelace(1234567);
      changed = true;
    }
    expected_refunds += snap_.HeldDeposit(s).value();
  }
  ASSERT_TRUE(changed);
  auto txs = Build();
  ASSERT_TRUE(txs.ok()) << txs.status();
  uint64_t refunds = 0;
  bool seen = false;
  for (const ProposalTxRec& rec : *txs) {
    auto tx = chain::DecodeTransaction(chain::View(rec.unsigned_tx));
    ASSERT_TRUE(tx.ok());
    for (const chain::Certificate& c : tx->body.certificates) {
      if (c.type == chain::Certificate::Type::kUnregCert) {
        refunds += c.coin.value();
        seen |= c.coin.value() == 1234567;
      }
      if (c.type == chain::Certificate::Type::kRegCert) {
        EXPECT_EQ(c.coin, snap_.params.key_deposit);
      }
    }
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(refunds, expected_refunds);
}

TEST_F(MigrateBuilderTest, NeedsTheOutgoingAndTheIncomingThresholds) {
  auto txs = Build();
  ASSERT_TRUE(txs.ok()) << txs.status();
  for (const ProposalTxRec& tx : *txs) {
    // alice and bob sign both sets; alice, carol and dave too (carol for the old, dave the new).
    for (auto who : {Of(tx, {"alice", "bob"}), Of(tx, {"alice", "carol", "dave"}),
                     Of(tx, {"carol", "bob", "dave"})}) {
      auto signed_tx = AssembleSignedTx(tx, who);
      ASSERT_TRUE(signed_tx.ok()) << signed_tx.status();
      EXPECT_TRUE(VerifySignedTx(chain::View(*signed_tx), tx.scripts).ok());
      // The fee covers what the assembler included.
      auto decoded = chain::DecodeTransaction(chain::View(*signed_tx));
      chain::FeeParams fp;
      fp.min_fee_a = snap_.params.min_fee_a;
      fp.min_fee_b = chain::Lovelace(snap_.params.min_fee_b);
      EXPECT_GE(decoded->body.fee.value(), fp.min_fee_a * signed_tx->size() + fp.min_fee_b.value());
    }
    // alice and carol satisfy only the old scripts, alice and dave only the new ones.
    EXPECT_TRUE(ChooseSigners(tx, Of(tx, {"alice", "carol"})).empty());
    EXPECT_TRUE(ChooseSigners(tx, Of(tx, {"alice", "dave"})).empty());
    EXPECT_EQ(AssembleSignedTx(tx, Of(tx, {"alice", "carol"})).status().code(),
              absl::StatusCode::kFailedPrecondition);
  }
}

TEST_F(MigrateBuilderTest, RefusesWhatItCannotMigrateSafely) {
  struct Row {
    const char* name;
    std::function<void(MigrateBuilderTest&)> change;
    const char* says;
  };
  const std::vector<Row> rows = {
      {"rewards left in a slot",
       [](MigrateBuilderTest& t) { t.snap_.slots[0].rewards = chain::Lovelace(1); },
       "reward account"},
      {"same scripts", [](MigrateBuilderTest& t) { t.to_ = t.from_; }, "nothing to migrate"},
      {"a staying signer changes key",
       [](MigrateBuilderTest& t) {
         t.to_.signers[0].account_xpub = chain::ToPublic(
             chain::DerivePath(Root("dave"), *chain::ParsePath("m/1854'/1815'/1'")));
       },
       "changes account key"},
      {"no treasury to pay fees", [](MigrateBuilderTest& t) { t.snap_.treasury.clear(); },
       "no UTxO"},
      {"snapshot of the incoming policy's slots",
       [](MigrateBuilderTest& t) {
         auto d = policy::DeriveSlots(t.to_, t.snap_.slots[0].index, 1);
         t.snap_.slots[0].address = (*d)[0].base_address;
       },
       "not the outgoing policy's"},
      {"slot beyond the incoming limit", [](MigrateBuilderTest& t) { t.to_.max_slots = 1; },
       "slots"},
  };
  for (const Row& row : rows) {
    SetUp();
    row.change(*this);
    auto txs = Build();
    EXPECT_EQ(txs.status().code(), absl::StatusCode::kFailedPrecondition) << row.name;
    EXPECT_NE(txs.status().message().find(row.says), std::string::npos)
        << row.name << ": " << txs.status();
  }
}

TEST_F(MigrateBuilderTest, ManySlotsSplitIntoChainedTransactions) {
  // 12 funded, registered slots: three transactions, each change spent by the next.
  policy::SlotState proto = snap_.slots[0];
  proto.registered = true;
  snap_.slots.clear();
  for (uint32_t i = 0; i < 12; ++i) {
    policy::SlotState s = proto;
    s.index = i;
    s.address.clear();
    s.utxos = {{chain::Hash32{static_cast<uint8_t>(i + 1)}, 0, chain::Lovelace(10'000'000)}};
    s.balance = chain::Lovelace(10'000'000);
    snap_.slots.push_back(s);
  }
  auto txs = Build();
  ASSERT_TRUE(txs.ok()) << txs.status();
  ASSERT_EQ(txs->size(), 3u);
  for (size_t i = 1; i < txs->size(); ++i) {
    bool chained = false;
    for (const chain::TxIn& in : (*txs)[i].inputs) chained |= in.tx_id == (*txs)[i - 1].tx_id;
    EXPECT_TRUE(chained) << "transaction " << i;
  }
  for (const ProposalTxRec& tx : *txs) {
    auto signed_tx = AssembleSignedTx(tx, Of(tx, {"alice", "bob"}));
    EXPECT_TRUE(signed_tx.ok()) << signed_tx.status();
  }
}

}  // namespace
}  // namespace stakeward::controller
