#include "controller/client/proposal_review.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "chain/lovelace.h"
#include "controller/build/migrate_builder.h"
#include "controller/build/proposal_builder.h"
#include "controller/build/reward_proposal.h"
#include "controller/client/anchor_proto.h"
#include "controller/client/policy_chain_client.h"
#include "controller/client/review_fetch.h"
#include "controller/client/reward_carry_review.h"
#include "policy/reward_model.h"
#include "policy/slot_scripts.h"
#include "proto/stakeward/v1/policy.grpc.pb.h"
#include "proto/stakeward/v1/proposal.grpc.pb.h"
#include "proto/stakeward/v1/snapshot.grpc.pb.h"

namespace stakeward::controller {
namespace {

chain::ByteView BV(const std::string& s) {
  return chain::ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

absl::Status Deny(const std::string& why) {
  return absl::PermissionDeniedError(absl::StrCat("refusing this proposal: ", why));
}

// The outgoing and incoming policies of a MIGRATE proposal (proposal_review.h).
absl::StatusOr<TrustedPolicy> TrustMigratePolicies(const ClientOptions& client,
                                                   const std::set<chain::Hash32>& anchors,
                                                   const v1::Proposal& p, ReviewedProposal& r) {
  const uint64_t from = p.policy_version(), to = p.migrate().to_version();
  if (to <= from)
    return absl::PermissionDeniedError(
        "the incoming policy version is not newer than the outgoing one");
  absl::StatusOr<TrustedPolicy> incoming = FetchTrustedPolicy(client, anchors, to);
  if (!incoming.ok()) {
    if (absl::IsPermissionDenied(incoming.status())) {
      return absl::PermissionDeniedError(
          absl::StrCat("incoming policy: ", incoming.status().message()));
    }
    return incoming.status();
  }
  if (std::string(incoming->hash.begin(), incoming->hash.end()) != p.migrate().to_policy_hash()) {
    return absl::PermissionDeniedError("incoming policy hash differs");
  }
  std::vector<std::string> docs;
  absl::StatusOr<std::vector<policy::VersionEvidence>> ev = FetchPolicyEvidence(client, to, &docs);
  if (!ev.ok()) return ev.status();
  std::optional<TrustedPolicy> outgoing;
  for (size_t i = 0; i < ev->size(); ++i) {
    if ((*ev)[i].version != from) continue;
    outgoing = TrustedPolicy{from, docs[i], (*ev)[i].policy, (*ev)[i].hash, {}};
  }
  if (!outgoing)
    return absl::PermissionDeniedError(absl::StrCat("the outgoing policy v", from, " is missing"));
  // The incoming version went in force through the outgoing one's approvals.
  absl::StatusOr<std::vector<uint64_t>> via = policy::VerifyFromAnchor(*ev, {outgoing->hash}, to);
  if (!via.ok()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "policy v", to, " is not approved through policy v", from, ": ", via.status().message()));
  }
  absl::StatusOr<TrustedPolicy> direct = FetchTrustedPolicy(client, anchors, from);
  if (direct.ok()) {
    outgoing->chain_path = direct->chain_path;
  } else {
    r.outgoing_from_anchor = false;
    outgoing->chain_path = *via;
  }
  r.incoming = std::move(incoming->policy);
  r.incoming_chain = std::move(incoming->chain_path);
  return *outgoing;
}

void NameAddresses(const policy::Policy& pol, uint32_t slots, const std::string& suffix,
                   std::map<chain::Bytes, std::string>& names) {
  absl::StatusOr<chain::NativeScript> pay = policy::PaymentScript(pol);
  if (!pay.ok()) return;
  const chain::Credential pc{chain::Credential::Kind::kScriptHash, chain::NativeScriptHash(*pay)};
  names[chain::Address::Enterprise(pol.network, pc).ToBytes()] =
      "treasury (payment script)" + suffix;
  if (auto t = chain::ParseAddressOn(pol.rewards.treasury_address, pol.network);
      t.ok() && t->payment == pc) {
    names[t->ToBytes()] = "treasury" + suffix;
  }
  if (auto br = chain::ParseAddressOn(pol.rewards.bridge_address, pol.network); br.ok()) {
    names[br->ToBytes()] = "Milkomeda bridge (policy rewards.bridge_address)";
  }
  absl::StatusOr<std::vector<policy::SlotAddresses>> derived = policy::DeriveSlots(pol, 0, slots);
  if (!derived.ok()) return;
  for (const auto& s : *derived) {
    absl::StatusOr<chain::Address> a = chain::ParseAddress(s.base_address);
    if (a.ok()) names[a->ToBytes()] = absl::StrCat("slot ", s.slot, suffix);
    // Reward accounts too: a withdrawal says which slot's rewards it takes.
    absl::StatusOr<chain::Address> ra = chain::ParseAddress(s.reward_address);
    if (ra.ok()) names[ra->ToBytes()] = absl::StrCat("slot ", s.slot, suffix);
  }
}

}  // namespace

