// secp256k1 keys (BIP32, bitcoin/bips bip-0032.mediawiki), recoverable ECDSA signing (RFC 6979,
// low S) and signer recovery, over libsecp256k1.
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <sodium.h>

#include <algorithm>
#include <array>

#include "absl/status/status.h"
#include "chain/check.h"
#include "chain/evm.h"
#include "chain/hash.h"

namespace stakeward::chain::evm {
namespace {

constexpr std::string_view kBip32MasterKey = "Bitcoin seed";  // BIP32 "Master key generation"

// Half the group order n, big-endian: signatures with s above this are malleable (EIP-2).
constexpr std::array<uint8_t, 32> kHalfOrder = {
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4, 0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0};

const secp256k1_context* Ctx() {
  static const secp256k1_context* const ctx = [] {
    secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    SW_CHECK(c != nullptr);
    SW_CHECK(sodium_init() >= 0);
    // Blinding against side channels during signing and key generation.
    std::array<uint8_t, 32> seed;
    randombytes_buf(seed.data(), seed.size());
    SW_CHECK(secp256k1_context_randomize(c, seed.data()) == 1);
    sodium_memzero(seed.data(), seed.size());
    return c;
  }();
  return ctx;
}

secp256k1_pubkey PublicKeyOf(const std::array<uint8_t, 32>& secret) {
  secp256k1_pubkey pk;
  // Keys are only built by MasterFromSeed / Derive, which validate them.
  SW_CHECK(secp256k1_ec_pubkey_create(Ctx(), &pk, secret.data()) == 1);
  return pk;
}

void Be32(uint32_t v, uint8_t* out) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(v >> (24 - 8 * i));
}

}  // namespace

Secp256k1Key::~Secp256k1Key() {
  sodium_memzero(key_.data(), key_.size());
  sodium_memzero(chain_code_.data(), chain_code_.size());
}

absl::StatusOr<Secp256k1Key> Secp256k1Key::MasterFromSeed(ByteView seed) {
  // BIP32: the seed is 128 to 512 bits.
  if (seed.size() < 16 || seed.size() > 64) {
    return absl::InvalidArgumentError("a BIP32 seed is 16 to 64 bytes");
  }
  std::array<uint8_t, 64> i = HmacSha512(View(kBip32MasterKey), seed);
  Secp256k1Key out;
  std::copy(i.begin(), i.begin() + 32, out.key_.begin());
  std::copy(i.begin() + 32, i.end(), out.chain_code_.begin());
  sodium_memzero(i.data(), i.size());
  if (secp256k1_ec_seckey_verify(Ctx(), out.key_.data()) != 1) {
    return absl::InvalidArgumentError("seed gives an invalid BIP32 master key");
  }
  return out;
}

absl::StatusOr<Secp256k1Key> Secp256k1Key::Derive(uint32_t index) const {
  if (secp256k1_ec_seckey_verify(Ctx(), key_.data()) != 1) {
    return absl::InvalidArgumentError("parent is not a valid secp256k1 private key");
  }
  // Hardened: 0x00 || k || ser32(i); normal: serP(K) || ser32(i) (both 37 bytes).
  std::array<uint8_t, 37> data;
  if (index & kHardened) {
    data[0] = 0x00;
    std::copy(key_.begin(), key_.end(), data.begin() + 1);
  } else {
    secp256k1_pubkey pk = PublicKeyOf(key_);
    size_t len = 33;
    SW_CHECK(
        secp256k1_ec_pubkey_serialize(Ctx(), data.data(), &len, &pk, SECP256K1_EC_COMPRESSED) == 1);
  }
  Be32(index, data.data() + 33);
  std::array<uint8_t, 64> i = HmacSha512(View(chain_code_), View(data));
  Secp256k1Key child;
  child.key_ = key_;
  std::copy(i.begin() + 32, i.end(), child.chain_code_.begin());
  // k_i = IL + k_par (mod n); fails when IL >= n or the sum is zero, which BIP32 declares invalid
  // (the caller is to move on to the next index).
  const int ok = secp256k1_ec_seckey_tweak_add(Ctx(), child.key_.data(), i.data());
  sodium_memzero(i.data(), i.size());
  sodium_memzero(data.data(), data.size());
  if (ok != 1) {
    return absl::InvalidArgumentError("BIP32 derivation gives an invalid key at this index");
  }
  return child;
}

