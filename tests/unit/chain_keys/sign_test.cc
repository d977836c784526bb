// Extended-key signing and verification, plain RFC 8032 seed keys, public derivation rules.
#include "chain/hash.h"
#include "chain/keys.h"
#include "gtest/gtest.h"
#include "tests/unit/chain_keys/test_util.h"

namespace stakeward::chain {
namespace {

constexpr char kAllAll[] = "all all all all all all all all all all all all";

TEST(SignTest, RoundTripAndTamperDetection) {
  XPrv root = testing::Master(kAllAll, Derivation::kIcarus);
  XPrv key = DerivePath(root, testing::P("m/1854'/1815'/0'/2/0"));
  XPub pub = ToPublic(key);
  Hash32 msg = Blake2b256(View(std::string_view("a transaction body")));
  Signature sig = Sign(key, View(msg));
  EXPECT_TRUE(Verify(pub.public_key, View(msg), sig));
  // Deterministic.
  EXPECT_EQ(Sign(key, View(msg)), sig);
  Hash32 other = msg;
  other[0] ^= 1;
  EXPECT_FALSE(Verify(pub.public_key, View(other), sig));
  for (size_t i : {0u, 31u, 32u, 63u}) {
    Signature bad = sig;
    bad[i] ^= 0x40;
    EXPECT_FALSE(Verify(pub.public_key, View(msg), bad)) << i;
  }
  XPub wrong = ToPublic(DerivePath(root, testing::P("m/1854'/1815'/0'/2/1")));
  EXPECT_FALSE(Verify(wrong.public_key, View(msg), sig));
  // Empty and long messages.
  Bytes big(10000, 0xab);
  EXPECT_TRUE(Verify(pub.public_key, View(big), Sign(key, View(big))));
  EXPECT_TRUE(Verify(pub.public_key, ByteView(), Sign(key, ByteView())));
}

TEST(SignTest, Rfc8032SeedVector) {
  // RFC 8032 section 7.1, TEST 1 (empty message).
  auto seed = testing::HexN<32>("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  auto pk = Ed25519SeedPublicKey(seed);
  EXPECT_EQ(HexEncode(pk), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  Signature sig = Ed25519SeedSign(seed, ByteView());
  EXPECT_EQ(HexEncode(sig),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39"
            "701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(Verify(pk, ByteView(), sig));
}

TEST(SignTest, CardanoCliSeedKeyWitness) {
  nlohmann::json v = testing::LoadVectors("vectors/cardano/cli_golden_transactions.json");
  // The signing key's cborHex is 5820 || 32-byte seed.
  std::string cbor = v["signing_key_cborHex"];
  auto seed = testing::HexN<32>(std::string_view(cbor).substr(4));
  auto pk = Ed25519SeedPublicKey(seed);
  EXPECT_EQ(HexEncode(pk), v["verification_key_hex"]);
  const auto& w = v["key_witness"];
  Bytes body = testing::Hex(
      w["reconstructed_body_cbor_hex (derived here, reproduces the signature)"].get<std::string>());
  Hash32 txid = Blake2b256(View(body));
  EXPECT_EQ(HexEncode(txid), w["txid_hex (derived)"]);
  // Witness cbor: 82 5820 <vkey 32> 5840 <signature 64>.
  std::string witness = w["cborHex"];
  std::string want_sig = witness.substr(witness.size() - 128);
  EXPECT_EQ(HexEncode(Ed25519SeedSign(seed, View(txid))), want_sig);
}

TEST(PublicDerivationTest, HardenedIsRejected) {
  XPub acct = ToPublic(
      DerivePath(testing::Master(kAllAll, Derivation::kIcarus), testing::P("m/1852'/1815'/0'")));
  EXPECT_EQ(DerivePublicChild(acct, kHardened).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DerivePublicChild(acct, 0xFFFFFFFFu).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DerivePublicPath(acct, testing::P("0/1'")).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PublicDerivationTest, MatchesPrivateDerivation) {
  XPrv acct =
      DerivePath(testing::Master(kAllAll, Derivation::kLedger), testing::P("m/1852'/1815'/0'"));
  XPub acct_pub = ToPublic(acct);
  for (uint32_t role : {0u, 1u, 2u, 3u}) {
    for (uint32_t i : {0u, 1u, 7u, 1000u, 0x7FFFFFFFu}) {
      XPrv child = DeriveChild(DeriveChild(acct, role), i);
      auto pub = DerivePublicPath(acct_pub, Path{{role, i}});
      ASSERT_TRUE(pub.ok());
      EXPECT_EQ(*pub, ToPublic(child)) << role << "/" << i;
    }
  }
}

TEST(PublicDerivationTest, XPubParseValidatesPoint) {
  XPub acct = ToPublic(testing::Master(kAllAll, Derivation::kIcarus));
  auto raw = acct.Serialize();
  auto parsed = XPub::Parse(View(raw));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, acct);
  EXPECT_FALSE(XPub::Parse(ByteView(raw.data(), 63)).ok());
  // y = 2 is not on the curve; the identity (y = 1) has small order.
  std::array<uint8_t, 64> bad{};
  bad[0] = 2;
  EXPECT_EQ(XPub::Parse(View(bad)).status().code(), absl::StatusCode::kInvalidArgument);
  bad[0] = 1;
  EXPECT_EQ(XPub::Parse(View(bad)).status().code(), absl::StatusCode::kInvalidArgument);
  // Public derivation refuses a parent that is not a curve point.
  XPub off_curve;
  off_curve.public_key[0] = 2;
  EXPECT_EQ(DerivePublicChild(off_curve, 0).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace stakeward::chain
