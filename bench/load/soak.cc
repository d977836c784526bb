#include "bench/load/soak.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <deque>
#include <fstream>
#include <optional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "proto/stakeward/v1/audit.grpc.pb.h"
#include "proto/stakeward/v1/snapshot.grpc.pb.h"

namespace stakeward::bench {
namespace {

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& role) {
  auto c = std::make_unique<grpc::ClientContext>();
  c->AddMetadata("x-stakeward-role", role);
  c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  return c;
}

// Resident set size of this process (server and clients share it), in KiB.
long RssKiB() {
  std::ifstream f("/proc/self/status");
  std::string key;
  while (f >> key) {
    if (key == "VmRSS:") {
      long kib = 0;
      f >> kib;
      return kib;
    }
    f.ignore(1 << 16, '\n');
  }
  return 0;
}

// Latencies and failures of one sampling interval.
class Stats {
 public:
  struct Row {
    size_t calls = 0;
    int errors = 0;
    double p50 = 0, p99 = 0;
  };
  void Add(double ms, const grpc::Status& st) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock l(&mu_);
    lat_.push_back(ms);
    if (!st.ok()) {
      if (++errors_ <= 5) std::fprintf(stderr, "soak: %s\n", st.error_message().c_str());
    }
  }
  Row Take() ABSL_LOCKS_EXCLUDED(mu_) {
    std::vector<double> lat;
    Row r;
    {
      absl::MutexLock l(&mu_);
      lat.swap(lat_);
      r.errors = errors_;
      errors_ = 0;
    }
    r.calls = lat.size();
    if (!lat.empty()) {
      std::sort(lat.begin(), lat.end());
      r.p50 = lat[lat.size() / 2];
      r.p99 = lat[std::min(lat.size() - 1, lat.size() * 99 / 100)];
    }
    return r;
  }

 private:
  absl::Mutex mu_;
  std::vector<double> lat_ ABSL_GUARDED_BY(mu_);
  int errors_ ABSL_GUARDED_BY(mu_) = 0;
};

// The current proposal's witness jobs. The cycler replaces the proposal only once every job has
// been answered, so no submission races a rejection.
class JobQueue {
 public:
  std::optional<WitnessJob> Pop() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock l(&mu_);
    if (jobs_.empty()) return std::nullopt;
    WitnessJob j = std::move(jobs_.front());
    jobs_.pop_front();
    ++inflight_;
    return j;
  }
  void Done() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock l(&mu_);
    --inflight_;
  }
  // Waits until every job was answered or `stop` is set; returns false on stop.
  bool WaitDrained(const std::atomic<bool>& stop) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock l(&mu_);
    auto drained = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return (jobs_.empty() && inflight_ == 0) || stop.load();
    };
    while (!drained()) mu_.AwaitWithTimeout(absl::Condition(&drained), absl::Milliseconds(200));
    return !stop.load();
  }
  void Refill(std::vector<WitnessJob> jobs, const std::string& id) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock l(&mu_);
    for (WitnessJob& j : jobs) jobs_.push_back(std::move(j));
    id_ = id;
  }
  std::string id() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock l(&mu_);
    return id_;
  }

 private:
  absl::Mutex mu_;
  std::deque<WitnessJob> jobs_ ABSL_GUARDED_BY(mu_);
  int inflight_ ABSL_GUARDED_BY(mu_) = 0;
  std::string id_ ABSL_GUARDED_BY(mu_);
};

template <typename F>
void Timed(Stats& stats, F&& call) {
  const auto t0 = std::chrono::steady_clock::now();
  const grpc::Status st = call();
  stats.Add(
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(), st);
}

// Rejects the drained proposal and creates the next one, forever (until stop).
void Cycle(const std::shared_ptr<grpc::Channel>& ch, const MakeJobs& make_jobs, JobQueue& queue,
           Stats& stats, const std::atomic<bool>& stop) {
  auto props = v1::ProposalService::NewStub(ch);
  std::string reject_role;
  while (queue.WaitDrained(stop)) {
    if (const std::string id = queue.id(); !id.empty()) {
      v1::RejectProposalRequest rr;
      rr.set_id(id);
      rr.set_reason("soak cycle");
      v1::RejectProposalResponse rresp;
      Timed(stats, [&] { return props->RejectProposal(Ctx(reject_role).get(), rr, &rresp); });
    }
    v1::CreateProposalResponse cr;
    grpc::Status st;
    Timed(stats, [&] { return st = props->CreateProposal(Ctx("operator").get(), {}, &cr); });
    if (!st.ok()) return;
    std::vector<WitnessJob> jobs = make_jobs(cr.proposal());
    if (jobs.empty()) return;
    reject_role = jobs.front().role;
    queue.Refill(std::move(jobs), cr.proposal().id());
  }
}

