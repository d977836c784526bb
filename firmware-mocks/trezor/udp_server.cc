#include "firmware-mocks/trezor/udp_server.h"

#include <poll.h>
#include <sys/socket.h>

#include <cstring>

#include "firmware-mocks/trezor/failures.h"
#include "firmware-mocks/trezor/flow.h"

namespace stakeward::mocks::trezor {
namespace {

constexpr char kPing[] = "PINGPING";
constexpr char kPong[] = "PONGPONG";
constexpr size_t kPingSize = 8;
constexpr int kPollMs = 50;

}  // namespace

UdpServer::UdpServer(TrezorDevice* device, FaultInjector* faults)
    : device_(device), faults_(faults) {}

UdpServer::~UdpServer() { Stop(); }

absl::Status UdpServer::Start(uint16_t port) {
  auto listener = BindUdp(port);
  if (!listener.ok()) return listener.status();
  fd_ = std::move(listener->fd);
  port_ = listener->port;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
  worker_ = std::thread([this] { WorkLoop(); });
  return absl::OkStatus();
}

void UdpServer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
  if (worker_.joinable()) worker_.join();
  fd_.Reset();
}

void UdpServer::Loop() {
  uint8_t buf[2048];
  while (!stopping_) {
    pollfd pfd{fd_.get(), POLLIN, 0};
    const int ready = ::poll(&pfd, 1, kPollMs);
    if (ready <= 0) continue;
    sockaddr_in from{};
    socklen_t from_len = sizeof(from);
    const ssize_t n =
        ::recvfrom(fd_.get(), buf, sizeof(buf), 0, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < 0) continue;
    OnDatagram(buf, static_cast<size_t>(n), from);
  }
}

void UdpServer::OnDatagram(const uint8_t* data, size_t size, const sockaddr_in& from) {
  if (size == kPingSize && std::memcmp(data, kPing, kPingSize) == 0) {
    ::sendto(fd_.get(), kPong, kPingSize, 0, reinterpret_cast<const sockaddr*>(&from),
             sizeof(from));
    return;
  }
  auto result = reassembler_.Feed(chain::ByteView(data, size));
  if (!result.ok()) {
    // The firmware drops a packet with a bad magic; an oversized message is answered with a
    // Failure so the host does not wait for nothing.
    if (result.status().message() == "Message too large") {
      SendMessage(MakeReply(hw::trezor::messages::MessageType_Failure,
                            ToFailure(DataError("Message too large")))
                      .message,
                  from);
    }
    return;
  }
  if (!result->has_value()) return;
  absl::MutexLock lock(&mu_);
  queue_.emplace_back(std::move(**result), from);
}

bool UdpServer::WorkReady() const { return stopping_ || !queue_.empty(); }

void UdpServer::WorkLoop() {
  while (true) {
    std::pair<WireMessage, sockaddr_in> item;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &UdpServer::WorkReady));
      if (stopping_) return;
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    SendMessage(device_->Handle(item.first), item.second);
  }
}

void UdpServer::SendMessage(const WireMessage& msg, const sockaddr_in& to) {
  for (const Packet& packet : EncodePackets(msg.type, chain::View(msg.payload))) {
    chain::Bytes frame(packet.begin(), packet.end());
    switch (faults_->NextFrame()) {
      case Fault::kNone:
        break;
      case Fault::kDrop:
        continue;
      case Fault::kCorrupt:
      case Fault::kWrongChannel:
        FaultInjector::Corrupt(frame);
        break;
      case Fault::kTruncate:
        FaultInjector::Truncate(frame);
        break;
      case Fault::kDisconnect:
        // UDP has no connection: the device "re-plugs", losing the session and the rest of
        // this reply.
        device_->Reset();
        return;
    }
    ::sendto(fd_.get(), frame.data(), frame.size(), 0, reinterpret_cast<const sockaddr*>(&to),
             sizeof(to));
  }
}

}  // namespace stakeward::mocks::trezor
