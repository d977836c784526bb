// Cardano addresses as the Trezor firmware derives and validates them
// (trezor-firmware core/src/apps/cardano/addresses.py; header byte = type << 4 | network id,
// specs/trezor.md §4.2; CIP-19 layouts).
#ifndef STAKEWARD_FIRMWARE_MOCKS_TREZOR_CARDANO_ADDRESS_H_
#define STAKEWARD_FIRMWARE_MOCKS_TREZOR_CARDANO_ADDRESS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "chain/bytes.h"
#include "chain/keys.h"
#include "firmware-mocks/trezor/cardano_keychain.h"
#include "proto/trezor/messages_cardano.pb.h"

namespace stakeward::mocks::trezor {

inline constexpr uint32_t kMainnetProtocolMagic = 764824073;
inline constexpr uint32_t kMainnetNetworkId = 1;

// utils.validate_network_info: both mainnet or both testnet (ProcessError otherwise).
absl::Status ValidateNetworkInfo(uint32_t network_id, uint32_t protocol_magic);

// Derives the bytes of a Shelley address from address parameters (all types but BYRON).
absl::StatusOr<chain::Bytes> DeriveAddressBytes(
    CardanoKeychain& keychain, chain::Derivation derivation,
    const hw::trezor::messages::cardano::CardanoAddressParametersType& params, uint32_t network_id);

// bech32 text of Shelley address bytes (addr/addr_test, stake/stake_test).
std::string ShelleyAddressText(chain::ByteView bytes);

// Decodes an output address given as text (bech32 Shelley or base58 Byron) and validates it
// against the network, as addresses.validate_output_address does. Reward addresses are refused.
absl::StatusOr<chain::Bytes> ParseOutputAddress(std::string_view text, uint32_t protocol_magic,
                                                uint32_t network_id);

// Base58 (Bitcoin alphabet) decoding, used for Byron addresses.
absl::StatusOr<chain::Bytes> Base58Decode(std::string_view text);

}  // namespace stakeward::mocks::trezor

#endif  // STAKEWARD_FIRMWARE_MOCKS_TREZOR_CARDANO_ADDRESS_H_
