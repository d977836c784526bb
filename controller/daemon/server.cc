#include "controller/daemon/server.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace stakeward::controller {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace

bool IsLoopbackListen(const std::string& listen) {
  std::string host = listen;
  if (absl::StartsWith(host, "[")) {
    const size_t end = host.find(']');
    if (end == std::string::npos) return false;
    host = host.substr(1, end - 1);
  } else if (const size_t colon = host.rfind(':'); colon != std::string::npos) {
    host = host.substr(0, colon);
  }
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

absl::StatusOr<std::unique_ptr<DaemonServer>> DaemonServer::Start(Controller* controller,
                                                                  const ServerOptions& options,
                                                                  Metrics* metrics) {
  std::shared_ptr<grpc::ServerCredentials> creds;
  if (options.dev_mode) {
    if (!IsLoopbackListen(options.listen)) {
      return absl::FailedPreconditionError(
          "dev mode (no TLS, roles from a header) listens only on a loopback address");
    }
    creds = grpc::InsecureServerCredentials();
  } else {
    if (options.tls_cert_file.empty() || options.tls_key_file.empty() ||
        options.tls_ca_file.empty()) {
      return absl::InvalidArgumentError(
          "TLS needs --tls-cert, --tls-key and --tls-ca (or run with --dev on loopback)");
    }
    absl::StatusOr<std::string> cert = ReadFile(options.tls_cert_file);
    absl::StatusOr<std::string> key = ReadFile(options.tls_key_file);
    absl::StatusOr<std::string> ca = ReadFile(options.tls_ca_file);
    if (!cert.ok()) return cert.status();
    if (!key.ok()) return key.status();
    if (!ca.ok()) return ca.status();
    grpc::SslServerCredentialsOptions ssl(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    ssl.pem_root_certs = *ca;
    ssl.pem_key_cert_pairs.push_back({*key, *cert});
    creds = grpc::SslServerCredentials(ssl);
  }
  std::unique_ptr<DaemonServer> d(new DaemonServer());
  d->env_ = std::make_unique<ServiceEnv>();
  d->env_->controller = controller;
  d->env_->auth.dev_mode = options.dev_mode;
  d->env_->auth.roles = options.roles;
  d->env_->metrics = metrics;
  d->services_ = MakeServices(d->env_.get());

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder b;
  b.AddListeningPort(options.listen, creds, &d->port_);
  for (auto& s : d->services_) b.RegisterService(s.get());
  b.SetMaxReceiveMessageSize(options.max_message_bytes);
  b.SetMaxSendMessageSize(options.max_message_bytes);
  // Idle or abusive connections do not hold resources forever.
  b.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, 10 * 60 * 1000);
  b.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 60 * 1000);
  d->server_ = b.BuildAndStart();
  if (d->server_ == nullptr || d->port_ == 0) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen));
  }
  if (grpc::HealthCheckServiceInterface* h = d->server_->GetHealthCheckService()) {
    h->SetServingStatus(true);
  }
  return d;
}

DaemonServer::~DaemonServer() { Shutdown(absl::Seconds(1)); }

void DaemonServer::Shutdown(absl::Duration grace) {
  if (shut_) return;
  shut_ = true;
  env_->stopping = true;
  if (grpc::HealthCheckServiceInterface* h = server_->GetHealthCheckService()) {
    h->SetServingStatus(false);
  }
  server_->Shutdown(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(grace));
}

void DaemonServer::Wait() { server_->Wait(); }

}  // namespace stakeward::controller
