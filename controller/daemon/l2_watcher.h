// The daemon's L2 driver (config `l2:`): one EVM JSON-RPC client, used by one caller at a time,
// that broadcasts signed deposits, follows them to CONFIRMED or FAILED (Controller::
// ObserveDeposits) on every change of the store and at least every poll interval, and adopts a
// deposit the contract already shows before another is reserved.
#ifndef STAKEWARD_CONTROLLER_DAEMON_L2_WATCHER_H_
#define STAKEWARD_CONTROLLER_DAEMON_L2_WATCHER_H_

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "controller/daemon/controller.h"
#include "controller/daemon/daemon_config.h"
#include "l2/evm_rpc.h"
#include "nlohmann/json.hpp"

namespace stakeward::controller {

// The reserve key file (l2.reserve_key): an Ed25519 seed as 64 hex digits, whitespace around them
// ignored; INVALID_ARGUMENT with what the file must hold otherwise.
absl::StatusOr<std::array<uint8_t, 32>> ReadReserveKey(const std::string& path);

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

  // The reserve report now (controller/rewards/reserve.h): L1 from the latest snapshot, L2 from
  // the contract's totalSupply() and totalAccredited() at the node's latest block. Also updates
  // the gauge values.
  absl::StatusOr<rewards::ReserveReport> Reserve() ABSL_LOCKS_EXCLUDED(mu_);
  // The report signed with the configured reserve_key (FAILED_PRECONDITION without one).
  absl::StatusOr<nlohmann::json> SignedReserve() ABSL_LOCKS_EXCLUDED(mu_);
  // The latest report's difference in lovelace and whether it was a shortfall; nullopt before
  // the first report (no policy or snapshot yet, or the node did not answer).
  std::optional<std::pair<double, bool>> LastReserve() const ABSL_LOCKS_EXCLUDED(gauge_mu_);
  const std::string& url() const { return url_; }

 private:
  L2Watcher(Controller* controller, l2::EvmRpc rpc, L2Rules rules, absl::Duration poll,
            std::optional<std::array<uint8_t, 32>> reserve_seed);
  void Loop();

  Controller* controller_;
  const L2Rules rules_;
  const absl::Duration poll_;
  const std::string url_;
  absl::Mutex mu_;  // one exchange with the node at a time, one observer of the deposits
  l2::EvmRpc rpc_ ABSL_GUARDED_BY(mu_);
  L2Memory memory_ ABSL_GUARDED_BY(mu_);
  const std::optional<std::array<uint8_t, 32>> reserve_seed_;
  mutable absl::Mutex gauge_mu_;
  std::optional<std::pair<double, bool>> last_reserve_ ABSL_GUARDED_BY(gauge_mu_);
  absl::Notification stop_;
  std::thread thread_;
};

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_L2_WATCHER_H_
