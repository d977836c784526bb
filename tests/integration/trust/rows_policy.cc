// Honest rows, the approval chain (self-consistent proposals under policies the signer never
// approved), changed fields of the approved policy, the L2 recipient and the caller's identity.
#include "absl/strings/str_cat.h"
#include "chain/check.h"
#include "tests/integration/rewards/rewards_fixture.h"
#include "tests/integration/trust/rows.h"

namespace stakeward::controller::testing {
namespace {

std::vector<Variant> One(std::string what, RecordedRound r) {
  std::vector<Variant> out;
  out.push_back(Variant{std::move(what), std::move(r)});
  return out;
}

// The DAO's signers by name (alice, bob, carol).
TestSigner Named(const std::string& name) {
  for (TestSigner& s : DefaultSigners()) {
    if (s.name == name) return s;
  }
  for (TestSigner& s : AttackerSigners()) {
    if (s.name == name) return s;
  }
  SW_CHECK(name == "dave");
  return Dave();
}

std::vector<TestSigner> Signers(const std::vector<std::string>& names) {
  std::vector<TestSigner> out;
  for (const std::string& n : names) out.push_back(Named(n));
  return out;
}

// Appends `pv` as the newest version (the controller calls it in force) and rebuilds the
// proposal under the last one appended.
void Serve(RecordedRound* r, const std::vector<v1::PolicyVersion>& versions) {
  for (const v1::PolicyVersion& pv : versions) {
    r->policies[pv.version()] = pv;
    r->newest_policy = std::max(r->newest_policy, pv.version());
  }
  v1::PolicyVersion last = versions.back();
  last.set_in_force(true);
  r->policies[last.version()] = last;
  r->in_force = last;
  RebuildUnder(last, r);
}

// Version 1 as the DAO approved it (with its recorded approvals) but another document.
void ReplaceV1Document(RecordedRound* r, const std::string& document) {
  v1::PolicyVersion v = MakeVersion(1, document, {});
  *v.mutable_approvals() = r->policies.at(1).approvals();
  Serve(r, {v});
}

Row Honest(const std::string& name, RoundKind kind) {
  return Row{name, kind, true, [](const RecordedRound& h) { return One("as recorded", h); }};
}

}  // namespace

std::vector<Row> PolicyRows() {
  std::vector<Row> rows;
  rows.push_back(Honest("HonestRebalance", RoundKind::kRebalance));
  rows.push_back(Honest("HonestReward", RoundKind::kReward));
  rows.push_back(Honest("HonestDeposit", RoundKind::kDeposit));

  // The approval chain and the served v1 for each command: the signer's `proposal sign` of a
  // re-balance and of a reward proposal, and the operator's `rewards deposit` (whose confirmed
  // reward proposal is rebuilt under the served policy).
  for (RoundKind kind : {RoundKind::kRebalance, RoundKind::kReward, RoundKind::kDeposit}) {
    const std::string suffix = kind == RoundKind::kReward    ? "_Reward"
                               : kind == RoundKind::kDeposit ? "_Deposit"
                                                             : "";
    // v2 adds two attacker signers (2 of 5); only the attackers approved it.
    rows.push_back(Row{
        "UnapprovedPolicy" + suffix, kind, false, [](const RecordedRound& h) {
          RecordedRound r = h;
          Serve(&r,
                {MakeVersion(
                    2, TestPolicyYaml(Signers({"alice", "bob", "carol", "mallory", "trent"}), 2),
                    Signers({"mallory", "trent"}))});
          return One("v2 approved by mallory and trent only", r);
        }});
    // v2 replaces carol by dave (alice + bob approve: valid); v3 is approved by carol (no longer
    // a signer) and alice.
    rows.push_back(
        Row{"PolicyApprovedByRemovedSigner" + suffix, kind, false, [](const RecordedRound& h) {
              RecordedRound r = h;
              Serve(&r, {MakeVersion(2, TestPolicyYaml(Signers({"alice", "bob", "dave"})),
                                     Signers({"alice", "bob"})),
                         MakeVersion(3, TestPolicyYaml(Signers({"alice", "carol", "mallory"})),
                                     Signers({"carol", "alice"}))});
              return One("v3 approved by carol (removed in v2) and alice", r);
            }});
    // v2 adds the attackers with one approval (M-1); v3, approved by the attackers, hands them
    // the treasury.
    rows.push_back(Row{
        "ReachableOnlyThroughMinusOneApprovals" + suffix, kind, false, [](const RecordedRound& h) {
          RecordedRound r = h;
          Serve(&r,
                {MakeVersion(
                     2, TestPolicyYaml(Signers({"alice", "bob", "carol", "mallory", "trent"}), 2),
                     Signers({"alice"})),
                 MakeVersion(3, TestPolicyYaml(Signers({"mallory", "trent", "alice"})),
                             Signers({"mallory", "trent"}))});
          return One("v2 with 1 of 2 approvals, v3 approved by the attackers", r);
        }});
    // Version 1 served with the attackers' keys added, its original approvals kept.
    rows.push_back(
        Row{"ExtraSignerKeysInServedV1" + suffix, kind, false, [](const RecordedRound& h) {
              RecordedRound r = h;
              ReplaceV1Document(
                  &r, TestPolicyYaml(Signers({"alice", "bob", "carol", "mallory", "trent"}), 2));
              return One("v1 with mallory and trent added", r);
            }});
    // Version 1 served with another bridge address, its original approvals kept.
    rows.push_back(
        Row{"OtherBridgeAddressInServedV1" + suffix, kind, false, [](const RecordedRound& h) {
              RecordedRound r = h;
              ReplaceV1Document(&r, WithOtherBridge(r.policies.at(1).document()));
              return One("v1 with rewards.bridge_address changed", r);
            }});
    // The controller sees this client as bob while it runs as alice (signers only: the deposit
    // command runs as the operator and names no signer).
    if (kind == RoundKind::kDeposit) continue;
    rows.push_back(Row{"WrongCallerIdentity" + suffix, kind, false, [](const RecordedRound& h) {
                         RecordedRound r = h;
                         r.caller = "signer:bob";
                         return One("GetStatus says signer:bob", r);
                       }});
  }

  // A reward proposal for another L2 account: reward.operator_address and every transaction's
  // label 88 name another address (ids and plan hash recomputed). The builder refuses such an
  // address, so the bytes are changed by hand.
  for (RoundKind kind : {RoundKind::kReward, RoundKind::kDeposit}) {
    rows.push_back(Row{kind == RoundKind::kReward ? "OtherL2Recipient" : "OtherL2Recipient_Deposit",
                       kind, false, [](const RecordedRound& h) {
                         RecordedRound r = h;
                         chain::evm::Address other = OperatorKey().EthAddress();
                         other[0] ^= 0x11;
                         other[19] ^= 0x22;
                         const std::string pinned = r.proposal.reward().operator_address();
                         const std::string text = chain::evm::ToChecksumAddress(other);
                         r.proposal.mutable_reward()->set_operator_address(text);
                         int edited = 0;
                         for (int i = 0; i < r.proposal.txs_size(); ++i) {
                           if (!DecodeTx(r.proposal, i).aux_data) continue;
                           EditMetadata(&r.proposal, i, [&](chain::Metadata* md) {
                             auto it = md->find(88);
                             if (it == md->end()) return;
                             // Same spelling as the builder's (EIP-55 or lower case).
                             const bool checksummed = it->second.text == pinned;
                             it->second.text = checksummed ? text : "0x" + chain::HexEncode(other);
                             ++edited;
                           });
                         }
                         SW_CHECK(edited > 0 && pinned != text);
                         return One("operator_address and label 88 of every transaction", r);
                       }});
  }
  // The snapshot served under the proposal's snapshot hash is another document.
  rows.push_back(Row{"SnapshotDocumentUnderSameHash", RoundKind::kRebalance, false,
                     [](const RecordedRound& h) {
                       RecordedRound r = h;
                       r.snapshots.begin()->second = SnapshotWithSlot(12345);
                       return One("snapshot with another slot", r);
                     }});
  // The proposal message's own claims about its policy.
  rows.push_back(
      Row{"ProposalThresholdOne", RoundKind::kRebalance, false, [](const RecordedRound& h) {
            RecordedRound r = h;
            r.proposal.set_threshold(1);
            return One("threshold 1", r);
          }});
  rows.push_back(
      Row{"ProposalPolicyHash", RoundKind::kRebalance, false, [](const RecordedRound& h) {
            RecordedRound r = h;
            std::string ph = r.proposal.policy_hash();
            ph[0] = static_cast<char>(ph[0] ^ 0x01);
            r.proposal.set_policy_hash(ph);
            return One("policy hash", r);
          }});
  // The carry-in (lovelace the bridge is owed from earlier epochs) raised by 50 ADA, the
  // transactions rebuilt consistently under the approved policy as if the treasury UTxO the round
  // spends held it: more of the treasury bridged. Each row names a different carrying proposal.
  auto inflated = [](const std::string& row, const std::string& carry_from, uint64_t extra) {
    return Row{row, RoundKind::kReward, false, [carry_from, extra](const RecordedRound& h) {
                 RecordedRound r = h;
                 v1::RewardProposalInfo* w = r.proposal.mutable_reward();
                 w->set_carry_in(w->carry_in() + extra);
                 w->set_carry_from(carry_from == "self" ? r.proposal.id() : carry_from);
                 RebuildUnder(ProposalPolicy(r), &r);
                 return One(absl::StrCat("carry_in + ", extra, ", from '", carry_from, "'"), r);
               }};
  };
  rows.push_back(inflated("InflatedCarryIn_NoCarryingProposal", "", 50000000));
  rows.push_back(inflated("InflatedCarryIn_UnknownCarryingProposal", "prop-00000000", 50000000));
  rows.push_back(inflated("InflatedCarryIn_CarriedByItself", "self", 50000000));
  rows.push_back(inflated("CarryingProposalWithoutCarryIn", "prop-00000000", 0));
  return rows;
}

}  // namespace stakeward::controller::testing
