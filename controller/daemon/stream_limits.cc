#include "controller/daemon/stream_limits.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "chain/check.h"

namespace stakeward::controller {

StreamLimits::Lease::Lease(Lease&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)),
      caller_(std::move(other.caller_)),
      end_(other.end_) {}

StreamLimits::Lease::~Lease() {
  if (owner_ != nullptr) owner_->Release(caller_);
}

absl::Status StreamLimits::Lease::CheckAge() const {
  if (absl::Now() < end_) return absl::OkStatus();
  return absl::DeadlineExceededError(
      "the stream reached the daemon's maximum stream duration: open it again");
}

absl::StatusOr<StreamLimits::Lease> StreamLimits::Acquire(const std::string& caller) {
  absl::MutexLock l(&mu_);
  int& mine = per_caller_[caller];
  if (mine >= caps_.per_caller) {
    if (mine == 0) per_caller_.erase(caller);
    return absl::ResourceExhaustedError(absl::StrCat(
        "you already have ", caps_.per_caller, " open streams (the per-caller limit): close one"));
  }
  if (total_ >= caps_.total) {
    if (mine == 0) per_caller_.erase(caller);
    return absl::ResourceExhaustedError(
        absl::StrCat("the daemon has ", caps_.total, " open streams (its limit): try again later"));
  }
  ++mine;
  ++total_;
  return Lease(this, caller, absl::Now() + caps_.max_duration);
}

int StreamLimits::open() const {
  absl::MutexLock l(&mu_);
  return total_;
}

void StreamLimits::Release(const std::string& caller) {
  absl::MutexLock l(&mu_);
  auto it = per_caller_.find(caller);
  SW_CHECK(it != per_caller_.end() && it->second > 0 && total_ > 0);
  --total_;
  if (--it->second == 0) per_caller_.erase(it);
}

}  // namespace stakeward::controller
