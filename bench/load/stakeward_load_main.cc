// stakeward-load: load figures for one controller (in-process stakewardd on a fresh database,
// dev mode on loopback, real gRPC, SQLite with synchronous=FULL):
//  1. durable witness submissions per second with N concurrent clients (default 50): a policy of
//     32 signers with threshold 32, so every submission of one key's witness is a fresh committed
//     write; proposals are re-created (reject, create) until the target count is reached;
//  2. p50/p99 latency of DryRunPlan over a snapshot of P pools (default 3000), cloned from the
//     sample snapshot with fresh pool ids and groups;
//  3. optionally a soak (bench/load/soak.h): mixed RPCs for --soak-seconds, RSS and p99 over time;
//  4. S audit streams opened by one caller, or spread over --stream-callers identities (default
//     3000 streams): how many the caps refuse, and another client's GetStatus p50/p99 without
//     and with the accepted streams open.
// Usage: stakeward-load [--clients 50] [--witnesses 2000] [--pools 3000] [--plans 100]
//                       [--soak-seconds 0] [--soak-clients 50] [--streams 3000] [--probes 500]
//                       [--stream-callers 1]
//                       [--source-dir DIR] [--perf-ctl FIFO]
// --perf-ctl names the control FIFO of `perf record -D -1 --control fifo:FIFO`: the profile then
// holds the timed witness windows alone (not the key derivation and signing that prepare them).
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/synchronization/mutex.h"
#include "bench/load/soak.h"
#include "bench/support/big_snapshot.h"
#include "chain/hash.h"
#include "chain/keys.h"
#include "controller/daemon/controller.h"
#include "controller/daemon/json_log.h"
#include "controller/daemon/server.h"
#include "grpcpp/grpcpp.h"
#include "nlohmann/json.hpp"
#include "policy/approval.h"
#include "policy/snapshot.h"
#include "proto/stakeward/v1/audit.grpc.pb.h"
#include "proto/stakeward/v1/policy.grpc.pb.h"
#include "proto/stakeward/v1/proposal.grpc.pb.h"
#include "proto/stakeward/v1/snapshot.grpc.pb.h"

namespace sc = stakeward::controller;
namespace chain = stakeward::chain;
namespace v1 = stakeward::v1;

namespace {

std::string Slurp(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& role) {
  auto c = std::make_unique<grpc::ClientContext>();
  c->AddMetadata("x-stakeward-role", role);
  c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
  return c;
}

struct Signer {
  std::string name;
  chain::XPrv root;
  chain::XPub xpub;
};

chain::XPrv Derive(const chain::XPrv& root, const std::string& path) {
  return chain::DerivePath(root, *chain::ParsePath(path));
}

// One witness submission per (signer, transaction, key) of a proposal, signed in software with the
// same keys the signers' policy names.
std::vector<stakeward::bench::WitnessJob> WitnessJobs(const v1::Proposal& proposal,
                                                      const std::vector<Signer>& signers) {
  std::vector<stakeward::bench::WitnessJob> jobs;
  for (const auto& tx : proposal.txs()) {
    for (const auto& rs : tx.required_signers()) {
      const Signer& s = signers[static_cast<size_t>(std::stoi(rs.signer().substr(1)))];
      for (const auto& key : rs.keys()) {
        const chain::XPrv k = Derive(s.root, key.path());
        const auto sig = chain::Sign(
            k, chain::ByteView(reinterpret_cast<const uint8_t*>(tx.tx_id().data()), 32));
        const auto pub = chain::ToPublic(k).public_key;
        stakeward::bench::WitnessJob job;
        job.role = "signer:" + s.name;
        job.request.set_proposal_id(proposal.id());
        job.request.set_brief(true);  // as `stakeward proposal sign` asks
        auto* t = job.request.add_txs();
        t->set_tx_id(tx.tx_id());
        auto* w = t->add_witnesses();
        w->set_vkey(std::string(pub.begin(), pub.end()));
        w->set_signature(std::string(sig.begin(), sig.end()));
        jobs.push_back(std::move(job));
      }
    }
  }
  return jobs;
}

double Ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

// `clients` calls in flight on one channel, each client sending its next submission when the
// previous one is answered, as that many signers' tools would. gRPC's callback API drives them:
// no thread per client, so the harness spends its CPU on the calls rather than on waking threads
// (the synchronous form cost about a quarter of the process CPU in this bench).
class ClientPool {
 public:
  ClientPool(const std::shared_ptr<grpc::Channel>& ch, int clients)
      : stub_(v1::WitnessService::NewStub(ch)), clients_(clients) {}

