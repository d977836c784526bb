// cardano-cli TextEnvelope files: {"type", "description", "cborHex"} (cardano-api
// Cardano/Api/Serialise/TextEnvelope/Internal.hs).
#ifndef STAKEWARD_CHAIN_TEXT_ENVELOPE_H_
#define STAKEWARD_CHAIN_TEXT_ENVELOPE_H_

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

}  // namespace stakeward::chain

#endif  // STAKEWARD_CHAIN_TEXT_ENVELOPE_H_