absl::StatusOr<Secp256k1Key> Secp256k1Key::DerivePath(const Path& path) const {
  Secp256k1Key key = *this;
  for (uint32_t index : path.indexes) {
    absl::StatusOr<Secp256k1Key> next = key.Derive(index);
    if (!next.ok()) return next.status();
    key = *next;
  }
  return key;
}

std::array<uint8_t, 65> Secp256k1Key::UncompressedPublicKey() const {
  secp256k1_pubkey pk = PublicKeyOf(key_);
  std::array<uint8_t, 65> out;
  size_t len = out.size();
  SW_CHECK(secp256k1_ec_pubkey_serialize(Ctx(), out.data(), &len, &pk, SECP256K1_EC_UNCOMPRESSED) ==
           1);
  return out;
}

std::array<uint8_t, 33> Secp256k1Key::CompressedPublicKey() const {
  secp256k1_pubkey pk = PublicKeyOf(key_);
  std::array<uint8_t, 33> out;
  size_t len = out.size();
  SW_CHECK(secp256k1_ec_pubkey_serialize(Ctx(), out.data(), &len, &pk, SECP256K1_EC_COMPRESSED) ==
           1);
  return out;
}

Address Secp256k1Key::EthAddress() const { return AddressFromPublicKey(UncompressedPublicKey()); }

EvmSignature SignHash(const Secp256k1Key& key, const Hash32& hash) {
  secp256k1_ecdsa_recoverable_signature sig;
  // Default nonce function: RFC 6979 with HMAC-SHA256; libsecp256k1 always produces low S.
  SW_CHECK(secp256k1_ecdsa_sign_recoverable(Ctx(), &sig, hash.data(), key.secret().data(), nullptr,
                                            nullptr) == 1);
  std::array<uint8_t, 64> compact;
  int recid = 0;
  SW_CHECK(secp256k1_ecdsa_recoverable_signature_serialize_compact(Ctx(), compact.data(), &recid,
                                                                   &sig) == 1);
  SW_CHECK(recid == 0 || recid == 1);  // 2 and 3 need r >= n, which has negligible probability
  EvmSignature out;
  out.y_parity = static_cast<uint8_t>(recid);
  std::copy(compact.begin(), compact.begin() + 32, out.r.begin());
  std::copy(compact.begin() + 32, compact.end(), out.s.begin());
  return out;
}

absl::StatusOr<Address> RecoverSigner(const Hash32& hash, const EvmSignature& sig) {
  if (sig.y_parity > 1) return absl::InvalidArgumentError("y parity must be 0 or 1");
  if (std::lexicographical_compare(kHalfOrder.begin(), kHalfOrder.end(), sig.s.begin(),
                                   sig.s.end())) {
    return absl::InvalidArgumentError("signature s is not in the lower half of the order (EIP-2)");
  }
  std::array<uint8_t, 64> compact;
  std::copy(sig.r.begin(), sig.r.end(), compact.begin());
  std::copy(sig.s.begin(), sig.s.end(), compact.begin() + 32);
  secp256k1_ecdsa_recoverable_signature rs;
  if (secp256k1_ecdsa_recoverable_signature_parse_compact(Ctx(), &rs, compact.data(),
                                                          sig.y_parity) != 1) {
    return absl::InvalidArgumentError("signature r or s out of range");
  }
  secp256k1_pubkey pk;
  if (secp256k1_ecdsa_recover(Ctx(), &pk, &rs, hash.data()) != 1) {
    return absl::InvalidArgumentError("no public key recovers from this signature");
  }
  std::array<uint8_t, 65> uncompressed;
  size_t len = uncompressed.size();
  SW_CHECK(secp256k1_ec_pubkey_serialize(Ctx(), uncompressed.data(), &len, &pk,
                                         SECP256K1_EC_UNCOMPRESSED) == 1);
  return AddressFromPublicKey(uncompressed);
}

}  // namespace stakeward::chain::evm
