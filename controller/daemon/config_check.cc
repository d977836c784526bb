#include "controller/daemon/config_check.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "absl/strings/str_cat.h"
#include "chain/keys.h"
#include "controller/daemon/l2_watcher.h"
#include "controller/model/bounded_read.h"
#include "policy/approval.h"
#include "policy/policy.h"
#include "policy/snapshot.h"

namespace stakeward::controller {
namespace {

namespace fs = std::filesystem;

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Bio = std::unique_ptr<BIO, BioFree>;
using Cert = std::unique_ptr<X509, X509Free>;
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;

absl::StatusOr<std::string> Read(const std::string& path, InputKind kind, const char* flag) {
  absl::StatusOr<std::string> text = ReadBoundedFile(path, kind);
  if (!text.ok()) {
    return absl::Status(text.status().code(),
                        absl::StrCat(flag, " ", path, ": ", text.status().message()));
  }
  return text;
}

Bio MemBio(const std::string& pem) {
  return Bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

absl::StatusOr<Cert> ReadCert(const std::string& path, const char* flag) {
  absl::StatusOr<std::string> pem = Read(path, InputKind::kPem, flag);
  if (!pem.ok()) return pem.status();
  Bio bio = MemBio(*pem);
  Cert c(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!c) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, " ", path,
                     ": not a PEM certificate (\"-----BEGIN CERTIFICATE-----\"); a DER file "
                     "converts with `openssl x509 -inform der -in FILE -out FILE.pem`"));
  }
  return c;
}

absl::Status CheckTls(const DaemonConfig& cfg, std::string& out) {
  if (cfg.dev) {
    absl::StrAppend(&out, "tls:        none (dev mode: loopback only, roles from a header)\n");
    return absl::OkStatus();
  }
  if (cfg.tls_cert.empty() || cfg.tls_key.empty() || cfg.tls_ca.empty()) {
    return absl::InvalidArgumentError(
        "tls: cert, key and ca are all required outside dev mode (tls: {cert: server.pem, key: "
        "server.key, ca: clients-ca.pem})");
  }
  absl::StatusOr<Cert> cert = ReadCert(cfg.tls_cert, "tls.cert");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<Cert> ca = ReadCert(cfg.tls_ca, "tls.ca");
  if (!ca.ok()) return ca.status();
  absl::StatusOr<std::string> key_pem = Read(cfg.tls_key, InputKind::kPem, "tls.key");
  if (!key_pem.ok()) return key_pem.status();
  Bio bio = MemBio(*key_pem);
  Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    return absl::InvalidArgumentError(
        absl::StrCat("tls.key ", cfg.tls_key,
                     ": not an unencrypted PEM private key (encrypted keys cannot be "
                     "read at start: `openssl pkey -in KEY -out KEY.plain`)"));
  }
  if (X509_check_private_key(cert->get(), key.get()) != 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("tls.key ", cfg.tls_key, " is not the private key of tls.cert ", cfg.tls_cert,
                     ": use the key the certificate was issued for"));
  }
  absl::StrAppend(&out, "tls:        cert ", cfg.tls_cert, " matches key ", cfg.tls_key,
                  "; clients from CA ", cfg.tls_ca, "\n");
  return absl::OkStatus();
}

absl::Status CheckDb(const std::string& db, std::string& out) {
  std::error_code ec;
  const fs::path p(db);
  if (fs::exists(p, ec)) {
    if (!fs::is_regular_file(p, ec)) {
      return absl::InvalidArgumentError(absl::StrCat("db ", db, ": not a regular file"));
    }
    if (::access(db.c_str(), R_OK | W_OK) != 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("db ", db, ": not readable and writable by this user"));
    }
    absl::StrAppend(&out, "db:         ", db, " (exists; verified at start)\n");
    return absl::OkStatus();
  }
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec) || ::access(dir.c_str(), W_OK | X_OK) != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("db ", db, ": does not exist and its folder ", dir.string(),
                     " is not a writable "
                     "directory; create the folder or fix the path"));
  }
  absl::StrAppend(&out, "db:         ", db, " (will be created)\n");
  return absl::OkStatus();
}

