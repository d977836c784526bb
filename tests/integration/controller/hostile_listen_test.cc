// Issue 15, startup and access under hostile configuration, against the real stakewardd binary:
// a daemon that cannot listen exits with a message (no SIGSEGV), a second daemon on the same port
// fails, out-of-range ports and non-loopback dev-mode endpoints are refused, health and reflection
// go through the role table, and a certificate CN that looks like a fingerprint is not that
// fingerprint's role.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "controller/client/api_client.h"
#include "controller/daemon/auth.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/impl/codegen/client_unary_call.h"
#include "grpcpp/impl/codegen/rpc_method.h"
#include "gtest/gtest.h"
#include "proto/stakeward/v1/audit.grpc.pb.h"
#include "tests/integration/controller/daemon_process.h"
#include "tests/integration/controller/round_fixture.h"

namespace stakeward::controller::testing {
namespace {

struct Outcome {
  bool started = false;  // printed READY (then killed by the test)
  bool exited = false;   // exited normally (not by a signal)
  int code = -1;         // exit code when exited
  int signal = 0;        // terminating signal otherwise
  std::string output;    // stdout and stderr
};

// Runs stakewardd with `args` until it exits or prints READY (then kills it). The 60 s poll limit
// only keeps a broken daemon from hanging the suite.
Outcome RunDaemon(const std::vector<std::string>& args) {
  Outcome o;
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return o;
  const std::string bin = std::string(STAKEWARD_BIN_DIR) + "/stakewardd";
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(bin.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], 1);
    dup2(out[1], 2);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  close(out[1]);
  char buf[4096];
  bool eof = false;
  while (true) {
    pollfd p{out[0], POLLIN, 0};
    if (poll(&p, 1, 60000) <= 0) break;
    const ssize_t n = read(out[0], buf, sizeof buf);
    if (n <= 0) {
      eof = n == 0;
      break;
    }
    o.output.append(buf, static_cast<size_t>(n));
    if (o.output.find("READY grpc:") != std::string::npos) {
      o.started = true;
      break;
    }
  }
  // Output closed without READY: the daemon is exiting, wait for it. Otherwise (READY, or no word
  // for 60 s) it is killed.
  close(out[0]);
  if (!eof) ::kill(pid, SIGKILL);
  int st = 0;
  waitpid(pid, &st, 0);
  o.exited = WIFEXITED(st);
  o.code = o.exited ? WEXITSTATUS(st) : -1;
  o.signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
  return o;
}

// A clean refusal: did not start, exited (no signal) with a non-zero code and said `what`.
void ExpectRefused(const Outcome& o, const std::string& what) {
  EXPECT_FALSE(o.started) << o.output;
  EXPECT_TRUE(o.exited) << "signal " << o.signal << "\n" << o.output;
  EXPECT_NE(o.code, 0) << o.output;
  // Sanitizer builds exit with a code instead of a signal: a null dereference is still a crash.
  EXPECT_EQ(o.output.find("runtime error"), std::string::npos) << o.output;
  EXPECT_EQ(o.output.find("Sanitizer"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find(what), std::string::npos) << "expected '" << what << "' in:\n"
                                                    << o.output;
}

class HostileListenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = (std::filesystem::temp_directory_path() /
            ("sw_hostile_" + std::to_string(::getpid()) + "_" + info->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Db(const std::string& name) { return dir_ + "/" + name + ".db"; }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream f(dir_ + "/" + name);
    f << text;
  }
  void Run(const std::string& cmd) {
    ASSERT_EQ(std::system((cmd + " >/dev/null 2>&1").c_str()), 0) << cmd;
  }
  std::string dir_;
};

TEST_F(HostileListenTest, TlsFilesThatAreNotPemExitWithAnError) {
  Write("cert.pem", "not a certificate\n");
  Write("key.pem", "not a key\n");
  Write("ca.pem", "not a CA\n");
  ExpectRefused(
      RunDaemon({"--listen", "127.0.0.1:0", "--db", Db("a"), "--tls-cert", dir_ + "/cert.pem",
                 "--tls-key", dir_ + "/key.pem", "--tls-ca", dir_ + "/ca.pem"}),
      "--tls-cert is not a PEM certificate");
}

TEST_F(HostileListenTest, SecondDaemonOnTheSamePortFailsToStart) {
  DaemonProcess first;
  ASSERT_TRUE(first.Start({"--dev", "--listen", "127.0.0.1:0", "--db", Db("first")}));
  ExpectRefused(RunDaemon({"--dev", "--listen", first.address(), "--db", Db("second")}),
                "cannot listen on " + first.address());
  EXPECT_EQ(first.Terminate(), 0);
}

TEST_F(HostileListenTest, PortOutOfRangeIsRefused) {
  ExpectRefused(RunDaemon({"--dev", "--listen", "127.0.0.1:99999", "--db", Db("a")}),
                "port must be 0..65535");
  ExpectRefused(RunDaemon({"--dev", "--listen", "127.0.0.1:0", "--metrics-listen",
                           "127.0.0.1:99999", "--db", Db("b")}),
                "port must be 0..65535");
}

TEST_F(HostileListenTest, DevModeStaysOnLoopback) {
  ExpectRefused(RunDaemon({"--dev", "--listen", "127.0.0.1:0", "--metrics-listen", "0.0.0.0:0",
                           "--db", Db("a")}),
                "loopback");
  // A name beginning with "127." is not a loopback address.
  ExpectRefused(RunDaemon({"--dev", "--listen", "127.example.com:0", "--db", Db("b")}), "loopback");
  ExpectRefused(RunDaemon({"--dev", "--listen", "127.0.0.1:0", "--metrics-listen",
                           "127.example.com:0", "--db", Db("c")}),
                "loopback");
}

grpc::Status RawUnary(const std::shared_ptr<grpc::Channel>& ch, const std::string& method,
                      const std::string& role, const std::string& request, std::string* reply) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  if (!role.empty()) ctx.AddMetadata("x-stakeward-role", role);
  grpc::Slice slice(request);
  grpc::ByteBuffer req(&slice, 1);
  grpc::ByteBuffer resp;
  grpc::Status st = grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
      ch.get(), grpc::internal::RpcMethod(method.c_str(), grpc::internal::RpcMethod::NORMAL_RPC),
      &ctx, req, &resp);
  reply->clear();
  std::vector<grpc::Slice> slices;
  if (st.ok() && resp.Dump(&slices).ok()) {
    for (const auto& s : slices) reply->append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return st;
}

TEST_F(HostileListenTest, HealthAndReflectionGoThroughTheRoleTable) {
  DaemonProcess d;
  ASSERT_TRUE(d.Start({"--dev", "--listen", "127.0.0.1:0", "--db", Db("a")}));
  auto ch = grpc::CreateChannel(d.address(), grpc::InsecureChannelCredentials());
  const std::string health = "/grpc.health.v1.Health/Check";
  // ServerReflectionRequest{list_services: ""}; answered once, then the stream ends on half-close.
  const std::string reflection = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";
  const std::string list_services("\x3a\x00", 2);
  std::string reply;
  grpc::Status st = RawUnary(ch, health, "", "", &reply);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED) << st.error_message();
  st = RawUnary(ch, health, "nobody", "", &reply);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED) << st.error_message();
  st = RawUnary(ch, reflection, "", list_services, &reply);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::UNAUTHENTICATED) << st.error_message();
  EXPECT_EQ(reply.find("stakeward.v1"), std::string::npos);

  st = RawUnary(ch, health, "auditor", "", &reply);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(reply, std::string("\x08\x01", 2));  // HealthCheckResponse{status: SERVING}
  st = RawUnary(ch, reflection, "signer:alice", list_services, &reply);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_NE(reply.find("stakeward.v1"), std::string::npos);
  EXPECT_EQ(d.Terminate(), 0);
}

