// Waits for a child process to exit within a timeout without polling in a sleep loop: the
// child's pidfd (Linux 5.3+) becomes readable when it exits. Test-only, header-only.
#ifndef STAKEWARD_TESTS_COMMON_WAIT_CHILD_H_
#define STAKEWARD_TESTS_COMMON_WAIT_CHILD_H_

#include <poll.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>

namespace stakeward::testing {

// Reaps `pid` into `*status` and returns true when it exits within `timeout_ms`; false when it
// is still running (or its pidfd cannot be opened), leaving it unreaped.
inline bool WaitChild(pid_t pid, int64_t timeout_ms, int* status) {
  const int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0) return ::waitpid(pid, status, WNOHANG) == pid;
  pollfd p{fd, POLLIN, 0};
  const int ms =
      static_cast<int>(timeout_ms < 0 ? 0 : (timeout_ms > INT_MAX ? INT_MAX : timeout_ms));
  int r = 0;
  do {
    r = ::poll(&p, 1, ms);
  } while (r < 0 && errno == EINTR);
  ::close(fd);
  if (r <= 0) return false;
  return ::waitpid(pid, status, 0) == pid;
}

}  // namespace stakeward::testing

#endif  // STAKEWARD_TESTS_COMMON_WAIT_CHILD_H_
