// cardano-addresses / CSL 'test walk nut' vectors (vectors/cardano/hd_test_walk_nut.json).
#include "chain/address.h"
#include "chain/keys.h"
#include "gtest/gtest.h"
#include "tests/unit/chain_keys/test_util.h"

namespace stakeward::chain {
namespace {

class TestWalkNutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v_ = testing::LoadVectors("vectors/cardano/hd_test_walk_nut.json");
    root_ = testing::Master(v_["mnemonic"].get<std::string>(), Derivation::kIcarus);
  }
  nlohmann::json v_;
  XPrv root_;
};

TEST_F(TestWalkNutTest, Root) {
  EXPECT_EQ(HexEncode(View(*MnemonicToEntropy(v_["mnemonic"].get<std::string>()))),
            v_["entropy_hex"]);
  EXPECT_EQ(HexEncode(root_.bytes()), v_["root_xprv_hex"]);
  // root_xsk is the bech32 form of the 96-byte xprv.
  auto decoded = Bech32DecodeExpect(v_["root_xsk_bech32"].get<std::string>(), "root_xsk");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(HexEncode(View(*decoded)), v_["root_xprv_hex"]);
}

TEST_F(TestWalkNutTest, PathsKeysAndHashes) {
  int checked = 0;
  for (const auto& [path_text, want] : v_["paths"].items()) {
    XPrv k = DerivePath(root_, testing::P(path_text));
    XPub pub = ToPublic(k);
    if (want.contains("xprv_hex")) {
      EXPECT_EQ(HexEncode(k.bytes()), want["xprv_hex"]) << path_text;
      ++checked;
    }
    if (want.contains("xpub_hex")) {
      EXPECT_EQ(testing::XPubHex(pub), want["xpub_hex"]) << path_text;
      ++checked;
    }
    if (want.contains("keyhash_hex")) {
      EXPECT_EQ(HexEncode(KeyHash(pub.public_key)), want["keyhash_hex"]) << path_text;
      ++checked;
    }
    if (want.contains("addr_xvk_bech32")) {
      EXPECT_EQ(XPubToBech32(pub, "addr_xvk"), want["addr_xvk_bech32"]) << path_text;
      auto parsed = XPubFromBech32(want["addr_xvk_bech32"].get<std::string>(), "addr_xvk");
      ASSERT_TRUE(parsed.ok()) << parsed.status();
      EXPECT_EQ(*parsed, pub);
      EXPECT_FALSE(XPubFromBech32(want["addr_xvk_bech32"].get<std::string>(), "acct_xvk").ok());
      ++checked;
    }
    for (const char* hrp : {"acct_xsk", "addr_xsk"}) {
      std::string key = std::string(hrp) + "_bech32";
      if (!want.contains(key)) continue;
      auto raw = Bech32DecodeExpect(want[key].get<std::string>(), hrp);
      ASSERT_TRUE(raw.ok()) << raw.status();
      EXPECT_EQ(HexEncode(View(*raw)), HexEncode(k.bytes())) << path_text;
      ++checked;
    }
  }
  EXPECT_GE(checked, 20);
}

TEST_F(TestWalkNutTest, PublicDerivationFromAccountMatches) {
  XPub account = ToPublic(DerivePath(root_, testing::P("m/1852'/1815'/0'")));
  for (const char* rel : {"0/0", "0/1", "0/1442", "2/0"}) {
    auto pub = DerivePublicPath(account, testing::P(rel));
    ASSERT_TRUE(pub.ok()) << pub.status();
    std::string full = std::string("m/1852'/1815'/0'/") + rel;
    EXPECT_EQ(testing::XPubHex(*pub), v_["paths"][full]["xpub_hex"]) << full;
  }
}

}  // namespace
}  // namespace stakeward::chain
