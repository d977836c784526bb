// Cardano certificates as the firmware validates and serializes them
// (trezor-firmware core/src/apps/cardano/certificates.py `_validate_structure`, `validate`,
// `cborize`; helpers/utils.py `validate_stake_credential`; specs/trezor.md §4.6).
#ifndef STAKEWARD_FIRMWARE_MOCKS_TREZOR_CARDANO_CERTIFICATES_H_
#define STAKEWARD_FIRMWARE_MOCKS_TREZOR_CARDANO_CERTIFICATES_H_

#include <string>

#include "absl/status/statusor.h"
#include "chain/bytes.h"
#include "chain/keys.h"
#include "firmware-mocks/trezor/cardano_keychain.h"
#include "proto/trezor/messages_cardano.pb.h"

namespace stakeward::mocks::trezor {

inline constexpr uint64_t kLovelaceMaxSupply = 45'000'000'000'000'000ull;

// Mode-independent structure checks (ProcessError "Invalid certificate").
absl::Status ValidateCertificate(const hw::trezor::messages::cardano::CardanoTxCertificate& c);

// The certificate's CBOR array as it goes into body key 4.
absl::StatusOr<chain::Bytes> CborizeCertificate(
    CardanoKeychain& keychain, chain::Derivation derivation,
    const hw::trezor::messages::cardano::CardanoTxCertificate& c);

// One screen line describing the certificate.
std::string DescribeCertificate(const hw::trezor::messages::cardano::CardanoTxCertificate& c);

// validate_stake_credential: exactly one of path (m/1852'/1815'/x'/2/0), script hash, key hash.
bool ValidStakeCredential(const google::protobuf::RepeatedField<uint32_t>& path,
                          bool has_script_hash, const std::string& script_hash, bool has_key_hash,
                          const std::string& key_hash);

}  // namespace stakeward::mocks::trezor

#endif  // STAKEWARD_FIRMWARE_MOCKS_TREZOR_CARDANO_CERTIFICATES_H_
