// Regression only: vectors/cardano/hd_abandon_SELF_COMPUTED.json is self-computed, not published.
#include "chain/keys.h"
#include "gtest/gtest.h"
#include "tests/unit/chain_keys/test_util.h"

namespace stakeward::chain {
namespace {

TEST(AbandonRegressionTest, IcarusKeysAndHashes) {
  nlohmann::json v = testing::LoadVectors("vectors/cardano/hd_abandon_SELF_COMPUTED.json");
  ASSERT_EQ(v["vectors"].size(), 2u);
  for (const auto& t : v["vectors"]) {
    const std::string mnemonic = t["mnemonic"];
    EXPECT_EQ(HexEncode(View(*MnemonicToEntropy(mnemonic))), t["entropy_hex"]);
    XPrv root = testing::Master(mnemonic, Derivation::kIcarus);
    EXPECT_EQ(HexEncode(root.bytes()), t["root_xprv_hex"]);
    XPrv account = DerivePath(root, testing::P("m/1852'/1815'/0'"));
    EXPECT_EQ(testing::XPubHex(ToPublic(account)), t["acct0_xpub_hex"]);
    XPub pay = ToPublic(DerivePath(account, testing::P("0/0")));
    XPub stake = ToPublic(DerivePath(account, testing::P("2/0")));
    EXPECT_EQ(testing::XPubHex(pay), t["payment_0_0_xpub_hex"]);
    EXPECT_EQ(testing::XPubHex(stake), t["stake_2_0_xpub_hex"]);
    EXPECT_EQ(HexEncode(KeyHash(pay.public_key)), t["payment_keyhash_hex"]);
    EXPECT_EQ(HexEncode(KeyHash(stake.public_key)), t["stake_keyhash_hex"]);
  }
}

}  // namespace
}  // namespace stakeward::chain
