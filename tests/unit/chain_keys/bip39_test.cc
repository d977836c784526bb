// BIP39: the embedded word list, mnemonic <-> entropy, checksum and word validation, seeds.
#include <sstream>
#include <string>
#include <vector>

#include "chain/hash.h"
#include "chain/keys.h"
#include "gtest/gtest.h"
#include "tests/unit/chain_keys/test_util.h"

namespace stakeward::chain {
namespace {

using testing::Hex;
using testing::ReadSharedFile;

constexpr char kAbandon12[] =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

TEST(Bip39WordListTest, EmbeddedListEqualsSharedFile) {
  std::string text = ReadSharedFile("vectors/bip39_english.txt");
  // Published digest of bitcoin/bips bip-0039/english.txt (shared/specs/README.md).
  EXPECT_EQ(HexEncode(Sha256(View(text))),
            "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda");
  std::vector<std::string> shared;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) shared.push_back(line);
  const auto& embedded = Bip39EnglishWords();
  ASSERT_EQ(embedded.size(), 2048u);
  ASSERT_EQ(shared.size(), embedded.size());
  for (size_t i = 0; i < shared.size(); ++i) EXPECT_EQ(embedded[i], shared[i]) << i;
}

TEST(Bip39Test, EntropyRoundTripsForEveryLength) {
  for (size_t n : {16u, 20u, 24u, 28u, 32u}) {
    Bytes entropy(n);
    for (size_t i = 0; i < n; ++i) entropy[i] = static_cast<uint8_t>(i * 37 + n);
    std::string mnemonic = EntropyToMnemonic(View(entropy));
    size_t words = 1;
    for (char c : mnemonic) words += (c == ' ');
    EXPECT_EQ(words, n * 3 / 4);
    absl::StatusOr<Bytes> back = MnemonicToEntropy(mnemonic);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, entropy);
  }
}

TEST(Bip39Test, KnownEntropies) {
  EXPECT_EQ(EntropyToMnemonic(View(Bytes(16, 0))), kAbandon12);
  // hd_test_walk_nut.json
  EXPECT_EQ(EntropyToMnemonic(View(Hex("df9ed25ed146bf43336a5d7cf7395994"))),
            "test walk nut penalty hip pave soap entry language right filter choice");
  absl::StatusOr<Bytes> e = MnemonicToEntropy(
      "eight country switch draw meat scout mystery blade tip drift useless good keep usage title");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(HexEncode(View(*e)), "46e62370a138a182a498b8e2885bc032379ddf38");
}

TEST(Bip39Test, NormalizesCaseAndWhitespace) {
  absl::StatusOr<Bytes> e = MnemonicToEntropy(
      "  Abandon abandon\tabandon abandon abandon abandon abandon abandon abandon abandon\n"
      "abandon ABOUT ");
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(*e, Bytes(16, 0));
  auto a = MnemonicToSeed(kAbandon12, "");
  auto b = MnemonicToSeed(
      "ABANDON  abandon abandon abandon abandon abandon abandon abandon "
      "abandon abandon abandon about",
      "");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
}

TEST(Bip39Test, RejectsBadChecksum) {
  // "abandon" x12 decodes to zero entropy whose checksum would select "about".
  absl::StatusOr<Bytes> e = MnemonicToEntropy(
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
      "abandon");
  EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
  // Last word changed in a 24-word mnemonic.
  e = MnemonicToEntropy(
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
      "abandon zoo");
  EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(MasterKeyFromMnemonic("abandon abandon abandon abandon abandon abandon abandon "
                                     "abandon abandon abandon abandon abandon",
                                     "", Derivation::kLedger)
                   .ok());
}

TEST(Bip39Test, RejectsUnknownWord) {
  absl::StatusOr<Bytes> e = MnemonicToEntropy(
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
      "abou");
  EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
  e = MnemonicToEntropy(
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
      "bitcoin");
  EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
  // Non-ASCII bytes are refused outright.
  e = MnemonicToEntropy(
      "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
      "ab\xc3\xa4ut");
  EXPECT_EQ(e.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Bip39Test, RejectsWrongWordCount) {
  for (int n : {0, 1, 3, 11, 13, 14, 16, 23, 25, 27}) {
    std::string m;
    for (int i = 0; i < n; ++i) m += (i ? " abandon" : "abandon");
    EXPECT_EQ(MnemonicToEntropy(m).status().code(), absl::StatusCode::kInvalidArgument) << n;
  }
  EXPECT_FALSE(MnemonicToEntropy(std::string(10000, 'a')).ok());
}

TEST(Bip39Test, SeedMatchesPublishedVector) {
  // trezor/python-mnemonic vectors.json, first English vector (passphrase "TREZOR").
  auto seed = MnemonicToSeed(kAbandon12, "TREZOR");
  ASSERT_TRUE(seed.ok()) << seed.status();
  EXPECT_EQ(HexEncode(*seed),
            "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1"
            "e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04");
}

TEST(Bip39Test, RejectsNonAsciiPassphrase) {
  EXPECT_EQ(MnemonicToSeed(kAbandon12, "caf\xc3\xa9").status().code(),
            absl::StatusCode::kInvalidArgument);
  for (Derivation d : {Derivation::kIcarus, Derivation::kIcarusTrezor, Derivation::kLedger}) {
    EXPECT_EQ(MasterKeyFromMnemonic(kAbandon12, "caf\xc3\xa9", d).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace stakeward::chain
