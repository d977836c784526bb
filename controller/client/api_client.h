// Client side of the stakeward.v1 API, shared by the CLI and the load tool: channel setup (mTLS
// with a client certificate, or dev mode with the x-stakeward-role header), a deadline on every
// call, and gRPC -> absl status mapping.
#ifndef STAKEWARD_CONTROLLER_CLIENT_API_CLIENT_H_
#define STAKEWARD_CONTROLLER_CLIENT_API_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"

namespace stakeward::controller {

struct ClientOptions {
  std::string server = "127.0.0.1:7443";
  std::string dev_role;  // dev mode: sent as x-stakeward-role; empty = use TLS
  std::string tls_cert, tls_key,
      tls_ca;                   // client certificate, its key, the server's CA (PEM files)
  std::string tls_server_name;  // overrides the name checked in the server certificate
  int timeout_s = 30;           // deadline of each RPC
  // Set when the client profile or a STAKEWARD_* variable was bad (client_profile.h);
  // MakeChannel reports it rather than connecting with half the settings.
  absl::Status defaults_error;
};

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const ClientOptions& o);
// A context with the deadline (timeout_s, or `timeout_s_override` when > 0) and the dev role.
std::unique_ptr<grpc::ClientContext> NewContext(const ClientOptions& o, int timeout_s_override = 0);
absl::Status FromGrpc(const grpc::Status& s);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_CLIENT_API_CLIENT_H_
