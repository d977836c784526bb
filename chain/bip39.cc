// BIP39 (bitcoin/bips bip-0039.mediawiki): English word list, mnemonic <-> entropy with checksum,
// and the PBKDF2 seed.
#include <sodium.h>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

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
constexpr uint32_t kSeedIterations = 2048;         // BIP39 "From mnemonic to seed"

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Splits on runs of ASCII whitespace; rejects anything but ASCII letters. The tokens point into
// the caller's text, so no copies of the secret words are made here.
absl::StatusOr<std::vector<std::string_view>> SplitWords(std::string_view mnemonic) {
  if (mnemonic.size() > kMaxMnemonicChars) {
    return absl::InvalidArgumentError("mnemonic is too long");
  }
  std::vector<std::string_view> words;
  size_t i = 0;
  while (i < mnemonic.size()) {
    if (IsSpace(mnemonic[i])) {
      ++i;
      continue;
    }
    const size_t start = i;
    while (i < mnemonic.size() && !IsSpace(mnemonic[i])) {
      const char c = Lower(mnemonic[i]);
      if (c < 'a' || c > 'z') {
        return absl::InvalidArgumentError(
            "mnemonic may only contain ASCII letters and spaces (English word list)");
      }
      ++i;
    }
    words.push_back(mnemonic.substr(start, i - start));
  }
  return words;
}

// Index of `word` (any case) in the sorted English list, or -1.
int WordIndex(std::string_view word) {
  // English words have 3 to 8 letters.
  std::array<char, 8> buf;
  if (word.size() > buf.size()) return -1;
  for (size_t i = 0; i < word.size(); ++i) buf[i] = Lower(word[i]);
  const std::string_view lower(buf.data(), word.size());
  const auto& list = Bip39EnglishWords();
  auto it = std::lower_bound(list.begin(), list.end(), lower);
  const int index = (it == list.end() || *it != lower) ? -1 : static_cast<int>(it - list.begin());
  sodium_memzero(buf.data(), buf.size());
  return index;
}

bool ValidWordCount(size_t n) { return n == 12 || n == 15 || n == 18 || n == 21 || n == 24; }

// Decodes the words into entropy, checking the word list and the checksum. The returned entropy
// is a secret: callers wipe it.
absl::StatusOr<Bytes> WordsToEntropy(const std::vector<std::string_view>& words) {
  if (!ValidWordCount(words.size())) {
    return absl::InvalidArgumentError(
        absl::StrCat("a mnemonic has 12, 15, 18, 21 or 24 words, not ", words.size()));
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
  std::array<uint8_t, 32> digest = Sha256(View(entropy));
  // The checksum is the first entropy_bits/32 bits of SHA256(entropy); at most 8 bits.
  const uint8_t mask = static_cast<uint8_t>(0xFF00u >> checksum_bits);
  const uint8_t stored = packed[entropy_bits / 8] & mask;
  const uint8_t expected = digest[0] & mask;
  sodium_memzero(packed.data(), packed.size());
  sodium_memzero(digest.data(), digest.size());
  if (stored != expected) {
    sodium_memzero(entropy.data(), entropy.size());
    return absl::InvalidArgumentError("mnemonic checksum mismatch");
  }
  return entropy;
}

// The words lower-cased and joined by single spaces.
std::string JoinWords(const std::vector<std::string_view>& words) {
  size_t total = 0;
  for (std::string_view w : words) total += w.size() + 1;
  std::string out;
  out.reserve(total);  // no reallocation: no stray copies of the sentence
  for (std::string_view w : words) {
    if (!out.empty()) out.push_back(' ');
    for (char c : w) out.push_back(Lower(c));
  }
  return out;
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
  absl::StatusOr<std::vector<std::string_view>> words = SplitWords(mnemonic);
  if (!words.ok()) return words.status();
  return WordsToEntropy(*words);
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
  absl::StatusOr<std::vector<std::string_view>> words = SplitWords(mnemonic);
  if (!words.ok()) return words.status();
  absl::StatusOr<Bytes> entropy = WordsToEntropy(*words);
  if (!entropy.ok()) return entropy.status();
  sodium_memzero(entropy->data(), entropy->size());
  // The sentence is the validated words joined by single spaces: for ASCII this is its NFKD form.
  std::string sentence = JoinWords(*words);
  std::string salt;
  salt.reserve(8 + passphrase.size());
  salt.append("mnemonic").append(passphrase);
  Bytes seed = Pbkdf2HmacSha512(View(sentence), View(salt), kSeedIterations, 64);
  std::array<uint8_t, 64> out;
  std::copy(seed.begin(), seed.end(), out.begin());
  sodium_memzero(seed.data(), seed.size());
  sodium_memzero(sentence.data(), sentence.size());
  sodium_memzero(salt.data(), salt.size());
  return out;
}

}  // namespace stakeward::chain
