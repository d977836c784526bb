// The stakeward.v1 gRPC services: each handler identifies the caller, checks its role in the one
// permission table (roles.cc), calls the Controller and maps the result to a gRPC status.
#ifndef STAKEWARD_CONTROLLER_DAEMON_GRPC_SERVICES_H_
#define STAKEWARD_CONTROLLER_DAEMON_GRPC_SERVICES_H_

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "controller/daemon/auth.h"
#include "controller/daemon/chain_watcher.h"
#include "controller/daemon/controller.h"
#include "controller/daemon/l2_watcher.h"
#include "controller/daemon/metrics.h"
#include "controller/daemon/stream_limits.h"
#include "grpcpp/impl/codegen/service_type.h"

namespace stakeward::controller {

struct ServiceEnv {
  Controller* controller = nullptr;
  ChainWatcher* chain = nullptr;  // null without `chain:` in the config
  L2Watcher* l2 = nullptr;        // null without `l2:` in the config
  AuthConfig auth;
  Metrics* metrics = nullptr;
  std::atomic<bool> stopping{false};      // ends server streams on shutdown
  std::unique_ptr<StreamLimits> streams;  // caps on WatchProposal / StreamAudit
  std::string version = "0.1.0";
};

std::vector<std::unique_ptr<grpc::Service>> MakeServices(ServiceEnv* env);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_GRPC_SERVICES_H_
