// Transports over POSIX sockets: TCP (Speculos APDU port), UDP (Trezor emulator) and a Unix
// stream socket carrying 64-byte HID reports (mock-ledger's --hid-socket).
#ifndef STAKEWARD_DEVICES_TRANSPORT_SOCKET_TRANSPORTS_H_
#define STAKEWARD_DEVICES_TRANSPORT_SOCKET_TRANSPORTS_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "devices/transport/transport.h"

namespace stakeward::devices {

struct HostPort {
  std::string host;  // dotted IPv4 (loopback in practice)
  uint16_t port = 0;
};
// Parses "127.0.0.1:9999". INVALID_ARGUMENT otherwise.
absl::StatusOr<HostPort> ParseHostPort(absl::string_view text);

absl::StatusOr<std::unique_ptr<Transport>> OpenTcpTransport(const HostPort& hp,
                                                            absl::Duration connect_timeout);
absl::StatusOr<std::unique_ptr<Transport>> OpenUdpTransport(const HostPort& hp);
absl::StatusOr<std::unique_ptr<Transport>> OpenHidSocketTransport(const std::string& path,
                                                                  absl::Duration connect_timeout);

// Trezor emulator liveness probe: sends "PINGPING", true when "PONGPONG" comes back in time.
bool ProbeTrezorEmulator(const HostPort& hp, absl::Duration timeout);
// True when a TCP connection to hp succeeds in time (Speculos APDU port probe).
bool ProbeTcp(const HostPort& hp, absl::Duration timeout);

}  // namespace stakeward::devices

#endif  // STAKEWARD_DEVICES_TRANSPORT_SOCKET_TRANSPORTS_H_