// One client: a fixed mix of reads, plans and witness submissions.
void Client(const std::shared_ptr<grpc::Channel>& ch, int index, JobQueue& queue, Stats& stats,
            const std::atomic<bool>& stop) {
  auto status = v1::StatusService::NewStub(ch);
  auto props = v1::ProposalService::NewStub(ch);
  auto plans = v1::PlanService::NewStub(ch);
  auto wits = v1::WitnessService::NewStub(ch);
  for (int i = index; !stop.load(); ++i) {
    const int op = i % 10;
    std::optional<WitnessJob> job = op >= 7 ? queue.Pop() : std::nullopt;
    if (job) {
      v1::SubmitWitnessesResponse resp;
      Timed(stats, [&] {
        grpc::Status st = wits->SubmitWitnesses(Ctx(job->role).get(), job->request, &resp);
        if (st.ok() && resp.accepted() != 1) {
          st = grpc::Status(grpc::StatusCode::INTERNAL, "witness not accepted");
        }
        return st;
      });
      queue.Done();
    } else if (op <= 2) {
      v1::GetStatusResponse resp;
      Timed(stats, [&] { return status->GetStatus(Ctx("auditor").get(), {}, &resp); });
    } else if (op <= 4) {
      v1::ListProposalsRequest req;
      req.set_page_size(20);
      v1::ListProposalsResponse resp;
      Timed(stats, [&] { return props->ListProposals(Ctx("auditor").get(), req, &resp); });
    } else if (op == 6) {
      v1::DryRunPlanResponse resp;
      Timed(stats, [&] { return plans->DryRunPlan(Ctx("auditor").get(), {}, &resp); });
    } else if (const std::string id = queue.id(); !id.empty()) {
      v1::GetProposalRequest req;
      req.set_id(id);
      v1::GetProposalResponse resp;
      Timed(stats, [&] { return props->GetProposal(Ctx("auditor").get(), req, &resp); });
    }
  }
}

}  // namespace

int RunSoak(const std::shared_ptr<grpc::Channel>& ch, const SoakOptions& opt,
            const MakeJobs& make_jobs) {
  Stats stats;
  JobQueue queue;
  std::atomic<bool> stop{false};
  std::thread cycler([&] { Cycle(ch, make_jobs, queue, stats, stop); });
  std::vector<std::thread> clients;
  for (int c = 0; c < opt.clients; ++c) {
    clients.emplace_back([&, c] { Client(ch, c, queue, stats, stop); });
  }
  std::printf("soak: %d clients for %d s, one row per %d s\n", opt.clients, opt.seconds,
              opt.sample_seconds);
  std::printf("%8s %10s %7s %9s %9s %10s\n", "elapsed", "calls", "errors", "p50 ms", "p99 ms",
              "RSS MiB");
  int errors = 0;
  long base_rss = 0, last_rss = 0, max_rss = 0;
  double worst_p99 = 0;
  size_t calls = 0;
  for (int t = opt.sample_seconds; t <= opt.seconds; t += opt.sample_seconds) {
    absl::SleepFor(absl::Seconds(opt.sample_seconds));  // sampling period, not synchronisation
    const Stats::Row r = stats.Take();
    last_rss = RssKiB();
    if (base_rss == 0 && t > opt.warmup_seconds) base_rss = last_rss;
    max_rss = std::max(max_rss, last_rss);
    worst_p99 = std::max(worst_p99, r.p99);
    errors += r.errors;
    calls += r.calls;
    std::printf("%7ds %10zu %7d %9.2f %9.2f %10.1f\n", t, r.calls, r.errors, r.p50, r.p99,
                static_cast<double>(last_rss) / 1024.0);
    std::fflush(stdout);
  }
  stop = true;
  for (std::thread& c : clients) c.join();
  cycler.join();
  const Stats::Row tail = stats.Take();
  errors += tail.errors;
  calls += tail.calls;
  const double growth = base_rss > 0 ? 100.0 * static_cast<double>(last_rss - base_rss) /
                                           static_cast<double>(base_rss)
                                     : 0.0;
  std::printf(
      "soak summary: %zu calls, %d errors, worst interval p99 %.2f ms, RSS %.1f MiB after "
      "warm-up, %.1f MiB at the end (growth %.1f %%), peak %.1f MiB\n",
      calls, errors, worst_p99, static_cast<double>(base_rss) / 1024.0,
      static_cast<double>(last_rss) / 1024.0, growth, static_cast<double>(max_rss) / 1024.0);
  return errors;
}

}  // namespace stakeward::bench
