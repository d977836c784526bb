// Cardano master keys from a BIP39 mnemonic (cardano-foundation/CIPs CIP-0003): Icarus,
// Icarus-Trezor (24-word checksum quirk) and Ledger/BitBox02.
#include <sodium.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "absl/status/status.h"
#include "chain/check.h"
#include "chain/hash.h"
#include "chain/keys.h"

namespace stakeward::chain {
namespace {

constexpr uint32_t kIcarusIterations = 4096;                 // CIP-0003/Icarus.md
constexpr std::string_view kLedgerHmacKey = "ed25519 seed";  // CIP-0003/Ledger_BitBox02.md

absl::Status CheckAsciiPassphrase(std::string_view passphrase) {
  for (char c : passphrase) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      return absl::InvalidArgumentError(
          "non-ASCII passphrases are not supported (they would need NFKD normalization)");
    }
  }
  return absl::OkStatus();
}

// PBKDF2(passphrase, salt = entropy, 4096, 96), then clamp kL (CIP-0003/Icarus.md).
XPrv IcarusFromEntropy(ByteView entropy, std::string_view passphrase) {
  Bytes data = Pbkdf2HmacSha512(View(passphrase), entropy, kIcarusIterations, 96);
  data[0] &= 0xF8;
  data[31] &= 0x1F;
  data[31] |= 0x40;
  std::array<uint8_t, 96> raw;
  std::copy(data.begin(), data.end(), raw.begin());
  sodium_memzero(data.data(), data.size());
  XPrv key(raw);
  sodium_memzero(raw.data(), raw.size());
  return key;
}

// CIP-0003/Ledger_BitBox02.md: HMAC-SHA512 iterated until bit 5 of byte 31 is clear; chain code
// HMAC-SHA256("ed25519 seed", 0x01 || seed); clamp kL[0] &= 0xF8, kL[31] &= 0x7F, |= 0x40.
XPrv LedgerFromSeed(const std::array<uint8_t, 64>& seed) {
  ByteView hmac_key = View(kLedgerHmacKey);
  std::array<uint8_t, 64> i = HmacSha512(hmac_key, View(seed));
  while (i[31] & 0x20) {
    std::array<uint8_t, 64> next = HmacSha512(hmac_key, View(i));
    i = next;
    sodium_memzero(next.data(), next.size());
  }
  std::array<uint8_t, 65> cc_input;
  cc_input[0] = 0x01;
  std::copy(seed.begin(), seed.end(), cc_input.begin() + 1);
  std::array<uint8_t, 32> cc;
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, hmac_key.data(), hmac_key.size());
  crypto_auth_hmacsha256_update(&st, cc_input.data(), cc_input.size());
  crypto_auth_hmacsha256_final(&st, cc.data());

  std::array<uint8_t, 96> raw;
  std::copy(i.begin(), i.end(), raw.begin());
  std::copy(cc.begin(), cc.end(), raw.begin() + 64);
  raw[0] &= 0xF8;
  raw[31] &= 0x7F;
  raw[31] |= 0x40;
  XPrv key(raw);
  sodium_memzero(&st, sizeof(st));
  sodium_memzero(cc_input.data(), cc_input.size());
  sodium_memzero(i.data(), i.size());
  sodium_memzero(raw.data(), raw.size());
  return key;
}

}  // namespace

absl::StatusOr<XPrv> MasterKeyFromMnemonic(std::string_view mnemonic, std::string_view passphrase,
                                           Derivation derivation) {
  SW_CHECK(sodium_init() >= 0);
  if (absl::Status s = CheckAsciiPassphrase(passphrase); !s.ok()) return s;
  switch (derivation) {
    case Derivation::kIcarus:
    case Derivation::kIcarusTrezor: {
      absl::StatusOr<Bytes> entropy = MnemonicToEntropy(mnemonic);
      if (!entropy.ok()) return entropy.status();
      // Trezor firmware (trezor-firmware issue 1387, CIP-0003/Icarus.md) keeps the checksum in the
      // salt when it is a whole byte, i.e. for 24 words: entropy || SHA256(entropy)[0].
      std::array<uint8_t, 33> salt{};
      size_t salt_len = entropy->size();
      std::copy(entropy->begin(), entropy->end(), salt.begin());
      if (derivation == Derivation::kIcarusTrezor && salt_len == 32) {
        salt[32] = Sha256(View(*entropy))[0];
        salt_len = 33;
      }
      XPrv key = IcarusFromEntropy(ByteView(salt.data(), salt_len), passphrase);
      sodium_memzero(salt.data(), salt.size());
      sodium_memzero(entropy->data(), entropy->size());
      return key;
    }
    case Derivation::kLedger: {
      absl::StatusOr<std::array<uint8_t, 64>> seed = MnemonicToSeed(mnemonic, passphrase);
      if (!seed.ok()) return seed.status();
      XPrv key = LedgerFromSeed(*seed);
      sodium_memzero(seed->data(), seed->size());
      return key;
    }
  }
  return absl::InvalidArgumentError("unknown derivation");
}

}  // namespace stakeward::chain
