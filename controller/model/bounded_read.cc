#include "controller/model/bounded_read.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace stakeward::controller {

InputLimit LimitOf(InputKind kind) {
  switch (kind) {
    case InputKind::kPolicy:
      return {"policy document", size_t{4} << 20};
    case InputKind::kSnapshot:
      return {"snapshot", size_t{256} << 20};
    case InputKind::kTransaction:
      return {"transaction file", size_t{4} << 20};
    case InputKind::kApprovals:
      return {"approvals file", size_t{16} << 20};
    case InputKind::kPem:
      return {"PEM file", size_t{1} << 20};
    case InputKind::kConfig:
      return {"configuration file", size_t{1} << 20};
    case InputKind::kTrustStore:
      return {"trust store", size_t{1} << 20};
    case InputKind::kAuditExport:
      return {"audit export", size_t{1} << 30};
    case InputKind::kTextList:
      return {"text file", size_t{16} << 20};
  }
  return {"file", 0};
}

namespace {

// Closes the descriptor on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

absl::StatusOr<std::string> ReadBoundedFile(const std::string& path, InputKind kind) {
  const InputLimit limit = LimitOf(kind);
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) {
    const int err = errno;
    const std::string msg =
        absl::StrCat("cannot open ", limit.what, " ", path, ": ", std::strerror(err));
    return err == ENOENT ? absl::NotFoundError(msg) : absl::InvalidArgumentError(msg);
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is not a regular file (expected a ", limit.what, ")"));
  }
  if (static_cast<uintmax_t>(st.st_size) > limit.max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(path, " is ", st.st_size, " bytes; a ",
                                                   limit.what, " is at most ", limit.max_bytes));
  }
  std::string out;
  out.resize(static_cast<size_t>(st.st_size) + 1);
  size_t got = 0;
  while (true) {
    if (got == out.size()) {
      if (out.size() > limit.max_bytes) break;
      out.resize(std::min(out.size() * 2, limit.max_bytes + 1));
    }
    const ssize_t n = ::read(fd.get(), out.data() + got, out.size() - got);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot read ", path, ": ", std::strerror(errno)));
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  if (got > limit.max_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(path, " grew past the limit for a ", limit.what,
                                                   " (", limit.max_bytes,
                                                   " bytes) while being read"));
  }
  out.resize(got);
  return out;
}

}  // namespace stakeward::controller
