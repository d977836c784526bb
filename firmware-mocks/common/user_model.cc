#include "firmware-mocks/common/user_model.h"

#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"

namespace stakeward::mocks {

absl::Status UserModel::Configure(std::string_view spec) {
  if (spec == "approve") {
    Approve();
    return absl::OkStatus();
  }
  constexpr std::string_view kReject = "reject:";
  if (spec.starts_with(kReject) && spec.size() > kReject.size()) {
    RejectAt(spec.substr(kReject.size()));
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "user model must be 'approve' or 'reject:<step>', got '", std::string(spec), "'"));
}

void UserModel::Approve() {
  absl::MutexLock lock(&mu_);
  reject_step_.clear();
}

void UserModel::RejectAt(std::string_view step) {
  absl::MutexLock lock(&mu_);
  reject_step_ = std::string(step);
}

void UserModel::SetDelayMs(uint32_t ms) {
  absl::MutexLock lock(&mu_);
  delay_ms_ = ms;
}

uint32_t UserModel::delay_ms() const {
  absl::MutexLock lock(&mu_);
  return delay_ms_;
}

bool UserModel::Decide(std::string_view step) const {
  uint32_t delay;
  bool approved;
  {
    absl::MutexLock lock(&mu_);
    delay = delay_ms_;
    approved = reject_step_.empty() || (reject_step_ != kStepAny && reject_step_ != step);
  }
  if (delay > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay));
  return approved;
}

std::string UserModel::Describe() const {
  absl::MutexLock lock(&mu_);
  if (reject_step_.empty()) return "approve";
  return absl::StrCat("reject:", reject_step_);
}

}  // namespace stakeward::mocks
