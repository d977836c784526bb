// trezor-firmware common/tests/fixtures/cardano (vectors/trezor/): xpubs for the three derivation
// types, and the key part of the per-derivation base addresses.
#include "chain/address.h"
#include "chain/keys.h"
#include "gtest/gtest.h"
#include "tests/unit/chain_keys/test_util.h"

namespace stakeward::chain {
namespace {

Derivation FromTrezorName(const std::string& name) {
  if (name == "LEDGER") return Derivation::kLedger;
  if (name == "ICARUS") return Derivation::kIcarus;
  EXPECT_EQ(name, "ICARUS_TREZOR");
  return Derivation::kIcarusTrezor;
}

TEST(TrezorPublicKeyVectorsTest, AllAllMnemonic) {
  nlohmann::json v = testing::LoadVectors("vectors/trezor/cardano_get_public_key.json");
  const std::string mnemonic = v["setup"]["mnemonic"];
  // The upstream harness defaults to ICARUS_TREZOR; for 12 words it equals ICARUS.
  XPrv root = testing::Master(mnemonic, Derivation::kIcarusTrezor);
  EXPECT_EQ(root.bytes(), testing::Master(mnemonic, Derivation::kIcarus).bytes());
  ASSERT_EQ(v["tests"].size(), 14u);
  for (const auto& t : v["tests"]) {
    const std::string path = t["parameters"]["path"];
    XPub pub = ToPublic(DerivePath(root, testing::P(path)));
    EXPECT_EQ(HexEncode(pub.public_key), t["result"]["public_key"]) << path;
    EXPECT_EQ(HexEncode(pub.chain_code), t["result"]["chain_code"]) << path;
  }
}

TEST(TrezorPublicKeyVectorsTest, ThreeDerivationTypes) {
  nlohmann::json v = testing::LoadVectors("vectors/trezor/cardano_get_public_key_derivations.json");
  const std::string mnemonic = v["setup"]["mnemonic"];
  ASSERT_EQ(v["tests"].size(), 3u);
  for (const auto& t : v["tests"]) {
    Derivation d = FromTrezorName(t["parameters"]["derivation_type"]);
    XPrv root = testing::Master(mnemonic, d);
    XPub pub = ToPublic(DerivePath(root, testing::P(t["parameters"]["path"].get<std::string>())));
    EXPECT_EQ(HexEncode(pub.public_key), t["result"]["public_key"]) << t["name"];
    EXPECT_EQ(HexEncode(pub.chain_code), t["result"]["chain_code"]) << t["name"];
  }
}

TEST(TrezorPublicKeyVectorsTest, BaseAddressKeyHashesPerDerivation) {
  nlohmann::json v =
      testing::LoadVectors("vectors/trezor/cardano_get_base_address_derivations.json");
  const std::string mnemonic = v["setup"]["mnemonic"];
  ASSERT_EQ(v["tests"].size(), 3u);
  for (const auto& t : v["tests"]) {
    const auto& p = t["parameters"];
    XPrv root = testing::Master(mnemonic, FromTrezorName(p["derivation_type"]));
    XPub pay = ToPublic(DerivePath(root, testing::P(p["path"].get<std::string>())));
    XPub stake = ToPublic(DerivePath(root, testing::P(p["staking_path"].get<std::string>())));
    auto raw = Bech32DecodeExpect(t["result"]["expected_address"].get<std::string>(), "addr");
    ASSERT_TRUE(raw.ok()) << raw.status();
    ASSERT_EQ(raw->size(), 57u);
    EXPECT_EQ((*raw)[0], 0x01);  // base address, key/key, mainnet
    Hash28 pay_hash = KeyHash(pay.public_key);
    Hash28 stake_hash = KeyHash(stake.public_key);
    EXPECT_EQ(HexEncode(ByteView(raw->data() + 1, 28)), HexEncode(pay_hash)) << t["name"];
    EXPECT_EQ(HexEncode(ByteView(raw->data() + 29, 28)), HexEncode(stake_hash)) << t["name"];
  }
}

}  // namespace
}  // namespace stakeward::chain
