#include "firmware-mocks/trezor/cardano_keychain.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace stakeward::mocks::trezor {
namespace {

constexpr uint32_t kMaxAccount = 100;
constexpr uint32_t kMaxAddressIndex = 1000000;

bool HasPrefix(const PathVec& p, uint32_t purpose) {
  return p.size() >= 2 && p[0] == purpose && p[1] == kCoinAda;
}
bool IsHardenedAccount(uint32_t v) { return (v & kH) != 0 && (v & ~kH) <= kMaxAccount; }

}  // namespace

// seed.py: the purpose/coin prefix decides which keychain branch a path belongs to.
bool IsByronPath(const PathVec& p) { return HasPrefix(p, kPurposeByron); }
bool IsShelleyPath(const PathVec& p) { return HasPrefix(p, kPurposeShelley); }
bool IsMultisigPath(const PathVec& p) { return HasPrefix(p, kPurposeMultisig); }
bool IsMintingPath(const PathVec& p) { return HasPrefix(p, kPurposeMinting); }

bool MatchesMintSchema(const PathVec& p) {
  return p.size() == 3 && IsMintingPath(p) && (p[2] & kH) != 0;
}

bool MatchesPubkeySchema(const PathVec& p) {
  if (MatchesMintSchema(p)) return true;
  if (p.size() < 3) return false;
  if (!(IsByronPath(p) || IsShelleyPath(p) || IsMultisigPath(p))) return false;
  return IsHardenedAccount(p[2]);
}

bool MatchesPaymentSchema(const PathVec& p) {
  return p.size() == 5 && (IsByronPath(p) || IsShelleyPath(p)) && IsHardenedAccount(p[2]) &&
         (p[3] == 0 || p[3] == 1) && p[4] <= kMaxAddressIndex;
}

bool MatchesStakingSchema(const PathVec& p) {
  return p.size() == 5 && IsShelleyPath(p) && IsHardenedAccount(p[2]) && p[3] == 2 && p[4] == 0;
}

bool MatchesStakingAnyAccount(const PathVec& p) {
  return p.size() == 5 && IsShelleyPath(p) && (p[2] & kH) != 0 && p[3] == 2 && p[4] == 0;
}

bool MatchesMultisigSchema(const PathVec& p) {
  return p.size() == 5 && IsMultisigPath(p) && IsHardenedAccount(p[2]) &&
         (p[3] == 0 || p[3] == 2) && p[4] <= kMaxAddressIndex;
}

PathVec AccountPath(const PathVec& p) {
  return PathVec(p.begin(), p.begin() + std::min<size_t>(3, p.size()));
}

std::string FormatPathVec(const PathVec& p) { return chain::FormatPath(chain::Path{p}); }

absl::StatusOr<CardanoKeychain> CardanoKeychain::Create(std::string mnemonic,
                                                        std::string passphrase) {
  auto entropy = chain::MnemonicToEntropy(mnemonic);
  if (!entropy.ok()) return entropy.status();
  return CardanoKeychain(std::move(mnemonic), std::move(passphrase));
}

absl::StatusOr<const chain::XPrv*> CardanoKeychain::Root(chain::Derivation derivation) {
  const int key = static_cast<int>(derivation);
  auto it = roots_.find(key);
  if (it == roots_.end()) {
    auto root = chain::MasterKeyFromMnemonic(mnemonic_, passphrase_, derivation);
    if (!root.ok()) return root.status();
    it = roots_.emplace(key, *root).first;
  }
  return &it->second;
}

absl::StatusOr<chain::XPrv> CardanoKeychain::Derive(chain::Derivation derivation,
                                                    const PathVec& path) {
  auto root = Root(derivation);
  if (!root.ok()) return root.status();
  return chain::DerivePath(**root, chain::Path{path});
}

absl::StatusOr<chain::XPub> CardanoKeychain::PublicKey(chain::Derivation derivation,
                                                       const PathVec& path) {
  auto key = Derive(derivation, path);
  if (!key.ok()) return key.status();
  return chain::ToPublic(*key);
}

absl::StatusOr<chain::Hash28> CardanoKeychain::KeyHash(chain::Derivation derivation,
                                                       const PathVec& path) {
  auto pub = PublicKey(derivation, path);
  if (!pub.ok()) return pub.status();
  return chain::KeyHash(pub->public_key);
}

}  // namespace stakeward::mocks::trezor
