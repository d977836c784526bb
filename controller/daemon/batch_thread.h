// A thread that takes everything queued for it in one go and hands the lot to its work function:
// the witness path's committer (one transaction per batch) and its answerer (gRPC replies while
// the next batch commits). Producers never wait on the work. Started on first use; stopping does
// everything already queued, then joins.
#ifndef STAKEWARD_CONTROLLER_DAEMON_BATCH_THREAD_H_
#define STAKEWARD_CONTROLLER_DAEMON_BATCH_THREAD_H_

#include <functional>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"

namespace stakeward::controller {

template <typename T>
class BatchThread {
 public:
  using Work = std::function<void(std::vector<std::unique_ptr<T>>)>;
  explicit BatchThread(Work work) : work_(std::move(work)) {}
  ~BatchThread() { Stop(); }
  BatchThread(const BatchThread&) = delete;
  BatchThread& operator=(const BatchThread&) = delete;

  // Queues items for the next batch. After Stop, the items are worked on by the caller instead
  // (nothing queued is ever dropped).
  void Add(std::vector<std::unique_ptr<T>> items) ABSL_LOCKS_EXCLUDED(mu_) {
    {
      absl::MutexLock l(&mu_);
      if (!stopped_) {
        if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
        for (auto& it : items) queue_.push_back(it.release());
        return;
      }
    }
    work_(std::move(items));
  }
  void Add(std::unique_ptr<T> item) ABSL_LOCKS_EXCLUDED(mu_) {
    std::vector<std::unique_ptr<T>> one;
    one.push_back(std::move(item));
    Add(std::move(one));
  }

  // Works off everything queued, then ends the thread. Idempotent.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_) {
    std::thread t;
    {
      absl::MutexLock l(&mu_);
      stopped_ = true;
      t = std::move(thread_);
    }
    if (t.joinable()) t.join();
  }

 private:
  bool Due() const ABSL_SHARED_LOCKS_REQUIRED(mu_) { return !queue_.empty() || stopped_; }

  void Loop() ABSL_LOCKS_EXCLUDED(mu_) {
    for (;;) {
      std::vector<std::unique_ptr<T>> batch;
      {
        absl::MutexLock l(&mu_);
        mu_.Await(absl::Condition(this, &BatchThread::Due));
        if (queue_.empty()) return;  // stopped, and nothing is left
        for (T* it : queue_) batch.emplace_back(it);
        queue_.clear();
      }
      work_(std::move(batch));
    }
  }

  Work work_;
  absl::Mutex mu_;
  std::vector<T*> queue_ ABSL_GUARDED_BY(mu_);  // owned (raw: T may be incomplete where this is)
  bool stopped_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_ ABSL_GUARDED_BY(mu_);
};

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_BATCH_THREAD_H_