absl::Status CheckStartupFiles(const StartupFiles& f, std::string& out) {
  if (!f.policy.empty()) {
    absl::StatusOr<std::string> text = Read(f.policy, InputKind::kPolicy, "--policy");
    if (!text.ok()) return text.status();
    absl::StatusOr<policy::Policy> p = policy::LoadPolicy(*text);
    if (!p.ok())
      return absl::InvalidArgumentError(absl::StrCat("--policy: ", p.status().message()));
    absl::StrAppend(&out, "policy:     ", f.policy, " hash ",
                    chain::HexEncode(policy::PolicyHash(*p)), "\n");
  }
  if (!f.approvals.empty()) {
    absl::StatusOr<std::string> text =
        Read(f.approvals, InputKind::kApprovals, "--policy-approvals");
    if (!text.ok()) return text.status();
    auto a = policy::ParseApprovals(*text);
    if (!a.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--policy-approvals: ", a.status().message()));
    }
    absl::StrAppend(&out, "approvals:  ", a->size(), " in ", f.approvals, "\n");
  }
  if (!f.snapshot.empty()) {
    absl::StatusOr<std::string> text = Read(f.snapshot, InputKind::kSnapshot, "--snapshot");
    if (!text.ok()) return text.status();
    auto s = policy::LoadSnapshot(*text);
    if (!s.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--snapshot: ", s.status().message()));
    }
    absl::StrAppend(&out, "snapshot:   ", f.snapshot, " epoch ", s->epoch, ", ", s->pools.size(),
                    " pools\n");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> CheckConfig(const DaemonConfig& cfg, const StartupFiles& files) {
  if (absl::Status s = ValidateDaemonConfig(cfg); !s.ok()) return s;
  std::string out =
      absl::StrCat("listen:     ", cfg.listen,
                   "\nmetrics:    ", cfg.metrics_listen.empty() ? "off" : cfg.metrics_listen, "\n");
  if (absl::Status s = CheckTls(cfg, out); !s.ok()) return s;
  if (absl::Status s = CheckDb(cfg.db, out); !s.ok()) return s;
  absl::StrAppend(&out, "roles:      ", cfg.roles.by_fingerprint.size(), " by fingerprint, ",
                  cfg.roles.by_cn.size(), " by CN\n");
  if (cfg.chain.kind.empty()) {
    absl::StrAppend(&out, "chain:      none (submission and confirmation by hand)\n");
  } else {
    absl::StrAppend(&out, "chain:      ", cfg.chain.kind, " ", cfg.chain.url, ", every ",
                    cfg.chain.poll_seconds, " s, ", cfg.chain.confirmations,
                    " confirmations (not contacted by this check)\n");
  }
  if (cfg.l2.rpc.empty()) {
    absl::StrAppend(&out, "l2:         none (deposits broadcast by hand, no reserve report)\n");
  } else {
    absl::StrAppend(&out, "l2:         ", cfg.l2.rpc, ", every ", cfg.l2.poll_seconds, " s, ",
                    cfg.l2.confirmations, " confirmations (not contacted by this check)\n");
    if (cfg.l2.reserve_key.empty()) {
      absl::StrAppend(&out, "reserve:    no reserve_key: reports cannot be signed\n");
    } else {
      absl::StatusOr<std::array<uint8_t, 32>> seed = ReadReserveKey(cfg.l2.reserve_key);
      if (!seed.ok()) return seed.status();
      absl::StrAppend(&out, "reserve:    reports signed by ",
                      chain::HexEncode(chain::Ed25519SeedPublicKey(*seed)), "\n");
    }
  }
  absl::StrAppend(&out, "ttl:        ", cfg.default_ttl_slots, " slots\n");
  if (absl::Status s = CheckStartupFiles(files, out); !s.ok()) return s;
  return out;
}

}  // namespace stakeward::controller
