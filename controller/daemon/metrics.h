// Prometheus text-format metrics: RPC counts by method and code, RPC latency histograms, and
// proposal counts by state (read at scrape time), served by a tiny HTTP/1.0 listener.
#ifndef STAKEWARD_CONTROLLER_DAEMON_METRICS_H_
#define STAKEWARD_CONTROLLER_DAEMON_METRICS_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace stakeward::controller {

class Metrics {
 public:
  void RecordRpc(const std::string& method, const std::string& code, int64_t micros)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Extra text appended at scrape time (proposal states, audit head).
  void SetCollector(std::function<std::string()> collector) ABSL_LOCKS_EXCLUDED(mu_);
  std::string Render() const ABSL_LOCKS_EXCLUDED(mu_);
  // GET /readyz answers 200 while `probe` is OK (the store answers), else 503 with its message.
  void SetReadiness(std::function<absl::Status()> probe) ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status Ready() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  static constexpr std::array<int64_t, 10> kBucketsUs = {500,   1000,  2500,   5000,   10000,
                                                         25000, 50000, 100000, 500000, 2000000};
  struct Hist {
    std::array<uint64_t, kBucketsUs.size()> buckets{};
    uint64_t count = 0;
    int64_t sum_us = 0;
  };
  mutable absl::Mutex mu_;
  std::map<std::pair<std::string, std::string>, uint64_t> counts_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, Hist> latency_ ABSL_GUARDED_BY(mu_);
  std::function<std::string()> collector_ ABSL_GUARDED_BY(mu_);
  std::function<absl::Status()> readiness_ ABSL_GUARDED_BY(mu_);
};

// Serves GET /metrics, /healthz (the server thread runs) and /readyz (Metrics::Ready) on
// host:port until Stop(). Port 0 picks a free port.
class MetricsServer {
 public:
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(const std::string& listen,
                                                              const Metrics* metrics);
  ~MetricsServer();
  int port() const { return port_; }
  void Stop();

 private:
  MetricsServer(int fd, int port, const Metrics* metrics);
  void Loop();
  int fd_;
  int port_;
  const Metrics* metrics_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_METRICS_H_
