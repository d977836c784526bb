// vectors/cardano/governance_ids_cip129_cip105.json: CIP-129 and CIP-105 governance ids.
#include <string>

#include "chain/address.h"
#include "chain/hash.h"
#include "gtest/gtest.h"
#include "vectors.h"

namespace stakeward::chain {
namespace {

using ::stakeward::chain::testing::Hex;
using ::stakeward::chain::testing::HexN;
using ::stakeward::chain::testing::LoadVector;

TEST(GovernanceIdsCip129Test, DRepKeyId) {
  const auto v = LoadVector("cardano/governance_ids_cip129_cip105.json");
  const Hash28 kh = Blake2b224(View(Hex(v["drep_vkey_hex"])));
  EXPECT_EQ(HexEncode(kh), v["drep_keyhash_hex"]);
  const Credential cred{Credential::Kind::kKeyHash, kh};
  EXPECT_EQ(DRepIdCip129(cred), v["drep_id_cip129"]);
  EXPECT_EQ(Bech32Encode("drep_vkh", View(kh)), v["drep_vkh_bech32"]);
  EXPECT_EQ(Bech32Encode("drep", View(kh)), v["drep_id_cip105_deprecated"]);
  auto raw = Bech32DecodeExpect(v["drep_id_cip129"].get<std::string>(), "drep");
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(HexEncode(View(*raw)), v["drep_id_cip129_hex"]);
  for (const char* key : {"drep_id_cip129", "drep_id_cip105_deprecated", "drep_vkh_bech32"}) {
    auto parsed = ParseDRepId(v[key].get<std::string>());
    ASSERT_TRUE(parsed.ok()) << key << ": " << parsed.status();
    EXPECT_EQ(*parsed, cred) << key;
  }
}

TEST(GovernanceIdsCip129Test, DRepScriptId) {
  const auto v = LoadVector("cardano/governance_ids_cip129_cip105.json");
  const Credential cred{Credential::Kind::kScriptHash, HexN<28>(v["drep_script1_hash_hex"])};
  EXPECT_EQ(DRepIdCip129(cred), v["drep_script1_cip129"]);
  auto parsed = ParseDRepId(v["drep_script1_cip129"].get<std::string>());
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, cred);
  // The CIP-105 script form from native_scripts.json.
  auto legacy = ParseDRepId("drep_script16pjhzfkm7rqntfezfkgu5p50t0mkntmdruwlp089zu8v29l95rg");
  ASSERT_TRUE(legacy.ok());
  EXPECT_EQ(*legacy, cred);
}

TEST(GovernanceIdsCip129Test, ZeroVectors) {
  const auto v = LoadVector("cardano/governance_ids_cip129_cip105.json");
  for (const auto& [name, pair] : v["cip129_zero_vectors"].items()) {
    const std::string bech = pair[1];
    const std::string hrp = bech.substr(0, bech.rfind('1'));
    EXPECT_EQ(Bech32Encode(hrp, View(Hex(pair[0]))), bech) << name;
    auto back = Bech32DecodeExpect(bech, hrp);
    ASSERT_TRUE(back.ok()) << name;
    EXPECT_EQ(HexEncode(View(*back)), pair[0]) << name;
  }
  // A committee id is not a DRep id.
  EXPECT_FALSE(ParseDRepId(v["cip129_zero_vectors"]["cc_hot_keyhash"][1].get<std::string>()).ok());
  // Wrong header nibble under the drep prefix.
  EXPECT_FALSE(ParseDRepId(Bech32Encode("drep", View(Hex("12" + std::string(56, '0'))))).ok());
}

TEST(PoolIdTest, Bech32AndHex) {
  // Pool key hash from cli_golden_certificates.json (poolCold.vkey).
  const Hash28 pool = HexN<28>("c27cf021914a2b3bcb286d3d741979083422378c577fe757702b6988");
  const std::string bech = PoolIdBech32(pool);
  EXPECT_EQ(bech.rfind("pool1", 0), 0u);
  auto from_bech = ParsePoolId(bech);
  ASSERT_TRUE(from_bech.ok());
  EXPECT_EQ(*from_bech, pool);
  auto from_hex = ParsePoolId("C27CF021914A2B3BCB286D3D741979083422378C577FE757702B6988");
  ASSERT_TRUE(from_hex.ok());
  EXPECT_EQ(*from_hex, pool);
  EXPECT_FALSE(ParsePoolId(Bech32Encode("stake", View(pool))).ok());
  EXPECT_FALSE(ParsePoolId("c27cf0").ok());
}

}  // namespace
}  // namespace stakeward::chain
