// Transports to real USB devices: hidapi (hidraw backend) for Ledger and legacy-HID Trezor, and
// libusb for Trezor WebUSB. Also the USB enumeration used by `stakeward devices`.
#ifndef STAKEWARD_DEVICES_TRANSPORT_USB_TRANSPORTS_H_
#define STAKEWARD_DEVICES_TRANSPORT_USB_TRANSPORTS_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "devices/transport/transport.h"

namespace stakeward::devices {

// USB ids. Ledger: ledger.md §1.1. Trezor: trezor.md §1.2.
inline constexpr uint16_t kLedgerVid = 0x2c97;
inline constexpr uint16_t kLedgerUsagePage = 0xffa0;
inline constexpr uint16_t kTrezorLegacyVid = 0x534c;
inline constexpr uint16_t kTrezorLegacyPid = 0x0001;
inline constexpr uint16_t kTrezorVid = 0x1209;
inline constexpr uint16_t kTrezorBootloaderPid = 0x53c0;
inline constexpr uint16_t kTrezorFirmwarePid = 0x53c1;
inline constexpr uint8_t kTrezorInterface = 0;
inline constexpr uint8_t kTrezorEndpointOut = 0x01;
inline constexpr uint8_t kTrezorEndpointIn = 0x81;

enum class Vendor { kLedger, kTrezor };

// One attached USB device (or emulator endpoint) as enumeration sees it, before any protocol talk.
struct AttachedDevice {
  std::string uri;  // hid:..., webusb:..., udp:..., tcp:...
  Vendor vendor = Vendor::kLedger;
  uint16_t vendor_id = 0;
  uint16_t product_id = 0;
  std::string model;   // from the product id ("Nano S Plus") or the product string
  std::string serial;  // USB serial number when readable, else empty
  std::string note;    // e.g. "bootloader mode", "no permission to open"
};

// Ledger name for a product id (classified by pid >> 8, legacy one-byte ids too).
std::string LedgerModelName(uint16_t product_id);

// Attached Ledger and legacy Trezor HID interfaces. No device: an empty list.
std::vector<AttachedDevice> EnumerateHid();
// Attached Trezor WebUSB devices. No device, or no USB subsystem at all: an empty list.
std::vector<AttachedDevice> EnumerateWebUsb();

absl::StatusOr<std::unique_ptr<Transport>> OpenHidTransport(const std::string& path);
// bus_addr = "<bus>:<address>" as in the webusb: URI.
absl::StatusOr<std::unique_ptr<Transport>> OpenWebUsbTransport(const std::string& bus_addr);

}  // namespace stakeward::devices

#endif  // STAKEWARD_DEVICES_TRANSPORT_USB_TRANSPORTS_H_
