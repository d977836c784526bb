// Cardano keys: BIP39 mnemonics, the Icarus / Icarus-Trezor / Ledger master keys, BIP32-Ed25519
// ("V2") hardened and soft derivation, public (xpub) soft derivation, extended-key Ed25519
// signing and verification, and derivation paths (m/1854'/1815'/0'/2/3).
#ifndef STAKEWARD_CHAIN_KEYS_H_
#define STAKEWARD_CHAIN_KEYS_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "chain/bytes.h"

namespace stakeward::chain {

inline constexpr uint32_t kHardened = 0x80000000u;

// A derivation path: a list of indexes, hardened ones with kHardened set.
struct Path {
  std::vector<uint32_t> indexes;
  bool operator==(const Path&) const = default;
};
// Parses "m/1854'/1815'/0'/2/3" (also accepts 'h' or 'H' for hardened, and a missing "m/").
absl::StatusOr<Path> ParsePath(std::string_view text);
std::string FormatPath(const Path& path);  // "m/1854'/1815'/0'/2/3"

// Extended private key: kL (32) || kR (32) || chain code (32). Wiped on destruction.
class XPrv {
 public:
  XPrv() { bytes_.fill(0); }
  explicit XPrv(const std::array<uint8_t, 96>& bytes) : bytes_(bytes) {}
  XPrv(const XPrv&) = default;
  XPrv& operator=(const XPrv&) = default;
  ~XPrv();
  const std::array<uint8_t, 96>& bytes() const { return bytes_; }
  ByteView kl() const { return ByteView(bytes_.data(), 32); }
  ByteView kr() const { return ByteView(bytes_.data() + 32, 32); }
  ByteView chain_code() const { return ByteView(bytes_.data() + 64, 32); }

 private:
  std::array<uint8_t, 96> bytes_;
};

// Extended public key: Ed25519 point (32) and chain code (32).
struct XPub {
  std::array<uint8_t, 32> public_key{};
  std::array<uint8_t, 32> chain_code{};
  bool operator==(const XPub&) const = default;
  std::array<uint8_t, 64> Serialize() const;  // public_key || chain_code
  // Requires 64 bytes whose first half is a canonical Ed25519 point in the prime-order subgroup.
  static absl::StatusOr<XPub> Parse(ByteView bytes64);
};

using Signature = std::array<uint8_t, 64>;

enum class Derivation {
  kIcarus,        // CIP-3 Icarus: PBKDF2(passphrase, entropy, 4096, 96)
  kIcarusTrezor,  // Icarus, but 24-word mnemonics keep the checksum byte in the entropy
  kLedger,        // CIP-3 Ledger/BitBox02: BIP39 seed -> HMAC "ed25519 seed" iteration
};
absl::StatusOr<Derivation> ParseDerivation(std::string_view name);  // icarus|icarus-trezor|ledger
std::string_view DerivationName(Derivation d);

// BIP39: validates word count, words (against the English list) and checksum.
absl::StatusOr<Bytes> MnemonicToEntropy(std::string_view mnemonic);
// BIP39 seed: PBKDF2-HMAC-SHA512(mnemonic, "mnemonic" + passphrase, 2048, 64).
absl::StatusOr<std::array<uint8_t, 64>> MnemonicToSeed(std::string_view mnemonic,
                                                       std::string_view passphrase);
// The entropy must be 16, 20, 24, 28 or 32 bytes (a programming error otherwise: aborts).
std::string EntropyToMnemonic(ByteView entropy);
// Inputs are ASCII: words are matched case-insensitively against the English list and re-joined
// with single spaces (so the NFKD form equals the input); a passphrase with non-ASCII bytes is
// INVALID_ARGUMENT instead of being silently left un-normalized.

absl::StatusOr<XPrv> MasterKeyFromMnemonic(std::string_view mnemonic, std::string_view passphrase,
                                           Derivation derivation);

XPrv DeriveChild(const XPrv& parent, uint32_t index);  // hardened or soft
XPrv DerivePath(const XPrv& root, const Path& path);
// Soft derivation from an extended public key; hardened indexes are INVALID_ARGUMENT.
absl::StatusOr<XPub> DerivePublicChild(const XPub& parent, uint32_t index);
absl::StatusOr<XPub> DerivePublicPath(const XPub& parent, const Path& relative);

XPub ToPublic(const XPrv& key);
// Ed25519 signature with the extended key (r = SHA512(kR || M), no seed hashing).
Signature Sign(const XPrv& key, ByteView message);

// An extended private key with its public key A = kL·B computed once. Sign(XPrv) recomputes A on
// every call (one of its two base-point multiplications); a signer that signs many messages with
// one key keeps a SigningKey instead. Same signatures.
class SigningKey {
 public:
  explicit SigningKey(const XPrv& key);
  const XPrv& xprv() const { return key_; }
  const std::array<uint8_t, 32>& public_key() const { return public_key_; }

 private:
  XPrv key_;
  std::array<uint8_t, 32> public_key_;
};
Signature Sign(const SigningKey& key, ByteView message);
// Ordinary Ed25519 verification (libsodium), constant-size inputs.
bool Verify(const std::array<uint8_t, 32>& public_key, ByteView message, const Signature& sig);

// cardano-cli "non-extended" keys (PaymentSigningKeyShelley_ed25519 and friends) are plain RFC 8032
// seeds: the public key is derived from SHA512(seed), signatures are ordinary Ed25519.
std::array<uint8_t, 32> Ed25519SeedPublicKey(const std::array<uint8_t, 32>& seed);
Signature Ed25519SeedSign(const std::array<uint8_t, 32>& seed, ByteView message);

// CIP-5 bech32 of public_key || chain_code under the given prefix (acct_xvk, acct_shared_xvk, ...).
std::string XPubToBech32(const XPub& xpub, std::string_view hrp);
// Requires that prefix and a 64-byte payload holding a valid Ed25519 point.
absl::StatusOr<XPub> XPubFromBech32(std::string_view text, std::string_view hrp);

// blake2b-224 of a 32-byte public key (payment, stake, pool and DRep key hashes).
Hash28 KeyHash(const std::array<uint8_t, 32>& public_key);

// The BIP39 English word list (2048 words), compiled in.
const std::vector<std::string_view>& Bip39EnglishWords();

}  // namespace stakeward::chain

#endif  // STAKEWARD_CHAIN_KEYS_H_
