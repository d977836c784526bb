// input-output-hk/rust-ed25519-bip32 src/tests.rs
// (vectors/cardano/ed25519_bip32_rust_vectors.json).
#include "chain/keys.h"
#include "gtest/gtest.h"
#include "tests/unit/chain_keys/test_util.h"

namespace stakeward::chain {
namespace {

TEST(RustEd25519Bip32Test, HardenedChildAndSignature) {
  nlohmann::json v = testing::LoadVectors("vectors/cardano/ed25519_bip32_rust_vectors.json");
  XPrv parent = testing::XPrvFromHex(v["parent_xprv_hex"].get<std::string>());
  XPrv child = DeriveChild(parent, kHardened);
  EXPECT_EQ(HexEncode(child.bytes()), v["child_xprv_hex"]);
  XPub pub = ToPublic(child);
  EXPECT_EQ(HexEncode(pub.public_key), v["child_public_key_hex"]);
  const std::string msg = v["message_ascii"];
  Signature sig = Sign(child, View(msg));
  EXPECT_EQ(HexEncode(sig), v["signature_by_child_hex"]);
  EXPECT_TRUE(Verify(pub.public_key, View(msg), sig));
  // The key with its public key held: the same published signature, the same public key.
  const SigningKey held(child);
  EXPECT_EQ(HexEncode(held.public_key()), v["child_public_key_hex"]);
  EXPECT_EQ(HexEncode(Sign(held, View(msg))), v["signature_by_child_hex"]);
}

}  // namespace
}  // namespace stakeward::chain
