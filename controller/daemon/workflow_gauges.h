// Gauges an operator alerts on (issue 16), read through the controller's public API at scrape
// time: signatures still missing on open proposals and how long the oldest has waited, the L2
// reward deposits of recent epochs by state, and the bridge's stake per pool in the latest
// snapshot (computed once per snapshot).
#ifndef STAKEWARD_CONTROLLER_DAEMON_WORKFLOW_GAUGES_H_
#define STAKEWARD_CONTROLLER_DAEMON_WORKFLOW_GAUGES_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "chain/hash.h"
#include "controller/daemon/controller.h"

namespace stakeward::controller {

class WorkflowGauges {
 public:
  explicit WorkflowGauges(Controller* c) : controller_(c) {}
  // Prometheus text; a section whose data cannot be read is left out (the scrape still answers).
  std::string Collect() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  std::string Signatures();
  std::string Deposits();
  std::string StakePerPool() ABSL_LOCKS_EXCLUDED(mu_);

  Controller* controller_;
  absl::Mutex mu_;
  chain::Hash32 stake_for_ ABSL_GUARDED_BY(mu_){};
  std::string stake_text_ ABSL_GUARDED_BY(mu_);
};

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_WORKFLOW_GAUGES_H_
