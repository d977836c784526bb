// The checks around a hardware-wallet Cardano signature, shared by every vendor:
// before — the body is canonical, hardware-wallet compatible and fully representable on the
// device; the request the device streams is built from it (credentials resolved per mode);
// after — the device's body hash equals ours and every witness verifies.
#ifndef STAKEWARD_DEVICES_SIGNER_CARDANO_CHECKS_H_
#define STAKEWARD_DEVICES_SIGNER_CARDANO_CHECKS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "chain/keys.h"
#include "chain/tx.h"
#include "devices/cardano_request.h"
#include "devices/signer/signer.h"

namespace stakeward::devices {

// Unique paths in first-seen order; each must suit the mode (MULTISIG: 1854'/1815'/a'/{0,2}/i;
// ORDINARY: 1852'/1815'/a'/{0,1,2,3}/i or 44'/1815'/a'/{0,1}/i). INVALID_ARGUMENT otherwise.
absl::StatusOr<std::vector<chain::Path>> CheckWitnessPaths(SigningMode mode,
                                                           const std::vector<chain::Path>& paths);

// `witness_keys[i]` is the device's public key for `witness_paths[i]` (used to map key-hash
// credentials to paths in ORDINARY mode).
absl::StatusOr<CardanoTxRequest> BuildCardanoRequest(const chain::Transaction& tx, SigningMode mode,
                                                     const std::vector<chain::Path>& witness_paths,
                                                     const std::vector<chain::XPub>& witness_keys,
                                                     const CardanoNetwork& net);

// Compares the hash, checks reported public keys (if any) and verifies every signature.
absl::StatusOr<std::vector<chain::VkeyWitness>> VerifyCardanoResult(
    const chain::Transaction& tx, const CardanoSignResult& result,
    const std::vector<chain::Path>& witness_paths, const std::vector<chain::XPub>& witness_keys);

// The signature must recover to `expected` over the tx's signing hash.
absl::Status VerifyEvmSignature(const chain::evm::Eip1559Tx& tx,
                                const chain::evm::EvmSignature& sig,
                                const chain::evm::Address& expected);

}  // namespace stakeward::devices

#endif  // STAKEWARD_DEVICES_SIGNER_CARDANO_CHECKS_H_
