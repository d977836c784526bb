#include "firmware-mocks/common/screen_log.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace stakeward::mocks {

ScreenLog::~ScreenLog() {
  absl::MutexLock lock(&mu_);
  if (file_ != nullptr) std::fclose(file_);
}

absl::Status ScreenLog::OpenFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "a");
  if (f == nullptr) return absl::InvalidArgumentError(absl::StrCat("cannot open ", path));
  absl::MutexLock lock(&mu_);
  if (file_ != nullptr) std::fclose(file_);
  file_ = f;
  return absl::OkStatus();
}

void ScreenLog::Add(std::string_view line) {
  std::string clean(line);
  for (char& c : clean) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  absl::MutexLock lock(&mu_);
  if (file_ != nullptr) {
    std::fprintf(file_, "%s\n", clean.c_str());
    std::fflush(file_);
  }
  lines_.push_back(std::move(clean));
}

std::vector<std::string> ScreenLog::Lines() const {
  absl::MutexLock lock(&mu_);
  return lines_;
}

void ScreenLog::Clear() {
  absl::MutexLock lock(&mu_);
  lines_.clear();
}

std::string ScreenLog::FormatAda(uint64_t lovelace) {
  uint64_t whole = lovelace / 1000000;
  uint64_t frac = lovelace % 1000000;
  if (frac == 0) return absl::StrCat(whole, " ADA");
  std::string f = absl::StrFormat("%06d", frac);
  while (!f.empty() && f.back() == '0') f.pop_back();
  return absl::StrCat(whole, ".", f, " ADA");
}

}  // namespace stakeward::mocks
