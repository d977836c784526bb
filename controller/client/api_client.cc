#include "controller/client/api_client.h"

#include <chrono>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "controller/model/api_headers.h"
#include "controller/model/bounded_read.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace stakeward::controller {
namespace {

absl::StatusOr<std::string> Slurp(const std::string& path) {
  return ReadBoundedFile(path, InputKind::kPem);
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::Channel>> MakeChannel(const ClientOptions& o) {
  if (!o.defaults_error.ok()) return o.defaults_error;
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  args.SetMaxSendMessageSize(64 << 20);
  if (!o.dev_role.empty()) {
    return grpc::CreateCustomChannel(o.server, grpc::InsecureChannelCredentials(), args);
  }
  if (o.tls_cert.empty() || o.tls_key.empty() || o.tls_ca.empty()) {
    return absl::InvalidArgumentError(
        "give --tls-cert, --tls-key and --tls-ca (or --dev-role for a dev-mode controller); they "
        "can also come from the client profile or STAKEWARD_TLS_* (stakeward profile show)");
  }
  absl::StatusOr<std::string> cert = Slurp(o.tls_cert);
  absl::StatusOr<std::string> key = Slurp(o.tls_key);
  absl::StatusOr<std::string> ca = Slurp(o.tls_ca);
  if (!cert.ok()) return cert.status();
  if (!key.ok()) return key.status();
  if (!ca.ok()) return ca.status();
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = *ca;
  ssl.pem_private_key = *key;
  ssl.pem_cert_chain = *cert;
  if (!o.tls_server_name.empty()) args.SetSslTargetNameOverride(o.tls_server_name);
  return grpc::CreateCustomChannel(o.server, grpc::SslCredentials(ssl), args);
}

std::unique_ptr<grpc::ClientContext> NewContext(const ClientOptions& o, int timeout_s_override) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  const int t = timeout_s_override > 0 ? timeout_s_override : o.timeout_s;
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(t));
  if (!o.dev_role.empty()) ctx->AddMetadata(kDevRoleHeader, o.dev_role);
  return ctx;
}

absl::Status FromGrpc(const grpc::Status& s) {
  if (s.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(static_cast<int>(s.error_code())),
                      s.error_message());
}

}  // namespace stakeward::controller
