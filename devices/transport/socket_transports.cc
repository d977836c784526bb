#include "devices/transport/socket_transports.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace stakeward::devices {
namespace {

using chain::Bytes;
using chain::ByteView;

int RemainingMs(absl::Time deadline) {
  absl::Duration left = deadline - absl::Now();
  if (left <= absl::ZeroDuration()) return 0;
  int64_t ms = absl::ToInt64Milliseconds(left + absl::Microseconds(999));
  return ms > 1000000 ? 1000000 : static_cast<int>(ms);
}

// Waits for `events` on fd until the deadline. OK, DEADLINE_EXCEEDED or UNAVAILABLE.
absl::Status WaitFd(int fd, short events, absl::Time deadline, const std::string& what) {
  for (;;) {
    pollfd p{fd, events, 0};
    int r = ::poll(&p, 1, RemainingMs(deadline));
    if (r > 0) {
      if ((p.revents & events) != 0) return absl::OkStatus();
      if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) {
        return absl::UnavailableError(absl::StrCat(what, ": connection lost"));
      }
      continue;
    }
    if (r == 0) {
      if (absl::Now() >= deadline) {
        return absl::DeadlineExceededError(absl::StrCat(what, ": no reply before the deadline"));
      }
      continue;
    }
    if (errno == EINTR) continue;
    return absl::UnavailableError(absl::StrCat(what, ": poll failed: ", std::strerror(errno)));
  }
}

class FdTransport : public Transport {
 public:
  FdTransport(int fd, std::string uri) : fd_(fd), uri_(std::move(uri)) {}
  ~FdTransport() override {
    if (fd_ >= 0) ::close(fd_);
  }
  std::string uri() const override { return uri_; }

 protected:
  absl::Status SendAll(ByteView data, absl::Time deadline) {
    size_t off = 0;
    while (off < data.size()) {
      absl::Status w = WaitFd(fd_, POLLOUT, deadline, uri_);
      if (!w.ok()) return w;
      ssize_t n = ::send(fd_, data.data() + off, data.size() - off, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        return absl::UnavailableError(absl::StrCat(uri_, ": send failed: ", std::strerror(errno)));
      }
      off += static_cast<size_t>(n);
    }
    return absl::OkStatus();
  }
  absl::StatusOr<Bytes> RecvSome(size_t max, absl::Time deadline) {
    for (;;) {
      absl::Status w = WaitFd(fd_, POLLIN, deadline, uri_);
      if (!w.ok()) return w;
      Bytes buf(max);
      ssize_t n = ::recv(fd_, buf.data(), buf.size(), 0);
      if (n < 0) {
        if (errno == EINTR || errno == EAGAIN) continue;
        return absl::UnavailableError(
            absl::StrCat(uri_, ": receive failed: ", std::strerror(errno)));
      }
      if (n == 0)
        return absl::UnavailableError(absl::StrCat(uri_, ": device closed the connection"));
      buf.resize(static_cast<size_t>(n));
      return buf;
    }
  }

  int fd_;
  std::string uri_;
};

class TcpTransport : public FdTransport {
 public:
  using FdTransport::FdTransport;
  Kind kind() const override { return Kind::kStream; }
  absl::Status Write(ByteView chunk, absl::Time deadline) override {
    return SendAll(chunk, deadline);
  }
  absl::StatusOr<Bytes> Read(absl::Time deadline) override { return RecvSome(4096, deadline); }
};

// A stream socket whose payload is a sequence of 64-byte reports: Read reassembles one report.
class HidSocketTransport : public FdTransport {
 public:
  using FdTransport::FdTransport;
  Kind kind() const override { return Kind::kReports; }
  absl::Status Write(ByteView chunk, absl::Time deadline) override {
    if (chunk.size() != kReportSize) {
      return absl::InternalError("hidsock: reports are 64 bytes");
    }
    return SendAll(chunk, deadline);
  }
  absl::StatusOr<Bytes> Read(absl::Time deadline) override {
    while (pending_.size() < kReportSize) {
      auto more = RecvSome(kReportSize - pending_.size(), deadline);
      if (!more.ok()) return more.status();
      pending_.insert(pending_.end(), more->begin(), more->end());
    }
    Bytes report(pending_.begin(), pending_.begin() + kReportSize);
    pending_.erase(pending_.begin(), pending_.begin() + kReportSize);
    return report;
  }

 private:
  Bytes pending_;
};

class UdpTransport : public FdTransport {
 public:
  using FdTransport::FdTransport;
  Kind kind() const override { return Kind::kReports; }
  absl::Status Write(ByteView chunk, absl::Time deadline) override {
    if (chunk.size() != kReportSize) return absl::InternalError("udp: packets are 64 bytes");
    return SendAll(chunk, deadline);
  }
  absl::StatusOr<Bytes> Read(absl::Time deadline) override {
    for (;;) {
      // Datagrams larger than a report are read whole so they can be rejected by size.
      auto d = RecvSome(2048, deadline);
      if (!d.ok()) {
        // A connected UDP socket reports ECONNREFUSED when the emulator is gone.
        return d.status();
      }
      // Liveness answers are not protocol data (trezor.md §1.3).
      if (d->size() == 8 && std::memcmp(d->data(), "PONGPONG", 8) == 0) continue;
      return d;
    }
  }
};

