#include "controller/daemon/l2_watcher.h"

#include <utility>

#include "controller/daemon/json_log.h"

namespace stakeward::controller {

absl::StatusOr<std::unique_ptr<L2Watcher>> L2Watcher::Create(Controller* controller,
                                                             const L2Config& config) {
  absl::StatusOr<l2::EvmRpc> rpc =
      l2::EvmRpc::Create(config.rpc, absl::Seconds(static_cast<int64_t>(config.deadline_seconds)));
  if (!rpc.ok()) return rpc.status();
  L2Rules rules;
  rules.confirmations = config.confirmations;
  rules.from_block = config.from_block;
  rules.stuck_after_blocks = config.stuck_after_blocks;
  return std::unique_ptr<L2Watcher>(
      new L2Watcher(controller, std::move(*rpc), rules,
                    absl::Seconds(static_cast<int64_t>(config.poll_seconds))));
}

L2Watcher::L2Watcher(Controller* controller, l2::EvmRpc rpc, L2Rules rules, absl::Duration poll)
    : controller_(controller), rules_(rules), poll_(poll), url_(rpc.url()), rpc_(std::move(rpc)) {}

L2Watcher::~L2Watcher() { Stop(); }

void L2Watcher::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

void L2Watcher::Stop() {
  if (!stop_.HasBeenNotified()) {
    stop_.Notify();
    controller_->WakeWaiters();
  }
  if (thread_.joinable()) thread_.join();
}

// Looks at once, then after every store change (a deposit stored is broadcast without waiting
// for the poll) and at least every poll interval (blocks arrive without store changes).
void L2Watcher::Loop() {
  while (!stop_.HasBeenNotified()) {
    // Taken before looking: a change made meanwhile (ours included) brings one more look at
    // once, which changes nothing when it was ours.
    const uint64_t seen = controller_->Generation();
    absl::StatusOr<DepositObservation> o = ObserveNow();
    if (!o.ok()) {
      LogJson("warn", "L2 look failed",
              {{"rpc", url_}, {"error", std::string(o.status().message())}});
    } else {
      for (const std::string& line : o->lines) {
        LogJson("info", "L2 deposit", {{"head", o->head}, {"seen", line}});
      }
    }
    if (stop_.HasBeenNotified()) break;
    controller_->WaitForChange(seen, poll_);
  }
}

absl::StatusOr<DepositObservation> L2Watcher::ObserveNow() {
  absl::MutexLock l(&mu_);
  return controller_->ObserveDeposits(rpc_, rules_, memory_);
}

absl::StatusOr<bool> L2Watcher::AdoptBeforeReserve(uint64_t epoch,
                                                   const std::string& operator_address) {
  absl::MutexLock l(&mu_);
  return controller_->AdoptMinedDeposit(epoch, operator_address, rpc_, rules_);
}

}  // namespace stakeward::controller
