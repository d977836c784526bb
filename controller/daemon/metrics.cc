#include "controller/daemon/metrics.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "controller/daemon/daemon_config.h"

namespace stakeward::controller {

void Metrics::RecordRpc(const std::string& method, const std::string& code, int64_t micros) {
  absl::MutexLock l(&mu_);
  ++counts_[{method, code}];
  Hist& h = latency_[method];
  for (size_t i = 0; i < kBucketsUs.size(); ++i) {
    if (micros <= kBucketsUs[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum_us += micros;
}

void Metrics::SetCollector(std::function<std::string()> collector) {
  absl::MutexLock l(&mu_);
  collector_ = std::move(collector);
}

void Metrics::SetReadiness(std::function<absl::Status()> probe) {
  absl::MutexLock l(&mu_);
  readiness_ = std::move(probe);
}

absl::Status Metrics::Ready() const {
  std::function<absl::Status()> probe;
  {
    absl::MutexLock l(&mu_);
    probe = readiness_;
  }
  return probe ? probe() : absl::OkStatus();
}

std::string Metrics::Render() const {
  std::function<std::string()> collector;
  std::string out;
  {
    absl::MutexLock l(&mu_);
    collector = collector_;
    out += "# HELP stakeward_rpc_total RPCs handled, by method and gRPC status code.\n";
    out += "# TYPE stakeward_rpc_total counter\n";
    for (const auto& [k, v] : counts_) {
      absl::StrAppend(&out, "stakeward_rpc_total{method=\"", k.first, "\",code=\"", k.second,
                      "\"} ", v, "\n");
    }
    out += "# HELP stakeward_rpc_latency_seconds RPC handling time.\n";
    out += "# TYPE stakeward_rpc_latency_seconds histogram\n";
    for (const auto& [m, h] : latency_) {
      for (size_t i = 0; i < kBucketsUs.size(); ++i) {
        absl::StrAppend(&out, "stakeward_rpc_latency_seconds_bucket{method=\"", m, "\",le=\"",
                        kBucketsUs[i] / 1000000, ".",
                        absl::StrFormat("%06d", kBucketsUs[i] % 1000000), "\"} ", h.buckets[i],
                        "\n");
      }
      absl::StrAppend(&out, "stakeward_rpc_latency_seconds_bucket{method=\"", m, "\",le=\"+Inf\"} ",
                      h.count, "\n");
      absl::StrAppend(&out, "stakeward_rpc_latency_seconds_sum{method=\"", m, "\"} ",
                      h.sum_us / 1000000, ".", absl::StrFormat("%06d", h.sum_us % 1000000), "\n");
      absl::StrAppend(&out, "stakeward_rpc_latency_seconds_count{method=\"", m, "\"} ", h.count,
                      "\n");
    }
  }
  if (collector) out += collector();
  return out;
}

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(const std::string& listen,
                                                                    const Metrics* metrics) {
  absl::StatusOr<HostPort> hp = ParseHostPort(listen);
  if (!hp.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--metrics-listen: ", hp.status().message()));
  }
  const int port = hp->port;
  std::string host = hp->host;
  if (host == "localhost") host = "127.0.0.1";
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    return absl::InvalidArgumentError("--metrics-listen host must be an IPv4 address");
  }
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError("socket failed");
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 16) != 0) {
    close(fd);
    return absl::UnavailableError(absl::StrCat("cannot listen on ", listen));
  }
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return std::unique_ptr<MetricsServer>(new MetricsServer(fd, ntohs(addr.sin_port), metrics));
}

MetricsServer::MetricsServer(int fd, int port, const Metrics* metrics)
    : fd_(fd), port_(port), metrics_(metrics) {
  thread_ = std::thread([this] { Loop(); });
}

MetricsServer::~MetricsServer() { Stop(); }

void MetricsServer::Stop() {
  if (stop_.exchange(true)) return;
  if (thread_.joinable()) thread_.join();
  close(fd_);
}

void MetricsServer::Loop() {
  while (!stop_) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    const int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    // Read the request head (bounded, with a short timeout); GET /metrics, /healthz, /readyz.
    timeval tv{2, 0};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[2048];
    std::string req;
    while (req.find("\r\n\r\n") == std::string::npos && req.size() < sizeof buf) {
      const ssize_t n = read(c, buf, sizeof buf);
      if (n <= 0) break;
      req.append(buf, static_cast<size_t>(n));
    }
    std::string resp;
    if (req.rfind("GET /metrics", 0) == 0) {
      const std::string body = metrics_->Render();
      resp = absl::StrCat(
          "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: ",
          body.size(), "\r\n\r\n", body);
    } else if (req.rfind("GET /healthz ", 0) == 0) {
      resp = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nok\n";
    } else if (req.rfind("GET /readyz ", 0) == 0) {
      const absl::Status ready = metrics_->Ready();
      // Only the status code name goes out: no internal diagnostics on an open port.
      const std::string body =
          ready.ok() ? std::string("ready\n")
                     : absl::StrCat("not ready: ", absl::StatusCodeToString(ready.code()), "\n");
      resp = absl::StrCat("HTTP/1.0 ", ready.ok() ? "200 OK" : "503 Service Unavailable",
                          "\r\nContent-Type: text/plain\r\nContent-Length: ", body.size(),
                          "\r\n\r\n", body);
    } else {
      resp = "HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    }
    size_t off = 0;
    while (off < resp.size()) {
      const ssize_t n = write(c, resp.data() + off, resp.size() - off);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    close(c);
  }
}

}  // namespace stakeward::controller
