#include "controller/daemon/rpc_deadline.h"

#include <chrono>

namespace stakeward::controller {

absl::Status RequireClientDeadline(const grpc::ServerContextBase& ctx) {
  // gRPC reports a call without a grpc-timeout header as an infinite deadline, which the C++ API
  // turns into system_clock::time_point::max().
  if (ctx.deadline() == std::chrono::system_clock::time_point::max()) {
    return absl::InvalidArgumentError(
        "the call has no deadline: every Stakeward RPC must set one (grpc-timeout)");
  }
  return absl::OkStatus();
}

}  // namespace stakeward::controller
