#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "devices/signer/ledger_signer.h"
#include "devices/signer/signer.h"
#include "devices/signer/trezor_signer.h"
#include "devices/transport/transport.h"
#include "devices/transport/usb_transports.h"

namespace stakeward::devices {

absl::StatusOr<std::unique_ptr<Signer>> OpenSigner(const std::string& uri,
                                                   const SignerOptions& options) {
  // The URI scheme says which vendor protocol to speak; for hid: the USB vendor id decides.
  Vendor vendor = Vendor::kLedger;
  std::string model;
  if (absl::StartsWith(uri, "udp:") || absl::StartsWith(uri, "webusb:")) {
    vendor = Vendor::kTrezor;
  } else if (absl::StartsWith(uri, "tcp:")) {
    model = "Ledger emulator (Speculos APDU port)";
  } else if (absl::StartsWith(uri, "hidsock:")) {
    model = "Ledger emulator (HID report socket)";
  } else if (absl::StartsWith(uri, "hid:")) {
    bool found = false;
    for (const auto& d : EnumerateHid()) {
      if (d.uri == uri) {
        vendor = d.vendor;
        model = d.model;
        found = true;
      }
    }
    if (!found) {
      return absl::UnavailableError(
          absl::StrCat(uri,
                       ": no Ledger or Trezor there; is it plugged in and unlocked? "
                       "(`stakeward devices` lists what is attached)"));
    }
  }
  auto t = OpenTransport(uri, options.connect_timeout);
  if (!t.ok()) return t.status();
  if (vendor == Vendor::kTrezor) return OpenTrezorSigner(std::move(*t), options);
  return OpenLedgerSigner(std::move(*t), model, options);
}

}  // namespace stakeward::devices
