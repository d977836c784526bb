// A listening stream socket (TCP or Unix) served by one accept thread and one thread per
// connection. Stop() closes the listener and every open connection and joins all threads, so a
// handler blocked in a read returns promptly.
#ifndef STAKEWARD_FIRMWARE_MOCKS_COMMON_STREAM_SERVER_H_
#define STAKEWARD_FIRMWARE_MOCKS_COMMON_STREAM_SERVER_H_

#include <atomic>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "firmware-mocks/common/socket_util.h"

namespace stakeward::mocks {

class StreamServer {
 public:
  // Serves one connection until it returns; the server closes fd afterwards. `stopping` becomes
  // true when Stop() is called (the fd is also shut down then, so reads fail).
  using Handler = std::function<void(int fd, const std::atomic<bool>& stopping)>;

  explicit StreamServer(Handler handler);
  ~StreamServer();  // calls Stop()
  StreamServer(const StreamServer&) = delete;
  StreamServer& operator=(const StreamServer&) = delete;

  absl::Status StartTcp(uint16_t port);  // 127.0.0.1; 0 = free port
  absl::Status StartUnix(const std::string& path);
  void Stop();
  uint16_t port() const { return port_; }

 private:
  struct Conn {
    int fd = -1;
    std::thread thread;
    std::atomic<bool> done{false};
  };
  void AcceptLoop();
  void ReapFinished();

  Handler handler_;
  UniqueFd listen_fd_;
  uint16_t port_ = 0;
  std::string unix_path_;
  std::thread accept_thread_;
  std::atomic<bool> stopping_{false};
  absl::Mutex mu_;
  std::list<std::unique_ptr<Conn>> conns_ ABSL_GUARDED_BY(mu_);
};

}  // namespace stakeward::mocks

#endif  // STAKEWARD_FIRMWARE_MOCKS_COMMON_STREAM_SERVER_H_