absl::StatusOr<ReviewedProposal> ReviewProposal(const ClientOptions& client,
                                                const std::string& proposal_id,
                                                const std::set<chain::Hash32>& anchors) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> ch = MakeChannel(client);
  if (!ch.ok()) return ch.status();
  ReviewedProposal r;
  {
    absl::StatusOr<v1::Proposal> fetched = FetchProposal(client, *ch, proposal_id);
    if (!fetched.ok()) return fetched.status();
    r.proposal = std::move(*fetched);
  }
  const v1::Proposal& p = r.proposal;
  // The policy is trusted only through the approval chain from the signer's own anchor.
  absl::StatusOr<TrustedPolicy> trusted =
      p.kind() == v1::PROPOSAL_KIND_MIGRATE
          ? TrustMigratePolicies(client, anchors, p, r)
          : FetchTrustedPolicy(client, anchors, p.policy_version());
  if (!trusted.ok()) {
    if (absl::IsPermissionDenied(trusted.status()))
      return Deny(std::string(trusted.status().message()));
    return trusted.status();
  }
  absl::StatusOr<policy::Policy> pol = std::move(trusted->policy);
  r.policy_chain = trusted->chain_path;
  const chain::Hash32 ph = trusted->hash;
  if (std::string(ph.begin(), ph.end()) != p.policy_hash()) return Deny("policy hash differs");
  absl::StatusOr<policy::Snapshot> snap = FetchVerifiedSnapshot(client, *ch, p.snapshot_hash());
  if (!snap.ok()) {
    if (absl::IsPermissionDenied(snap.status())) return Deny(std::string(snap.status().message()));
    return snap.status();
  }
  if (p.threshold() != pol->threshold) return Deny("threshold differs from the policy's");
  absl::StatusOr<AuditAnchor> anchor = AnchorFromProto(p);
  if (!anchor.ok()) return Deny("the audit anchor is malformed");
  absl::StatusOr<std::vector<ProposalTxRec>> rebuilt;
  policy::Plan plan;
  if (p.kind() == v1::PROPOSAL_KIND_REWARD) {
    // Reward proposal: withdraw every slot's rewards, commission to the treasury, the rest to the
    // bridge for the operator's L2 account. Rebuilt from the same inputs, compared byte by byte.
    if (snap->epoch != p.reward().epoch()) return Deny("the snapshot is of another epoch");
    absl::StatusOr<chain::evm::Address> op =
        chain::evm::ParseAddress(p.reward().operator_address());
    if (!op.ok()) return Deny("the operator's L2 address is malformed");
    absl::StatusOr<std::optional<chain::TxIn>> carry = VerifyRewardCarry(client, anchors, p);
    if (!carry.ok()) {
      if (absl::IsPermissionDenied(carry.status()))
        return Deny(std::string(carry.status().message()));
      return carry.status();
    }
    RewardTxsRequest req{&*pol,   &*snap,  p.id(), *op, chain::Lovelace(p.reward().carry_in()),
                         p.ttl(), *anchor, *carry};
    absl::StatusOr<RewardTxsResult> built = BuildRewardTxs(req);
    if (!built.ok()) return Deny(absl::StrCat("rebuilding fails: ", built.status().message()));
    const chain::Hash32 rh = RewardPlanHash(p.reward().epoch(), built->txs);
    if (std::string(rh.begin(), rh.end()) != p.plan_hash()) {
      return Deny("the reward transactions computed here differ from the proposal's");
    }
    r.reward_bridged = built->proposal.total_bridged;
    rebuilt = std::move(built->txs);
  } else if (p.kind() == v1::PROPOSAL_KIND_MIGRATE) {
    chain::Hash32 to_hash{};
    std::copy(p.migrate().to_policy_hash().begin(), p.migrate().to_policy_hash().end(),
              to_hash.begin());  // checked equal to the trusted incoming hash above
    MigrateRequest req{&*pol, &*r.incoming, ph, to_hash, &*snap, p.id(), p.ttl(), *anchor};
    rebuilt = BuildMigrateTxs(req);
    if (!rebuilt.ok()) return Deny(absl::StrCat("rebuilding fails: ", rebuilt.status().message()));
    const chain::Hash32 mh = MigratePlanHash(to_hash, *rebuilt);
    if (std::string(mh.begin(), mh.end()) != p.plan_hash()) {
      return Deny("the migration transactions computed here differ from the proposal's");
    }
  } else if (p.kind() == v1::PROPOSAL_KIND_REBALANCE || p.kind() == v1::PROPOSAL_KIND_UNSPECIFIED) {
    absl::StatusOr<policy::Plan> made = policy::MakePlan(*pol, *snap, policy::PlanHistory{});
    if (!made.ok()) return Deny(absl::StrCat("planning fails here: ", made.status().message()));
    plan = std::move(*made);
    const chain::Hash32 plh = policy::PlanHash(plan);
    if (std::string(plh.begin(), plh.end()) != p.plan_hash()) {
      return Deny(absl::StrCat("the plan computed here (", chain::HexEncode(plh),
                               ") differs from the proposal's"));
    }
    if (absl::Status s = policy::CheckPlanAgainstPolicy(*pol, *snap, policy::PlanHistory{}, plan);
        !s.ok()) {
      return Deny(absl::StrCat("the plan breaks the policy: ", s.message()));
    }
    BuildRequest req{&*pol, &*snap, &plan, p.id(), p.ttl(), *anchor};
    rebuilt = BuildProposalTxs(req);
    if (!rebuilt.ok()) return Deny(absl::StrCat("rebuilding fails: ", rebuilt.status().message()));
  } else {
    return Deny("unknown proposal kind");
  }
  if (static_cast<int>(rebuilt->size()) != p.txs_size()) return Deny("transaction count differs");
  for (int i = 0; i < p.txs_size(); ++i) {
    const v1::ProposalTx& got = p.txs(i);
    const ProposalTxRec& want = (*rebuilt)[static_cast<size_t>(i)];
    if (chain::Bytes(got.unsigned_tx().begin(), got.unsigned_tx().end()) != want.unsigned_tx) {
      return Deny(absl::StrCat("transaction ", i + 1, " differs from what the policy yields"));
    }
    if (std::string(want.tx_id.begin(), want.tx_id.end()) != got.tx_id()) {
      return Deny("transaction id differs");
    }
    if (got.native_scripts_size() != static_cast<int>(want.scripts.size())) {
      return Deny("native scripts differ");
    }
    for (size_t k = 0; k < want.scripts.size(); ++k) {
      if (chain::EncodeNativeScript(want.scripts[k]) !=
          chain::Bytes(got.native_scripts(static_cast<int>(k)).begin(),
                       got.native_scripts(static_cast<int>(k)).end())) {
        return Deny("native scripts differ");
      }
    }
    if (got.required_signers_size() != static_cast<int>(want.required.size())) {
      return Deny("required signers differ");
    }
    for (size_t k = 0; k < want.required.size(); ++k) {
      const v1::RequiredSigner& g = got.required_signers(static_cast<int>(k));
      const RequiredSignerRec& w = want.required[k];
      if (g.signer() != w.signer || g.keys_size() != static_cast<int>(w.keys.size())) {
        return Deny("required signers differ");
      }
      for (size_t m = 0; m < w.keys.size(); ++m) {
        const v1::SignerKey& gk = g.keys(static_cast<int>(m));
        if (gk.path() != w.keys[m].path ||
            gk.key_hash() != std::string(w.keys[m].key_hash.begin(), w.keys[m].key_hash.end())) {
          return Deny("required signer keys differ");
        }
      }
    }
    absl::StatusOr<chain::Transaction> tx = chain::DecodeTransaction(BV(got.unsigned_tx()));
    if (!tx.ok()) return Deny("a transaction does not decode");
    r.txs.push_back(std::move(*tx));
  }
  r.policy = std::move(*pol);
  r.snapshot = std::move(*snap);
  r.plan = std::move(plan);
  r.rebuilt = std::move(*rebuilt);
  return r;
}

