// Every stakeward.v1 RPC must carry a client deadline (DEVELOPERS.md: "deadlines on every RPC"):
// without one, a stalled or forgotten client holds a server thread and its stream forever, and a
// retrying client never learns that its call is pointless. The check runs in the per-RPC wrapper
// of grpc_services.cc, so it covers every method of every stakeward.v1 service; the standard
// health-check and reflection services (not ours, used by probes and tooling) are left exempt.
#ifndef STAKEWARD_CONTROLLER_DAEMON_RPC_DEADLINE_H_
#define STAKEWARD_CONTROLLER_DAEMON_RPC_DEADLINE_H_

#include "absl/status/status.h"
#include "grpcpp/server_context.h"

namespace stakeward::controller {

// INVALID_ARGUMENT when the call arrived without a deadline (no grpc-timeout header).
absl::Status RequireClientDeadline(const grpc::ServerContextBase& ctx);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_RPC_DEADLINE_H_
