#include "firmware-mocks/common/socket_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace stakeward::mocks {
namespace {

absl::Status Errno(std::string_view what) {
  return absl::UnavailableError(absl::StrCat(std::string(what), ": ", std::strerror(errno)));
}

sockaddr_in Loopback(uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return addr;
}

absl::StatusOr<uint16_t> BoundPort(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof(addr);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return Errno("getsockname");
  return ntohs(addr.sin_port);
}

absl::StatusOr<sockaddr_un> UnixAddr(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError(absl::StrCat("bad unix socket path '", path, "'"));
  }
  std::memcpy(addr.sun_path, path.data(), path.size());
  return addr;
}

// Milliseconds until the deadline for poll(), at least 0.
int PollTimeout(absl::Time deadline) {
  if (deadline == absl::InfiniteFuture()) return -1;
  absl::Duration left = deadline - absl::Now();
  if (left <= absl::ZeroDuration()) return 0;
  return static_cast<int>(std::min<int64_t>(absl::ToInt64Milliseconds(left) + 1, 1 << 30));
}

}  // namespace

UniqueFd::~UniqueFd() { Reset(); }

UniqueFd& UniqueFd::operator=(UniqueFd&& o) noexcept {
  if (this != &o) Reset(o.Release());
  return *this;
}

int UniqueFd::Release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::Reset(int fd) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

absl::StatusOr<Listener> ListenTcp(uint16_t port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Errno("socket");
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr = Loopback(port);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    return Errno(absl::StrCat("bind 127.0.0.1:", port));
  }
  if (::listen(fd.get(), 16) != 0) return Errno("listen");
  absl::StatusOr<uint16_t> bound = BoundPort(fd.get());
  if (!bound.ok()) return bound.status();
  return Listener{std::move(fd), *bound};
}

absl::StatusOr<Listener> BindUdp(uint16_t port) {
  UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Errno("socket");
  sockaddr_in addr = Loopback(port);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    return Errno(absl::StrCat("bind udp 127.0.0.1:", port));
  }
  absl::StatusOr<uint16_t> bound = BoundPort(fd.get());
  if (!bound.ok()) return bound.status();
  return Listener{std::move(fd), *bound};
}

absl::StatusOr<Listener> ListenUnix(const std::string& path) {
  absl::StatusOr<sockaddr_un> addr = UnixAddr(path);
  if (!addr.ok()) return addr.status();
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Errno("socket");
  ::unlink(path.c_str());
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&*addr), sizeof(*addr)) != 0) {
    return Errno(absl::StrCat("bind ", path));
  }
  if (::listen(fd.get(), 16) != 0) return Errno("listen");
  return Listener{std::move(fd), 0};
}

absl::StatusOr<UniqueFd> ConnectTcp(uint16_t port) {
  UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Errno("socket");
  sockaddr_in addr = Loopback(port);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    return Errno(absl::StrCat("connect 127.0.0.1:", port));
  }
  int one = 1;
  ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

absl::StatusOr<UniqueFd> ConnectUnix(const std::string& path) {
  absl::StatusOr<sockaddr_un> addr = UnixAddr(path);
  if (!addr.ok()) return addr.status();
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Errno("socket");
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&*addr), sizeof(*addr)) != 0) {
    return Errno(absl::StrCat("connect ", path));
  }
  return fd;
}

bool WaitReadable(int fd, absl::Duration timeout) {
  pollfd p{fd, POLLIN, 0};
  int ms = static_cast<int>(std::max<int64_t>(absl::ToInt64Milliseconds(timeout), 0));
  int r;
  do {
    r = ::poll(&p, 1, ms);
  } while (r < 0 && errno == EINTR);
  return r > 0;
}

absl::StatusOr<chain::Bytes> ReadSome(int fd, size_t max, absl::Time deadline) {
  while (true) {
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, PollTimeout(deadline));
    if (r < 0) {
      if (errno == EINTR) continue;
      return Errno("poll");
    }
    if (r == 0) return absl::DeadlineExceededError("read timed out");
    chain::Bytes buf(max);
    ssize_t n = ::read(fd, buf.data(), max);  // read(): works on sockets and pipes
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      return Errno("read");
    }
    if (n == 0) return absl::UnavailableError("connection closed by peer");
    buf.resize(static_cast<size_t>(n));
    return buf;
  }
}

absl::StatusOr<chain::Bytes> ReadExact(int fd, size_t n, absl::Time deadline) {
  chain::Bytes out;
  out.reserve(n);
  while (out.size() < n) {
    absl::StatusOr<chain::Bytes> part = ReadSome(fd, n - out.size(), deadline);
    if (!part.ok()) return part.status();
    out.insert(out.end(), part->begin(), part->end());
  }
  return out;
}

absl::StatusOr<std::string> ReadLine(int fd, size_t max_len, absl::Time deadline) {
  std::string line;
  while (true) {
    absl::StatusOr<chain::Bytes> b = ReadSome(fd, 1, deadline);
    if (!b.ok()) return b.status();
    char c = static_cast<char>((*b)[0]);
    if (c == '\n') break;
    if (line.size() >= max_len) return absl::InvalidArgumentError("line too long");
    line.push_back(c);
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

absl::Status WriteAll(int fd, chain::ByteView data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Errno("send");
    }
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

}  // namespace stakeward::mocks
