// Transport layer: enumeration without devices, URI errors, deadlines, and the UDP emulator
// conventions (PINGPING/PONGPONG), against local sockets.
#include "devices/transport/transport.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <thread>

#include "devices/transport/socket_transports.h"
#include "devices/transport/usb_transports.h"
#include "gtest/gtest.h"

namespace stakeward::devices {
namespace {

TEST(Enumeration, NoDeviceIsAnEmptyListNotAnError) {
  // CI machines have no hardware wallet attached: both enumerations must come back empty
  // (hidapi and libusb are initialised for real). With a device plugged in, every entry must at
  // least be well formed.
  std::vector<AttachedDevice> all = EnumerateHid();
  std::vector<AttachedDevice> usb = EnumerateWebUsb();
  all.insert(all.end(), usb.begin(), usb.end());
  if (getenv("STAKEWARD_HW_ATTACHED") == nullptr) {
    EXPECT_TRUE(all.empty()) << all.front().uri;
  }
  for (const auto& d : all) {
    EXPECT_TRUE(d.uri.starts_with("hid:") || d.uri.starts_with("webusb:")) << d.uri;
    EXPECT_FALSE(d.model.empty());
  }
}

TEST(OpenTransport, UriErrors) {
  EXPECT_EQ(OpenTransport("bogus:1", absl::Seconds(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenTransport("udp:127.0.0.1:notaport", absl::Seconds(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenTransport("webusb:1", absl::Seconds(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenTransport("hid:/dev/does-not-exist", absl::Seconds(1)).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(OpenTransport("hidsock:/nonexistent/socket", absl::Seconds(1)).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(LedgerModels, ClassifiedByHighByte) {
  EXPECT_EQ(LedgerModelName(0x5011), "Ledger Nano S Plus");
  EXPECT_EQ(LedgerModelName(0x4015), "Ledger Nano X");
  EXPECT_EQ(LedgerModelName(0x0001), "Ledger Nano S");
  EXPECT_EQ(LedgerModelName(0x3001), "Ledger Flex");
  EXPECT_EQ(LedgerModelName(0x7001), "Ledger Flex");
}

struct LocalSocket {
  int fd = -1;
  uint16_t port = 0;
  explicit LocalSocket(int type) {
    fd = ::socket(AF_INET, type, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
    socklen_t len = sizeof(a);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    if (type == SOCK_STREAM) ::listen(fd, 4);
  }
  ~LocalSocket() { ::close(fd); }
};

TEST(TcpTransport, ReadHonoursTheDeadlineAndSeesDisconnects) {
  LocalSocket server(SOCK_STREAM);
  auto t = OpenTcpTransport({"127.0.0.1", server.port}, absl::Seconds(2));
  ASSERT_TRUE(t.ok()) << t.status();
  int conn = ::accept(server.fd, nullptr, nullptr);
  ASSERT_GE(conn, 0);
  absl::Time start = absl::Now();
  EXPECT_EQ((*t)->Read(absl::Now() + absl::Milliseconds(100)).status().code(),
            absl::StatusCode::kDeadlineExceeded);
  EXPECT_LT(absl::Now() - start, absl::Seconds(2));
  ::close(conn);
  EXPECT_EQ((*t)->Read(absl::Now() + absl::Seconds(2)).status().code(),
            absl::StatusCode::kUnavailable);
}

TEST(TcpTransport, NobodyListeningIsUnavailable) {
  uint16_t port;
  {
    LocalSocket s(SOCK_STREAM);
    port = s.port;
  }
  EXPECT_EQ(OpenTcpTransport({"127.0.0.1", port}, absl::Seconds(1)).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_FALSE(ProbeTcp({"127.0.0.1", port}, absl::Milliseconds(200)));
}

TEST(UdpTransport, PingProbeAndPongFiltering) {
  LocalSocket emu(SOCK_DGRAM);
  std::thread responder([&] {
    for (int i = 0; i < 2; ++i) {
      char buf[128];
      sockaddr_in from{};
      socklen_t len = sizeof(from);
      ssize_t n = ::recvfrom(emu.fd, buf, sizeof(buf), 0, reinterpret_cast<sockaddr*>(&from), &len);
      if (n == 8 && std::memcmp(buf, "PINGPING", 8) == 0) {
        ::sendto(emu.fd, "PONGPONG", 8, 0, reinterpret_cast<sockaddr*>(&from), len);
      } else if (n == 64) {
        // A stray liveness answer first: the transport must skip it.
        ::sendto(emu.fd, "PONGPONG", 8, 0, reinterpret_cast<sockaddr*>(&from), len);
        ::sendto(emu.fd, buf, 64, 0, reinterpret_cast<sockaddr*>(&from), len);
      }
    }
  });
  EXPECT_TRUE(ProbeTrezorEmulator({"127.0.0.1", emu.port}, absl::Seconds(2)));
  auto t = OpenUdpTransport({"127.0.0.1", emu.port});
  ASSERT_TRUE(t.ok());
  chain::Bytes packet(64, 0x3f);
  ASSERT_TRUE((*t)->Write(chain::View(packet), absl::Now() + absl::Seconds(1)).ok());
  auto echo = (*t)->Read(absl::Now() + absl::Seconds(2));
  ASSERT_TRUE(echo.ok()) << echo.status();
  EXPECT_EQ(*echo, packet);
  responder.join();
  EXPECT_EQ((*t)->Read(absl::Now() + absl::Milliseconds(50)).status().code(),
            absl::StatusCode::kDeadlineExceeded);
}

}  // namespace
}  // namespace stakeward::devices
