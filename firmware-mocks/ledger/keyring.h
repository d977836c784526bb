// The mock device's secrets: the Cardano root key (CIP-3 "Ledger" derivation) and the BIP39 seed
// for secp256k1 (Ethereum), both from one mnemonic. Derived keys are cached per path.
// Not thread-safe: LedgerDevice serializes access.
#ifndef STAKEWARD_FIRMWARE_MOCKS_LEDGER_KEYRING_H_
#define STAKEWARD_FIRMWARE_MOCKS_LEDGER_KEYRING_H_

#include <array>
#include <map>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "chain/evm.h"
#include "chain/keys.h"

namespace stakeward::mocks::ledger {

// Speculos DEFAULT_SEED (LedgerHQ/speculos speculos/main.py; specs/ledger.md §2).
inline constexpr std::string_view kSpeculosDefaultMnemonic =
    "glory promote mansion idle axis finger extra february uncover one trip resource lawn turtle "
    "enact monster seven myth punch hobby comfort wild raise skin";

class Keyring {
 public:
  static constexpr size_t kMaxCachedKeys = 4096;

  static absl::StatusOr<Keyring> FromMnemonic(std::string_view mnemonic);

  const chain::XPrv& CardanoKey(const chain::Path& path);
  chain::XPub CardanoPublic(const chain::Path& path);
  chain::Hash28 CardanoKeyHash(const chain::Path& path);
  absl::StatusOr<chain::evm::Secp256k1Key> EthKey(const chain::Path& path) const;
  // 7 bytes standing in for os_serial(), derived from the seed so it is stable per mnemonic.
  std::array<uint8_t, 7> Serial() const;

 private:
  chain::XPrv cardano_root_;
  chain::evm::Secp256k1Key eth_root_;
  std::map<std::vector<uint32_t>, chain::XPrv> cache_;
};

}  // namespace stakeward::mocks::ledger

#endif  // STAKEWARD_FIRMWARE_MOCKS_LEDGER_KEYRING_H_
