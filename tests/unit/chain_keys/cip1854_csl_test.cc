// CIP-1854 keys from CSL root_key_24 (vectors/cardano/hd_cip1854_multisig_csl.json).
#include "chain/keys.h"
#include "gtest/gtest.h"
#include "tests/unit/chain_keys/test_util.h"

namespace stakeward::chain {
namespace {

TEST(Cip1854CslTest, RootAndMultisigKeys) {
  nlohmann::json v = testing::LoadVectors("vectors/cardano/hd_cip1854_multisig_csl.json");
  const std::string mnemonic =
      EntropyToMnemonic(View(testing::Hex(v["entropy_hex"].get<std::string>())));
  XPrv root = testing::Master(mnemonic, Derivation::kIcarus);
  EXPECT_EQ(HexEncode(root.bytes()), v["root_xprv_hex"]);
  for (const char* path : {"m/1854'/1815'/0'", "m/1854'/1815'/0'/0/0", "m/1854'/1815'/0'/2/0"}) {
    XPub pub = ToPublic(DerivePath(root, testing::P(path)));
    EXPECT_EQ(testing::XPubHex(pub), v[path]["xpub_hex"]) << path;
    if (v[path].contains("keyhash_hex")) {
      EXPECT_EQ(HexEncode(KeyHash(pub.public_key)), v[path]["keyhash_hex"]) << path;
    }
  }
  // The shared account key, as cardano-address would print it (CIP-5 acct_shared_xvk).
  XPub account = ToPublic(DerivePath(root, testing::P("m/1854'/1815'/0'")));
  std::string bech = XPubToBech32(account, "acct_shared_xvk");
  EXPECT_EQ(bech.rfind("acct_shared_xvk1", 0), 0u);
  auto back = XPubFromBech32(bech, "acct_shared_xvk");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, account);
  auto stake = DerivePublicPath(*back, testing::P("2/0"));
  ASSERT_TRUE(stake.ok());
  EXPECT_EQ(HexEncode(KeyHash(stake->public_key)), v["m/1854'/1815'/0'/2/0"]["keyhash_hex"]);
}

}  // namespace
}  // namespace stakeward::chain
