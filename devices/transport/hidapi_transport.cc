// hidapi (hidraw backend) transport and HID enumeration.
#include <hidapi.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "devices/transport/usb_transports.h"

namespace stakeward::devices {
namespace {

using chain::Bytes;
using chain::ByteView;

bool InitHidapi() {
  static const bool ok = hid_init() == 0;
  return ok;
}

std::string Narrow(const wchar_t* w) {
  std::string out;
  if (w == nullptr) return out;
  for (; *w != 0; ++w) {
    // Serial numbers and product strings are ASCII in practice; anything else becomes '?'.
    out.push_back(*w > 0 && *w < 0x7f ? static_cast<char>(*w) : '?');
  }
  return out;
}

class HidapiTransport : public Transport {
 public:
  HidapiTransport(hid_device* dev, std::string uri) : dev_(dev), uri_(std::move(uri)) {}
  ~HidapiTransport() override { hid_close(dev_); }
  Kind kind() const override { return Kind::kReports; }
  std::string uri() const override { return uri_; }

  absl::Status Write(ByteView chunk, absl::Time deadline) override {
    if (chunk.size() != kReportSize) return absl::InternalError("hid: reports are 64 bytes");
    // Report id 0 first: hidapi sends 65 bytes, the device ignores the id (ledger.md §1.2,
    // trezor.md §1.2 "HID version 2").
    unsigned char buf[kReportSize + 1];
    buf[0] = 0;
    std::memcpy(buf + 1, chunk.data(), kReportSize);
    int n = hid_write(dev_, buf, sizeof(buf));
    if (n < 0) {
      return absl::UnavailableError(
          absl::StrCat(uri_, ": write failed (device disconnected?): ", Narrow(hid_error(dev_))));
    }
    (void)deadline;  // hidraw writes of one report do not block on the user.
    return absl::OkStatus();
  }

  absl::StatusOr<Bytes> Read(absl::Time deadline) override {
    Bytes buf(kReportSize);
    for (;;) {
      absl::Duration left = deadline - absl::Now();
      int ms =
          left <= absl::ZeroDuration()
              ? 0
              : static_cast<int>(std::min<int64_t>(absl::ToInt64Milliseconds(left) + 1, 60000));
      int n = hid_read_timeout(dev_, buf.data(), buf.size(), ms);
      if (n < 0) {
        return absl::UnavailableError(
            absl::StrCat(uri_, ": read failed (device disconnected?): ", Narrow(hid_error(dev_))));
      }
      if (n > 0) {
        buf.resize(static_cast<size_t>(n));
        return buf;
      }
      if (absl::Now() >= deadline) {
        return absl::DeadlineExceededError(absl::StrCat(uri_, ": no reply before the deadline"));
      }
    }
  }

 private:
  hid_device* dev_;
  std::string uri_;
};

void AddHid(std::vector<AttachedDevice>& out, uint16_t vid, uint16_t pid_filter, Vendor vendor) {
  hid_device_info* list = hid_enumerate(vid, pid_filter);
  for (hid_device_info* d = list; d != nullptr; d = d->next) {
    // Linux hidraw does not report usage pages reliably: take interface 0 (ledger.md §1.1).
    bool main_interface = d->interface_number == 0 ||
                          (vendor == Vendor::kLedger && d->usage_page == kLedgerUsagePage) ||
                          (vendor == Vendor::kTrezor && d->usage_page == 0xff00);
    if (!main_interface) continue;
    AttachedDevice a;
    a.uri = absl::StrCat("hid:", d->path == nullptr ? "" : d->path);
    a.vendor = vendor;
    a.vendor_id = d->vendor_id;
    a.product_id = d->product_id;
    a.serial = Narrow(d->serial_number);
    if (vendor == Vendor::kLedger) {
      a.model = LedgerModelName(d->product_id);
    } else {
      a.model = "Trezor One (legacy HID firmware)";
      a.note = "firmware older than 1.7.0 has no Cardano support; update the firmware";
    }
    if (d->path != nullptr && ::access(d->path, R_OK | W_OK) != 0 && errno == EACCES) {
      a.note = absl::StrCat("no permission to open the device node; ", kUdevHint);
    }
    out.push_back(std::move(a));
  }
  hid_free_enumeration(list);
}

}  // namespace

std::string LedgerModelName(uint16_t pid) {
  // ledger.md §1.1: high byte = model; legacy single-byte ids too. Flex appears as 0x70 and 0x30.
  uint16_t model = pid >= 0x100 ? static_cast<uint16_t>(pid >> 8) : pid;
  switch (model) {
    case 0x00:
      return "Ledger Blue";
    case 0x01:
    case 0x10:
      return "Ledger Nano S";
    case 0x04:
    case 0x40:
      return "Ledger Nano X";
    case 0x05:
    case 0x50:
      return "Ledger Nano S Plus";
    case 0x06:
    case 0x60:
      return "Ledger Stax";
    case 0x07:
    case 0x70:
    case 0x30:
      return "Ledger Flex";
    case 0x08:
    case 0x80:
      return "Ledger Apex";
    default:
      return absl::StrCat("Ledger (product 0x", absl::Hex(pid, absl::kZeroPad4), ")");
  }
}

std::vector<AttachedDevice> EnumerateHid() {
  std::vector<AttachedDevice> out;
  if (!InitHidapi()) return out;
  AddHid(out, kLedgerVid, 0, Vendor::kLedger);
  AddHid(out, kTrezorLegacyVid, kTrezorLegacyPid, Vendor::kTrezor);
  return out;
}

absl::StatusOr<std::unique_ptr<Transport>> OpenHidTransport(const std::string& path) {
  std::string uri = absl::StrCat("hid:", path);
  if (path.empty()) return absl::InvalidArgumentError("hid: URI needs a device path");
  if (!InitHidapi()) return absl::UnavailableError("hidapi initialisation failed");
  if (::access(path.c_str(), F_OK) != 0) {
    return absl::UnavailableError(absl::StrCat(uri, ": no such device (unplugged?)"));
  }
  if (::access(path.c_str(), R_OK | W_OK) != 0 && errno == EACCES) {
    return absl::PermissionDeniedError(
        absl::StrCat(uri, ": permission denied on the device node; ", kUdevHint));
  }
  hid_device* dev = hid_open_path(path.c_str());
  if (dev == nullptr) {
    return absl::UnavailableError(absl::StrCat(uri, ": cannot open the device"));
  }
  return std::unique_ptr<Transport>(new HidapiTransport(dev, uri));
}

}  // namespace stakeward::devices
