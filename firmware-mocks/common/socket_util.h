// Small POSIX socket helpers for the mock servers: listening sockets on 127.0.0.1 (TCP or UDP)
// or a Unix path, deadline-bounded reads, and whole-buffer writes.
#ifndef STAKEWARD_FIRMWARE_MOCKS_COMMON_SOCKET_UTIL_H_
#define STAKEWARD_FIRMWARE_MOCKS_COMMON_SOCKET_UTIL_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chain/bytes.h"

namespace stakeward::mocks {

// Owns a file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd();
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.Release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release();
  void Reset(int fd = -1);

 private:
  int fd_ = -1;
};

struct Listener {
  UniqueFd fd;
  uint16_t port = 0;  // the bound port (TCP/UDP); 0 for Unix sockets
};

// TCP listening socket on 127.0.0.1:port (0 = any free port), SO_REUSEADDR.
absl::StatusOr<Listener> ListenTcp(uint16_t port);
// UDP socket bound to 127.0.0.1:port (0 = any free port).
absl::StatusOr<Listener> BindUdp(uint16_t port);
// Unix stream listening socket at `path` (an existing socket file there is replaced).
absl::StatusOr<Listener> ListenUnix(const std::string& path);

// Client side (tests): connect to 127.0.0.1:port or a Unix path.
absl::StatusOr<UniqueFd> ConnectTcp(uint16_t port);
absl::StatusOr<UniqueFd> ConnectUnix(const std::string& path);

// Reads exactly n bytes before `deadline`. DEADLINE_EXCEEDED on timeout, UNAVAILABLE if the peer
// closed the connection (or on a socket error).
absl::StatusOr<chain::Bytes> ReadExact(int fd, size_t n, absl::Time deadline);
// Reads whatever is available (up to max bytes), waiting until `deadline` for at least one byte.
absl::StatusOr<chain::Bytes> ReadSome(int fd, size_t max, absl::Time deadline);
// Reads one '\n'-terminated line (without the terminator, '\r' stripped), at most max_len bytes.
absl::StatusOr<std::string> ReadLine(int fd, size_t max_len, absl::Time deadline);
// Writes every byte (retrying short writes, no SIGPIPE). UNAVAILABLE on error.
absl::Status WriteAll(int fd, chain::ByteView data);
// Waits until fd is readable. false on timeout.
bool WaitReadable(int fd, absl::Duration timeout);

}  // namespace stakeward::mocks

#endif  // STAKEWARD_FIRMWARE_MOCKS_COMMON_SOCKET_UTIL_H_
