// The daemon's link to the chain (config `chain:`): one chain source, used by one caller at a
// time, for operator submissions and for a background look every poll interval that moves
// proposals on the chain's evidence (Controller::ObserveChain).
#ifndef STAKEWARD_CONTROLLER_DAEMON_CHAIN_WATCHER_H_
#define STAKEWARD_CONTROLLER_DAEMON_CHAIN_WATCHER_H_

#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "chainsource/chain_source.h"
#include "controller/daemon/chain_follow.h"
#include "controller/daemon/controller.h"
#include "controller/daemon/daemon_config.h"

namespace stakeward::controller {

class ChainWatcher {
 public:
  // Opens the configured source (nothing is connected until the first call).
  static absl::StatusOr<std::unique_ptr<ChainWatcher>> Create(Controller* controller,
                                                              const ChainConfig& config);
  // For tests: any source.
  ChainWatcher(Controller* controller, std::unique_ptr<chainsource::ChainSource> source,
               ChainRules rules, absl::Duration poll);
  ~ChainWatcher();

  // Starts the background look (every poll interval) until Stop() or destruction.
  void Start();
  void Stop();

  absl::StatusOr<SubmitProposalResult> Submit(const Identity& who, const std::string& id)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<ChainObservation> ObserveNow() ABSL_LOCKS_EXCLUDED(mu_);
  // Builds a snapshot from the chain for the policy in force (chainsource/snapshot_builder.h) and
  // pushes it as `who`; the snapshot records the source and the tip.
  absl::StatusOr<PushSnapshotResult> RefreshSnapshot(const Identity& who) ABSL_LOCKS_EXCLUDED(mu_);
  std::string Describe() const { return describe_; }

 private:
  void Loop();
  absl::StatusOr<PushSnapshotResult> RefreshLocked(const Identity& who)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Once per epoch: a new epoch (or none refreshed yet) and a policy in force.
  void RefreshIfNewEpoch() ABSL_LOCKS_EXCLUDED(mu_);

  Controller* controller_;
  const ChainRules rules_;
  const absl::Duration poll_;
  const std::string describe_;
  absl::Mutex mu_;  // one caller of the source at a time (a WebSocket carries one exchange)
  std::unique_ptr<chainsource::ChainSource> source_ ABSL_PT_GUARDED_BY(mu_);
  ChainMemory memory_ ABSL_GUARDED_BY(mu_);
  std::optional<uint64_t> refreshed_epoch_ ABSL_GUARDED_BY(mu_);
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_CHAIN_WATCHER_H_
