// EIP-55 checksum addresses (test cases from the EIP-55 specification) and secp256k1 BIP32
// (bitcoin/bips bip-0032.mediawiki test vector 1).
#include "chain/evm.h"
#include "gtest/gtest.h"
#include "tests/unit/chain_keys/test_util.h"

namespace stakeward::chain::evm {
namespace {

TEST(Eip55Test, SpecificationExamples) {
  for (const char* mixed :
       {"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb"}) {
    auto a = ParseAddress(mixed);
    ASSERT_TRUE(a.ok()) << mixed << ": " << a.status();
    EXPECT_EQ(ToChecksumAddress(*a), mixed);
  }
  // All-caps and all-lower forms carry no checksum and are accepted.
  for (const char* plain :
       {"0x52908400098527886E0F7030069857D2E4169EE7", "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26"}) {
    auto a = ParseAddress(plain);
    ASSERT_TRUE(a.ok()) << plain;
    EXPECT_EQ(HexEncode(*a), HexEncode(*HexDecode(plain)));
  }
}

TEST(Eip55Test, RejectsBadChecksumAndShape) {
  // One letter's case flipped.
  EXPECT_EQ(ParseAddress("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseAddress("0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").status().code(),
            absl::StatusCode::kInvalidArgument);
  for (const char* bad :
       {"", "0x", "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00",
        "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg",
        "0X5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"}) {
    EXPECT_FALSE(ParseAddress(bad).ok()) << bad;
  }
}

TEST(Secp256k1Bip32Test, Bip32TestVector1) {
  auto master =
      Secp256k1Key::MasterFromSeed(View(testing::Hex("000102030405060708090a0b0c0d0e0f")));
  ASSERT_TRUE(master.ok()) << master.status();
  EXPECT_EQ(HexEncode(master->secret()),
            "e8f32e723decf4051aefac8e2c93c9c5b214313817cdb01a1494b917c8436b35");
  EXPECT_EQ(HexEncode(master->chain_code()),
            "873dff81c02f525623fd1fe5167eac3a55a049de3d314bb42ee227ffed37d508");
  EXPECT_EQ(HexEncode(master->CompressedPublicKey()),
            "0339a36013301597daef41fbe593a02cc513d0b55527ec2df1050e2e8ff49c85c2");
  auto m0h = master->Derive(kHardened);
  ASSERT_TRUE(m0h.ok());
  EXPECT_EQ(HexEncode(m0h->secret()),
            "edb2e14f9ee77d26dd93b4ecede8d16ed408ce149b6cd80b0715a2d911a0afea");
  EXPECT_EQ(HexEncode(m0h->chain_code()),
            "47fdacbd0f1097043b78c63c20c34ef4ed9a111d980047ad16282c7ae6236141");
  EXPECT_EQ(HexEncode(m0h->CompressedPublicKey()),
            "035a784662a4a20a65bf6aab9ae98a6c068a81c52e4b032c0fb5400c706cfccc56");
  auto m0h1 = master->DerivePath(testing::P("m/0'/1"));
  ASSERT_TRUE(m0h1.ok());
  EXPECT_EQ(HexEncode(m0h1->secret()),
            "3c6cb8d0f6a264c91ea8b5030fadaa8e538b020f0a387421a12de9319dc93368");
  EXPECT_EQ(HexEncode(m0h1->chain_code()),
            "2a7857631386ba23dacac34180dd1983734e444fdbf774041578e9b6adb37c19");
  EXPECT_EQ(m0h1->UncompressedPublicKey()[0], 0x04);
}

TEST(Secp256k1Bip32Test, RejectsBadSeedLength) {
  EXPECT_EQ(Secp256k1Key::MasterFromSeed(View(Bytes(15, 1))).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Secp256k1Key::MasterFromSeed(View(Bytes(65, 1))).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Secp256k1Key::MasterFromSeed(View(Bytes(64, 1))).ok());
}

TEST(Secp256k1Bip32Test, InvalidParentKeyIsAnError) {
  // A default-constructed key (zero scalar) is not a valid secp256k1 key: derivation reports it
  // instead of producing a child.
  const Secp256k1Key zero;
  EXPECT_EQ(zero.Derive(kHardened).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(zero.Derive(0).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(zero.DerivePath(testing::P("m/44'/60'")).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace stakeward::chain::evm
