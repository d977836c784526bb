// Ledger derivation (CIP-0003/Ledger_BitBox02.md) against shared/specs/ledger.md §7 and §8.
#include "chain/hash.h"
#include "chain/keys.h"
#include "gtest/gtest.h"
#include "tests/unit/chain_keys/test_util.h"

namespace stakeward::chain {
namespace {

constexpr char kAbandon12[] =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
// The Speculos default seed (ledger.md §7.2).
constexpr char kSpeculos[] =
    "glory promote mansion idle axis finger extra february uncover one trip resource lawn turtle "
    "enact monster seven myth punch hobby comfort wild raise skin";

struct Row {
  const char* path;
  const char* public_key;
  const char* chain_code;
};

// ledger.md §7.1, published (ledgerjs-hw-app-cardano getExtendedPublicKey.ts fixtures).
constexpr Row kAbandonRows[] = {
    {"44'/1815'/1'", "eb6e933ce45516ac7b0e023de700efae5e212ccc6bf0fcb33ba9243b9d832827",
     "0b161cb11babe1f56c3f9f1cbbb7b6d2d13eeb3efa67205198a69b8d81885354"},
    {"44'/1815'/1'/0/55'", "83220849a3ada3e95495e22b24aee95c3120d4c8a9faafed312914769e65b70d",
     "69d1b1d5a95ba88b2851d6e1da2d2113f4eca6949f31ababf007deffaba6ae26"},
    {"1852'/1815'/4'", "4e4353d7cc6f49e8e7a281e08a7672d000d4abfdf07be299cbff95d6a05df224",
     "cbc28c222a6c15c0cfe98434f97b3aef860b5ce6902e177820adbd70ed7dc2ec"},
    {"1852'/1815'/0'/0/1", "b3d5f4158f0c391ee2a28a2e285f218f3e895ff6ff59cb9369c64b03b5bab5eb",
     "27e1d1f3a3d0fafc0884e02a2d972e7e5b1be8a385ecc1bc75a977b4073dbd08"},
    {"1852'/1815'/0'/2/0", "66610efd336e1137c525937b76511fbcf2a0e6bcf0d340a67bcb39bc870d85e8",
     "e977e956d29810dbfbda9c8ea667585982454e401c68578623d4b86bc7eb7b58"},
    {"1852'/1815'/0'/3/0", "7cc18df2fbd3ee1b16b76843b18446679ab95dbcd07b7833b66a9407c0709e37",
     "01d881e1c04fed8defa9a3e8bd3cf85bd975f813ff8eb622d20a4375a07d6bc9"},
};

// cardano-foundation/CIPs CIP-0003/Ledger_BitBox02.md test vectors (published master keys).
TEST(LedgerVectorsTest, Cip3LedgerBitBox02MasterKeys) {
  struct Vector {
    const char* mnemonic;
    const char* passphrase;
    const char* master;
  };
  const Vector vectors[] = {
      // No passphrase, no iterations.
      {"recall grace sport punch exhibit mad harbor stand obey short width stem awkward used "
       "stairs wool ugly trap season stove worth toward congress jaguar",
       "",
       "a08cf85b564ecf3b947d8d4321fb96d70ee7bb760877e371899b14e2ccf88658104b884682b57efd97decbb318"
       "a45c05a527b9cc5c2f64f7352935a049ceea60680d52308194ccef2a18e6812b452a5815fbd7f5babc0838569"
       "19aaf668fe7e4"},
      // No passphrase, with iterations (the repeated-HMAC branch).
      {"correct cherry mammal bubble want mandate polar hazard crater better craft exotic choice "
       "fun tourist census gap lottery neglect address glow carry old business",
       "",
       "587c6774357ecbf840d4db6404ff7af016dace0400769751ad2abfc77b9a3844cc71702520ef1a4d1b68b911"
       "87787a9b8faab0a9bb6b160de541b6ee62469901fc0beda0975fe4763beabd83b7051a5fd5cbce5b88e82c4bb"
       "aca265014e524bd"},
      // With passphrase "foo".
      {"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
       "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
       "abandon art",
       "foo",
       "f053a1e752de5c26197b60f032a4809f08bb3e5d90484fe42024be31efcba7578d914d3ff992e21652fee6a4"
       "d99f6091006938fac2c0c0f9d2de0ba64b754e92a4f3723f23472077aa4cd4dd8a8a175dba07ea1852dad1cf"
       "268c61a2679c3890"},
  };
  for (const Vector& v : vectors) {
    XPrv k = testing::Master(v.mnemonic, Derivation::kLedger, v.passphrase);
    EXPECT_EQ(HexEncode(k.bytes()), v.master) << v.mnemonic;
  }
}

TEST(LedgerVectorsTest, AbandonPublishedXpubs) {
  XPrv root = testing::Master(kAbandon12, Derivation::kLedger);
  for (const Row& r : kAbandonRows) {
    XPub pub = ToPublic(DerivePath(root, testing::P(r.path)));
    EXPECT_EQ(HexEncode(pub.public_key), r.public_key) << r.path;
    EXPECT_EQ(HexEncode(pub.chain_code), r.chain_code) << r.path;
  }
  XPrv k = DerivePath(root, testing::P("44'/1815'/1'"));
  EXPECT_EQ(HexEncode(ByteView(k.bytes().data(), 64)),
            "5878bdf06af259f1419324680c4d4ce05b4343895b697144d874749925e69d41648e7e50061809207f81da"
            "c36b73cd8fab2325d49d26bc65ebbb696ea59c45b8");
  XPub stake = ToPublic(DerivePath(root, testing::P("1852'/1815'/0'/2/0")));
  EXPECT_EQ(HexEncode(KeyHash(stake.public_key)),
            "1d227aefa4b773149170885aadba30aab3127cc611ddbc4999def61c");
  // Self-computed row (regression): account 0, and the Icarus account for contrast (§8.2).
  XPub acct = ToPublic(DerivePath(root, testing::P("1852'/1815'/0'")));
  EXPECT_EQ(HexEncode(acct.public_key),
            "0d94fa4489745249e9cd999c907f2692e0e5c7ac868a960312ed5d480c59f2dc");
  XPub icarus = ToPublic(
      DerivePath(testing::Master(kAbandon12, Derivation::kIcarus), testing::P("1852'/1815'/0'")));
  EXPECT_EQ(HexEncode(icarus.public_key),
            "beb7e770b3d0f1932b0a2f3a63285bf9ef7d3e461d55446d6a3911d8f0ee55c0");
}

TEST(LedgerVectorsTest, AbandonWitnessesFromSignTxTrace) {
  // ledger.md §7.1 "Sign tx with a stake registration path certificate --- Conway".
  Bytes body = testing::Hex(
      "a500818258203b40265111d8bb3c3c608d95b3a0bf83461ace32d79336579a1939b3aad1c0b700018182582b82"
      "d818582183581c9e1c71de652ec8b85fec296f0685ca3988781c94a2e1a5d89d92f45fa0001a0d0c25611a002dd2"
      "e802182a030a048183078200581c1d227aefa4b773149170885aadba30aab3127cc611ddbc4999def61c11");
  Hash32 tx_hash = Blake2b256(View(body));
  EXPECT_EQ(HexEncode(tx_hash), "26ab8ebe60e70fffd59eb186ed6903ccd5a27c2468da72c5033b596dd41d1745");
  XPrv root = testing::Master(kAbandon12, Derivation::kLedger);
  XPrv pay = DerivePath(root, testing::P("1852'/1815'/0'/0/0"));
  XPrv stake = DerivePath(root, testing::P("1852'/1815'/0'/2/0"));
  EXPECT_EQ(HexEncode(Sign(pay, View(tx_hash))),
            "128c993b5873029f98df738191462c6e8903ec2a765f7ddcc3a5722b5555e4ef2cccc4464bbdfb606627fe"
            "48e97f2db94f68c9d71b4076c93db682bd357ffa0b");
  EXPECT_EQ(HexEncode(Sign(stake, View(tx_hash))),
            "bf22ca4b78fa64692a8cfbc375611deb1d60043db880ff000aeba7e4970492daa4e814c79960977816a91f"
            "9dd179bec6f127d37b8955589674e385b9a757d507");

  // "Sign tx without change address" (ledger.md §7.2): the fixture mnemonic's witness.
  Bytes body2 = testing::Hex(
      "a400818258203b40265111d8bb3c3c608d95b3a0bf83461ace32d79336579a1939b3aad1c0b700018182583901"
      "7cb05fce110fb999f01abb4f62bc455e217d4a51fde909fa9aea545443ac53c046cf6a42095e3c60310fa80277"
      "1d0672f8fe2d1861138b090102182a030a");
  Hash32 h2 = Blake2b256(View(body2));
  EXPECT_EQ(HexEncode(h2), "5268bdedcdbd3e2bad037cd292b3832ff2c77c8c628c37485da2dd930f5fc32a");
  Signature sig = Sign(pay, View(h2));
  EXPECT_EQ(HexEncode(sig),
            "ef73b0838e831dc86278e450ef36fecf4b7ad712dabb901f0d8470b6046ced8246cd086a15ad4c723c0cf0"
            "1b685d8113e72a01511a5ceba374ebb8f4417afd0a");
  EXPECT_TRUE(Verify(ToPublic(pay).public_key, View(h2), sig));
}

// ledger.md §7.2: self-computed (regression only).
TEST(LedgerVectorsTest, SpeculosSeedRegression) {
  XPrv root = testing::Master(kSpeculos, Derivation::kLedger);
  EXPECT_EQ(HexEncode(root.bytes()),
            "38fa543cd2c39c23084f76fabef4b51390a36943109fbad8ff6d096b04d40055298cd53cca12797794a4cd"
            "2f4ddb5277a982f6796e69d2da1824bfaaad5c505c603ef4fc20e720a5e734f08e0840e5f6e2742e275b4b"
            "0d176785d57d4b48fa4f");
  XPub acct = ToPublic(DerivePath(root, testing::P("1852'/1815'/0'")));
  EXPECT_EQ(testing::XPubHex(acct),
            "78d137231e6346f17b1d442bace1f7ba1d54a88ef8509464e2e786a854bd4815acafe34e34bf401b4b0164"
            "607ee506c4aac63a0828f1dc20ab73ec39f2fe11f3");
  struct HashRow {
    const char* path;
    const char* key_hash;
  };
  for (const HashRow& r :
       {HashRow{"1852'/1815'/0'/0/0", "6dfa09426959db1023639e8d1f07bb1e478e722c6ebc1d57ba8703b9"},
        HashRow{"1852'/1815'/0'/2/0", "db219ee5ce9a74f98fdadc2de13efced5a154ef8d4d41929d5bf9ff6"},
        HashRow{"1854'/1815'/0'/0/0", "619da22ba612c028eaccfeaba2e2363ae9aa6e6d48a79baf226e3da3"},
        HashRow{"1854'/1815'/0'/2/0", "104a234b0a8294074c180265dbc2a96d25b59b2cdc3e5d1537698567"},
        HashRow{"1853'/1815'/0'/0'", "bc49ef1a996a510c0d794564bfa1ba96f25bb3f099d8aab5c39d91a3"}}) {
    XPub pub = ToPublic(DerivePath(root, testing::P(r.path)));
    EXPECT_EQ(HexEncode(KeyHash(pub.public_key)), r.key_hash) << r.path;
  }
  Hash32 h =
      *HexDecodeFixed<32>("5268bdedcdbd3e2bad037cd292b3832ff2c77c8c628c37485da2dd930f5fc32a");
  EXPECT_EQ(HexEncode(Sign(DerivePath(root, testing::P("1852'/1815'/0'/0/0")), View(h))),
            "ec5a1e5a7b4bee652e36828342f4aed26d23972187d2ae2de696bae8ca823cde0f23f85f1e1e44f16cd5ba"
            "7fc3094175d5cbda7662908d52b76b26e9c05ac509");
}

}  // namespace
}  // namespace stakeward::chain
