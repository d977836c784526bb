#include "controller/daemon/chain_watcher.h"

#include <utility>

#include "chainsource/koios_source.h"
#include "chainsource/ogmios_source.h"
#include "chainsource/snapshot_builder.h"
#include "controller/daemon/json_log.h"
#include "policy/policy.h"

namespace stakeward::controller {

absl::StatusOr<std::unique_ptr<ChainWatcher>> ChainWatcher::Create(Controller* controller,
                                                                   const ChainConfig& config) {
  std::unique_ptr<chainsource::ChainSource> source;
  if (config.kind == "ogmios") {
    absl::StatusOr<std::unique_ptr<chainsource::OgmiosSource>> s =
        chainsource::OgmiosSource::Create(config.url);
    if (!s.ok()) return s.status();
    source = std::move(*s);
  } else if (config.kind == "koios") {
    absl::StatusOr<std::unique_ptr<chainsource::KoiosSource>> s =
        chainsource::KoiosSource::Create(config.url);
    if (!s.ok()) return s.status();
    source = std::move(*s);
  } else {
    return absl::InvalidArgumentError("chain: no source configured (ogmios or koios)");
  }
  ChainRules rules;
  rules.confirmations = config.confirmations;
  rules.rollback_window_blocks = config.rollback_window_blocks;
  rules.deadline = absl::Seconds(static_cast<int64_t>(config.deadline_seconds));
  return std::make_unique<ChainWatcher>(controller, std::move(source), rules,
                                        absl::Seconds(static_cast<int64_t>(config.poll_seconds)));
}

ChainWatcher::ChainWatcher(Controller* controller, std::unique_ptr<chainsource::ChainSource> source,
                           ChainRules rules, absl::Duration poll)
    : controller_(controller),
      rules_(rules),
      poll_(poll),
      describe_(source->Describe()),
      source_(std::move(source)) {}

ChainWatcher::~ChainWatcher() { Stop(); }

void ChainWatcher::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

void ChainWatcher::Stop() {
  if (!stop_.HasBeenNotified()) stop_.Notify();
  if (thread_.joinable()) thread_.join();
}

void ChainWatcher::Loop() {
  while (!stop_.WaitForNotificationWithTimeout(poll_)) {
    RefreshIfNewEpoch();
    absl::StatusOr<ChainObservation> o = ObserveNow();
    if (!o.ok()) {
      LogJson("warn", "chain look failed",
              {{"source", describe_}, {"error", std::string(o.status().message())}});
    }
  }
}

void ChainWatcher::RefreshIfNewEpoch() {
  absl::MutexLock l(&mu_);
  absl::StatusOr<uint64_t> epoch = source_->QueryEpoch(rules_.deadline);
  if (!epoch.ok() || (refreshed_epoch_ && *refreshed_epoch_ == *epoch)) return;
  if (!controller_->GetPolicyInForce().ok()) return;  // nothing to build a snapshot for yet
  absl::StatusOr<PushSnapshotResult> r = RefreshLocked(Identity{RoleKind::kOperator, "chain"});
  if (!r.ok()) {
    LogJson("warn", "snapshot refresh failed",
            {{"source", describe_}, {"error", std::string(r.status().message())}});
  }
}

absl::StatusOr<PushSnapshotResult> ChainWatcher::RefreshSnapshot(const Identity& who) {
  absl::MutexLock l(&mu_);
  return RefreshLocked(who);
}

absl::StatusOr<PushSnapshotResult> ChainWatcher::RefreshLocked(const Identity& who) {
  absl::StatusOr<PolicyVersionRec> in_force = controller_->GetPolicyInForce();
  if (!in_force.ok()) {
    return absl::FailedPreconditionError(
        "no policy is in force: the snapshot's addresses come from it; approve a policy first");
  }
  absl::StatusOr<std::shared_ptr<const policy::Policy>> stored = StoredPolicy(*in_force);
  if (!stored.ok()) return stored.status();
  const policy::Policy* pol = stored->get();
  absl::StatusOr<chainsource::BridgeLayout> layout = chainsource::LayoutFromPolicy(*pol);
  if (!layout.ok()) return layout.status();
  absl::StatusOr<chainsource::ChainFacts> facts =
      chainsource::CollectFacts(*source_, *layout, rules_.deadline);
  if (!facts.ok()) return facts.status();
  absl::StatusOr<policy::Snapshot> snap = chainsource::BuildSnapshot(*facts, *layout);
  if (!snap.ok()) return snap.status();
  absl::StatusOr<PushSnapshotResult> r =
      controller_->PushSnapshot(who, policy::SnapshotToJson(*snap));
  if (!r.ok()) return r.status();
  refreshed_epoch_ = snap->epoch;
  LogJson("info", "snapshot refreshed from the chain",
          {{"source", describe_},
           {"epoch", snap->epoch},
           {"slot", snap->slot},
           {"created", r->created}});
  return r;
}

absl::StatusOr<SubmitProposalResult> ChainWatcher::Submit(const Identity& who,
                                                          const std::string& id) {
  absl::MutexLock l(&mu_);
  return controller_->SubmitProposal(who, id, *source_, rules_.deadline);
}

absl::StatusOr<ChainObservation> ChainWatcher::ObserveNow() {
  absl::MutexLock l(&mu_);
  absl::StatusOr<ChainObservation> o = controller_->ObserveChain(*source_, rules_, memory_);
  if (!o.ok()) return o;
  nlohmann::json fields = {
      {"source", describe_}, {"tip_slot", o->tip.slot}, {"watched", o->watched}};
  for (const std::string& id : o->confirmed)
    LogJson("info", "proposal confirmed on chain", {{"proposal", id}, {"tip_slot", o->tip.slot}});
  for (const std::string& id : o->expired)
    LogJson("info", "proposal expired on chain", {{"proposal", id}, {"tip_slot", o->tip.slot}});
  for (const std::string& id : o->rolled_back)
    LogJson("warn", "proposal rolled back", {{"proposal", id}, {"tip_slot", o->tip.slot}});
  for (const std::string& w : o->warnings) LogJson("warn", w, fields);
  return o;
}

}  // namespace stakeward::controller
