#include "controller/daemon/server.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "controller/daemon/daemon_config.h"
#include "controller/model/bounded_read.h"
#include "grpc/grpc.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace stakeward::controller {

// Server threads kept for unary calls beyond the streams' cap.
constexpr int kUnaryThreads = 64;
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  return ReadBoundedFile(path, InputKind::kPem);
}

// gRPC takes unparseable PEM silently and only fails to listen; say which file is wrong.
absl::Status CheckPem(const std::string& pem, const std::string& flag, bool is_key) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return absl::InternalError("BIO_new_mem_buf");
  bool ok;
  if (is_key) {
    EVP_PKEY* k = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    ok = k != nullptr;
    EVP_PKEY_free(k);
  } else {
    X509* c = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    ok = c != nullptr;
    X509_free(c);
  }
  BIO_free(bio);
  if (!ok) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " is not a PEM ", is_key ? "private key" : "certificate"));
  }
  return absl::OkStatus();
}

// Health checking and reflection are gRPC's own services, so no handler of ours runs the role
// check: this interceptor puts every method outside stakeward.v1 (whose handlers check for
// themselves) through the same identification and permission table, denying unknown methods.
class RoleInterceptor final : public grpc::experimental::Interceptor {
 public:
  RoleInterceptor(grpc::experimental::ServerRpcInfo* info, const AuthConfig* auth)
      : info_(info), auth_(auth) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override {
    using grpc::experimental::InterceptionHookPoints;
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      grpc::ServerContextBase* ctx = info_->server_context();
      absl::Status s;
      absl::StatusOr<Identity> id = IdentifyCaller(*auth_, *ctx);
      s = id.ok() ? CheckRpcAllowed(*id, info_->method()) : id.status();
      if (!s.ok()) {
        const std::string msg(s.message());
        grpc_call_cancel_with_status(ctx->c_call(), static_cast<grpc_status_code>(s.code()),
                                     msg.c_str(), nullptr);
      }
    }
    m->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  const AuthConfig* auth_;
};

class RoleInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit RoleInterceptorFactory(const AuthConfig* auth) : auth_(auth) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    if (absl::StartsWith(info->method(), "/stakeward.v1.")) return nullptr;
    return new RoleInterceptor(info, auth_);
  }

 private:
  const AuthConfig* auth_;
};

// A request that does not decode as its message gets gRPC's INTERNAL with an empty message from
// the generated handler; to a client that is bad input, so it becomes INVALID_ARGUMENT with a
// sentence. The handler never runs for such a request.
class DecodeErrorInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit DecodeErrorInterceptor(grpc::experimental::ServerRpcInfo* info) : info_(info) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* m) override {
    using grpc::experimental::InterceptionHookPoints;
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_MESSAGE)) {
      undecodable_ = m->GetRecvMessage() == nullptr;
    }
    if (m->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS) && undecodable_) {
      const grpc::Status st = m->GetSendStatus();
      if (st.error_code() == grpc::StatusCode::INTERNAL) {
        m->ModifySendStatus(grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            absl::StrCat("the request to ", info_->method(),
                         " is not a valid protobuf message of its type (check the client's "
                         "stakeward.v1 .proto version)")));
      }
    }
    m->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  bool undecodable_ = false;
};

class DecodeErrorInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new DecodeErrorInterceptor(info);
  }
};

}  // namespace

bool IsLoopbackListen(const std::string& listen) {
  absl::StatusOr<HostPort> hp = ParseHostPort(listen);
  return hp.ok() && IsLoopbackHost(hp->host);
}

absl::StatusOr<std::unique_ptr<DaemonServer>> DaemonServer::Start(Controller* controller,
                                                                  const ServerOptions& options,
                                                                  Metrics* metrics) {
  std::shared_ptr<grpc::ServerCredentials> creds;
  if (options.dev_mode) {
    // Parsed, not a text prefix: "127.example.com" is not loopback.
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
    if (absl::Status s = CheckPem(*cert, "--tls-cert", false); !s.ok()) return s;
    if (absl::Status s = CheckPem(*key, "--tls-key", true); !s.ok()) return s;
    if (absl::Status s = CheckPem(*ca, "--tls-ca", false); !s.ok()) return s;
    grpc::SslServerCredentialsOptions ssl(
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    ssl.pem_root_certs = *ca;
    ssl.pem_key_cert_pairs.push_back({*key, *cert});
    creds = grpc::SslServerCredentials(ssl);
  }
  std::unique_ptr<DaemonServer> d(new DaemonServer());
  d->env_ = std::make_unique<ServiceEnv>();
  d->env_->controller = controller;
  d->env_->chain = options.chain;
  d->env_->l2 = options.l2;
  d->env_->auth.dev_mode = options.dev_mode;
  d->env_->auth.roles = options.roles;
  d->env_->metrics = metrics;
  d->env_->streams = std::make_unique<StreamLimits>(options.streams);
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
  // gRPC sets SO_REUSEPORT by default on Linux, which lets a second daemon share the port (and
  // silently take part of the traffic into another database): the second one must fail instead.
  b.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // Every call holds a server thread (synchronous API): the streams' cap plus room for the unary
  // calls, so capped streams can never starve them; past it gRPC answers RESOURCE_EXHAUSTED.
  grpc::ResourceQuota quota("stakewardd");
  quota.SetMaxThreads(options.streams.total + kUnaryThreads);
  b.SetResourceQuota(quota);
  // One completion queue instead of one per core: fewer thread hand-offs per call (measured by
  // stakeward-load: about 15 % less CPU per witness submission with 50 clients on 2 cores).
  b.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::NUM_CQS, 1);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> icpt;
  icpt.push_back(std::make_unique<RoleInterceptorFactory>(&d->env_->auth));
  icpt.push_back(std::make_unique<DecodeErrorInterceptorFactory>());
  b.experimental().SetInterceptorCreators(std::move(icpt));
  d->server_ = b.BuildAndStart();
  if (d->server_ == nullptr || d->port_ == 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", options.listen,
        " (port in use, address not local or unresolvable, or TLS material rejected)"));
  }
  if (grpc::HealthCheckServiceInterface* h = d->server_->GetHealthCheckService()) {
    h->SetServingStatus(true);
  }
  return d;
}

DaemonServer::~DaemonServer() { Shutdown(absl::Seconds(1)); }

void DaemonServer::Shutdown(absl::Duration grace) {
  // A server that never started (BuildAndStart failed) has nothing to shut down.
  if (shut_ || server_ == nullptr) return;
  shut_ = true;
  env_->stopping = true;
  env_->controller->WakeWaiters();  // streams end now, not at their next wake-up
  if (grpc::HealthCheckServiceInterface* h = server_->GetHealthCheckService()) {
    h->SetServingStatus(false);
  }
  server_->Shutdown(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(grace));
}

void DaemonServer::Wait() {
  if (server_ != nullptr) server_->Wait();
}

}  // namespace stakeward::controller
