#include "controller/daemon/auth.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "absl/strings/str_cat.h"
#include "chain/bytes.h"

namespace stakeward::controller {

absl::StatusOr<std::string> CertFingerprint(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return absl::InternalError("BIO_new_mem_buf");
  X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (cert == nullptr) return absl::InvalidArgumentError("not a PEM certificate");
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const int ok = X509_digest(cert, EVP_sha256(), md, &len);
  X509_free(cert);
  if (ok != 1) return absl::InternalError("X509_digest");
  return absl::StrCat("sha256:", chain::HexEncode(chain::ByteView(md, len)));
}

absl::StatusOr<Identity> IdentifyCaller(const AuthConfig& config,
                                        const grpc::ServerContextBase& ctx) {
  if (config.dev_mode) {
    auto it = ctx.client_metadata().find(kDevRoleHeader);
    if (it == ctx.client_metadata().end()) {
      return absl::UnauthenticatedError(
          absl::StrCat("dev mode: set the ", kDevRoleHeader, " metadata header"));
    }
    const std::string role(it->second.data(), it->second.size());
    absl::StatusOr<Identity> id = ParseRole(role, "dev");
    if (!id.ok()) return absl::UnauthenticatedError(id.status().message());
    return id;
  }
  std::shared_ptr<const grpc::AuthContext> auth = ctx.auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) {
    return absl::UnauthenticatedError("a verified client certificate is required");
  }
  std::string cn;
  for (const grpc::string_ref& v : auth->FindPropertyValues("x509_common_name")) {
    cn.assign(v.data(), v.size());
  }
  std::string fingerprint;
  for (const grpc::string_ref& v : auth->FindPropertyValues("x509_pem_cert")) {
    absl::StatusOr<std::string> fp = CertFingerprint(std::string(v.data(), v.size()));
    if (fp.ok()) fingerprint = *fp;
  }
  const std::string* role = LookupRole(config.roles, fingerprint, cn);
  if (role == nullptr) {
    return absl::PermissionDeniedError("client certificate is not mapped to a role");
  }
  absl::StatusOr<Identity> id = ParseRole(*role, cn.empty() ? "cert" : cn);
  if (!id.ok()) return absl::PermissionDeniedError("misconfigured role for this certificate");
  return id;
}

}  // namespace stakeward::controller
