// Hash functions used by Cardano (blake2b), key derivation (SHA-2, HMAC, PBKDF2) and EVM (Keccak).
#ifndef STAKEWARD_CHAIN_HASH_H_
#define STAKEWARD_CHAIN_HASH_H_

#include <array>

#include "chain/bytes.h"

namespace stakeward::chain {

Hash28 Blake2b224(ByteView data);
Hash32 Blake2b256(ByteView data);
std::array<uint8_t, 32> Sha256(ByteView data);
std::array<uint8_t, 64> Sha512(ByteView data);
std::array<uint8_t, 64> HmacSha512(ByteView key, ByteView data);
// Keccak-256 as Ethereum uses it (the original Keccak padding, not SHA3-256).
Hash32 Keccak256(ByteView data);
// PBKDF2-HMAC-SHA512 (OpenSSL).
Bytes Pbkdf2HmacSha512(ByteView password, ByteView salt, uint32_t iterations, size_t out_len);

// Incremental blake2b-256, as the hardware wallets hash a transaction body while it streams in.
class Blake2b256Stream {
 public:
  Blake2b256Stream();
  ~Blake2b256Stream();
  Blake2b256Stream(const Blake2b256Stream&) = delete;
  Blake2b256Stream& operator=(const Blake2b256Stream&) = delete;
  void Update(ByteView data);
  Hash32 Finish();

 private:
  alignas(64) unsigned char state_[384];
};

}  // namespace stakeward::chain

#endif  // STAKEWARD_CHAIN_HASH_H_
