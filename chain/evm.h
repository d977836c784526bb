// EVM pieces for the L2 deposit: RLP, EIP-55 addresses, secp256k1 BIP32 keys, EIP-1559
// transactions (encode, signing hash, sign, recover sender), the accreditToPool ABI call, and
// 256-bit wei amounts.
#ifndef STAKEWARD_CHAIN_EVM_H_
#define STAKEWARD_CHAIN_EVM_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "chain/bytes.h"
#include "chain/keys.h"
#include "chain/lovelace.h"

namespace stakeward::chain::evm {

// Unsigned 256-bit integer, stored big-endian. Arithmetic is checked.
class U256 {
 public:
  U256() { be_.fill(0); }
  static U256 FromUint64(uint64_t v);
  static absl::StatusOr<U256> FromBigEndian(ByteView bytes);  // at most 32 bytes
  static absl::StatusOr<U256> FromDecimal(std::string_view text);
  // The one parser for amounts, nonces and gas typed by people or returned by JSON-RPC: decimal
  // digits, or "0x" and 1 to 64 hex digits. INVALID_ARGUMENT otherwise (no sign, no spaces).
  static absl::StatusOr<U256> ParseQuantity(std::string_view text);
  const std::array<uint8_t, 32>& big_endian() const { return be_; }
  Bytes MinimalBigEndian() const;  // no leading zeros; empty for 0 (RLP integer form)
  std::string ToDecimal() const;
  bool IsZero() const;
  std::optional<U256> CheckedAdd(const U256& o) const;
  std::optional<U256> CheckedSub(const U256& o) const;
  std::optional<U256> CheckedMulSmall(uint64_t m) const;
  auto operator<=>(const U256& o) const = default;

 private:
  std::array<uint8_t, 32> be_;
};

// 1 lovelace = 10^12 wei (mADA has 18 decimals, ADA 6).
U256 LovelaceToWei(Lovelace amount);

using Address = std::array<uint8_t, 20>;
std::string ToChecksumAddress(const Address& a);  // EIP-55 "0x..."
// Accepts all-lower, all-upper, or a correct EIP-55 mixed-case checksum.
absl::StatusOr<Address> ParseAddress(std::string_view text);

// RLP.
namespace rlp {
Bytes EncodeBytes(ByteView b);
Bytes EncodeUint(const U256& v);
Bytes EncodeList(const std::vector<Bytes>& encoded_items);
struct Item {
  bool is_list = false;
  Bytes bytes;
  std::vector<Item> items;
};
absl::StatusOr<Item> Decode(ByteView data);  // strict: canonical lengths, no trailing bytes
}  // namespace rlp

// secp256k1 private key (32 bytes, wiped on destruction) with BIP32 derivation.
class Secp256k1Key {
 public:
  Secp256k1Key() {
    key_.fill(0);
    chain_code_.fill(0);
  }
  Secp256k1Key(const Secp256k1Key&) = default;
  Secp256k1Key& operator=(const Secp256k1Key&) = default;
  ~Secp256k1Key();
  static absl::StatusOr<Secp256k1Key> MasterFromSeed(ByteView seed);  // HMAC "Bitcoin seed"
  absl::StatusOr<Secp256k1Key> Derive(uint32_t index) const;
  absl::StatusOr<Secp256k1Key> DerivePath(const Path& path) const;
  std::array<uint8_t, 65> UncompressedPublicKey() const;
  std::array<uint8_t, 33> CompressedPublicKey() const;
  Address EthAddress() const;
  const std::array<uint8_t, 32>& secret() const { return key_; }
  const std::array<uint8_t, 32>& chain_code() const { return chain_code_; }

 private:
  std::array<uint8_t, 32> key_;
  std::array<uint8_t, 32> chain_code_;
};

Address AddressFromPublicKey(const std::array<uint8_t, 65>& uncompressed);

struct Eip1559Tx {
  uint64_t chain_id = 0;
  U256 nonce;
  U256 max_priority_fee_per_gas;
  U256 max_fee_per_gas;
  U256 gas_limit;
  std::optional<Address> to;  // empty = contract creation
  U256 value;
  Bytes data;
  // Access lists are not used by Stakeward; a decoded non-empty list is kept raw.
  Bytes access_list_rlp;  // encoded RLP list; empty means the empty list (0xc0)
};

struct EvmSignature {
  uint8_t y_parity = 0;  // 0 or 1
  std::array<uint8_t, 32> r{};
  std::array<uint8_t, 32> s{};
};

Bytes EncodeUnsigned(const Eip1559Tx& tx);                         // 0x02 || rlp([...9 fields])
Hash32 SigningHash(const Eip1559Tx& tx);                           // keccak256(EncodeUnsigned)
Bytes EncodeSigned(const Eip1559Tx& tx, const EvmSignature& sig);  // 0x02 || rlp([...12])
Hash32 TxHash(const Eip1559Tx& tx, const EvmSignature& sig);       // keccak256(EncodeSigned)
struct SignedEip1559 {
  Eip1559Tx tx;
  EvmSignature sig;
};
absl::StatusOr<SignedEip1559> DecodeSigned(ByteView raw);
absl::StatusOr<Eip1559Tx> DecodeUnsigned(ByteView raw);

// RFC 6979 deterministic signature with low S (libsecp256k1).
EvmSignature SignHash(const Secp256k1Key& key, const Hash32& hash);
absl::StatusOr<Address> RecoverSigner(const Hash32& hash, const EvmSignature& sig);
absl::StatusOr<Address> RecoverSender(const Eip1559Tx& tx, const EvmSignature& sig);

// ABI: accreditToPool(uint256 _roi) — selector keccak("accreditToPool(uint256)")[0..4] || uint256.
Bytes EncodeAccreditToPool(const U256& roi);
std::array<uint8_t, 4> FunctionSelector(std::string_view signature);
absl::StatusOr<U256> DecodeAccreditToPool(ByteView calldata);

}  // namespace stakeward::chain::evm

#endif  // STAKEWARD_CHAIN_EVM_H_