  // Submits every job once; returns how many failed or were not accepted.
  int Run(const std::vector<stakeward::bench::WitnessJob>& jobs) {
    jobs_ = &jobs;
    next_ = 0;
    failures_ = 0;
    const int start =
        static_cast<int>(std::min<size_t>(static_cast<size_t>(clients_), jobs.size()));
    {
      std::lock_guard<std::mutex> l(mu_);
      active_ = start;
    }
    for (int c = 0; c < start; ++c) Next();
    std::unique_lock<std::mutex> l(mu_);
    done_.wait(l, [&] { return active_ == 0; });
    return failures_.load();
  }

 private:
  struct Call {
    std::unique_ptr<grpc::ClientContext> ctx;
    v1::SubmitWitnessesResponse resp;
  };

  // One client's next submission, or that client's end when every job is taken.
  void Next() {
    const size_t i = next_++;
    if (i >= jobs_->size()) {
      std::lock_guard<std::mutex> l(mu_);
      if (--active_ == 0) done_.notify_all();
      return;
    }
    const stakeward::bench::WitnessJob& job = (*jobs_)[i];
    auto call = std::make_shared<Call>();
    call->ctx = Ctx(job.role);
    stub_->async()->SubmitWitnesses(call->ctx.get(), &job.request, &call->resp,
                                    [this, call](grpc::Status s) {
                                      if (!s.ok() || call->resp.accepted() != 1) ++failures_;
                                      Next();
                                    });
  }

  std::unique_ptr<v1::WitnessService::Stub> stub_;
  const int clients_;
  const std::vector<stakeward::bench::WitnessJob>* jobs_ = nullptr;
  std::atomic<size_t> next_{0};
  std::atomic<int> failures_{0};
  std::mutex mu_;
  std::condition_variable done_;
  int active_ = 0;
};

// CPU time of the whole process (user + system), in milliseconds.
double CpuMs() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  auto ms = [](const timeval& t) { return t.tv_sec * 1000.0 + t.tv_usec / 1000.0; };
  return ms(ru.ru_utime) + ms(ru.ru_stime);
}

struct Percentiles {
  double p50 = 0, p99 = 0;
};

// GetStatus latency as a client other than the streams' caller sees it.
Percentiles ProbeStatus(v1::StatusService::Stub& stub, int calls) {
  std::vector<double> lat;
  for (int i = 0; i < calls; ++i) {
    v1::GetStatusResponse resp;
    const auto t0 = std::chrono::steady_clock::now();
    grpc::Status st = stub.GetStatus(Ctx("operator").get(), {}, &resp);
    lat.push_back(Ms(std::chrono::steady_clock::now() - t0));
    if (!st.ok()) std::fprintf(stderr, "status: %s\n", st.error_message().c_str());
  }
  std::sort(lat.begin(), lat.end());
  return {lat[lat.size() / 2], lat[std::min(lat.size() - 1, lat.size() * 99 / 100)]};
}

struct OpenStream {
  std::unique_ptr<grpc::ClientContext> ctx;
  std::unique_ptr<grpc::ClientReader<v1::AuditEntry>> reader;
};

