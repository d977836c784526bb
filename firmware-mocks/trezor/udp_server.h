// The emulator's UDP wire transport (specs/trezor.md §1.3): one 64-byte codec-v1 packet per
// datagram on 127.0.0.1, `PINGPING` answered with `PONGPONG` at any time, replies sent to the
// source of the most recent datagram. Device->host packets pass through the FaultInjector.
// Two threads: the receiver reassembles packets and answers pings at once (also while the
// simulated user is thinking); the worker runs the device and sends its replies.
#ifndef STAKEWARD_FIRMWARE_MOCKS_TREZOR_UDP_SERVER_H_
#define STAKEWARD_FIRMWARE_MOCKS_TREZOR_UDP_SERVER_H_

#include <netinet/in.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "firmware-mocks/common/fault_injector.h"
#include "firmware-mocks/common/socket_util.h"
#include "firmware-mocks/trezor/codec_v1.h"
#include "firmware-mocks/trezor/device.h"

namespace stakeward::mocks::trezor {

class UdpServer {
 public:
  // `device` and `faults` must outlive the server.
  UdpServer(TrezorDevice* device, FaultInjector* faults);
  ~UdpServer();
  UdpServer(const UdpServer&) = delete;
  UdpServer& operator=(const UdpServer&) = delete;

  absl::Status Start(uint16_t port);  // 0 = free port
  void Stop();
  uint16_t port() const { return port_; }

 private:
  void Loop();
  void WorkLoop();
  bool WorkReady() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void OnDatagram(const uint8_t* data, size_t size, const sockaddr_in& from);
  void SendMessage(const WireMessage& msg, const sockaddr_in& to);

  TrezorDevice* device_;
  FaultInjector* faults_;
  UniqueFd fd_;
  uint16_t port_ = 0;
  std::thread thread_;
  std::thread worker_;
  std::atomic<bool> stopping_{false};
  Reassembler reassembler_;  // receiver thread only
  mutable absl::Mutex mu_;
  std::deque<std::pair<WireMessage, sockaddr_in>> queue_ ABSL_GUARDED_BY(mu_);
};

}  // namespace stakeward::mocks::trezor

#endif  // STAKEWARD_FIRMWARE_MOCKS_TREZOR_UDP_SERVER_H_
