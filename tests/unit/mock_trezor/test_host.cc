#include "tests/unit/mock_trezor/test_host.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstring>

#include "absl/status/status.h"

namespace stakeward::mocks::trezor::testing {

absl::StatusOr<UdpHost> UdpHost::Connect(uint16_t port) {
  UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return absl::UnavailableError("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    return absl::UnavailableError("connect");
  }
  return UdpHost(std::move(fd));
}

absl::Status UdpHost::SendRaw(chain::ByteView datagram) {
  if (::send(fd_.get(), datagram.data(), datagram.size(), 0) !=
      static_cast<ssize_t>(datagram.size())) {
    return absl::UnavailableError("send");
  }
  return absl::OkStatus();
}

absl::Status UdpHost::Send(uint16_t type, chain::ByteView payload) {
  for (const Packet& p : EncodePackets(type, payload)) {
    if (auto s = SendRaw(chain::ByteView(p.data(), p.size())); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<WireMessage> UdpHost::Receive(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  Reassembler reassembler;
  uint8_t buf[2048];
  while (true) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return absl::DeadlineExceededError("no reply");
    pollfd pfd{fd_.get(), POLLIN, 0};
    const int ready = ::poll(&pfd, 1, static_cast<int>(absl::ToInt64Milliseconds(left)) + 1);
    if (ready <= 0) continue;
    const ssize_t n = ::recv(fd_.get(), buf, sizeof(buf), 0);
    if (n < 0) return absl::UnavailableError("recv");
    if (n == 8 && std::memcmp(buf, "PONGPONG", 8) == 0) continue;
    // trezorlib insists on 64-byte datagrams.
    if (n != static_cast<ssize_t>(kPacketSize)) {
      return absl::DataLossError("datagram of the wrong size");
    }
    auto r = reassembler.Feed(chain::ByteView(buf, static_cast<size_t>(n)));
    if (!r.ok()) return absl::DataLossError(r.status().message());
    if (r->has_value()) return std::move(**r);
  }
}

absl::StatusOr<WireMessage> UdpHost::Call(uint16_t type, chain::ByteView payload,
                                          absl::Duration timeout, int* button_requests) {
  if (auto s = Send(type, payload); !s.ok()) return s;
  while (true) {
    auto msg = Receive(timeout);
    if (!msg.ok()) return msg.status();
    if (msg->type != 26) return msg;  // ButtonRequest
    if (button_requests) ++*button_requests;
    if (auto s = Send(27, {}); !s.ok()) return s;  // ButtonAck
  }
}

absl::StatusOr<WireMessage> UdpHost::Call(uint16_t type, const google::protobuf::MessageLite& msg,
                                          int* button_requests) {
  const std::string bytes = msg.SerializeAsString();
  return Call(type, chain::View(std::string_view(bytes)), absl::Seconds(5), button_requests);
}

bool UdpHost::Ping(absl::Duration timeout) {
  if (!SendRaw(chain::View(std::string_view("PINGPING"))).ok()) return false;
  const absl::Time deadline = absl::Now() + timeout;
  uint8_t buf[2048];
  while (absl::Now() < deadline) {
    pollfd pfd{fd_.get(), POLLIN, 0};
    if (::poll(&pfd, 1, 50) <= 0) continue;
    const ssize_t n = ::recv(fd_.get(), buf, sizeof(buf), 0);
    if (n == 8 && std::memcmp(buf, "PONGPONG", 8) == 0) return true;
  }
  return false;
}

void UdpHost::Drain() {
  uint8_t buf[2048];
  while (true) {
    pollfd pfd{fd_.get(), POLLIN, 0};
    if (::poll(&pfd, 1, 20) <= 0) return;
    if (::recv(fd_.get(), buf, sizeof(buf), 0) < 0) return;
  }
}

std::string PayloadHex(const WireMessage& m) { return chain::HexEncode(chain::View(m.payload)); }

}  // namespace stakeward::mocks::trezor::testing
