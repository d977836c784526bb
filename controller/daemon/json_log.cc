#include "controller/daemon/json_log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace stakeward::controller {
namespace {
std::atomic<bool> g_quiet{false};
std::mutex g_mu;
}  // namespace

void SetLogQuiet(bool quiet) { g_quiet = quiet; }

void LogJson(std::string_view level, std::string_view msg, nlohmann::json fields) {
  if (g_quiet) return;
  if (!fields.is_object()) fields = nlohmann::json::object();
  fields["ts"] = absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", absl::Now(), absl::UTCTimeZone());
  fields["level"] = std::string(level);
  fields["msg"] = std::string(msg);
  const std::string line =
      fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> l(g_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace stakeward::controller
