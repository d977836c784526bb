// The approval chain, table-driven: each row builds versions 1..n of a policy with their
// approvals (real Ed25519 signatures by the sample signers' keys and by outsiders) and says which
// versions go in force and whether a signer anchored on some versions reaches the target.
#include "policy/approval_chain.h"

#include <functional>

#include "gtest/gtest.h"
#include "test_util.h"

namespace stakeward::policy {
namespace {

using testing::AccountKey;

struct Person {
  std::string name;
  const char* mnemonic;
  chain::Derivation derivation;
};
// The sample signers, plus dave (a new signer) and mallory (an attacker); bob2 is bob's new key.
const Person kAlice{"alice", testing::kAliceMnemonic, chain::Derivation::kIcarusTrezor};
const Person kBob{"bob", testing::kBobMnemonic, chain::Derivation::kIcarus};
const Person kCarol{"carol", testing::kCarolMnemonic, chain::Derivation::kLedger};
const Person kDave{"dave", testing::kAliceMnemonic, chain::Derivation::kLedger};
const Person kMallory{"mallory", testing::kBobMnemonic, chain::Derivation::kLedger};
const Person kBob2{"bob", testing::kCarolMnemonic, chain::Derivation::kIcarus};

Signer SignerOf(const Person& p) {
  Signer s;
  s.name = p.name;
  s.account_xpub = chain::ToPublic(AccountKey(p.mnemonic, p.derivation));
  return s;
}

Policy PolicyOf(std::vector<Person> people, uint64_t threshold, uint64_t commission = 500) {
  Policy p = testing::TestPolicy();
  p.signers.clear();
  for (const Person& x : people) p.signers.push_back(SignerOf(x));
  p.threshold = threshold;
  p.rewards.commission_bps = commission;  // makes otherwise equal versions differ
  return p;
}

Approval Approve(const Person& who, const chain::Hash32& policy_hash) {
  chain::XPrv acct = AccountKey(who.mnemonic, who.derivation);
  chain::XPrv key = chain::DeriveChild(chain::DeriveChild(acct, 0), 0);
  Approval a;
  a.signer = who.name;
  a.vkey = chain::ToPublic(key).public_key;
  a.signature = chain::Sign(key, chain::View(ApprovalTxId(policy_hash)));
  return a;
}

struct Version {
  Policy policy;
  std::vector<Person> approvers;
};

std::vector<VersionEvidence> Evidence(const std::vector<Version>& vs) {
  std::vector<VersionEvidence> out;
  for (size_t i = 0; i < vs.size(); ++i) {
    VersionEvidence e;
    e.version = i + 1;
    e.policy = vs[i].policy;
    e.hash = PolicyHash(e.policy);
    for (const Person& p : vs[i].approvers) e.approvals.push_back(Approve(p, e.hash));
    out.push_back(std::move(e));
  }
  return out;
}

const Policy& V1() {
  static const Policy p = PolicyOf({kAlice, kBob, kCarol}, 2, 500);
  return p;
}

struct Row {
  std::string name;
  std::function<std::vector<Version>()> versions;
  std::vector<uint64_t> anchors;  // versions whose hashes the signer trusts
  uint64_t target;
  absl::StatusCode want;
  std::vector<uint64_t> want_path;  // when OK
  std::string want_text;            // in the error message
};

std::vector<Row> Rows() {
  return {
      {"HonestChain",
       [] {
         return std::vector<Version>{{V1(), {kAlice, kBob}},
                                     {PolicyOf({kAlice, kBob, kCarol}, 2, 600), {kAlice, kCarol}}};
       },
       {1},
       2,
       absl::StatusCode::kOk,
       {1, 2},
       ""},
      {"AnchorIsTheTarget",
       [] {
         return std::vector<Version>{{V1(), {}}};
       },
       {1},
       1,
       absl::StatusCode::kOk,
       {1},
       ""},
      {"NeverApprovedVersion",
       [] {
         return std::vector<Version>{{V1(), {}},
                                     {PolicyOf({kAlice, kBob, kCarol}, 2, 600), {kAlice}}};
       },
       {1},
       2,
       absl::StatusCode::kPermissionDenied,
       {},
       "first unverified version is v2"},
      {"NoAnchor",
       [] {
         return std::vector<Version>{{V1(), {}},
                                     {PolicyOf({kAlice, kBob, kCarol}, 2, 600), {kAlice, kBob}}};
       },
       {},
       2,
       absl::StatusCode::kFailedPrecondition,
       {},
       "policy trust"},
      {"ApprovedByRemovedSigner",  // v2 drops carol; carol + alice approve v3: carol no longer
                                   // counts
       [] {
         return std::vector<Version>{{V1(), {}},
                                     {PolicyOf({kAlice, kBob, kDave}, 2, 600), {kAlice, kBob}},
                                     {PolicyOf({kAlice, kBob, kDave}, 2, 700), {kCarol, kAlice}}};
       },
       {1},
       3,
       absl::StatusCode::kPermissionDenied,
       {},
       "unknown signer 'carol'"},
      {"OnlyThroughVersionWithMMinusOne",  // v2 adds attackers with one approval; they approve v3
       [] {
         return std::vector<Version>{
             {V1(), {}},
             {PolicyOf({kAlice, kBob, kCarol, kMallory, kDave}, 2, 600), {kAlice}},
             {PolicyOf({kAlice, kBob, kCarol, kMallory, kDave}, 2, 700), {kMallory, kDave}}};
       },
       {1},
       3,
       absl::StatusCode::kPermissionDenied,
       {},
       "first unverified version is v2"},
      {"SelfApprovedByNewSigners",  // a version approved only by the signers it adds
       [] {
         return std::vector<Version>{{V1(), {}},
                                     {PolicyOf({kMallory, kDave}, 2, 600), {kMallory, kDave}}};
       },
       {1},
       2,
       absl::StatusCode::kPermissionDenied,
       {},
       "unknown signer 'mallory'"},
      {"RotatedKeyNoLongerCounts",  // v2 rotates bob's key; bob's old key approving v3 does not
                                    // count
       [] {
         return std::vector<Version>{{V1(), {}},
                                     {PolicyOf({kAlice, kBob2, kCarol}, 2, 600), {kAlice, kCarol}},
                                     {PolicyOf({kAlice, kBob2, kCarol}, 2, 700), {kAlice, kBob}}};
       },
       {1},
       3,
       absl::StatusCode::kPermissionDenied,
       {},
       "bob: key is not"},
      {"RotatedKeyCountsWithNewKey",
       [] {
         return std::vector<Version>{{V1(), {}},
                                     {PolicyOf({kAlice, kBob2, kCarol}, 2, 600), {kAlice, kCarol}},
                                     {PolicyOf({kAlice, kBob2, kCarol}, 2, 700), {kAlice, kBob2}}};
       },
       {1},
       3,
       absl::StatusCode::kOk,
       {1, 2, 3},
       ""},
      {"SkippedVersionNeverGoverns",  // v2 never approved; v3 approved under v1
       [] {
         return std::vector<Version>{{V1(), {}},
                                     {PolicyOf({kAlice, kMallory}, 1, 600), {kMallory}},
                                     {PolicyOf({kAlice, kBob, kCarol}, 2, 700), {kBob, kCarol}}};
       },
       {1},
       3,
       absl::StatusCode::kOk,
       {1, 3},
       ""},
      {"ThresholdOfGoverningVersionApplies",  // v2 raises M to 3: v3 needs 3 approvals
       [] {
         return std::vector<Version>{{V1(), {}},
                                     {PolicyOf({kAlice, kBob, kCarol}, 3, 600), {kAlice, kBob}},
                                     {PolicyOf({kAlice, kBob, kCarol}, 1, 700), {kAlice, kBob}}};
       },
       {1},
       3,
       absl::StatusCode::kPermissionDenied,
       {},
       "2 of 3 valid approvals"},
      {"NewerAnchorNeverInForceOlderAnchorWorks",
       [] {
         return std::vector<Version>{{V1(), {}},
                                     {PolicyOf({kAlice, kMallory}, 2, 600), {kAlice}},
                                     {PolicyOf({kAlice, kBob, kCarol}, 2, 700), {kBob, kCarol}}};
       },
       {1, 2},
       3,
       absl::StatusCode::kOk,
       {1, 3},
       ""},
      {"DuplicateApproverCountsOnce",
       [] {
         return std::vector<Version>{{V1(), {}},
                                     {PolicyOf({kAlice, kBob, kCarol}, 2, 600), {kAlice, kAlice}}};
       },
       {1},
       2,
       absl::StatusCode::kPermissionDenied,
       {},
       "duplicate"},
  };
}

void PrintTo(const Row& r, std::ostream* os) { *os << r.name; }

class ApprovalChain : public ::testing::TestWithParam<Row> {};

TEST_P(ApprovalChain, Verdict) {
  const Row& row = GetParam();
  std::vector<VersionEvidence> ev = Evidence(row.versions());
  std::set<chain::Hash32> anchors;
  for (uint64_t a : row.anchors) anchors.insert(ev[a - 1].hash);
  absl::StatusOr<std::vector<uint64_t>> got = VerifyFromAnchor(ev, anchors, row.target);
  ASSERT_EQ(got.status().code(), row.want) << got.status();
  if (got.ok()) {
    EXPECT_EQ(*got, row.want_path);
  } else {
    EXPECT_NE(got.status().message().find(row.want_text), std::string::npos) << got.status();
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, ApprovalChain, ::testing::ValuesIn(Rows()),
                         [](const ::testing::TestParamInfo<Row>& i) { return i.param.name; });

TEST(ApprovalChainWalk, ReportsWhichVersionsWentInForce) {
  std::vector<VersionEvidence> ev =
      Evidence({{V1(), {kAlice, kBob}},
                {PolicyOf({kAlice, kBob, kCarol}, 2, 600), {kAlice}},
                {PolicyOf({kAlice, kBob, kCarol}, 2, 700), {kBob, kCarol}},
                {PolicyOf({kAlice, kBob, kDave}, 2, 800), {kCarol, kAlice}},
                {PolicyOf({kAlice, kBob, kDave}, 2, 900), {kDave, kAlice}}});
  EXPECT_EQ(WalkApprovalChain(ev, 0), (std::vector<size_t>{0, 2, 3, 4}));
}

TEST(ApprovalChainWalk, UnknownTargetIsNotFound) {
  std::vector<VersionEvidence> ev = Evidence({{V1(), {}}});
  EXPECT_EQ(VerifyFromAnchor(ev, {ev[0].hash}, 7).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace stakeward::policy
