#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "devices/transport/socket_transports.h"
#include "devices/transport/transport.h"
#include "devices/transport/usb_transports.h"

namespace stakeward::devices {

absl::StatusOr<std::unique_ptr<Transport>> OpenTransport(const std::string& uri,
                                                         absl::Duration connect_timeout) {
  std::string_view u = uri;
  auto rest = [&](std::string_view prefix) { return std::string(u.substr(prefix.size())); };
  if (u.starts_with("hid:")) return OpenHidTransport(rest("hid:"));
  if (u.starts_with("webusb:")) return OpenWebUsbTransport(rest("webusb:"));
  if (u.starts_with("hidsock:")) return OpenHidSocketTransport(rest("hidsock:"), connect_timeout);
  if (u.starts_with("udp:") || u.starts_with("tcp:")) {
    auto hp = ParseHostPort(std::string(u.substr(4)));
    if (!hp.ok()) return absl::InvalidArgumentError(absl::StrCat(uri, ": ", hp.status().message()));
    return u.starts_with("udp:") ? OpenUdpTransport(*hp) : OpenTcpTransport(*hp, connect_timeout);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown device URI \"", uri,
      "\": expected hid:<path>, webusb:<bus>:<addr>, udp:<ip>:<port>, tcp:<ip>:<port> or "
      "hidsock:<path>"));
}

}  // namespace stakeward::devices
