// The gRPC server of stakewardd: mTLS (client certificates required and verified) outside dev
// mode; dev mode (insecure, roles from a header) only on a loopback address. Health checking and
// server reflection are enabled, behind the same role table as every other RPC. SO_REUSEPORT is
// off, so a second daemon on the same port fails to start.
#ifndef STAKEWARD_CONTROLLER_DAEMON_SERVER_H_
#define STAKEWARD_CONTROLLER_DAEMON_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "controller/daemon/grpc_services.h"
#include "grpcpp/server.h"

namespace stakeward::controller {

struct ServerOptions {
  std::string listen = "127.0.0.1:7443";  // host:port; port 0 picks a free one
  bool dev_mode = false;
  std::string tls_cert_file, tls_key_file, tls_ca_file;  // PEM files
  RoleMap roles;
  int max_message_bytes = 32 << 20;
  StreamCaps streams;
  ChainWatcher* chain = nullptr;  // submissions and chain looks; null = none configured
  L2Watcher* l2 = nullptr;        // the L2 deposit driver; null = none configured
};

// True for a valid host:port whose host is 127.0.0.0/8, ::1 or "localhost" (parsed, not a text
// prefix).
bool IsLoopbackListen(const std::string& listen);

class DaemonServer {
 public:
  static absl::StatusOr<std::unique_ptr<DaemonServer>> Start(Controller* controller,
                                                             const ServerOptions& options,
                                                             Metrics* metrics);
  ~DaemonServer();
  int port() const { return port_; }
  // Ends streams, stops accepting, waits up to `grace` for calls in flight.
  void Shutdown(absl::Duration grace = absl::Seconds(5));
  void Wait();

 private:
  DaemonServer() = default;
  std::unique_ptr<ServiceEnv> env_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool shut_ = false;
};

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_SERVER_H_
