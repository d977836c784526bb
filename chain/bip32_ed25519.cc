// BIP32-Ed25519 "V2" child derivation as Cardano uses it (input-output-hk/rust-ed25519-bip32
// src/derivation/{mod,v2,common}.rs; trezor-firmware crypto/cardano.c): private hardened and soft
// derivation, public soft derivation, and the extended public key.
#include <sodium.h>

#include <algorithm>
#include <array>

#include "absl/status/status.h"
#include "chain/check.h"
#include "chain/hash.h"
#include "chain/keys.h"

namespace stakeward::chain {
namespace {

void EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  SW_CHECK(ok);
}

// Derivation message tags (rust-ed25519-bip32 src/derivation/mod.rs).
constexpr uint8_t kTagHardenedZ = 0x00;
constexpr uint8_t kTagHardenedCc = 0x01;
constexpr uint8_t kTagSoftZ = 0x02;
constexpr uint8_t kTagSoftCc = 0x03;

void Le32(uint32_t v, uint8_t* out) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
}

// kL·B for a 32-byte little-endian scalar, reduced mod ℓ first so that any kL is accepted
// (B has order ℓ, so the point is the same). A zero scalar yields the identity encoding.
std::array<uint8_t, 32> ScalarMultBase(const uint8_t* scalar32) {
  EnsureSodium();
  std::array<uint8_t, 64> wide{};
  std::copy(scalar32, scalar32 + 32, wide.begin());
  std::array<uint8_t, 32> reduced;
  crypto_core_ed25519_scalar_reduce(reduced.data(), wide.data());
  std::array<uint8_t, 32> point;
  // Fails only for the zero scalar, in which case `point` holds the identity, which is what
  // kL·B is for kL ≡ 0 (mod ℓ).
  int rc = crypto_scalarmult_ed25519_base_noclamp(point.data(), reduced.data());
  (void)rc;
  sodium_memzero(wide.data(), wide.size());
  sodium_memzero(reduced.data(), reduced.size());
  return point;
}

// 8·ZL[0..28] as a 32-byte little-endian integer (fits: 8·2^224 < 2^228).
std::array<uint8_t, 32> Mul8Trunc28(const uint8_t* zl) {
  std::array<uint8_t, 32> out{};
  uint8_t carry = 0;
  for (int i = 0; i < 28; ++i) {
    out[i] = static_cast<uint8_t>((zl[i] << 3) | carry);
    carry = static_cast<uint8_t>(zl[i] >> 5);
  }
  out[28] = carry;
  return out;
}

// out = (a + b) mod 2^256, little-endian.
void Add256(const uint8_t* a, const uint8_t* b, uint8_t* out) {
  unsigned carry = 0;
  for (int i = 0; i < 32; ++i) {
    unsigned sum = static_cast<unsigned>(a[i]) + b[i] + carry;
    out[i] = static_cast<uint8_t>(sum);
    carry = sum >> 8;
  }
}

std::array<uint8_t, 64> Hmac(ByteView key, const uint8_t* msg, size_t len) {
  return HmacSha512(key, ByteView(msg, len));
}

}  // namespace

XPrv::~XPrv() { sodium_memzero(bytes_.data(), bytes_.size()); }

std::array<uint8_t, 64> XPub::Serialize() const {
  std::array<uint8_t, 64> out;
  std::copy(public_key.begin(), public_key.end(), out.begin());
  std::copy(chain_code.begin(), chain_code.end(), out.begin() + 32);
  return out;
}

absl::StatusOr<XPub> XPub::Parse(ByteView bytes64) {
  if (bytes64.size() != 64) {
    return absl::InvalidArgumentError("an extended public key is 64 bytes");
  }
  EnsureSodium();
  if (crypto_core_ed25519_is_valid_point(bytes64.data()) != 1) {
    return absl::InvalidArgumentError("extended public key is not a valid Ed25519 point");
  }
  XPub out;
  std::copy(bytes64.begin(), bytes64.begin() + 32, out.public_key.begin());
  std::copy(bytes64.begin() + 32, bytes64.end(), out.chain_code.begin());
  return out;
}

