// Policy document: parsing, validation errors with lines, canonical hash, approvals.
#include "policy/policy.h"

#include "absl/strings/str_replace.h"
#include "chain/cbor.h"
#include "chain/hash.h"
#include "gtest/gtest.h"
#include "policy/approval.h"
#include "test_util.h"

namespace stakeward::policy {
namespace {

using testing::ReadFile;
using testing::SamplePath;

std::string SampleYaml() { return ReadFile(SamplePath("policy.yaml")); }

TEST(PolicyLoad, SampleLoads) {
  auto p = LoadPolicy(SampleYaml());
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->network, chain::Network::kTestnet);
  ASSERT_EQ(p->signers.size(), 3u);
  EXPECT_EQ(p->signers[0].name, "alice");
  EXPECT_EQ(p->signers[0].device, DeviceKind::kTrezor);
  EXPECT_EQ(p->signers[2].device, DeviceKind::kLedger);
  EXPECT_EQ(p->threshold, 2u);
  EXPECT_EQ(p->allocation.strategy, Strategy::kMaxRewards);
  EXPECT_EQ(p->gates.max_margin, Ratio::Of(1, 20));
  EXPECT_EQ(p->rewards.roi, 100u);
  EXPECT_FALSE(PolicySummary(*p).empty());
}

TEST(PolicyLoad, SignerKeysAreTheMockDevicesAccountKeys) {
  auto p = LoadPolicy(SampleYaml());
  ASSERT_TRUE(p.ok()) << p.status();
  Policy expected = testing::TestPolicy();
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(p->signers[i].account_xpub, expected.signers[i].account_xpub)
        << p->signers[i].name << " should be "
        << chain::Bech32Encode("acct_shared_xvk",
                               chain::View(expected.signers[i].account_xpub.Serialize()));
  }
}

struct BadRow {
  const char* from;
  const char* to;
  const char* expect;  // substring of the error, including the field name
  int line;            // expected line (0: do not check)
};

class PolicyErrors : public ::testing::TestWithParam<BadRow> {};

