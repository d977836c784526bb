// What the real device would show: one line per screen ("Delegate stake to pool1…",
// "Fee 0.171 ADA"). Kept in memory (for the control channel's `screens` command and for tests)
// and optionally appended to a file. Thread-safe.
#ifndef STAKEWARD_FIRMWARE_MOCKS_COMMON_SCREEN_LOG_H_
#define STAKEWARD_FIRMWARE_MOCKS_COMMON_SCREEN_LOG_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace stakeward::mocks {

class ScreenLog {
 public:
  ScreenLog() = default;
  ~ScreenLog();
  ScreenLog(const ScreenLog&) = delete;
  ScreenLog& operator=(const ScreenLog&) = delete;

  // Also append every line to `path` (created or appended to, flushed per line).
  absl::Status OpenFile(const std::string& path);

  // Adds one screen. Newlines and other control characters are replaced by spaces so one screen
  // stays one line.
  void Add(std::string_view line);
  std::vector<std::string> Lines() const;  // since the last Clear()
  void Clear();                            // the file, if any, is kept

  // "0.171 ADA" style rendering of lovelace (6 decimals, trailing zeros trimmed, integer math).
  static std::string FormatAda(uint64_t lovelace);

 private:
  mutable absl::Mutex mu_;
  std::vector<std::string> lines_ ABSL_GUARDED_BY(mu_);
  std::FILE* file_ ABSL_GUARDED_BY(mu_) = nullptr;
};

}  // namespace stakeward::mocks

#endif  // STAKEWARD_FIRMWARE_MOCKS_COMMON_SCREEN_LOG_H_
