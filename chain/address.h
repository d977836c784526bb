// Credentials, CIP-19 Shelley addresses (base, enterprise, reward), bech32 (CIP-5 prefixes) and
// CIP-129 governance ids.
#ifndef STAKEWARD_CHAIN_ADDRESS_H_
#define STAKEWARD_CHAIN_ADDRESS_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "chain/bytes.h"

namespace stakeward::chain {

enum class Network : uint8_t { kTestnet = 0, kMainnet = 1 };

struct Credential {
  enum class Kind : uint8_t { kKeyHash = 0, kScriptHash = 1 };
  Kind kind = Kind::kKeyHash;
  Hash28 hash{};
  bool operator==(const Credential&) const = default;
  auto operator<=>(const Credential&) const = default;
};

// bech32 (BIP173 checksum; Cardano has no 90-character limit).
std::string Bech32Encode(std::string_view hrp, ByteView data);
struct Bech32Decoded {
  std::string hrp;
  Bytes data;
};
absl::StatusOr<Bech32Decoded> Bech32Decode(std::string_view text);
// Decodes and checks the human-readable prefix.
absl::StatusOr<Bytes> Bech32DecodeExpect(std::string_view text, std::string_view hrp);

enum class AddressType : uint8_t {
  kBase = 0,  // header types 0..3
  kPointer = 4,
  kEnterprise = 6,  // types 6..7
  kReward = 14,     // types 14..15
  kByron = 8,
};

// A parsed Shelley address. Pointer and Byron addresses are recognised and kept raw.
struct Address {
  AddressType type = AddressType::kBase;
  Network network = Network::kMainnet;
  Credential payment;     // base, enterprise, pointer
  Credential delegation;  // base (stake part); reward: the stake credential
  Bytes raw;              // the full address bytes

  static Address Base(Network n, const Credential& payment, const Credential& stake);
  static Address Enterprise(Network n, const Credential& payment);
  static Address Reward(Network n, const Credential& stake);

  Bytes ToBytes() const;
  // addr / addr_test for payment addresses, stake / stake_test for reward addresses (base58 for
  // Byron addresses, which have no bech32 form).
  std::string ToBech32() const;
};

// Parses raw address bytes, validating header type, network nibble and length.
absl::StatusOr<Address> ParseAddressBytes(ByteView bytes);
// Parses bech32 (addr/addr_test/stake/stake_test), checking that the prefix matches the network.
absl::StatusOr<Address> ParseAddress(std::string_view bech32);
// As above and also requires the given network.
absl::StatusOr<Address> ParseAddressOn(std::string_view bech32, Network expected);

// Human form of raw address bytes: bech32 for Shelley addresses, base58 for Byron ones, and a
// marked hex dump for bytes that are not a valid address.
std::string FormatAddress(ByteView raw);

// Pool ids: bech32 "pool" of the 28-byte operator key hash; accepts hex as well.
std::string PoolIdBech32(const Hash28& pool);
absl::StatusOr<Hash28> ParsePoolId(std::string_view bech32_or_hex);

// CIP-129 DRep ids (header 0x22 key, 0x23 script); parsing also accepts the CIP-105 28-byte form.
std::string DRepIdCip129(const Credential& drep);
absl::StatusOr<Credential> ParseDRepId(std::string_view bech32);

}  // namespace stakeward::chain

#endif  // STAKEWARD_CHAIN_ADDRESS_H_
