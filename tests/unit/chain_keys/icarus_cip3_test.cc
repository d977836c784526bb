// CIP-3 Icarus master keys (vectors/cardano/icarus_master_key_cip3.json).
#include "chain/keys.h"
#include "gtest/gtest.h"
#include "tests/unit/chain_keys/test_util.h"

namespace stakeward::chain {
namespace {

TEST(IcarusCip3Test, MasterKeys) {
  nlohmann::json v = testing::LoadVectors("vectors/cardano/icarus_master_key_cip3.json");
  ASSERT_EQ(v["vectors"].size(), 2u);
  for (const auto& t : v["vectors"]) {
    const std::string mnemonic = t["mnemonic"];
    const std::string passphrase = t["passphrase"];
    if (t.contains("entropy_hex")) {
      EXPECT_EQ(HexEncode(View(*MnemonicToEntropy(mnemonic))), t["entropy_hex"]);
    }
    XPrv k = testing::Master(mnemonic, Derivation::kIcarus, passphrase);
    EXPECT_EQ(HexEncode(k.bytes()), t["master_xprv_hex"]) << passphrase;
    // 15 words: the checksum is not a whole byte, so Icarus-Trezor is identical.
    XPrv kt = testing::Master(mnemonic, Derivation::kIcarusTrezor, passphrase);
    EXPECT_EQ(kt.bytes(), k.bytes());
  }
}

}  // namespace
}  // namespace stakeward::chain
