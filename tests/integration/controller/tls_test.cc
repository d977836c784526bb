// mTLS outside dev mode: certificates are generated at test time with the openssl CLI (no
// committed keys). A client certificate mapped to a role gets exactly that role; an unmapped
// certificate, a certificate from another CA, or no certificate at all is refused.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "controller/client/api_client.h"
#include "controller/daemon/auth.h"
#include "controller/daemon/server.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/stakeward/v1/audit.grpc.pb.h"
#include "proto/stakeward/v1/snapshot.grpc.pb.h"
#include "tests/integration/controller/daemon_process.h"
#include "tests/integration/controller/round_fixture.h"

namespace stakeward::controller::testing {
namespace {

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() / ("sw_tls_" + std::to_string(::getpid())))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    MakeCa("ca");
    MakeCa("evilca");
    MakeCert("ca", "server", "localhost", true);
    MakeCert("ca", "ops", "ops-1", false);
    MakeCert("ca", "alice", "alice-laptop", false);
    MakeCert("ca", "stranger", "stranger", false);
    MakeCert("evilca", "forged", "ops-1", false);
    const std::string fp = *CertFingerprint(ReadTextFile(dir_ + "/alice.pem"));
    std::ofstream cfg(dir_ + "/config.yaml");
    cfg << "db: " << dir_ << "/db.sqlite\nlisten: 127.0.0.1:0\n"
        << "tls: {cert: " << dir_ << "/server.pem, key: " << dir_ << "/server.key, ca: " << dir_
        << "/ca.pem}\nroles:\n  ops-1: operator\n  \"" << fp << "\": signer:alice\n";
    cfg.close();
    ASSERT_TRUE(daemon_.Start({"--config", dir_ + "/config.yaml"}));
  }
  void TearDown() override {
    daemon_.Kill();
    std::filesystem::remove_all(dir_);
  }
  void Run(const std::string& cmd) {
    ASSERT_EQ(std::system((cmd + " >/dev/null 2>&1").c_str()), 0) << cmd;
  }
  void MakeCa(const std::string& name) {
    Run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "
        "/CN=" +
        name + " -keyout " + dir_ + "/" + name + ".key -out " + dir_ + "/" + name + ".pem");
  }
  void MakeCert(const std::string& ca, const std::string& name, const std::string& cn,
                bool server) {
    const std::string p = dir_ + "/" + name;
    Run("openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=" + cn +
        " -keyout " + p + ".key -out " + p + ".csr");
    std::ofstream ext(p + ".ext");
    ext << (server ? "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                   : "extendedKeyUsage=clientAuth\n");
    ext.close();
    Run("openssl x509 -req -days 2 -in " + p + ".csr -CA " + dir_ + "/" + ca + ".pem -CAkey " +
        dir_ + "/" + ca + ".key -CAcreateserial -extfile " + p + ".ext -out " + p + ".pem");
  }
  grpc::Status Status(const std::string& who, std::string* caller) {
    ClientOptions o;
    o.server = daemon_.address();
    o.tls_ca = dir_ + "/ca.pem";
    o.tls_server_name = "localhost";
    if (!who.empty()) {
      o.tls_cert = dir_ + "/" + who + ".pem";
      o.tls_key = dir_ + "/" + who + ".key";
    }
    std::shared_ptr<grpc::Channel> ch;
    if (who.empty()) {
      grpc::SslCredentialsOptions ssl;
      ssl.pem_root_certs = ReadTextFile(o.tls_ca);
      grpc::ChannelArguments args;
      args.SetSslTargetNameOverride("localhost");
      ch = grpc::CreateCustomChannel(o.server, grpc::SslCredentials(ssl), args);
    } else {
      auto c = MakeChannel(o);
      EXPECT_TRUE(c.ok());
      ch = *c;
    }
    auto stub = v1::StatusService::NewStub(ch);
    v1::GetStatusResponse r;
    grpc::Status st = stub->GetStatus(NewContext(o, 10).get(), {}, &r);
    *caller = r.caller();
    if (st.ok() && who == "ops") {
      // The operator may push; alice (a signer) may not.
      auto snaps = v1::SnapshotService::NewStub(ch);
      v1::PushSnapshotRequest req;
      req.set_document(SampleSnapshotJson());
      v1::PushSnapshotResponse resp;
      EXPECT_TRUE(snaps->PushSnapshot(NewContext(o, 30).get(), req, &resp).ok());
    }
    if (st.ok() && who == "alice") {
      auto snaps = v1::SnapshotService::NewStub(ch);
      v1::PushSnapshotRequest req;
      req.set_document(SampleSnapshotJson());
      v1::PushSnapshotResponse resp;
      EXPECT_EQ(snaps->PushSnapshot(NewContext(o, 30).get(), req, &resp).error_code(),
                grpc::StatusCode::PERMISSION_DENIED);
    }
    return st;
  }
  std::string dir_;
  DaemonProcess daemon_;
};

TEST_F(TlsTest, CertificatesMapToRolesAndUnknownOnesAreRefused) {
  std::string caller;
  grpc::Status st = Status("ops", &caller);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(caller, "operator:ops-1");  // by subject CN
  st = Status("alice", &caller);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(caller, "signer:alice");  // by SHA-256 fingerprint
  // Valid certificate from our CA, but not in the role map.
  EXPECT_EQ(Status("stranger", &caller).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Same CN as the operator, signed by another CA: the handshake fails.
  EXPECT_EQ(Status("forged", &caller).error_code(), grpc::StatusCode::UNAVAILABLE);
  // No client certificate at all.
  EXPECT_EQ(Status("", &caller).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST(DevModeTest, RefusesNonLoopbackListen) {
  EXPECT_TRUE(IsLoopbackListen("127.0.0.1:7443"));
  EXPECT_TRUE(IsLoopbackListen("[::1]:7443"));
  EXPECT_TRUE(IsLoopbackListen("localhost:1"));
  EXPECT_FALSE(IsLoopbackListen("0.0.0.0:7443"));
  EXPECT_FALSE(IsLoopbackListen("10.0.0.5:7443"));
  DaemonProcess d;
  EXPECT_FALSE(d.Start({"--dev", "--listen", "0.0.0.0:0", "--db", "/tmp/sw_never.db"}));
}

}  // namespace
}  // namespace stakeward::controller::testing
