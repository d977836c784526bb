// Signer over a Ledger device (Cardano ADA and Ethereum apps).
#ifndef STAKEWARD_DEVICES_SIGNER_LEDGER_SIGNER_H_
#define STAKEWARD_DEVICES_SIGNER_LEDGER_SIGNER_H_

#include <memory>

#include "absl/status/statusor.h"
#include "devices/signer/signer.h"
#include "devices/transport/transport.h"

namespace stakeward::devices {

// `model` names the hardware (from the USB product id) or the emulator kind.
absl::StatusOr<std::unique_ptr<Signer>> OpenLedgerSigner(std::unique_ptr<Transport> transport,
                                                         std::string model,
                                                         const SignerOptions& options);

}  // namespace stakeward::devices

#endif  // STAKEWARD_DEVICES_SIGNER_LEDGER_SIGNER_H_
