// libusb transport for Trezor WebUSB (interface 0, interrupt endpoints 0x01/0x81, 64-byte
// transfers; trezor.md §1.2) and WebUSB enumeration.
#include <libusb.h>

#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "devices/transport/usb_transports.h"

namespace stakeward::devices {
namespace {

using chain::Bytes;
using chain::ByteView;

// One process-wide libusb context; nullptr when there is no USB subsystem.
libusb_context* Context() {
  static libusb_context* ctx = [] {
    libusb_context* c = nullptr;
    return libusb_init(&c) == 0 ? c : nullptr;
  }();
  return ctx;
}

bool IsTrezorWebUsb(const libusb_device_descriptor& d) {
  return d.idVendor == kTrezorVid &&
         (d.idProduct == kTrezorFirmwarePid || d.idProduct == kTrezorBootloaderPid);
}

unsigned int TimeoutMs(absl::Time deadline) {
  absl::Duration left = deadline - absl::Now();
  // libusb treats 0 as "wait forever": never pass it.
  if (left <= absl::Milliseconds(1)) return 1;
  return static_cast<unsigned int>(std::min<int64_t>(absl::ToInt64Milliseconds(left), 3600000));
}

absl::Status UsbError(int rc, const std::string& uri, const char* what) {
  switch (rc) {
    case LIBUSB_ERROR_TIMEOUT:
      return absl::DeadlineExceededError(absl::StrCat(uri, ": no reply before the deadline"));
    case LIBUSB_ERROR_ACCESS:
      return absl::PermissionDeniedError(
          absl::StrCat(uri, ": permission denied on the USB device; ", kUdevHint));
    case LIBUSB_ERROR_NO_DEVICE:
    case LIBUSB_ERROR_NOT_FOUND:
      return absl::UnavailableError(absl::StrCat(uri, ": device disconnected"));
    case LIBUSB_ERROR_BUSY:
      return absl::UnavailableError(
          absl::StrCat(uri, ": the device is in use by another program (Trezor Suite/Bridge?)"));
    default:
      return absl::UnavailableError(absl::StrCat(uri, ": ", what, ": ", libusb_error_name(rc)));
  }
}

class WebUsbTransport : public Transport {
 public:
  WebUsbTransport(libusb_device_handle* h, std::string uri) : h_(h), uri_(std::move(uri)) {}
  ~WebUsbTransport() override {
    libusb_release_interface(h_, kTrezorInterface);
    libusb_close(h_);
  }
  Kind kind() const override { return Kind::kReports; }
  std::string uri() const override { return uri_; }

  absl::Status Write(ByteView chunk, absl::Time deadline) override {
    if (chunk.size() != kReportSize) return absl::InternalError("webusb: packets are 64 bytes");
    unsigned char buf[kReportSize];
    std::memcpy(buf, chunk.data(), kReportSize);
    int sent = 0;
    int rc = libusb_interrupt_transfer(h_, kTrezorEndpointOut, buf, kReportSize, &sent,
                                       TimeoutMs(deadline));
    if (rc != 0) return UsbError(rc, uri_, "write");
    if (sent != static_cast<int>(kReportSize)) {
      return absl::UnavailableError(absl::StrCat(uri_, ": short write"));
    }
    return absl::OkStatus();
  }

  absl::StatusOr<Bytes> Read(absl::Time deadline) override {
    Bytes buf(kReportSize);
    int got = 0;
    int rc = libusb_interrupt_transfer(h_, kTrezorEndpointIn, buf.data(), kReportSize, &got,
                                       TimeoutMs(deadline));
    if (rc != 0) return UsbError(rc, uri_, "read");
    buf.resize(static_cast<size_t>(got));
    return buf;
  }

 private:
  libusb_device_handle* h_;
  std::string uri_;
};

}  // namespace

std::vector<AttachedDevice> EnumerateWebUsb() {
  std::vector<AttachedDevice> out;
  libusb_context* ctx = Context();
  if (ctx == nullptr) return out;
  libusb_device** list = nullptr;
  ssize_t n = libusb_get_device_list(ctx, &list);
  for (ssize_t i = 0; i < n; ++i) {
    libusb_device_descriptor d;
    if (libusb_get_device_descriptor(list[i], &d) != 0 || !IsTrezorWebUsb(d)) continue;
    AttachedDevice a;
    a.vendor = Vendor::kTrezor;
    a.vendor_id = d.idVendor;
    a.product_id = d.idProduct;
    a.uri = absl::StrCat("webusb:", libusb_get_bus_number(list[i]), ":",
                         libusb_get_device_address(list[i]));
    a.model = "Trezor";
    if (d.idProduct == kTrezorBootloaderPid) a.note = "bootloader mode: restart the device";
    libusb_device_handle* h = nullptr;
    int rc = libusb_open(list[i], &h);
    if (rc == 0) {
      unsigned char s[128];
      if (d.iSerialNumber != 0 &&
          libusb_get_string_descriptor_ascii(h, d.iSerialNumber, s, sizeof(s)) > 0) {
        a.serial = reinterpret_cast<char*>(s);
      }
      if (d.iProduct != 0 && libusb_get_string_descriptor_ascii(h, d.iProduct, s, sizeof(s)) > 0) {
        a.model = reinterpret_cast<char*>(s);
      }
      libusb_close(h);
    } else if (rc == LIBUSB_ERROR_ACCESS) {
      a.note = absl::StrCat("no permission to open the device; ", kUdevHint);
    }
    out.push_back(std::move(a));
  }
  if (list != nullptr) libusb_free_device_list(list, 1);
  return out;
}

absl::StatusOr<std::unique_ptr<Transport>> OpenWebUsbTransport(const std::string& bus_addr) {
  std::string uri = absl::StrCat("webusb:", bus_addr);
  std::vector<std::string> parts = absl::StrSplit(bus_addr, ':');
  uint32_t bus = 0, addr = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &bus) ||
      !absl::SimpleAtoi(parts[1], &addr) || bus > 255 || addr > 255) {
    return absl::InvalidArgumentError(absl::StrCat(uri, ": expected webusb:<bus>:<address>"));
  }
  libusb_context* ctx = Context();
  if (ctx == nullptr) return absl::UnavailableError(absl::StrCat(uri, ": no USB subsystem"));
  libusb_device** list = nullptr;
  ssize_t n = libusb_get_device_list(ctx, &list);
  libusb_device* found = nullptr;
  bool is_trezor = false;
  for (ssize_t i = 0; i < n; ++i) {
    if (libusb_get_bus_number(list[i]) == bus && libusb_get_device_address(list[i]) == addr) {
      found = list[i];
      libusb_device_descriptor d;
      is_trezor = libusb_get_device_descriptor(found, &d) == 0 && IsTrezorWebUsb(d);
      break;
    }
  }
  absl::Status st;
  libusb_device_handle* h = nullptr;
  if (found == nullptr) {
    st = absl::UnavailableError(absl::StrCat(uri, ": no device there (unplugged?)"));
  } else if (!is_trezor) {
    st = absl::InvalidArgumentError(absl::StrCat(uri, ": not a Trezor WebUSB device"));
  } else if (int rc = libusb_open(found, &h); rc != 0) {
    st = UsbError(rc, uri, "open");
  }
  if (list != nullptr) libusb_free_device_list(list, 1);
  if (!st.ok()) return st;
  if (int rc = libusb_claim_interface(h, kTrezorInterface); rc != 0) {
    libusb_close(h);
    return UsbError(rc, uri, "claim interface 0");
  }
  return std::unique_ptr<Transport>(new WebUsbTransport(h, uri));
}

}  // namespace stakeward::devices
