// gRPC metadata names the client and the daemon agree on.
#ifndef STAKEWARD_CONTROLLER_MODEL_API_HEADERS_H_
#define STAKEWARD_CONTROLLER_MODEL_API_HEADERS_H_

namespace stakeward::controller {

// Dev mode only (no mTLS): the role a caller claims.
inline constexpr char kDevRoleHeader[] = "x-stakeward-role";

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_MODEL_API_HEADERS_H_
