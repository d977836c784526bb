// The mock's Cardano keychain: master keys for the three derivation types (derived lazily from
// the mnemonic and cached for the session) and the path schemas the firmware checks.
// Sources: specs/trezor.md §5 (derivations), trezor-firmware core/src/apps/cardano/seed.py
// (is_byron_path / is_shelley_path / is_multisig_path / is_minting_path) and helpers/paths.py
// (SCHEMA_PUBKEY, SCHEMA_PAYMENT, SCHEMA_STAKING, SCHEMA_MINT).
#ifndef STAKEWARD_FIRMWARE_MOCKS_TREZOR_CARDANO_KEYCHAIN_H_
#define STAKEWARD_FIRMWARE_MOCKS_TREZOR_CARDANO_KEYCHAIN_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "chain/bytes.h"
#include "chain/keys.h"

namespace stakeward::mocks::trezor {

using PathVec = std::vector<uint32_t>;

inline constexpr uint32_t kH = chain::kHardened;
inline constexpr uint32_t kPurposeByron = 44 | kH;
inline constexpr uint32_t kPurposeShelley = 1852 | kH;
inline constexpr uint32_t kPurposeMultisig = 1854 | kH;
inline constexpr uint32_t kPurposeMinting = 1855 | kH;
inline constexpr uint32_t kCoinAda = 1815 | kH;

// Prefix checks (seed.py): purpose'/1815'/... with at least 3 elements... as the firmware does.
bool IsByronPath(const PathVec& p);
bool IsShelleyPath(const PathVec& p);
bool IsMultisigPath(const PathVec& p);
bool IsMintingPath(const PathVec& p);
// Full schemas (paths.py). "account" is 0..100 hardened, "address_index" 0..1000000.
bool MatchesPubkeySchema(const PathVec& p);       // m/[44,1852,1854]'/1815'/account'/* or minting
bool MatchesPaymentSchema(const PathVec& p);      // m/[44,1852]'/1815'/account'/[0,1]/address_index
bool MatchesStakingSchema(const PathVec& p);      // m/1852'/1815'/account'/2/0
bool MatchesStakingAnyAccount(const PathVec& p);  // m/1852'/1815'/[0-2^31)'/2/0
bool MatchesMultisigSchema(const PathVec& p);     // m/1854'/1815'/account'/[0,2]/address_index
bool MatchesMintSchema(const PathVec& p);         // m/1855'/1815'/[0-2^31)'
// The first three elements (purpose'/coin'/account').
PathVec AccountPath(const PathVec& p);

std::string FormatPathVec(const PathVec& p);

class CardanoKeychain {
 public:
  // The mnemonic is validated by Create.
  static absl::StatusOr<CardanoKeychain> Create(std::string mnemonic, std::string passphrase = "");

  // Derives the extended private key at `path` from the root of `derivation`.
  absl::StatusOr<chain::XPrv> Derive(chain::Derivation derivation, const PathVec& path);
  absl::StatusOr<chain::XPub> PublicKey(chain::Derivation derivation, const PathVec& path);
  absl::StatusOr<chain::Hash28> KeyHash(chain::Derivation derivation, const PathVec& path);

 private:
  CardanoKeychain(std::string mnemonic, std::string passphrase)
      : mnemonic_(std::move(mnemonic)), passphrase_(std::move(passphrase)) {}
  absl::StatusOr<const chain::XPrv*> Root(chain::Derivation derivation);

  std::string mnemonic_;
  std::string passphrase_;
  std::map<int, chain::XPrv> roots_;
};

}  // namespace stakeward::mocks::trezor

#endif  // STAKEWARD_FIRMWARE_MOCKS_TREZOR_CARDANO_KEYCHAIN_H_
