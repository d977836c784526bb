#include "tests/support/software_evm_signer.h"

namespace stakeward::rewards {

namespace evm = chain::evm;

EvmSignFn SoftwareEvmSigner(const evm::Secp256k1Key& master) {
  return [master](const chain::Path& path,
                  const evm::Eip1559Tx& tx) -> absl::StatusOr<evm::EvmSignature> {
    auto key = master.DerivePath(path);
    if (!key.ok()) return key.status();
    return evm::SignHash(*key, evm::SigningHash(tx));
  };
}

}  // namespace stakeward::rewards
