// Choosing a device: by URI, by serial number, or by key fingerprint. With several devices
// attached and no choice made, the caller gets an error listing them — never "the first to
// answer".
#ifndef STAKEWARD_DEVICES_SIGNER_SELECT_H_
#define STAKEWARD_DEVICES_SIGNER_SELECT_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "devices/signer/signer.h"
#include "devices/transport/usb_transports.h"

namespace stakeward::devices {

// Default emulator endpoints (trezor.md §1.3: 21324/udp; ledger.md §2: Speculos 9999/tcp).
inline constexpr char kTrezorEmulatorUri[] = "udp:127.0.0.1:21324";
inline constexpr char kSpeculosUri[] = "tcp:127.0.0.1:9999";

// Attached USB devices plus the default emulator endpoints that answer a short probe.
std::vector<AttachedDevice> ListCandidates(absl::Duration probe_timeout);

// The account fingerprint a signer quotes: the first 8 hex digits of blake2b-224 of the CIP-1854
// account public key m/1854'/1815'/0' (for a Trezor, under the chosen derivation).
absl::StatusOr<std::string> KeyFingerprint(Signer& signer);

// selector: a device URI (hid:, webusb:, udp:, tcp:, hidsock:), "serial:<serial>",
// "fingerprint:<8 hex>", or "" for "the only device attached".
absl::StatusOr<std::unique_ptr<Signer>> OpenSelected(const std::string& selector,
                                                     const SignerOptions& options);

}  // namespace stakeward::devices

#endif  // STAKEWARD_DEVICES_SIGNER_SELECT_H_
