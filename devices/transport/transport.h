// Transport layer: moves chunks (64-byte HID reports, UDP datagrams, or stream bytes) to and from
// one device, with a deadline on every read. No framing, no protocol knowledge.
#ifndef STAKEWARD_DEVICES_TRANSPORT_TRANSPORT_H_
#define STAKEWARD_DEVICES_TRANSPORT_TRANSPORT_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chain/bytes.h"

namespace stakeward::devices {

class Transport {
 public:
  enum class Kind {
    kReports,  // every Read/Write is one 64-byte report (HID, WebUSB, UDP, hidsock)
    kStream,   // a byte stream; Read returns whatever arrived (TCP to Speculos)
  };

  virtual ~Transport() = default;
  virtual Kind kind() const = 0;
  // Sends one chunk. UNAVAILABLE when the device is gone.
  virtual absl::Status Write(chain::ByteView chunk, absl::Time deadline) = 0;
  // Receives the next chunk. DEADLINE_EXCEEDED when nothing arrived in time, UNAVAILABLE when the
  // device is gone.
  virtual absl::StatusOr<chain::Bytes> Read(absl::Time deadline) = 0;
  // The URI the transport was opened from, e.g. "udp:127.0.0.1:21324".
  virtual std::string uri() const = 0;
};

inline constexpr size_t kReportSize = 64;

// Opens a transport from a device URI:
//   hid:<hidraw path>        Ledger or legacy Trezor over hidapi (hidraw backend)
//   webusb:<bus>:<address>   Trezor over libusb, interface 0, endpoints 0x01/0x81
//   udp:<ip>:<port>          Trezor emulator (one datagram per 64-byte packet)
//   tcp:<ip>:<port>          Speculos raw-APDU port
//   hidsock:<unix path>      a Unix stream socket carrying 64-byte Ledger HID reports
// INVALID_ARGUMENT for a malformed URI, PERMISSION_DENIED when the OS refuses access (with the
// udev hint), UNAVAILABLE when nothing answers there.
absl::StatusOr<std::unique_ptr<Transport>> OpenTransport(const std::string& uri,
                                                         absl::Duration connect_timeout);

// Error text appended to PERMISSION_DENIED on device nodes.
inline constexpr char kUdevHint[] =
    "install devices/udev/51-stakeward-hw.rules into /etc/udev/rules.d/, run "
    "`sudo udevadm control --reload-rules && sudo udevadm trigger`, then replug the device "
    "(or add your user to the plugdev group)";

}  // namespace stakeward::devices

#endif  // STAKEWARD_DEVICES_TRANSPORT_TRANSPORT_H_