XPub ToPublic(const XPrv& key) {
  XPub out;
  out.public_key = ScalarMultBase(key.kl().data());
  std::copy(key.chain_code().begin(), key.chain_code().end(), out.chain_code.begin());
  return out;
}

XPrv DeriveChild(const XPrv& parent, uint32_t index) {
  const bool hardened = (index & kHardened) != 0;
  // Hardened: tag || kL || kR || LE32(i) (69 bytes); soft: tag || A || LE32(i) (37 bytes).
  std::array<uint8_t, 69> msg{};
  size_t len = 0;
  if (hardened) {
    std::copy(parent.bytes().begin(), parent.bytes().begin() + 64, msg.begin() + 1);
    Le32(index, msg.data() + 65);
    len = 69;
  } else {
    const std::array<uint8_t, 32> a = ScalarMultBase(parent.kl().data());
    std::copy(a.begin(), a.end(), msg.begin() + 1);
    Le32(index, msg.data() + 33);
    len = 37;
  }
  ByteView cc = parent.chain_code();
  msg[0] = hardened ? kTagHardenedZ : kTagSoftZ;
  std::array<uint8_t, 64> z = Hmac(cc, msg.data(), len);
  msg[0] = hardened ? kTagHardenedCc : kTagSoftCc;
  std::array<uint8_t, 64> c = Hmac(cc, msg.data(), len);

  std::array<uint8_t, 96> child;
  // kL' = kL + 8·ZL[0..28] (plain 256-bit addition, no reduction mod ℓ: V2 scheme).
  std::array<uint8_t, 32> zl8 = Mul8Trunc28(z.data());
  Add256(parent.kl().data(), zl8.data(), child.data());
  // kR' = (kR + ZR) mod 2^256.
  Add256(parent.kr().data(), z.data() + 32, child.data() + 32);
  std::copy(c.begin() + 32, c.end(), child.begin() + 64);

  XPrv out(child);
  sodium_memzero(msg.data(), msg.size());
  sodium_memzero(z.data(), z.size());
  sodium_memzero(c.data(), c.size());
  sodium_memzero(zl8.data(), zl8.size());
  sodium_memzero(child.data(), child.size());
  return out;
}

XPrv DerivePath(const XPrv& root, const Path& path) {
  XPrv key = root;
  for (uint32_t index : path.indexes) key = DeriveChild(key, index);
  return key;
}

absl::StatusOr<XPub> DerivePublicChild(const XPub& parent, uint32_t index) {
  if (index & kHardened) {
    return absl::InvalidArgumentError("hardened derivation needs the private key");
  }
  EnsureSodium();
  std::array<uint8_t, 37> msg;
  std::copy(parent.public_key.begin(), parent.public_key.end(), msg.begin() + 1);
  Le32(index, msg.data() + 33);
  ByteView cc = View(parent.chain_code);
  msg[0] = kTagSoftZ;
  const std::array<uint8_t, 64> z = Hmac(cc, msg.data(), msg.size());
  msg[0] = kTagSoftCc;
  const std::array<uint8_t, 64> c = Hmac(cc, msg.data(), msg.size());

  // A' = A + (8·ZL[0..28])·B. The scalar is below 2^228 < ℓ, so no reduction is involved.
  const std::array<uint8_t, 32> zl8 = Mul8Trunc28(z.data());
  std::array<uint8_t, 32> tweak;
  // Fails only for a zero scalar; `tweak` then holds the identity and A' = A, as it should.
  int rc = crypto_scalarmult_ed25519_base_noclamp(tweak.data(), zl8.data());
  (void)rc;
  XPub child;
  if (crypto_core_ed25519_add(child.public_key.data(), parent.public_key.data(), tweak.data()) !=
      0) {
    return absl::InvalidArgumentError("parent public key is not a valid Ed25519 point");
  }
  std::copy(c.begin() + 32, c.end(), child.chain_code.begin());
  return child;
}

absl::StatusOr<XPub> DerivePublicPath(const XPub& parent, const Path& relative) {
  XPub key = parent;
  for (uint32_t index : relative.indexes) {
    absl::StatusOr<XPub> next = DerivePublicChild(key, index);
    if (!next.ok()) return next.status();
    key = *next;
  }
  return key;
}

}  // namespace stakeward::chain