absl::StatusOr<int> ConnectInet(const HostPort& hp, int type, absl::Duration timeout,
                                const std::string& uri) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(hp.port);
  if (::inet_pton(AF_INET, hp.host.c_str(), &addr.sin_addr) != 1) {
    return absl::InvalidArgumentError(absl::StrCat(uri, ": not an IPv4 address: ", hp.host));
  }
  int fd = ::socket(AF_INET, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return absl::UnavailableError(absl::StrCat("socket: ", std::strerror(errno)));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    if (errno != EINPROGRESS) {
      int e = errno;
      ::close(fd);
      return absl::UnavailableError(absl::StrCat(uri, ": cannot connect: ", std::strerror(e)));
    }
    absl::Status w = WaitFd(fd, POLLOUT, absl::Now() + timeout, uri);
    int err = 0;
    socklen_t len = sizeof(err);
    if (w.ok()) ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (!w.ok() || err != 0) {
      ::close(fd);
      return absl::UnavailableError(absl::StrCat(
          uri, ": cannot connect: ", w.ok() ? std::strerror(err) : std::string(w.message())));
    }
  }
  if (type == SOCK_STREAM) {
    int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  }
  return fd;
}

}  // namespace

absl::StatusOr<HostPort> ParseHostPort(absl::string_view text) {
  size_t colon = text.rfind(':');
  uint32_t port = 0;
  if (colon == std::string_view::npos || colon == 0 ||
      !absl::SimpleAtoi(text.substr(colon + 1), &port) || port == 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("expected <ip>:<port>, got \"", text, "\""));
  }
  return HostPort{std::string(text.substr(0, colon)), static_cast<uint16_t>(port)};
}

absl::StatusOr<std::unique_ptr<Transport>> OpenTcpTransport(const HostPort& hp,
                                                            absl::Duration connect_timeout) {
  std::string uri = absl::StrCat("tcp:", hp.host, ":", hp.port);
  auto fd = ConnectInet(hp, SOCK_STREAM, connect_timeout, uri);
  if (!fd.ok()) return fd.status();
  return std::unique_ptr<Transport>(new TcpTransport(*fd, uri));
}

absl::StatusOr<std::unique_ptr<Transport>> OpenUdpTransport(const HostPort& hp) {
  std::string uri = absl::StrCat("udp:", hp.host, ":", hp.port);
  auto fd = ConnectInet(hp, SOCK_DGRAM, absl::Seconds(1), uri);
  if (!fd.ok()) return fd.status();
  return std::unique_ptr<Transport>(new UdpTransport(*fd, uri));
}

absl::StatusOr<std::unique_ptr<Transport>> OpenHidSocketTransport(const std::string& path,
                                                                  absl::Duration connect_timeout) {
  std::string uri = absl::StrCat("hidsock:", path);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError(absl::StrCat(uri, ": bad socket path"));
  }
  std::memcpy(addr.sun_path, path.data(), path.size());
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::UnavailableError(absl::StrCat("socket: ", std::strerror(errno)));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    int e = errno;
    ::close(fd);
    if (e == EACCES) {
      return absl::PermissionDeniedError(absl::StrCat(uri, ": permission denied"));
    }
    return absl::UnavailableError(absl::StrCat(uri, ": cannot connect: ", std::strerror(e)));
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return std::unique_ptr<Transport>(new HidSocketTransport(fd, uri));
}

bool ProbeTrezorEmulator(const HostPort& hp, absl::Duration timeout) {
  // The ping is not a 64-byte packet, so it goes out on its own socket, not through Write.
  std::string uri = absl::StrCat("udp:", hp.host, ":", hp.port);
  auto fd = ConnectInet(hp, SOCK_DGRAM, timeout, uri);
  if (!fd.ok()) return false;
  bool alive = false;
  if (::send(*fd, "PINGPING", 8, MSG_NOSIGNAL) == 8) {
    absl::Time deadline = absl::Now() + timeout;
    while (!alive && WaitFd(*fd, POLLIN, deadline, uri).ok()) {
      char buf[64];
      ssize_t n = ::recv(*fd, buf, sizeof(buf), 0);
      if (n < 0 && errno != EINTR && errno != EAGAIN) break;
      alive = n == 8 && std::memcmp(buf, "PONGPONG", 8) == 0;
    }
  }
  ::close(*fd);
  return alive;
}

bool ProbeTcp(const HostPort& hp, absl::Duration timeout) {
  return OpenTcpTransport(hp, timeout).ok();
}

}  // namespace stakeward::devices
