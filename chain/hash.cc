#include "chain/hash.h"

#include <cryptopp/keccak.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include "chain/check.h"

namespace stakeward::chain {
namespace {

void EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  SW_CHECK(ok);
}

}  // namespace

Hash28 Blake2b224(ByteView data) {
  EnsureSodium();
  Hash28 out;
  crypto_generichash(out.data(), out.size(), data.data(), data.size(), nullptr, 0);
  return out;
}

Hash32 Blake2b256(ByteView data) {
  EnsureSodium();
  Hash32 out;
  crypto_generichash(out.data(), out.size(), data.data(), data.size(), nullptr, 0);
  return out;
}

std::array<uint8_t, 32> Sha256(ByteView data) {
  EnsureSodium();
  std::array<uint8_t, 32> out;
  crypto_hash_sha256(out.data(), data.data(), data.size());
  return out;
}

std::array<uint8_t, 64> Sha512(ByteView data) {
  EnsureSodium();
  std::array<uint8_t, 64> out;
  crypto_hash_sha512(out.data(), data.data(), data.size());
  return out;
}

std::array<uint8_t, 64> HmacSha512(ByteView key, ByteView data) {
  // libsodium's HMAC-SHA512 accepts keys of any length (hashed when longer than the block).
  EnsureSodium();
  crypto_auth_hmacsha512_state st;
  crypto_auth_hmacsha512_init(&st, key.data(), key.size());
  crypto_auth_hmacsha512_update(&st, data.data(), data.size());
  std::array<uint8_t, 64> out;
  crypto_auth_hmacsha512_final(&st, out.data());
  sodium_memzero(&st, sizeof(st));
  return out;
}

Hash32 Keccak256(ByteView data) {
  CryptoPP::Keccak_256 k;
  k.Update(data.data(), data.size());
  Hash32 out;
  k.Final(out.data());
  return out;
}

Bytes Pbkdf2HmacSha512(ByteView password, ByteView salt, uint32_t iterations, size_t out_len) {
  Bytes out(out_len);
  int rc = PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(password.data()),
                             static_cast<int>(password.size()), salt.data(),
                             static_cast<int>(salt.size()), static_cast<int>(iterations),
                             EVP_sha512(), static_cast<int>(out_len), out.data());
  SW_CHECK(rc == 1);
  return out;
}

Blake2b256Stream::Blake2b256Stream() {
  static_assert(sizeof(state_) >= sizeof(crypto_generichash_state));
  EnsureSodium();
  crypto_generichash_init(reinterpret_cast<crypto_generichash_state*>(state_), nullptr, 0, 32);
}

Blake2b256Stream::~Blake2b256Stream() { sodium_memzero(state_, sizeof(state_)); }

void Blake2b256Stream::Update(ByteView data) {
  crypto_generichash_update(reinterpret_cast<crypto_generichash_state*>(state_), data.data(),
                            data.size());
}

Hash32 Blake2b256Stream::Finish() {
  Hash32 out;
  crypto_generichash_final(reinterpret_cast<crypto_generichash_state*>(state_), out.data(),
                           out.size());
  return out;
}

}  // namespace stakeward::chain
