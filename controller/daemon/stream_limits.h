// Caps on the daemon's server streams (WatchProposal, StreamAudit). Each open stream holds one
// server thread, so without a cap one caller could hold every thread; with it, a caller gets at
// most `per_caller` streams, all callers together `total`, and each stream lives at most
// `max_duration` (the client reopens it). Past a cap: RESOURCE_EXHAUSTED naming the cap.
#ifndef STAKEWARD_CONTROLLER_DAEMON_STREAM_LIMITS_H_
#define STAKEWARD_CONTROLLER_DAEMON_STREAM_LIMITS_H_

#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace stakeward::controller {

struct StreamCaps {
  int per_caller = 16;
  int total = 256;
  absl::Duration max_duration = absl::Hours(1);
};

class StreamLimits {
 public:
  explicit StreamLimits(const StreamCaps& caps) : caps_(caps) {}
  StreamLimits(const StreamLimits&) = delete;
  StreamLimits& operator=(const StreamLimits&) = delete;

  // One open stream; releases its place when destroyed.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    // DEADLINE_EXCEEDED once the stream has lived max_duration, OK before.
    absl::Status CheckAge() const;

   private:
    friend class StreamLimits;
    Lease(StreamLimits* owner, std::string caller, absl::Time end)
        : owner_(owner), caller_(std::move(caller)), end_(end) {}
    StreamLimits* owner_;
    std::string caller_;
    absl::Time end_;
  };

  absl::StatusOr<Lease> Acquire(const std::string& caller) ABSL_LOCKS_EXCLUDED(mu_);
  int open() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Release(const std::string& caller) ABSL_LOCKS_EXCLUDED(mu_);

  const StreamCaps caps_;
  mutable absl::Mutex mu_;
  std::map<std::string, int> per_caller_ ABSL_GUARDED_BY(mu_);
  int total_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_STREAM_LIMITS_H_
