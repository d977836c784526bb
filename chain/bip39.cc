// BIP39 (bitcoin/bips bip-0039.mediawiki): English word list, mnemonic <-> entropy with checksum,
// and the PBKDF2 seed.
#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <sodium.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "chain/check.h"
#include "chain/hash.h"
#include "chain/keys.h"

namespace stakeward::chain {
namespace internal {
// Generated at build time from chain/data/bip39_english.txt (see chain/CMakeLists.txt).
extern const char* const kBip39English[2048];
}  // namespace internal

namespace {

constexpr size_t kWordCount = 2048;
constexpr size_t kMaxMnemonicChars = 24 * 9 + 64;  // 24 words of at most 8 letters + slack
constexpr uint32_t kSeedIterations = 2048;          // BIP39 "From mnemonic to seed"

// Splits on runs of ASCII whitespace and lower-cases; rejects anything but ASCII letters.
absl::StatusOr<std::vector<std::string>> SplitWords(std::string_view mnemonic) {
  if (mnemonic.size() > kMaxMnemonicChars) {
    return absl::InvalidArgumentError("mnemonic is too long");
  }
  std::vector<std::string> words;
  std::string current;
  for (char c : mnemonic) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
    } else if (c >= 'a' && c <= 'z') {
      current.push_back(c);
    } else if (c >= 'A' && c <= 'Z') {
      current.push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      return absl::InvalidArgumentError(
          "mnemonic may only contain ASCII letters and spaces (English word list)");
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

// Index of `word` in the (sorted) English list, or -1.
int WordIndex(std::string_view word) {
  const auto& list = Bip39EnglishWords();
  auto it = std::lower_bound(list.begin(), list.end(), word);
  if (it == list.end() || *it != word) return -1;
  return static_cast<int>(it - list.begin());
}

bool ValidWordCount(size_t n) { return n == 12 || n == 15 || n == 18 || n == 21 || n == 24; }

// Decodes the words into entropy, checking the word list and the checksum. The returned entropy
// is a secret: callers wipe it.
absl::StatusOr<Bytes> WordsToEntropy(const std::vector<std::string>& words) {
  if (!ValidWordCount(words.size())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a mnemonic has 12, 15, 18, 21 or 24 words, not ", words.size()));
  }
  const size_t total_bits = words.size() * 11;
  const size_t checksum_bits = total_bits / 33;
  const size_t entropy_bits = total_bits - checksum_bits;
  // 24 words * 11 bits = 264 bits = 33 bytes.
  std::array<uint8_t, 33> packed{};
  size_t bit = 0;
  for (size_t w = 0; w < words.size(); ++w) {
    int index = WordIndex(words[w]);
    if (index < 0) {
      sodium_memzero(packed.data(), packed.size());
      return absl::InvalidArgumentError(
          absl::StrCat("word ", w + 1, " of the mnemonic is not in the BIP39 English list"));
    }
    for (int b = 10; b >= 0; --b, ++bit) {
      if ((index >> b) & 1) packed[bit / 8] |= static_cast<uint8_t>(0x80u >> (bit % 8));
    }
  }
  Bytes entropy(packed.begin(), packed.begin() + entropy_bits / 8);
  const std::array<uint8_t, 32> digest = Sha256(View(entropy));
  // The checksum is the first entropy_bits/32 bits of SHA256(entropy); at most 8 bits.
  const uint8_t mask = static_cast<uint8_t>(0xFF00u >> checksum_bits);
  const uint8_t stored = packed[entropy_bits / 8] & mask;
  const uint8_t expected = digest[0] & mask;
  sodium_memzero(packed.data(), packed.size());
  if (stored != expected) {
    sodium_memzero(entropy.data(), entropy.size());
    return absl::InvalidArgumentError("mnemonic checksum mismatch");
  }
  return entropy;
}

std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out.push_back(' ');
    out += w;
  }
  return out;
}

void WipeWords(std::vector<std::string>& words) {
  for (auto& w : words) sodium_memzero(w.data(), w.size());
}

}  // namespace

const std::vector<std::string_view>& Bip39EnglishWords() {
  static const std::vector<std::string_view>* const kWords = [] {
    auto* v = new std::vector<std::string_view>();
    v->reserve(kWordCount);
    for (size_t i = 0; i < kWordCount; ++i) v->emplace_back(internal::kBip39English[i]);
    // Lookup relies on the list being sorted; the published list is.
    SW_CHECK(std::is_sorted(v->begin(), v->end()));
    return v;
  }();
  return *kWords;
}

absl::StatusOr<Bytes> MnemonicToEntropy(std::string_view mnemonic) {
  absl::StatusOr<std::vector<std::string>> words = SplitWords(mnemonic);
  if (!words.ok()) return words.status();
  absl::StatusOr<Bytes> entropy = WordsToEntropy(*words);
  WipeWords(*words);
  return entropy;
}

std::string EntropyToMnemonic(ByteView entropy) {
  const size_t n = entropy.size();
  SW_CHECK(n >= 16 && n <= 32 && n % 4 == 0);
  const size_t checksum_bits = n * 8 / 32;
  std::array<uint8_t, 33> packed{};
  std::copy(entropy.begin(), entropy.end(), packed.begin());
  packed[n] = Sha256(entropy)[0];
  const size_t words = (n * 8 + checksum_bits) / 11;
  const auto& list = Bip39EnglishWords();
  std::string out;
  size_t bit = 0;
  for (size_t w = 0; w < words; ++w) {
    int index = 0;
    for (int b = 0; b < 11; ++b, ++bit) {
      index = (index << 1) | ((packed[bit / 8] >> (7 - bit % 8)) & 1);
    }
    if (w > 0) out.push_back(' ');
    out += list[static_cast<size_t>(index)];
  }
  sodium_memzero(packed.data(), packed.size());
  return out;
}

absl::StatusOr<std::array<uint8_t, 64>> MnemonicToSeed(std::string_view mnemonic,
                                                       std::string_view passphrase) {
  for (char c : passphrase) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      return absl::InvalidArgumentError(
          "non-ASCII passphrases are not supported (BIP39 requires NFKD normalization)");
    }
  }
  absl::StatusOr<std::vector<std::string>> words = SplitWords(mnemonic);
  if (!words.ok()) return words.status();
  absl::StatusOr<Bytes> entropy = WordsToEntropy(*words);
  if (!entropy.ok()) {
    WipeWords(*words);
    return entropy.status();
  }
  sodium_memzero(entropy->data(), entropy->size());
  // The sentence is the validated words joined by single spaces: for ASCII this is its NFKD form.
  std::string sentence = JoinWords(*words);
  WipeWords(*words);
  std::string salt = "mnemonic";
  salt.append(passphrase);
  Bytes seed = Pbkdf2HmacSha512(View(sentence), View(salt), kSeedIterations, 64);
  std::array<uint8_t, 64> out;
  std::copy(seed.begin(), seed.end(), out.begin());
  sodium_memzero(seed.data(), seed.size());
  sodium_memzero(sentence.data(), sentence.size());
  sodium_memzero(salt.data(), salt.size());
  return out;
}

}  // namespace stakeward::chain