TEST_P(PolicyErrors, NamesFieldAndLine) {
  const BadRow& r = GetParam();
  std::string yaml = SampleYaml();
  ASSERT_NE(yaml.find(r.from), std::string::npos) << r.from;
  yaml = absl::StrReplaceAll(yaml, {{r.from, r.to}});
  auto p = LoadPolicy(yaml);
  ASSERT_FALSE(p.ok()) << r.to;
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(p.status().message().find(r.expect), std::string::npos) << p.status();
  if (r.line > 0) {
    std::string want = "line " + std::to_string(r.line) + ":";
    EXPECT_EQ(p.status().message().substr(0, want.size()), want) << p.status();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Rows, PolicyErrors,
    ::testing::Values(
        BadRow{"version: 1", "version: 2", "version", 0},
        BadRow{"network: testnet", "network: preprod", "network", 0},
        BadRow{"threshold: 2", "threshold: 4", "threshold", 0},
        BadRow{"threshold: 2", "threshold: two", "threshold", 0},
        BadRow{"device: trezor", "device: keepkey", "device", 0},
        BadRow{"max_margin: 0.05", "max_margin: 1.5", "gates.max_margin", 0},
        BadRow{"max_margin: 0.05", "max_margin: -1", "gates.max_margin", 0},
        BadRow{"strategy: max-rewards", "strategy: random", "allocation.strategy", 0},
        BadRow{"min_pools: 2", "min_pools: 30", "min_pools", 0},
        BadRow{"commission_bps: 500", "commission_bps: 10001", "rewards.commission_bps", 0},
        BadRow{"roi: 100", "roi: 0", "rewards.roi", 0},
        BadRow{"l2_chain_id: 200101", "l2_chain_id: 0", "l2_chain_id", 0},
        BadRow{"operator_path: m/44'/60'/0'/0/0", "operator_path: m/44'/1815'/0'/0/0",
               "operator_path", 0},
        BadRow{"contract_address: 0x", "contract_address: 0xzz", "contract_address", 0},
        BadRow{"operator_l2_address: 0x73", "operator_l2_address: 0x7x", "operator_l2_address", 0},
        BadRow{"operator_l2_address: 0x73d0385f4d8e00c5e6504c6030f47bf6212736a8",
               "operator_l2_address: 0x73d0385f4d8e00c5e6504c6030f47bf6212736",
               "operator_l2_address", 0},
        BadRow{"drep: abstain", "drep: nobody", "drep", 0},
        BadRow{"hysteresis_bps: 200", "hysteresis_bps: 200\n  surprise: 1",
               "churn.surprise: unknown field", 0},
        BadRow{"name: bob", "name: alice", "duplicate signer name", 0},
        BadRow{"max_slots: 20", "max_slots: [1]", "max_slots", 0},
        BadRow{"network: testnet", "network: [", "YAML syntax error", 0},
        // Repeated keys (issue 15): yaml-cpp would read the first, others the last.
        BadRow{"version: 1", "version: 1\nversion: 2", "version: appears twice", 0},
        BadRow{"commission_bps: 500", "commission_bps: 500\n  commission_bps: 0",
               "commission_bps: appears twice", 0},
        BadRow{"network: testnet", "network: test\xc3\x28net", "not valid UTF-8", 0},
        BadRow{"min_age_epochs: 10", "min_age_epochs: 10\n  when_missing: {age: ignore}",
               "gates.when_missing.age: expected deny, warn or allow", 0},
        BadRow{"min_age_epochs: 10", "min_age_epochs: 10\n  when_missing: {pledge: maybe}",
               "gates.when_missing.pledge: expected deny, warn or allow", 0},
        BadRow{"min_age_epochs: 10", "min_age_epochs: 10\n  when_missing: {stake: warn}",
               "gates.when_missing.stake: unknown field", 0},
        BadRow{"min_age_epochs: 10", "min_age_epochs: 10\n  when_missing: deny",
               "gates.when_missing: expected a mapping", 0}));

TEST(PolicyErrors, LineNumberPointsAtTheField) {
  std::string yaml = SampleYaml();
  size_t pos = yaml.find("commission_bps: 500");
  ASSERT_NE(pos, std::string::npos);
  int line = 1;
  for (size_t i = 0; i < pos; ++i) line += yaml[i] == '\n';
  yaml.replace(pos, 19, "commission_bps: lots");
  auto p = LoadPolicy(yaml);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(std::string(p.status().message())
                .rfind("line " + std::to_string(line) + ": rewards.commission_bps", 0),
            0u)
      << p.status();
}

// gates.when_missing: deny by default; stating the default keeps the hash (documents written
// before the rule keep their approvals), any other rule changes it and shows in the summary.
TEST(PolicyHash, WhenMissingIsHashedOnlyWhenNotDefault) {
  auto plain = LoadPolicy(SampleYaml());
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(plain->gates.age_when_missing, WhenMissing::kDeny);
  EXPECT_EQ(plain->gates.performance_when_missing, WhenMissing::kDeny);
  auto with = [](const std::string& rule) {
    return LoadPolicy(absl::StrReplaceAll(
        SampleYaml(), {{"min_age_epochs: 10", "min_age_epochs: 10\n  when_missing: " + rule}}));
  };
  auto explicit_deny = with("{age: deny, performance: deny, pledge: deny}");
  ASSERT_TRUE(explicit_deny.ok()) << explicit_deny.status();
  EXPECT_EQ(PolicyHash(*explicit_deny), PolicyHash(*plain));
  // The pledge rule (added later) is hashed only when not deny, so {age, performance} rules
  // approved before it keep their hash too.
  auto warn_both = with("{age: warn, performance: warn}");
  auto warn_both_pledge_deny = with("{age: warn, performance: warn, pledge: deny}");
  auto warn_all = with("{age: warn, performance: warn, pledge: warn}");
  auto warn_pledge = with("{pledge: warn}");
  ASSERT_TRUE(warn_both.ok() && warn_both_pledge_deny.ok() && warn_all.ok() && warn_pledge.ok());
  EXPECT_EQ(PolicyHash(*warn_both_pledge_deny), PolicyHash(*warn_both));
  EXPECT_NE(PolicyHash(*warn_all), PolicyHash(*warn_both));
  EXPECT_NE(PolicyHash(*warn_pledge), PolicyHash(*plain));
  EXPECT_EQ(warn_pledge->gates.pledge_when_missing, WhenMissing::kWarn);
  auto warn_age = with("{age: warn}");
  ASSERT_TRUE(warn_age.ok()) << warn_age.status();
  EXPECT_EQ(warn_age->gates.age_when_missing, WhenMissing::kWarn);
  EXPECT_EQ(warn_age->gates.performance_when_missing, WhenMissing::kDeny);
  auto allow_perf = with("{performance: allow}");
  ASSERT_TRUE(allow_perf.ok()) << allow_perf.status();
  EXPECT_NE(PolicyHash(*warn_age), PolicyHash(*plain));
  EXPECT_NE(PolicyHash(*allow_perf), PolicyHash(*plain));
  EXPECT_NE(PolicyHash(*allow_perf), PolicyHash(*warn_age));
  EXPECT_NE(
      PolicySummary(*warn_age).find("when missing:   age warn, performance deny, pledge deny"),
      std::string::npos)
      << PolicySummary(*warn_age);
}

TEST(PolicyHash, LayoutAndSpellingDoNotMatter) {
  auto a = LoadPolicy(SampleYaml());
  ASSERT_TRUE(a.ok()) << a.status();
  std::string yaml = absl::StrReplaceAll(
      SampleYaml(), {{"max_margin: 0.05", "max_margin: 1/20"},
                     {"# ", "#  "},
                     {"max_fixed_cost: 340000000", "max_fixed_cost: 340_000_000"}});
  auto b = LoadPolicy(yaml);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(PolicyHash(*a), PolicyHash(*b));
  std::string changed =
      absl::StrReplaceAll(SampleYaml(), {{"commission_bps: 500", "commission_bps: 501"}});
  auto c = LoadPolicy(changed);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(PolicyHash(*a), PolicyHash(*c));
  EXPECT_EQ(PolicyHash(*a), chain::Blake2b256(chain::View(EncodePolicy(*a))));
}

// Approvals: signatures by m/1854'/1815'/0'/0/0 over the approval body's tx id.
class Approvals : public ::testing::Test {
 protected:
  void SetUp() override {
    auto p = LoadPolicy(SampleYaml());
    ASSERT_TRUE(p.ok()) << p.status();
    policy_ = *p;
    txid_ = ApprovalTxId(PolicyHash(policy_));
  }
  Approval Sign(const char* name, const char* mnemonic, chain::Derivation d,
                const chain::Hash32& msg) {
    chain::XPrv acct = testing::AccountKey(mnemonic, d);
    chain::XPrv key = chain::DeriveChild(chain::DeriveChild(acct, 0), 0);
    Approval a;
    a.signer = name;
    a.vkey = chain::ToPublic(key).public_key;
    a.signature = chain::Sign(key, chain::View(msg));
    return a;
  }
  Approval Alice() {
    return Sign("alice", testing::kAliceMnemonic, chain::Derivation::kIcarusTrezor, txid_);
  }
  Approval Bob() { return Sign("bob", testing::kBobMnemonic, chain::Derivation::kIcarus, txid_); }
  Approval Carol() {
    return Sign("carol", testing::kCarolMnemonic, chain::Derivation::kLedger, txid_);
  }
  Policy policy_;
  chain::Hash32 txid_;
};

TEST_F(Approvals, BodyIsACanonicalConwayBody) {
  chain::Hash32 h = PolicyHash(policy_);
  chain::Bytes body = ApprovalBody(h);
  auto doc = chain::cbor::Decode(chain::View(body));
  ASSERT_TRUE(doc.ok()) << doc.status();
  const chain::cbor::Item* item = &doc->root();
  ASSERT_TRUE(item->IsMap());
  ASSERT_EQ(item->map_size(), 4u);
  EXPECT_EQ(item->map_key(0).arg, 0u);
  EXPECT_TRUE(item->map_value(0).IsTag(258));
  EXPECT_EQ(chain::CopyBytes(item->map_value(0).children[0].children[0].children[0].bytes),
            chain::Bytes(h.begin(), h.end()));
  EXPECT_EQ(item->map_key(3).arg, 7u);
  EXPECT_EQ(chain::CopyBytes(item->map_value(3).bytes), chain::Bytes(h.begin(), h.end()));
  EXPECT_EQ(txid_, chain::Blake2b256(chain::View(body)));
}

TEST_F(Approvals, TwoOfThreeIsInForce) {
  ApprovalVerdict v = VerifyApprovals(policy_, {Alice(), Carol()});
  EXPECT_TRUE(v.in_force);
  EXPECT_EQ(v.valid, 2u);
  EXPECT_TRUE(v.problems.empty());
}

TEST_F(Approvals, OneIsBelowThreshold) {
  ApprovalVerdict v = VerifyApprovals(policy_, {Bob()});
  EXPECT_FALSE(v.in_force);
  ASSERT_FALSE(v.problems.empty());
  EXPECT_NE(v.problems.back().find("below threshold"), std::string::npos);
}

TEST_F(Approvals, DuplicateSignerCountsOnce) {
  ApprovalVerdict v = VerifyApprovals(policy_, {Bob(), Bob()});
  EXPECT_FALSE(v.in_force);
  EXPECT_EQ(v.valid, 1u);
  EXPECT_NE(v.problems[0].find("duplicate"), std::string::npos);
}

TEST_F(Approvals, UnknownSignerAndBadSignatureAreRejected) {
  Approval mallory = Alice();
  mallory.signer = "mallory";
  Approval bad = Bob();
  bad.signature[10] ^= 1;
  Approval wrong_key = Sign("carol", testing::kBobMnemonic, chain::Derivation::kIcarus, txid_);
  chain::Hash32 other = txid_;
  other[0] ^= 1;
  Approval wrong_message =
      Sign("alice", testing::kAliceMnemonic, chain::Derivation::kIcarusTrezor, other);
  ApprovalVerdict v = VerifyApprovals(policy_, {mallory, bad, wrong_key, wrong_message});
  EXPECT_FALSE(v.in_force);
  EXPECT_EQ(v.valid, 0u);
  ASSERT_EQ(v.problems.size(), 5u);
  EXPECT_NE(v.problems[0].find("unknown signer"), std::string::npos);
  EXPECT_NE(v.problems[1].find("bad signature"), std::string::npos);
  EXPECT_NE(v.problems[2].find("approval key"), std::string::npos);
  EXPECT_NE(v.problems[3].find("bad signature"), std::string::npos);
}

TEST_F(Approvals, ParseApprovalsFile) {
  Approval a = Alice();
  std::string text = "[{\"signer\": \"alice\", \"vkey\": \"" + chain::HexEncode(a.vkey) +
                     "\", \"signature\": \"" + chain::HexEncode(a.signature) + "\"}]";
  auto parsed = ParseApprovals(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0].signature, a.signature);
  EXPECT_FALSE(
      ParseApprovals("[{\"signer\": \"alice\", \"vkey\": \"00\", \"signature\": \"00\"}]").ok());
  EXPECT_FALSE(ParseApprovals("{}").ok());
}

}  // namespace
}  // namespace stakeward::policy