// Opens `count` StreamAudit calls, sequentially, spread over `callers` identities ("auditor" for
// one, else "operator:c<i>"). An accepted stream delivers the first audit entry; a refused one ends
// at once with RESOURCE_EXHAUSTED.
int OpenStreams(const std::shared_ptr<grpc::Channel>& ch, int count, int callers, int* refused,
                std::vector<OpenStream>* open) {
  auto stub = v1::AuditService::NewStub(ch);
  for (int i = 0; i < count; ++i) {
    OpenStream s;
    s.ctx = Ctx(callers <= 1 ? std::string("auditor") : "operator:c" + std::to_string(i % callers));
    v1::StreamAuditRequest req;
    req.set_from_seq(1);
    s.reader = stub->StreamAudit(s.ctx.get(), req);
    v1::AuditEntry first;
    if (s.reader->Read(&first)) {
      open->push_back(std::move(s));
      continue;
    }
    grpc::Status st = s.reader->Finish();
    if (st.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED) {
      std::fprintf(stderr, "stream %d: %s\n", i, st.error_message().c_str());
      return 1;
    }
    ++*refused;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // As stakewardd runs (see its main): without absl's debug-build deadlock detector.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  CLI::App app{"stakeward-load: controller throughput and latency"};
  int clients = 50, witnesses = 2000, pools = 3000, plans = 100;
  std::string src = STAKEWARD_SOURCE_DIR_DEFAULT;
  app.add_option("--clients", clients);
  app.add_option("--witnesses", witnesses);
  app.add_option("--pools", pools);
  app.add_option("--plans", plans);
  int streams = 3000, probes = 500, stream_callers = 1;
  app.add_option("--stream-callers", stream_callers, "identities the streams are spread over");
  stakeward::bench::SoakOptions soak;
  soak.seconds = 0;
  app.add_option("--soak-seconds", soak.seconds, "0 = no soak; bench/README.md uses 600");
  app.add_option("--soak-clients", soak.clients);
  app.add_option("--soak-sample-seconds", soak.sample_seconds);
  app.add_option("--streams", streams);
  app.add_option("--probes", probes);
  app.add_option("--source-dir", src);
  std::string perf_ctl;
  app.add_option("--perf-ctl", perf_ctl, "perf record control FIFO (see the header comment)");
  CLI11_PARSE(app, argc, argv);
  std::ofstream perf;
  if (!perf_ctl.empty()) perf.open(perf_ctl);
  auto profile = [&](const char* cmd) {
    if (perf.is_open()) perf << cmd << "\n" << std::flush;
  };
  sc::SetLogQuiet(true);

  const std::string dir =
      (std::filesystem::temp_directory_path() / ("sw_load_" + std::to_string(::getpid()))).string();
  std::filesystem::create_directories(dir);
  sc::ControllerOptions co;
  co.db_path = dir + "/load.db";
  co.dev_mode = true;
  auto controller = sc::Controller::Open(co);
  if (!controller.ok()) return 1;
  sc::ServerOptions so;
  so.listen = "127.0.0.1:0";
  so.dev_mode = true;
  auto server = sc::DaemonServer::Start(controller->get(), so, nullptr);
  if (!server.ok()) return 1;
  auto ch = grpc::CreateChannel("127.0.0.1:" + std::to_string((*server)->port()),
                                grpc::InsecureChannelCredentials());
  auto pol = v1::PolicyService::NewStub(ch);
  auto snaps = v1::SnapshotService::NewStub(ch);
  auto plans_stub = v1::PlanService::NewStub(ch);
  auto props = v1::ProposalService::NewStub(ch);

  // 32 signers from fixed entropy, threshold 32.
  std::vector<Signer> signers;
  for (int i = 0; i < 32; ++i) {
    chain::Bytes entropy(16, static_cast<uint8_t>(i + 1));
    const std::string m = chain::EntropyToMnemonic(chain::View(entropy));
    Signer s;
    s.name = "s" + std::to_string(i);
    s.root = *chain::MasterKeyFromMnemonic(m, "", chain::Derivation::kIcarus);
    s.xpub = chain::ToPublic(Derive(s.root, "m/1854'/1815'/0'"));
    signers.push_back(std::move(s));
  }
  std::string yaml = Slurp(src + "/policy/samples/policy.yaml");
  const size_t a = yaml.find("signers:"), b = yaml.find("threshold:");
  std::string block = "signers:\n";
  for (const Signer& s : signers) {
    block += "  - name: " + s.name + "\n    xpub: " + chain::HexEncode(s.xpub.Serialize()) +
             "\n    device: trezor\n";
  }
  yaml = yaml.substr(0, a) + block + "threshold: 32" + yaml.substr(yaml.find('\n', b));
  v1::ProposePolicyRequest pr;
  pr.set_document(yaml);
  v1::ProposePolicyResponse presp;
  if (!pol->ProposePolicy(Ctx("operator").get(), pr, &presp).ok()) return 2;
  for (const Signer& s : signers) {
    chain::Hash32 h;
    std::copy(presp.policy().hash().begin(), presp.policy().hash().end(), h.begin());
    const chain::XPrv k = Derive(s.root, "m/1854'/1815'/0'/0/0");
    const auto sig = chain::Sign(k, chain::View(stakeward::policy::ApprovalTxId(h)));
    const auto pub = chain::ToPublic(k).public_key;
    v1::ApprovePolicyRequest ar;
    ar.set_version(presp.policy().version());
    ar.set_hash(presp.policy().hash());
    ar.set_public_key(std::string(pub.begin(), pub.end()));
    ar.set_signature(std::string(sig.begin(), sig.end()));
    v1::ApprovePolicyResponse aresp;
    if (!pol->ApprovePolicy(Ctx("signer:" + s.name).get(), ar, &aresp).ok()) return 3;
  }
  // The sample's slot addresses belong to the sample signers: drop them (optional field).
  nlohmann::json sample = nlohmann::json::parse(Slurp(src + "/policy/samples/snapshot.json"));
  for (auto& slot : sample["slots"]) slot.erase("address");
  v1::PushSnapshotRequest sr;
  sr.set_document(sample.dump());
  v1::PushSnapshotResponse sresp;
  if (!snaps->PushSnapshot(Ctx("operator").get(), sr, &sresp).ok()) return 4;

  // 1. Witness submissions.
  int64_t submitted = 0;
  std::chrono::steady_clock::duration busy{};
  double cpu_ms = 0;  // process CPU (clients and server) inside the timed windows
  ClientPool pool(ch, clients);
  while (submitted < witnesses) {
    v1::CreateProposalResponse cr;
    grpc::Status st = props->CreateProposal(Ctx("operator").get(), {}, &cr);
    if (!st.ok()) {
      std::fprintf(stderr, "create: %s\n", st.error_message().c_str());
      return 5;
    }
    // One request per (signer, tx, key): all prepared before the clock starts.
    const std::vector<stakeward::bench::WitnessJob> jobs = WitnessJobs(cr.proposal(), signers);
    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = CpuMs();
    profile("enable");
    const int failures = pool.Run(jobs);
    profile("disable");
    busy += std::chrono::steady_clock::now() - t0;
    cpu_ms += CpuMs() - cpu0;
    if (failures > 0) {
      std::fprintf(stderr, "%d submissions failed\n", failures);
      return 6;
    }
    submitted += static_cast<int64_t>(jobs.size());
    v1::RejectProposalRequest rr;
    rr.set_id(cr.proposal().id());
    rr.set_reason("load test cycle");
    v1::RejectProposalResponse rresp;
    if (!props->RejectProposal(Ctx("signer:s0").get(), rr, &rresp).ok()) return 7;
  }
  if (submitted > 0) {
    std::printf(
        "witness submissions: %lld durable (each committed before its reply) in %.1f ms "
        "with %d clients = %.0f /s\n",
        static_cast<long long>(submitted), Ms(busy), clients,
        static_cast<double>(submitted) * 1000.0 / Ms(busy));
    std::printf("witness CPU: %.0f us per submission (clients and server, %.0f%% of one core)\n",
                cpu_ms * 1000.0 / static_cast<double>(submitted), 100.0 * cpu_ms / Ms(busy));
  }

  // 2. DryRunPlan over a large snapshot.
  const nlohmann::json snap = stakeward::bench::CloneSnapshot(sample, pools);
  sr.set_document(snap.dump());
  // What one parse and hash of this document costs (the controller pays it once per snapshot, at
  // push, and keeps the parsed form by hash for later plans).
  const auto p0 = std::chrono::steady_clock::now();
  auto parsed = stakeward::policy::LoadSnapshot(sr.document());
  if (!parsed.ok()) {
    std::fprintf(stderr, "big snapshot: %s\n", parsed.status().ToString().c_str());
    return 8;
  }
  (void)stakeward::policy::SnapshotHash(*parsed);
  const double parse_ms = Ms(std::chrono::steady_clock::now() - p0);
  const auto push0 = std::chrono::steady_clock::now();
  grpc::Status st = snaps->PushSnapshot(Ctx("operator").get(), sr, &sresp);
  const double push_ms = Ms(std::chrono::steady_clock::now() - push0);
  if (!st.ok()) {
    std::fprintf(stderr, "push big snapshot: %s\n", st.error_message().c_str());
    return 8;
  }
  std::printf("snapshot of %d pools (%zu bytes): parse+hash %.1f ms, PushSnapshot %.1f ms\n", pools,
              sr.document().size(), parse_ms, push_ms);
  std::vector<double> lat;
  for (int i = 0; i < plans; ++i) {
    v1::DryRunPlanResponse resp;
    const auto t0 = std::chrono::steady_clock::now();
    st = plans_stub->DryRunPlan(Ctx("auditor").get(), {}, &resp);
    lat.push_back(Ms(std::chrono::steady_clock::now() - t0));
    if (!st.ok()) {
      std::fprintf(stderr, "plan: %s\n", st.error_message().c_str());
      return 9;
    }
  }
  if (const char* dump = std::getenv("STAKEWARD_LOAD_LATENCIES"); dump != nullptr) {
    std::ofstream out(dump);  // every DryRunPlan latency in call order (tail analysis)
    for (double v : lat) out << v << "\n";
  }
  if (!lat.empty()) {  // --plans 0 measures witnesses alone
    // The first call plans; later ones over the same policy and snapshot reuse that plan (the
    // controller memoises it), so the cold figure is printed on its own line too.
    std::printf("DryRunPlan first call over %d pools (plans): %.1f ms\n", pools, lat.front());
    if (lat.size() > 1) lat.erase(lat.begin());
    std::sort(lat.begin(), lat.end());
    std::printf("DryRunPlan over %d pools: %zu repeat calls, p50 %.1f ms, p99 %.1f ms\n", pools,
                lat.size(), lat[lat.size() / 2],
                lat[std::min(lat.size() - 1, lat.size() * 99 / 100)]);
  }

  // 3. Soak: mixed RPCs over time (after the big snapshot, so dry runs plan over it).
  if (soak.seconds > 0) {
    const int failed = stakeward::bench::RunSoak(
        ch, soak, [&](const v1::Proposal& p) { return WitnessJobs(p, signers); });
    if (failed != 0) return 11;
  }

  // 4. Streams from one caller against another client's latency.
  if (streams > 0) {
    auto status_stub = v1::StatusService::NewStub(ch);
    const Percentiles before = ProbeStatus(*status_stub, probes);
    int refused = 0;
    std::vector<OpenStream> open;
    if (OpenStreams(ch, streams, stream_callers, &refused, &open) != 0) return 10;
    const Percentiles during = ProbeStatus(*status_stub, probes);
    std::printf(
        "streams: %d opened by %d caller(s), %zu accepted, %d refused (RESOURCE_EXHAUSTED); "
        "GetStatus from another client p50/p99 %.2f/%.2f ms before, %.2f/%.2f ms with the streams "
        "open (p99 ratio %.2f)\n",
        streams, std::max(1, stream_callers), open.size(), refused, before.p50, before.p99,
        during.p50, during.p99, during.p99 / before.p99);
    for (OpenStream& s : open) s.ctx->TryCancel();
    for (OpenStream& s : open) {
      v1::AuditEntry e;
      while (s.reader->Read(&e)) {
      }
      (void)s.reader->Finish();
    }
  }
  (*server)->Shutdown(absl::Seconds(1));
  server->reset();
  controller->reset();
  std::filesystem::remove_all(dir);
  return 0;
}