TEST_F(HostileListenTest, CommonNameShapedLikeAFingerprintIsNotThatFingerprint) {
  // Certificates are made at test time; the extra OpenSSL config lifts the 64-character CN limit
  // of `openssl req` so that a CN can hold "sha256:" and 64 hex digits, as a CA could issue.
  Write("long_cn.cnf",
        "openssl_conf = openssl_init\n[openssl_init]\nstbl_section = stbl\n[stbl]\n"
        "commonName = min:1,max:256\n[req]\ndistinguished_name = dn\n[dn]\n");
  const std::string d = dir_ + "/";
  const auto make_ca = [&](const std::string& name) {
    Run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
        "-subj /CN=" +
        name + " -keyout " + d + name + ".key -out " + d + name + ".pem");
  };
  const auto make_cert = [&](const std::string& name, const std::string& cn, bool server) {
    const std::string p = d + name;
    Run("OPENSSL_CONF=" + d +
        "long_cn.cnf openssl req -newkey ec -pkeyopt "
        "ec_paramgen_curve:prime256v1 -nodes -subj /CN=" +
        cn + " -keyout " + p + ".key -out " + p + ".csr");
    Write(name + ".ext",
          server ? "subjectAltName=DNS:localhost,IP:127.0.0.1\n" : "extendedKeyUsage=clientAuth\n");
    Run("openssl x509 -req -days 2 -in " + p + ".csr -CA " + d + "ca.pem -CAkey " + d +
        "ca.key -CAcreateserial -extfile " + p + ".ext -out " + p + ".pem");
  };
  make_ca("ca");
  make_cert("server", "localhost", true);
  make_cert("alice", "alice-laptop", false);
  const std::string alice_fp = *CertFingerprint(ReadTextFile(d + "alice.pem"));
  make_cert("mallory", alice_fp, false);  // CN = "sha256:<alice's fingerprint>"
  Write("config.yaml", "db: " + d + "db.sqlite\nlisten: 127.0.0.1:0\ntls: {cert: " + d +
                           "server.pem, key: " + d + "server.key, ca: " + d +
                           "ca.pem}\nroles:\n  \"" + alice_fp + "\": signer:alice\n");
  DaemonProcess daemon;
  ASSERT_TRUE(daemon.Start({"--config", d + "config.yaml"}));

  const auto status_as = [&](const std::string& who, std::string* caller) {
    ClientOptions o;
    o.server = daemon.address();
    o.tls_ca = d + "ca.pem";
    o.tls_server_name = "localhost";
    o.tls_cert = d + who + ".pem";
    o.tls_key = d + who + ".key";
    auto ch = MakeChannel(o);
    EXPECT_TRUE(ch.ok());
    auto stub = v1::StatusService::NewStub(*ch);
    v1::GetStatusResponse r;
    grpc::Status st = stub->GetStatus(NewContext(o, 20).get(), {}, &r);
    *caller = r.caller();
    return st;
  };
  std::string caller;
  grpc::Status st = status_as("alice", &caller);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(caller, "signer:alice");
  st = status_as("mallory", &caller);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << caller;
  EXPECT_NE(caller, "signer:alice");
  daemon.Kill();
}

}  // namespace
}  // namespace stakeward::controller::testing
