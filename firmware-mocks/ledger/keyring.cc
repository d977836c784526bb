#include "firmware-mocks/ledger/keyring.h"

#include "chain/hash.h"

namespace stakeward::mocks::ledger {

absl::StatusOr<Keyring> Keyring::FromMnemonic(std::string_view mnemonic) {
  Keyring k;
  absl::StatusOr<chain::XPrv> root =
      chain::MasterKeyFromMnemonic(mnemonic, "", chain::Derivation::kLedger);
  if (!root.ok()) return root.status();
  k.cardano_root_ = *root;
  absl::StatusOr<std::array<uint8_t, 64>> seed = chain::MnemonicToSeed(mnemonic, "");
  if (!seed.ok()) return seed.status();
  absl::StatusOr<chain::evm::Secp256k1Key> eth =
      chain::evm::Secp256k1Key::MasterFromSeed(chain::View(*seed));
  if (!eth.ok()) return eth.status();
  k.eth_root_ = *eth;
  return k;
}

const chain::XPrv& Keyring::CardanoKey(const chain::Path& path) {
  auto it = cache_.find(path.indexes);
  if (it == cache_.end()) {
    // Hosts choose the paths: keep the cache bounded.
    if (cache_.size() >= kMaxCachedKeys) cache_.clear();
    it = cache_.emplace(path.indexes, chain::DerivePath(cardano_root_, path)).first;
  }
  return it->second;
}

chain::XPub Keyring::CardanoPublic(const chain::Path& path) {
  return chain::ToPublic(CardanoKey(path));
}

chain::Hash28 Keyring::CardanoKeyHash(const chain::Path& path) {
  return chain::KeyHash(CardanoPublic(path).public_key);
}

absl::StatusOr<chain::evm::Secp256k1Key> Keyring::EthKey(const chain::Path& path) const {
  return eth_root_.DerivePath(path);
}

std::array<uint8_t, 7> Keyring::Serial() const {
  chain::Hash32 h = chain::Blake2b256(chain::ByteView(cardano_root_.bytes().data() + 64, 32));
  std::array<uint8_t, 7> out{};
  std::copy(h.begin(), h.begin() + 7, out.begin());
  return out;
}

}  // namespace stakeward::mocks::ledger
