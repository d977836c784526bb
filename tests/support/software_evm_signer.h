// A software EVM signer for tests and devnet tools: never linked into a shipped binary.
#ifndef STAKEWARD_TESTS_SUPPORT_SOFTWARE_EVM_SIGNER_H_
#define STAKEWARD_TESTS_SUPPORT_SOFTWARE_EVM_SIGNER_H_

#include "chain/evm.h"
#include "controller/rewards/deposit.h"

namespace stakeward::rewards {

// Signs with the BIP32 secp256k1 key at the requested path under `master`; RFC 6979.
EvmSignFn SoftwareEvmSigner(const chain::evm::Secp256k1Key& master);

}  // namespace stakeward::rewards

#endif  // STAKEWARD_TESTS_SUPPORT_SOFTWARE_EVM_SIGNER_H_