std::string ProposalStateText(v1::ProposalState s) {
  std::string n = v1::ProposalState_Name(s);
  const std::string prefix = "PROPOSAL_STATE_";
  return n.rfind(prefix, 0) == 0 ? n.substr(prefix.size()) : n;
}

std::map<chain::Bytes, std::string> OwnAddressNames(const ReviewedProposal& r) {
  // Our own addresses and reward accounts (a MIGRATE's incoming ones too).
  std::map<chain::Bytes, std::string> names;
  uint32_t max_slot = 0;
  for (const auto& s : r.snapshot.slots) max_slot = std::max(max_slot, s.index + 1);
  for (const auto& a : r.plan.actions) max_slot = std::max({max_slot, a.slot + 1, a.to_slot + 1});
  NameAddresses(r.policy, std::min<uint32_t>(max_slot, 1000), "", names);
  if (r.incoming) {
    NameAddresses(*r.incoming, std::min<uint32_t>(max_slot, 1000),
                  absl::StrCat(" of incoming policy v", r.proposal.migrate().to_version()), names);
  }
  return names;
}

std::string AddressLabel(const std::map<chain::Bytes, std::string>& names,
                         const chain::Bytes& address) {
  absl::StatusOr<chain::Address> a = chain::ParseAddressBytes(chain::View(address));
  const std::string text = a.ok() ? a->ToBech32() : chain::HexEncode(address);
  auto it = names.find(address);
  return it != names.end() ? absl::StrCat(it->second, " ", text) : absl::StrCat("FOREIGN ", text);
}

