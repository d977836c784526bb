#include "controller/daemon/workflow_gauges.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "chain/address.h"
#include "chain/lovelace.h"
#include "policy/snapshot.h"

namespace stakeward::controller {
namespace {

constexpr uint32_t kDepositEpochs = 50;  // deposits of the latest epochs only
constexpr int kMaxOpenPages = 10;        // open proposals read: at most 10 pages of 100

}  // namespace

std::string WorkflowGauges::Collect() { return Signatures() + Deposits() + StakePerPool(); }

// Per open proposal: the signers whose witnesses are in and the threshold; and when the oldest
// open proposal was created, so an alert can say "waiting for signatures for more than a day".
std::string WorkflowGauges::Signatures() {
  std::string collected =
      "# HELP stakeward_proposal_signers Distinct signers whose witnesses an open proposal has.\n"
      "# TYPE stakeward_proposal_signers gauge\n";
  std::string required =
      "# HELP stakeward_proposal_signers_required The policy threshold of an open proposal.\n"
      "# TYPE stakeward_proposal_signers_required gauge\n";
  int64_t oldest_us = 0;
  std::string token;
  for (int page = 0; page < kMaxOpenPages; ++page) {
    auto list = controller_->ListProposals(ProposalState::kOpen, 100, token);
    if (!list.ok()) return "";
    for (const ProposalRec& row : list->first) {
      absl::StatusOr<ProposalRec> p = controller_->GetProposal(row.id);
      if (!p.ok()) continue;  // moved on since the page was read
      std::set<std::string> signers;
      for (const WitnessRec& w : p->witnesses) signers.insert(w.signer);
      absl::StrAppend(&collected, "stakeward_proposal_signers{proposal=\"", p->id, "\"} ",
                      signers.size(), "\n");
      absl::StrAppend(&required, "stakeward_proposal_signers_required{proposal=\"", p->id, "\"} ",
                      p->threshold, "\n");
      if (oldest_us == 0 || p->created_us < oldest_us) oldest_us = p->created_us;
    }
    token = list->second;
    if (token.empty()) break;
  }
  std::string out = collected + required;
  if (oldest_us > 0) {
    absl::StrAppend(&out,
                    "# HELP stakeward_open_proposal_oldest_created_timestamp_seconds When the "
                    "oldest proposal still collecting witnesses was created.\n"
                    "# TYPE stakeward_open_proposal_oldest_created_timestamp_seconds gauge\n"
                    "stakeward_open_proposal_oldest_created_timestamp_seconds ",
                    oldest_us / 1000000, "\n");
  }
  return out;
}

// L2 reward deposits of the latest epochs by state, every state reported (zero included).
std::string WorkflowGauges::Deposits() {
  absl::StatusOr<std::vector<EpochView>> epochs = controller_->ListEpochs(kDepositEpochs);
  if (!epochs.ok()) return "";
  std::map<std::string, uint64_t> by_state = {
      {"SIGNING", 0}, {"SIGNED", 0}, {"BROADCAST", 0}, {"CONFIRMED", 0}, {"FAILED", 0}};
  for (const EpochView& e : *epochs) {
    if (e.record.deposit.has_value()) ++by_state[e.record.deposit->state];
  }
  std::string out =
      "# HELP stakeward_reward_deposits L2 reward deposits of the latest 50 epochs by state.\n"
      "# TYPE stakeward_reward_deposits gauge\n";
  for (const auto& [state, n] : by_state) {
    absl::StrAppend(&out, "stakeward_reward_deposits{state=\"", state, "\"} ", n, "\n");
  }
  return out;
}

// The bridge's stake (slot balances and rewards) per pool in the latest snapshot, next to each
// pool's live stake; recomputed only when a new snapshot arrives.
std::string WorkflowGauges::StakePerPool() {
  absl::StatusOr<StatusInfo> st = controller_->Status();
  if (!st.ok() || !st->latest_snapshot.has_value()) return "";
  absl::MutexLock lock(&mu_);
  if (st->latest_snapshot->hash == stake_for_ && !stake_text_.empty()) return stake_text_;
  absl::StatusOr<SnapshotRec> rec = controller_->GetSnapshot(st->latest_snapshot->hash);
  if (!rec.ok()) return "";
  absl::StatusOr<policy::Snapshot> s = policy::LoadSnapshot(rec->document);
  if (!s.ok()) return "";
  std::map<chain::Hash28, uint64_t> ours;
  for (const policy::SlotState& sl : s->slots) {
    if (!sl.pool.has_value()) continue;
    uint64_t& sum = ours[*sl.pool];
    std::optional<uint64_t> t = chain::CheckedAdd(sum, sl.balance.value());
    if (t) t = chain::CheckedAdd(*t, sl.rewards.value());
    if (!t) return "";  // the snapshot's totals are bounded by the supply; never here
    sum = *t;
  }
  std::string out =
      "# HELP stakeward_delegated_lovelace The bridge's stake per pool in the latest snapshot.\n"
      "# TYPE stakeward_delegated_lovelace gauge\n";
  std::string live =
      "# HELP stakeward_pool_live_stake_lovelace Live stake of each pool the bridge delegates "
      "to.\n# TYPE stakeward_pool_live_stake_lovelace gauge\n";
  for (const auto& [pool, amount] : ours) {
    const std::string id = chain::PoolIdBech32(pool);
    absl::StrAppend(&out, "stakeward_delegated_lovelace{pool=\"", id, "\"} ", amount, "\n");
    if (const policy::Pool* p = s->FindPool(pool); p != nullptr) {
      absl::StrAppend(&live, "stakeward_pool_live_stake_lovelace{pool=\"", id, "\"} ",
                      p->live_stake, "\n");
    }
  }
  stake_for_ = st->latest_snapshot->hash;
  stake_text_ = out + live;
  return stake_text_;
}

}  // namespace stakeward::controller
