// The Prometheus endpoint of the real stakewardd (--metrics-listen 127.0.0.1:0), scraped over a
// plain TCP socket: RPC counters and latency histograms move with the RPCs made, refused calls are
// counted under their code, proposal-state gauges exist for every state and follow the store,
// /healthz and /readyz answer, and anything else is a 404.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>

#include "absl/strings/numbers.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/controller/daemon_process.h"
#include "tests/integration/controller/round_fixture.h"

namespace stakeward::controller::testing {
namespace {

// One HTTP/1.0 exchange with a 10 s budget; returns the whole response ("" on failure).
std::string HttpGet(int port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string req = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size())) {
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      char buf[4096];
      while (std::chrono::steady_clock::now() < deadline && out.size() < (4u << 20)) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 1000) <= 0) continue;
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) break;
        out.append(buf, static_cast<size_t>(n));
      }
    }
  }
  close(fd);
  return out;
}

// The value of the sample `series` (name with labels, exactly as exposed); -1 when absent.
int64_t Sample(const std::string& body, const std::string& series) {
  const std::string head = series + " ";
  size_t at = 0;
  while ((at = body.find(head, at)) != std::string::npos) {
    if (at == 0 || body[at - 1] == '\n') {
      const size_t start = at + head.size();
      int64_t v = -1;
      if (absl::SimpleAtoi(body.substr(start, body.find('\n', start) - start), &v)) return v;
      return -1;
    }
    at += head.size();
  }
  return -1;
}

std::string Rpc(const std::string& method, const std::string& code) {
  return "stakeward_rpc_total{method=\"/stakeward.v1." + method + "\",code=\"" + code + "\"}";
}

class MetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() / ("sw_metrics_" + std::to_string(::getpid())))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    ASSERT_TRUE(daemon_.Start({"--dev", "--listen", "127.0.0.1:0", "--metrics-listen",
                               "127.0.0.1:0", "--db", dir_ + "/db.sqlite"}));
    ASSERT_GT(daemon_.metrics_port(), 0);
    auto ch = grpc::CreateChannel(daemon_.address(), grpc::InsecureChannelCredentials());
    policy_ = v1::PolicyService::NewStub(ch);
    snapshots_ = v1::SnapshotService::NewStub(ch);
    proposals_ = v1::ProposalService::NewStub(ch);
    status_ = v1::StatusService::NewStub(ch);
  }
  void TearDown() override {
    daemon_.Kill();
    std::filesystem::remove_all(dir_);
  }

  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& role) {
    auto c = std::make_unique<grpc::ClientContext>();
    c->AddMetadata("x-stakeward-role", role);
    c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    return c;
  }

  std::string Scrape() {
    const std::string r = HttpGet(daemon_.metrics_port(), "/metrics");
    EXPECT_EQ(r.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << r.substr(0, 200);
    const size_t body = r.find("\r\n\r\n");
    return body == std::string::npos ? "" : r.substr(body + 4);
  }

  std::string dir_;
  DaemonProcess daemon_;
  std::unique_ptr<v1::PolicyService::Stub> policy_;
  std::unique_ptr<v1::SnapshotService::Stub> snapshots_;
  std::unique_ptr<v1::ProposalService::Stub> proposals_;
  std::unique_ptr<v1::StatusService::Stub> status_;
};

