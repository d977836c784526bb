// Ed25519 signing with extended keys (input-output-hk/rust-ed25519-bip32 src/key.rs
// `signature_extended`: RFC 8032 without the seed-hashing step), verification, key hashes, and
// plain RFC 8032 seed keys (cardano-cli non-extended keys).
#include <sodium.h>

#include <algorithm>
#include <array>

#include "chain/check.h"
#include "chain/hash.h"
#include "chain/keys.h"

namespace stakeward::chain {
namespace {

void EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  SW_CHECK(ok);
}

// SHA512(parts...) reduced mod ℓ.
void HashToScalar(std::initializer_list<ByteView> parts, uint8_t* out32) {
  crypto_hash_sha512_state st;
  crypto_hash_sha512_init(&st);
  for (ByteView p : parts) crypto_hash_sha512_update(&st, p.data(), p.size());
  std::array<uint8_t, 64> digest;
  crypto_hash_sha512_final(&st, digest.data());
  crypto_core_ed25519_scalar_reduce(out32, digest.data());
  sodium_memzero(digest.data(), digest.size());
  sodium_memzero(&st, sizeof(st));
}

// kL reduced mod ℓ: the same scalar for every group operation, and a valid input to scalar_mul.
std::array<uint8_t, 32> ReducedKl(const XPrv& key) {
  std::array<uint8_t, 64> kl_wide{};
  std::copy(key.kl().begin(), key.kl().end(), kl_wide.begin());
  std::array<uint8_t, 32> kl;
  crypto_core_ed25519_scalar_reduce(kl.data(), kl_wide.data());
  sodium_memzero(kl_wide.data(), kl_wide.size());
  return kl;
}

}  // namespace

SigningKey::SigningKey(const XPrv& key) : key_(key) {
  EnsureSodium();
  std::array<uint8_t, 32> kl = ReducedKl(key);
  // A zero scalar (impossible for a derived key) gives the identity point, like kL·B.
  int rc = crypto_scalarmult_ed25519_base_noclamp(public_key_.data(), kl.data());
  (void)rc;
  sodium_memzero(kl.data(), kl.size());
}

Signature Sign(const XPrv& key, ByteView message) { return Sign(SigningKey(key), message); }

Signature Sign(const SigningKey& key, ByteView message) {
  EnsureSodium();
  std::array<uint8_t, 32> kl = ReducedKl(key.xprv());

  // r = SHA512(kR || M) mod ℓ; R = r·B.
  std::array<uint8_t, 32> r;
  HashToScalar({key.xprv().kr(), message}, r.data());
  Signature sig;
  int rc = crypto_scalarmult_ed25519_base_noclamp(sig.data(), r.data());
  (void)rc;

  // h = SHA512(R || A || M) mod ℓ; S = (r + h·kL) mod ℓ.
  std::array<uint8_t, 32> h;
  HashToScalar({ByteView(sig.data(), 32), View(key.public_key()), message}, h.data());
  std::array<uint8_t, 32> hk;
  crypto_core_ed25519_scalar_mul(hk.data(), h.data(), kl.data());
  crypto_core_ed25519_scalar_add(sig.data() + 32, r.data(), hk.data());

  sodium_memzero(kl.data(), kl.size());
  sodium_memzero(r.data(), r.size());
  sodium_memzero(hk.data(), hk.size());
  return sig;
}

bool Verify(const std::array<uint8_t, 32>& public_key, ByteView message, const Signature& sig) {
  EnsureSodium();
  return crypto_sign_verify_detached(sig.data(), message.data(), message.size(),
                                     public_key.data()) == 0;
}

Hash28 KeyHash(const std::array<uint8_t, 32>& public_key) { return Blake2b224(View(public_key)); }

std::array<uint8_t, 32> Ed25519SeedPublicKey(const std::array<uint8_t, 32>& seed) {
  EnsureSodium();
  std::array<uint8_t, crypto_sign_PUBLICKEYBYTES> pk;
  std::array<uint8_t, crypto_sign_SECRETKEYBYTES> sk;
  SW_CHECK(crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data()) == 0);
  sodium_memzero(sk.data(), sk.size());
  return pk;
}

Signature Ed25519SeedSign(const std::array<uint8_t, 32>& seed, ByteView message) {
  EnsureSodium();
  std::array<uint8_t, crypto_sign_PUBLICKEYBYTES> pk;
  std::array<uint8_t, crypto_sign_SECRETKEYBYTES> sk;
  SW_CHECK(crypto_sign_seed_keypair(pk.data(), sk.data(), seed.data()) == 0);
  Signature sig;
  SW_CHECK(crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), sk.data()) ==
           0);
  sodium_memzero(sk.data(), sk.size());
  return sig;
}

}  // namespace stakeward::chain
