// cardano-cli TextEnvelope files: {"type", "description", "cborHex"} (cardano-api
// Cardano/Api/Serialise/TextEnvelope/Internal.hs).
#ifndef STAKEWARD_CHAIN_TEXT_ENVELOPE_H_
#define STAKEWARD_CHAIN_TEXT_ENVELOPE_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "chain/bytes.h"

namespace stakeward::chain {

// Type strings cardano-cli writes (current goldens) and legacy ones it still reads.
inline constexpr std::string_view kTeCertificate = "Certificate";
inline constexpr std::string_view kTeTx = "Tx ConwayEra";
inline constexpr std::string_view kTeUnwitnessedTx = "Unwitnessed Tx ConwayEra";
inline constexpr std::string_view kTeWitnessedTx = "Witnessed Tx ConwayEra";
inline constexpr std::string_view kTeTxWitness = "TxWitness ConwayEra";
inline constexpr std::string_view kTePaymentVkey = "PaymentVerificationKeyShelley_ed25519";
inline constexpr std::string_view kTeStakeVkey = "StakeVerificationKeyShelley_ed25519";
inline constexpr std::string_view kTePaymentExtendedVkey =
    "PaymentExtendedVerificationKeyShelley_ed25519_bip32";
inline constexpr std::string_view kTeStakeExtendedVkey =
    "StakeExtendedVerificationKeyShelley_ed25519_bip32";

inline constexpr std::string_view kTeCertificateConway = "CertificateConway";  // legacy, read only
inline constexpr std::string_view kTeCertificateShelley =
    "CertificateShelley";  // legacy, read only
inline constexpr std::string_view kTeStakePoolVkey = "StakePoolVerificationKey_ed25519";
inline constexpr std::string_view kTeDRepVkey = "DRepVerificationKey_ed25519";
// Descriptions cardano-cli writes (goldens conway/tx, conway/witness-out.json).
inline constexpr std::string_view kTeTxDescription = "Ledger Cddl Format";
inline constexpr std::string_view kTeKeyWitnessDescription = "Key Witness ShelleyEra";

struct TextEnvelope {
  std::string type;
  std::string description;
  Bytes cbor;
};

// Pretty-printed with 4-space indentation, keys in the order type, description, cborHex.
std::string WriteTextEnvelope(const TextEnvelope& te);
absl::StatusOr<TextEnvelope> ParseTextEnvelope(std::string_view json);
// Parses and requires one of the accepted type strings.
absl::StatusOr<TextEnvelope> ParseTextEnvelopeOfType(std::string_view json,
                                                     const std::vector<std::string_view>& types);

// Envelopes as cardano-cli writes them. The transaction envelope holds the full 4-element tx; the
// key witness envelope the bare [vkey, signature]; a verification key envelope `5820` + key.
TextEnvelope TxEnvelope(Bytes tx_cbor);
TextEnvelope KeyWitnessEnvelope(const std::array<uint8_t, 32>& vkey,
                                const std::array<uint8_t, 64>& signature);
TextEnvelope VerificationKeyEnvelope(std::string_view type, std::string_view description,
                                     const std::array<uint8_t, 32>& vkey);
// Certificate envelope with cardano-cli's description for the certificate type.
TextEnvelope CertificateEnvelope(Bytes cert_cbor);

// Reads a key witness envelope ([vkey, signature]) into its two parts.
struct KeyWitnessParts {
  std::array<uint8_t, 32> vkey{};
  std::array<uint8_t, 64> signature{};
};
absl::StatusOr<KeyWitnessParts> ParseKeyWitnessEnvelope(std::string_view json);
// Reads a verification key envelope (`5820` + 32 bytes) of one of the given types.
absl::StatusOr<std::array<uint8_t, 32>> ParseVerificationKeyEnvelope(
    std::string_view json, const std::vector<std::string_view>& types);

}  // namespace stakeward::chain

#endif  // STAKEWARD_CHAIN_TEXT_ENVELOPE_H_
