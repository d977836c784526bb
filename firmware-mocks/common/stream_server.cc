#include "firmware-mocks/common/stream_server.h"

#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <utility>

namespace stakeward::mocks {

StreamServer::StreamServer(Handler handler) : handler_(std::move(handler)) {}

StreamServer::~StreamServer() { Stop(); }

absl::Status StreamServer::StartTcp(uint16_t port) {
  absl::StatusOr<Listener> l = ListenTcp(port);
  if (!l.ok()) return l.status();
  listen_fd_ = std::move(l->fd);
  port_ = l->port;
  stopping_ = false;
  accept_thread_ = std::thread([this] { AcceptLoop(); });
  return absl::OkStatus();
}

absl::Status StreamServer::StartUnix(const std::string& path) {
  absl::StatusOr<Listener> l = ListenUnix(path);
  if (!l.ok()) return l.status();
  listen_fd_ = std::move(l->fd);
  unix_path_ = path;
  stopping_ = false;
  accept_thread_ = std::thread([this] { AcceptLoop(); });
  return absl::OkStatus();
}

void StreamServer::AcceptLoop() {
  while (!stopping_) {
    // Poll with a short timeout so Stop() never depends on shutdown() waking accept().
    if (!WaitReadable(listen_fd_.get(), absl::Milliseconds(50))) {
      ReapFinished();
      continue;
    }
    int fd = ::accept4(listen_fd_.get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    auto conn = std::make_unique<Conn>();
    conn->fd = fd;
    Conn* raw = conn.get();
    absl::MutexLock lock(&mu_);
    if (stopping_) {
      ::close(fd);
      return;
    }
    raw->thread = std::thread([this, raw] {
      handler_(raw->fd, stopping_);
      ::shutdown(raw->fd, SHUT_RDWR);  // the peer sees the close now; the fd is reaped later
      raw->done = true;
    });
    conns_.push_back(std::move(conn));
  }
}

void StreamServer::ReapFinished() {
  absl::MutexLock lock(&mu_);
  for (auto it = conns_.begin(); it != conns_.end();) {
    if ((*it)->done) {
      (*it)->thread.join();
      ::close((*it)->fd);
      it = conns_.erase(it);
    } else {
      ++it;
    }
  }
}

void StreamServer::Stop() {
  if (!accept_thread_.joinable()) return;
  stopping_ = true;
  accept_thread_.join();
  std::list<std::unique_ptr<Conn>> conns;
  {
    absl::MutexLock lock(&mu_);
    conns.swap(conns_);
  }
  for (auto& c : conns) ::shutdown(c->fd, SHUT_RDWR);
  for (auto& c : conns) {
    c->thread.join();
    ::close(c->fd);
  }
  listen_fd_.Reset();
  if (!unix_path_.empty()) ::unlink(unix_path_.c_str());
}

}  // namespace stakeward::mocks