namespace {

// Every pool we delegate to before or after the plan, with its facts (`changed_only`: only those
// whose stake from us changes).
std::vector<PoolChange> OurPools(const ReviewedProposal& r, bool changed_only) {
  std::map<chain::Hash28, const policy::Pool*> by_id;
  for (const policy::Pool& pool : r.snapshot.pools) by_id[pool.id] = &pool;
  const uint64_t sat = r.snapshot.SaturationPoint();
  const policy::RewardContext ctx = policy::MakeRewardContext(r.snapshot);
  auto clamp = [](policy::u128 v) {
    return v > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(v);
  };
  std::vector<PoolChange> out;
  for (const policy::PoolDecision& d : r.plan.pools) {
    if (changed_only ? d.current == d.after : (d.current == 0 && d.after == 0)) continue;
    auto it = by_id.find(d.id);
    if (it == by_id.end()) continue;
    const policy::Pool& pool = *it->second;
    PoolChange c;
    c.pool = &pool;
    c.ours_before = d.current;
    c.ours_after = d.after;
    c.stake_before = pool.live_stake;
    // The pool's live stake counts our current delegation: swap it for what the plan leaves.
    const uint64_t others = pool.live_stake - std::min(pool.live_stake, d.current);
    c.stake_after = others + d.after;
    c.saturation_point = sat;
    const policy::Ratio perf = policy::ApparentPerformance(pool, r.snapshot.epoch,
                                                           r.policy.gates.performance_window_epochs)
                                   .value;
    c.reward_before = clamp(policy::MemberReward(ctx, pool, perf, others, d.current));
    c.reward_after = clamp(policy::MemberReward(ctx, pool, perf, others, d.after));
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::vector<PoolChange> PoolChanges(const ReviewedProposal& r) { return OurPools(r, true); }

ExpectedRewards ExpectedRewardsOf(const ReviewedProposal& r) {
  ExpectedRewards e;
  for (const PoolChange& c : OurPools(r, false)) {
    e.before += c.reward_before;
    e.after += c.reward_after;
  }
  return e;
}

std::string AdaText(uint64_t lovelace) {
  std::string whole = absl::StrCat(lovelace / 1'000'000);
  for (int at = static_cast<int>(whole.size()) - 3; at > 0; at -= 3) {
    whole.insert(static_cast<size_t>(at), ",");
  }
  return absl::StrCat(whole, ".", absl::Dec(lovelace % 1'000'000, absl::kZeroPad6), " ADA");
}

std::string BasisPointsText(uint64_t part, uint64_t whole) {
  if (whole == 0) return "?";
  const policy::u128 bps = static_cast<policy::u128>(part) * 10000 / whole;
  const uint64_t v = static_cast<uint64_t>(bps);
  return absl::StrCat(v / 100, ".", absl::Dec(v % 100, absl::kZeroPad2), "%");
}

std::string PoolName(const policy::Snapshot& s, const chain::Hash28& id) {
  std::string name = chain::PoolIdBech32(id);
  for (const policy::Pool& p : s.pools) {
    if (p.id == id && !p.ticker.empty()) absl::StrAppend(&name, " [", p.ticker, ", self-declared]");
  }
  return name;
}

std::string DescribeProposal(const ReviewedProposal& r) {
  const v1::Proposal& p = r.proposal;
  const std::map<chain::Bytes, std::string> names = OwnAddressNames(r);
  std::string out = absl::StrCat("Proposal ", p.id(), "\n  policy v", p.policy_version(), " ",
                                 chain::HexEncode(BV(p.policy_hash())), "\n  snapshot ",
                                 chain::HexEncode(BV(p.snapshot_hash())), "\n  plan     ",
                                 chain::HexEncode(BV(p.plan_hash())), "\n  valid until slot ",
                                 p.ttl(), ", ", p.threshold(), " signatures needed\n");
  if (p.kind() == v1::PROPOSAL_KIND_REWARD) {
    absl::StrAppend(&out, "  REWARD withdrawal of epoch ", p.reward().epoch(),
                    ": commission to the treasury, the rest bridged to L2 account ",
                    p.reward().operator_address(), " (carry-in ", AdaText(p.reward().carry_in()),
                    p.reward().carry_from().empty()
                        ? std::string()
                        : absl::StrCat(", verified from ", p.reward().carry_from()),
                    ")\n");
  }
  if (p.kind() == v1::PROPOSAL_KIND_MIGRATE && r.incoming) {
    auto names_of = [](const policy::Policy& pol) {
      std::string n;
      for (const auto& s : pol.signers) n += (n.empty() ? "" : ", ") + s.name;
      return absl::StrCat(n, "; ", pol.threshold, " of ", pol.signers.size());
    };
    absl::StrAppend(&out, "  MIGRATE every slot and the treasury from the scripts of policy v",
                    p.policy_version(), " (", names_of(r.policy), ") to those of policy v",
                    p.migrate().to_version(), " (", names_of(*r.incoming),
                    "); pools kept, old stake credentials deregistered\n");
    if (!r.outgoing_from_anchor) {
      absl::StrAppend(&out, "  policy v", p.policy_version(),
                      " is trusted as the approval-chain ancestor of v", p.migrate().to_version(),
                      ", not from your anchor\n");
    }
  }
  chain::Lovelace total_fee;
  for (size_t i = 0; i < r.txs.size(); ++i) {
    const chain::Transaction& tx = r.txs[i];
    total_fee += tx.body.fee;
    absl::StrAppend(&out, "\nTransaction ", i + 1, " of ", r.txs.size(), "  id ",
                    chain::HexEncode(chain::TxId(tx)), "\n");
    absl::StrAppend(&out, "  inputs: ", tx.body.inputs.size(), "\n");
    for (const chain::TxIn& in : tx.body.inputs) {
      absl::StrAppend(&out, "  input   ", chain::HexEncode(in.tx_id), "#", in.index, "\n");
    }
    for (const chain::TxOut& o : tx.body.outputs) {
      absl::StrAppend(&out, "  output  ", AdaText(o.coin), " -> ", AddressLabel(names, o.address),
                      "\n");
    }
    for (const chain::Certificate& c : tx.body.certificates) {
      absl::StrAppend(&out, "  cert    ", chain::DescribeCertificate(c, r.policy.network), "\n");
    }
    for (const chain::Withdrawal& w : tx.body.withdrawals) {
      absl::StrAppend(&out, "  withdraw ", AdaText(w.coin), " from ",
                      AddressLabel(names, w.reward_account), "\n");
    }
    absl::StrAppend(&out, "  fee     ", AdaText(tx.body.fee), "\n");
    if (std::string m = MetadataText(tx); !m.empty()) {
      absl::StrAppend(&out, "  metadata ", m, "\n");
    }
  }
  absl::StrAppend(&out, "\nTotal fees ", AdaText(total_fee), "\n");
  if (p.kind() != v1::PROPOSAL_KIND_REBALANCE && p.kind() != v1::PROPOSAL_KIND_UNSPECIFIED) {
    return out;  // reward and migrate proposals change no delegation target
  }
  absl::StrAppend(&out, "\nDelegation changes:\n");
  for (const policy::SlotOutcome& s : r.plan.slots) {
    auto pool = [&r](const std::optional<chain::Hash28>& h) {
      return h ? PoolName(r.snapshot, *h) : std::string("(none)");
    };
    if (s.pool_before == s.pool_after && s.before == s.after) continue;
    absl::StrAppend(&out, "  slot ", s.index, ": ", pool(s.pool_before), " ", AdaText(s.before),
                    "  ->  ", pool(s.pool_after), " ", AdaText(s.after), "\n");
  }
  const std::vector<PoolChange> changes = PoolChanges(r);
  if (!changes.empty()) absl::StrAppend(&out, "\nPools whose stake from us changes:\n");
  for (const PoolChange& c : changes) {
    absl::StrAppend(&out, "  ", PoolName(r.snapshot, c.pool->id), "  ours ", AdaText(c.ours_before),
                    " -> ", AdaText(c.ours_after), "\n    pool stake ", AdaText(c.stake_before),
                    " -> ", AdaText(c.stake_after), " (saturation ",
                    BasisPointsText(c.stake_before, c.saturation_point), " -> ",
                    BasisPointsText(c.stake_after, c.saturation_point), "; our share ",
                    BasisPointsText(c.ours_after, c.stake_after), ")\n    margin ",
                    c.pool->margin.ToString(), ", fixed cost ", AdaText(c.pool->fixed_cost),
                    ", pledge ", AdaText(c.pool->pledge), "\n    our expected reward per epoch ",
                    AdaText(c.reward_before), " -> ", AdaText(c.reward_after), "\n");
  }
  if (!changes.empty()) {
    const ExpectedRewards e = ExpectedRewardsOf(r);
    absl::StrAppend(&out,
                    "Expected rewards per epoch, all our pools (Shelley formula on the "
                    "snapshot, fees left out): ",
                    AdaText(e.before), " -> ", AdaText(e.after), "\n");
  }
  // The policy's warnings (missing pool age or blocks under when_missing: warn, announced
  // retirements, no blocks expected) on the plan this review recomputed.
  if (std::string w = policy::PlanWarnings(r.plan); !w.empty()) absl::StrAppend(&out, "\n", w);
  return out;
}

}  // namespace stakeward::controller
