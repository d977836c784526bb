#include "controller/client/reward_carry_review.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "chain/evm.h"
#include "controller/build/reward_proposal.h"
#include "controller/client/anchor_proto.h"
#include "controller/client/policy_chain_client.h"
#include "controller/client/review_fetch.h"
#include "policy/snapshot.h"

namespace stakeward::controller {
namespace {

absl::Status Refuse(const std::string& why) {
  return absl::PermissionDeniedError(absl::StrCat("the carry-in: ", why));
}

constexpr int kMaxCarryDepth = 64;

struct Carry {
  chain::Lovelace amount;
  std::optional<chain::TxIn> output;  // the treasury output that holds it
};

// The carry-in fields of a reward proposal, before anything is fetched.
absl::Status CheckCarryFields(const std::string& id, uint64_t carry_in, const std::string& from) {
  if (carry_in == 0 && !from.empty()) {
    return Refuse(absl::StrCat(id, " names carrying proposal ", from, " but carries nothing in"));
  }
  if (carry_in > 0 && from.empty()) {
    return Refuse(absl::StrCat(id, ": ", carry_in,
                               " lovelace carried in without naming the proposal that carried it"));
  }
  if (!from.empty() && from == id)
    return Refuse(absl::StrCat(id, " names itself as carrying proposal"));
  return absl::OkStatus();
}

// What reward proposal `id` (of an epoch before `before_epoch`) carried out, rebuilt from the
// signer's trusted policy and the snapshot it names. Its own carry-in is verified the same way,
// down to a proposal without one: in a transaction that bridges nothing the carry is not visible
// in the bytes, so only this recursion pins it.
absl::StatusOr<Carry> RebuiltCarryOf(const ClientOptions& client,
                                     const std::shared_ptr<grpc::Channel>& ch,
                                     const std::set<chain::Hash32>& anchors, const std::string& id,
                                     uint64_t before_epoch, int depth) {
  if (depth >= kMaxCarryDepth) {
    return Refuse(absl::StrCat("the carry goes back more than ", kMaxCarryDepth,
                               " reward proposals; bridge it before signing more"));
  }
  absl::StatusOr<v1::Proposal> q = FetchProposal(client, ch, id);
  if (!q.ok()) {
    if (absl::IsNotFound(q.status())) {
      return Refuse(absl::StrCat("the carrying proposal ", id, " does not exist"));
    }
    return q.status();
  }
  if (q->kind() != v1::PROPOSAL_KIND_REWARD)
    return Refuse(absl::StrCat(id, " is not a reward proposal"));
  if (q->reward().epoch() >= before_epoch) {
    return Refuse(absl::StrCat(id, " is of epoch ", q->reward().epoch(), ", not an earlier one"));
  }
  if (q->state() != v1::PROPOSAL_STATE_CONFIRMED)
    return Refuse(absl::StrCat(id, " is not confirmed"));
  if (absl::Status s = CheckCarryFields(id, q->reward().carry_in(), q->reward().carry_from());
      !s.ok()) {
    return s;
  }
  std::optional<chain::TxIn> own;
  if (q->reward().carry_in() > 0) {
    absl::StatusOr<Carry> prev = RebuiltCarryOf(client, ch, anchors, q->reward().carry_from(),
                                                q->reward().epoch(), depth + 1);
    if (!prev.ok()) return prev.status();
    if (prev->amount != chain::Lovelace(q->reward().carry_in())) {
      return Refuse(absl::StrCat(id, " claims ", q->reward().carry_in(), " lovelace, but ",
                                 q->reward().carry_from(), " carried ", prev->amount.value()));
    }
    own = prev->output;
  }
  absl::StatusOr<TrustedPolicy> pol = FetchTrustedPolicy(client, anchors, q->policy_version());
  if (!pol.ok()) {
    if (absl::IsPermissionDenied(pol.status())) {
      return Refuse(absl::StrCat(id, "'s policy: ", pol.status().message()));
    }
    return pol.status();
  }
  if (std::string(pol->hash.begin(), pol->hash.end()) != q->policy_hash()) {
    return Refuse(absl::StrCat(id, "'s policy hash differs"));
  }
  absl::StatusOr<policy::Snapshot> snap = FetchVerifiedSnapshot(client, ch, q->snapshot_hash());
  if (!snap.ok()) {
    if (absl::IsPermissionDenied(snap.status())) {
      return Refuse(absl::StrCat(id, ": ", snap.status().message()));
    }
    return snap.status();
  }
  absl::StatusOr<chain::evm::Address> op = chain::evm::ParseAddress(q->reward().operator_address());
  absl::StatusOr<AuditAnchor> anchor = AnchorFromProto(*q);
  if (!op.ok() || !anchor.ok()) return Refuse(absl::StrCat(id, " is malformed"));
  RewardTxsRequest req{&pol->policy, &*snap,  q->id(), *op, chain::Lovelace(q->reward().carry_in()),
                       q->ttl(),     *anchor, own};
  absl::StatusOr<RewardTxsResult> built = BuildRewardTxs(req);
  if (!built.ok()) {
    return Refuse(absl::StrCat("rebuilding ", id, " fails: ", built.status().message()));
  }
  const chain::Hash32 plan = RewardPlanHash(q->reward().epoch(), built->txs);
  if (std::string(plan.begin(), plan.end()) != q->plan_hash()) {
    return Refuse(absl::StrCat("the transactions of ", id,
                               " do not follow from its policy, snapshot and carry"));
  }
  return Carry{built->proposal.carry_out, built->proposal.carry_output};
}

}  // namespace

absl::StatusOr<std::optional<chain::TxIn>> VerifyRewardCarry(const ClientOptions& client,
                                                             const std::set<chain::Hash32>& anchors,
                                                             const v1::Proposal& p) {
  const uint64_t carry_in = p.reward().carry_in();
  if (absl::Status s = CheckCarryFields(p.id(), carry_in, p.reward().carry_from()); !s.ok()) {
    return s;
  }
  if (carry_in == 0) return std::optional<chain::TxIn>();
  absl::StatusOr<std::shared_ptr<grpc::Channel>> ch = MakeChannel(client);
  if (!ch.ok()) return ch.status();
  absl::StatusOr<Carry> carry =
      RebuiltCarryOf(client, *ch, anchors, p.reward().carry_from(), p.reward().epoch(), 0);
  if (!carry.ok()) return carry.status();
  if (carry->amount != chain::Lovelace(carry_in) || !carry->output) {
    return Refuse(absl::StrCat(carry_in, " lovelace claimed, but ", p.reward().carry_from(),
                               " carried ", carry->amount.value()));
  }
  return std::optional<chain::TxIn>(*carry->output);
}

}  // namespace stakeward::controller
