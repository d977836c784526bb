// Signer over a Trezor device or emulator (protocol v1).
#ifndef STAKEWARD_DEVICES_SIGNER_TREZOR_SIGNER_H_
#define STAKEWARD_DEVICES_SIGNER_TREZOR_SIGNER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "devices/signer/signer.h"
#include "devices/transport/transport.h"

namespace stakeward::devices {

absl::StatusOr<std::unique_ptr<Signer>> OpenTrezorSigner(std::unique_ptr<Transport> transport,
                                                         const SignerOptions& options);

}  // namespace stakeward::devices

#endif  // STAKEWARD_DEVICES_SIGNER_TREZOR_SIGNER_H_