TEST_F(MetricsTest, CountersAndHistogramsFollowTheRpcs) {
  const std::string before = Scrape();
  EXPECT_NE(before.find("# TYPE stakeward_rpc_total counter"), std::string::npos);
  EXPECT_NE(before.find("# TYPE stakeward_rpc_latency_seconds histogram"), std::string::npos);
  EXPECT_EQ(Sample(before, Rpc("StatusService/GetStatus", "OK")), -1);

  v1::GetStatusResponse sr;
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(status_->GetStatus(Ctx("auditor").get(), {}, &sr).ok());
  v1::PushSnapshotRequest push;
  push.set_document(SampleSnapshotJson());
  v1::PushSnapshotResponse pr;
  ASSERT_EQ(snapshots_->PushSnapshot(Ctx("auditor").get(), push, &pr).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::ClientContext no_deadline;
  no_deadline.AddMetadata("x-stakeward-role", "auditor");
  ASSERT_EQ(status_->GetStatus(&no_deadline, {}, &sr).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  const std::string after = Scrape();
  EXPECT_EQ(Sample(after, Rpc("StatusService/GetStatus", "OK")), 3);
  EXPECT_EQ(Sample(after, Rpc("StatusService/GetStatus", "INVALID_ARGUMENT")), 1);
  EXPECT_EQ(Sample(after, Rpc("SnapshotService/PushSnapshot", "PERMISSION_DENIED")), 1);
  EXPECT_EQ(Sample(after, Rpc("SnapshotService/PushSnapshot", "OK")), -1);
  const std::string m = "method=\"/stakeward.v1.StatusService/GetStatus\"";
  EXPECT_EQ(Sample(after, "stakeward_rpc_latency_seconds_count{" + m + "}"), 4);
  EXPECT_EQ(Sample(after, "stakeward_rpc_latency_seconds_bucket{" + m + ",le=\"+Inf\"}"), 4);
  // Buckets are cumulative: each is at most the next.
  // Scanned by hand: GCC 12 + ASan flags std::regex internals with -Wmaybe-uninitialized.
  const std::string prefix = "stakeward_rpc_latency_seconds_bucket{" + m + ",le=\"";
  int64_t prev = 0;
  int buckets = 0;
  for (size_t pos = after.find(prefix); pos != std::string::npos;
       pos = after.find(prefix, pos + 1)) {
    const size_t close = after.find("\"} ", pos + prefix.size());
    ASSERT_NE(close, std::string::npos);
    const size_t eol = after.find('\n', close);
    const std::string le = after.substr(pos + prefix.size(), close - pos - prefix.size());
    if (le == "+Inf") continue;
    const int64_t v = std::stoll(after.substr(close + 3, eol - close - 3));
    EXPECT_GE(v, prev) << le;
    EXPECT_LE(v, 4);
    prev = v;
    ++buckets;
  }
  EXPECT_EQ(buckets, 10);
}

TEST_F(MetricsTest, ProposalGaugesFollowTheStore) {
  const std::string empty = Scrape();
  EXPECT_NE(empty.find("# TYPE stakeward_proposals gauge"), std::string::npos);
  for (const char* s :
       {"open", "ready", "rejected", "expired", "superseded", "submitted", "confirmed"}) {
    EXPECT_EQ(Sample(empty, std::string("stakeward_proposals{state=\"") + s + "\"}"), 0) << s;
  }
  const int64_t head0 = Sample(empty, "stakeward_audit_head_seq");
  EXPECT_EQ(head0, 0);

  // Policy in force (two approvals), snapshot, one proposal; then a signer rejects it.
  const std::vector<TestSigner> signers = DefaultSigners();
  v1::ProposePolicyRequest pp;
  pp.set_document(TestPolicyYaml(signers));
  v1::ProposePolicyResponse ppr;
  ASSERT_TRUE(policy_->ProposePolicy(Ctx("operator").get(), pp, &ppr).ok());
  for (int i = 0; i < 2; ++i) {
    v1::ApprovePolicyResponse ar;
    grpc::Status st =
        policy_->ApprovePolicy(Ctx("signer:" + signers[static_cast<size_t>(i)].name).get(),
                               ApprovalRequest(signers[static_cast<size_t>(i)], ppr.policy()), &ar);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  v1::PushSnapshotRequest push;
  push.set_document(SampleSnapshotJson());
  v1::PushSnapshotResponse psr;
  ASSERT_TRUE(snapshots_->PushSnapshot(Ctx("operator").get(), push, &psr).ok());
  v1::CreateProposalResponse cr;
  grpc::Status st = proposals_->CreateProposal(Ctx("operator").get(), {}, &cr);
  ASSERT_TRUE(st.ok()) << st.error_message();

  const std::string open = Scrape();
  EXPECT_EQ(Sample(open, "stakeward_proposals{state=\"open\"}"), 1);
  EXPECT_EQ(Sample(open, "stakeward_proposals{state=\"rejected\"}"), 0);
  EXPECT_GT(Sample(open, "stakeward_audit_head_seq"), head0);
  // Issue 16: who still has to sign, since when; deposits by state; our stake per pool, which the
  // test sums from the snapshot document with another JSON reader.
  const std::string id = cr.proposal().id();
  EXPECT_EQ(Sample(open, "stakeward_proposal_signers{proposal=\"" + id + "\"}"), 0);
  EXPECT_EQ(Sample(open, "stakeward_proposal_signers_required{proposal=\"" + id + "\"}"),
            static_cast<int64_t>(cr.proposal().threshold()));
  EXPECT_GT(Sample(open, "stakeward_open_proposal_oldest_created_timestamp_seconds"), 1700000000);
  for (const char* s : {"SIGNING", "SIGNED", "BROADCAST", "CONFIRMED", "FAILED"}) {
    EXPECT_EQ(Sample(open, std::string("stakeward_reward_deposits{state=\"") + s + "\"}"), 0);
  }
  std::map<std::string, int64_t> ours;
  const nlohmann::json sample = nlohmann::json::parse(SampleSnapshotJson());
  for (const auto& slot : sample["slots"]) {
    if (!slot["pool"].is_string()) continue;
    ours[slot["pool"].get<std::string>()] +=
        slot["balance"].get<int64_t>() + slot["rewards"].get<int64_t>();
  }
  ASSERT_EQ(ours.size(), 3u);
  for (const auto& [pool, amount] : ours) {
    EXPECT_EQ(Sample(open, "stakeward_delegated_lovelace{pool=\"" + pool + "\"}"), amount) << pool;
    EXPECT_GT(Sample(open, "stakeward_pool_live_stake_lovelace{pool=\"" + pool + "\"}"), amount);
  }

  v1::RejectProposalRequest rr;
  rr.set_id(cr.proposal().id());
  rr.set_reason("metrics test");
  v1::RejectProposalResponse rresp;
  ASSERT_TRUE(proposals_->RejectProposal(Ctx("signer:bob").get(), rr, &rresp).ok());
  const std::string rejected = Scrape();
  EXPECT_EQ(Sample(rejected, "stakeward_proposals{state=\"open\"}"), 0);
  EXPECT_EQ(Sample(rejected, "stakeward_proposal_signers{proposal=\"" + id + "\"}"), -1);
  EXPECT_EQ(Sample(rejected, "stakeward_open_proposal_oldest_created_timestamp_seconds"), -1);
  EXPECT_EQ(Sample(rejected, "stakeward_proposals{state=\"rejected\"}"), 1);
  EXPECT_EQ(Sample(rejected, Rpc("ProposalService/CreateProposal", "OK")), 1);
}

TEST_F(MetricsTest, OnlyGetMetricsIsServed) {
  const std::string r = HttpGet(daemon_.metrics_port(), "/secrets");
  EXPECT_EQ(r.rfind("HTTP/1.0 404", 0), 0u) << r.substr(0, 200);
  // The endpoint survives a client that connects and says nothing.
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(daemon_.metrics_port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  close(fd);
  EXPECT_NE(Scrape().find("stakeward_proposals"), std::string::npos);
}

// Issue 16: liveness and readiness probes on the metrics port, and the build and policy gauges.
TEST_F(MetricsTest, HealthReadinessAndBuildInfo) {
  const std::string h = HttpGet(daemon_.metrics_port(), "/healthz");
  EXPECT_EQ(h.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << h.substr(0, 200);
  const std::string r = HttpGet(daemon_.metrics_port(), "/readyz");
  EXPECT_EQ(r.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << r.substr(0, 200);
  EXPECT_NE(r.find("ready"), std::string::npos);
  const std::string m = Scrape();
  EXPECT_NE(m.find("stakeward_build_info{version=\""), std::string::npos) << m;
  EXPECT_EQ(Sample(m, "stakeward_policy_in_force_version"), 0);
  EXPECT_EQ(m.find("stakeward_snapshot_epoch"), std::string::npos) << "no snapshot yet";
}

}  // namespace
}  // namespace stakeward::controller::testing
