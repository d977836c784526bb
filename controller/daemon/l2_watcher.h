// The daemon's L2 driver (config `l2:`): one EVM JSON-RPC client, used by one caller at a time,
// that broadcasts signed deposits, follows them to CONFIRMED or FAILED (Controller::
// ObserveDeposits) on every change of the store and at least every poll interval, and adopts a
// deposit the contract already shows before another is reserved.
#ifndef STAKEWARD_CONTROLLER_DAEMON_L2_WATCHER_H_
#define STAKEWARD_CONTROLLER_DAEMON_L2_WATCHER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "controller/daemon/controller.h"
#include "controller/daemon/daemon_config.h"
#include "l2/evm_rpc.h"

namespace stakeward::controller {

class L2Watcher {
 public:
  static absl::StatusOr<std::unique_ptr<L2Watcher>> Create(Controller* controller,
                                                           const L2Config& config);
  ~L2Watcher();

  void Start();
  void Stop();

  absl::StatusOr<DepositObservation> ObserveNow() ABSL_LOCKS_EXCLUDED(mu_);
  // See Controller::AdoptMinedDeposit.
  absl::StatusOr<bool> AdoptBeforeReserve(uint64_t epoch, const std::string& operator_address)
      ABSL_LOCKS_EXCLUDED(mu_);
  const std::string& url() const { return url_; }

 private:
  L2Watcher(Controller* controller, l2::EvmRpc rpc, L2Rules rules, absl::Duration poll);
  void Loop();

  Controller* controller_;
  const L2Rules rules_;
  const absl::Duration poll_;
  const std::string url_;
  absl::Mutex mu_;  // one exchange with the node at a time, one observer of the deposits
  l2::EvmRpc rpc_ ABSL_GUARDED_BY(mu_);
  L2Memory memory_ ABSL_GUARDED_BY(mu_);
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_L2_WATCHER_H_
