// The Ledger vectors of specs/ledger.md §7, replayed against the mock over the Speculos
// protocol: public keys, addresses, recorded APDU traces with their exact responses.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "chain/keys.h"
#include "firmware-mocks/ledger/cardano_address.h"
#include "firmware-mocks/ledger/ledger_mock.h"
#include "gtest/gtest.h"
#include "tests/unit/mock_ledger/test_host.h"

namespace stakeward::mocks::ledger {
namespace {

using testing::Hex;
using testing::SpeculosClient;

// The mnemonic of the ledgerjs-hw-app-cardano fixtures (specs/ledger.md §2, §7.1).
constexpr char kAbandon[] =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

class VectorsTest : public ::testing::Test {
 protected:
  void StartMock(std::string mnemonic, AppKind app = AppKind::kCardano) {
    LedgerMockOptions o;
    o.mnemonic = std::move(mnemonic);
    o.app = app;
    mock_ = std::make_unique<LedgerMock>(o);
    ASSERT_TRUE(mock_->Start().ok());
    absl::StatusOr<SpeculosClient> c = SpeculosClient::Connect(mock_->apdu_port());
    ASSERT_TRUE(c.ok()) << c.status();
    client_ = std::make_unique<SpeculosClient>(std::move(*c));
  }
  std::string Ex(const std::string& apdu_hex) {
    absl::StatusOr<chain::Bytes> r = client_->ExchangeHex(apdu_hex);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? chain::HexEncode(chain::View(*r)) : "";
  }
  // Replays (request, expected response) pairs.
  void Replay(const std::vector<std::pair<std::string, std::string>>& trace) {
    for (const auto& [req, resp] : trace) EXPECT_EQ(Ex(req), resp) << "request " << req;
  }
  // GET_EXT_PUBLIC_KEY for a path given as APDU hex (count byte + elements).
  std::string XPub(const std::string& path_hex) {
    std::string lc = chain::HexEncode(chain::Bytes{static_cast<uint8_t>(path_hex.size() / 2)});
    return Ex("d7100000" + lc + path_hex);
  }

  std::unique_ptr<LedgerMock> mock_;
  std::unique_ptr<SpeculosClient> client_;
};

TEST_F(VectorsTest, ExtendedPublicKeysOfFixtureMnemonic) {
  StartMock(kAbandon);
  // specs/ledger.md §7.1 (ledgerjs-hw-app-cardano test/integration/__fixtures__).
  EXPECT_EQ(XPub("038000002c8000071780000001"),
            "eb6e933ce45516ac7b0e023de700efae5e212ccc6bf0fcb33ba9243b9d832827"
            "0b161cb11babe1f56c3f9f1cbbb7b6d2d13eeb3efa67205198a69b8d818853549000");
  EXPECT_EQ(XPub("058000002c80000717800000010000000080000037"),
            "83220849a3ada3e95495e22b24aee95c3120d4c8a9faafed312914769e65b70d"
            "69d1b1d5a95ba88b2851d6e1da2d2113f4eca6949f31ababf007deffaba6ae269000");
  EXPECT_EQ(XPub("038000073c8000071780000004"),
            "4e4353d7cc6f49e8e7a281e08a7672d000d4abfdf07be299cbff95d6a05df224"
            "cbc28c222a6c15c0cfe98434f97b3aef860b5ce6902e177820adbd70ed7dc2ec9000");
  EXPECT_EQ(XPub("058000073c80000717800000000000000000000001"),
            "b3d5f4158f0c391ee2a28a2e285f218f3e895ff6ff59cb9369c64b03b5bab5eb"
            "27e1d1f3a3d0fafc0884e02a2d972e7e5b1be8a385ecc1bc75a977b4073dbd089000");
  EXPECT_EQ(XPub("058000073c80000717800000000000000200000000"),
            "66610efd336e1137c525937b76511fbcf2a0e6bcf0d340a67bcb39bc870d85e8"
            "e977e956d29810dbfbda9c8ea667585982454e401c68578623d4b86bc7eb7b589000");
  EXPECT_EQ(XPub("058000073c80000717800000000000000300000000"),
            "7cc18df2fbd3ee1b16b76843b18446679ab95dbcd07b7833b66a9407c0709e37"
            "01d881e1c04fed8defa9a3e8bd3cf85bd975f813ff8eb622d20a4375a07d6bc99000");
}

TEST_F(VectorsTest, BaseAddressesOfFixtureMnemonic) {
  StartMock(kAbandon);
  // Base address, payment 1852'/1815'/0'/0/1, stake 1852'/1815'/0'/2/0 (specs/ledger.md §7.1).
  const std::string params_tail =
      "058000073c80000717800000000000000000000001"
      "22"
      "058000073c80000717800000000000000200000000";
  for (auto [net, expected] :
       {std::pair<std::string, std::string>{
            "00",
            "addr_test1qpd9xypc9xnnstp2kas3r7mf7ylxn4sksfxxypvwgnc63vcayfawlf9hwv2fzuygt2km5v"
            "92kvf8e3s3mk7ynxw77cwq9nnhk4"},
        {"03",
         "addr1qdd9xypc9xnnstp2kas3r7mf7ylxn4sksfxxypvwgnc63vcayfawlf9hwv2fzuygt2km5v92kvf8e"
         "3s3mk7ynxw77cwqdquehe"}}) {
    absl::StatusOr<chain::Bytes> r = client_->ExchangeHex("d71101002d00" + net + params_tail);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->size(), 57u + 2);
    EXPECT_EQ(chain::HexEncode(chain::ByteView(r->data() + 57, 2)), "9000");
    EXPECT_EQ(cardano::AddressForDisplay(chain::ByteView(r->data(), 57)), expected);
  }
}

// Fixture "Sign tx with a stake registration path certificate --- Conway", requests captured
// from ledgerjs-hw-app-cardano 7.1.4, responses from the fixture (specs/ledger.md §7.1).
TEST_F(VectorsTest, ConwayStakeRegistrationTrace) {
  StartMock(kAbandon);
  Replay({
      {"d700000000", "070103009000"},
      {"d72101003c0000000000000000012d964a090201010101010101010103000000010000000100000001000000"
       "000000000000000000000000000000000000000002",
       "9000"},
      {"d7210200243b40265111d8bb3c3c608d95b3a0bf83461ace32d79336579a1939b3aad1c0b700000000",
       "9000"},
      {"d72103303f00010000002b82d818582183581c9e1c71de652ec8b85fec296f0685ca3988781c94a2e1a5d89d"
       "92f45fa0001a0d0c256100000000002dd2e8000000000101",
       "9000"},
      {"d721033300", "9000"},
      {"d721040008000000000000002a", "9000"},
      {"d721050008000000000000000a", "9000"},
      {"d72106001f0700058000073c800007178000000000000002000000000000000000000011", "9000"},
      {"d7210a0000", "26ab8ebe60e70fffd59eb186ed6903ccd5a27c2468da72c5033b596dd41d17459000"},
      {"d7210f0015058000073c80000717800000000000000000000000",
       "128c993b5873029f98df738191462c6e8903ec2a765f7ddcc3a5722b5555e4ef2cccc4464bbdfb606627fe48"
       "e97f2db94f68c9d71b4076c93db682bd357ffa0b9000"},
      {"d7210f0015058000073c80000717800000000000000200000000",
       "bf22ca4b78fa64692a8cfbc375611deb1d60043db880ff000aeba7e4970492daa4e814c79960977816a91f9d"
       "d179bec6f127d37b8955589674e385b9a757d5079000"},
  });
  // The app shows the deposit and the fee.
  std::vector<std::string> screens = mock_->screens().Lines();
  EXPECT_NE(std::find(screens.begin(), screens.end(), "Fee 0.000042 ADA"), screens.end());
  EXPECT_NE(std::find(screens.begin(), screens.end(), "Deposit 0.000017 ADA"), screens.end());
}

// specs/ledger.md §7.2: the Speculos default seed (self-computed, regression only), with the
// fixture transaction "Sign tx without change address" (published txHash).
TEST_F(VectorsTest, SpeculosSeedTrace) {
  StartMock(std::string(kSpeculosDefaultMnemonic));
  Replay({
      {"d71000000d038000073c8000071780000000",
       "78d137231e6346f17b1d442bace1f7ba1d54a88ef8509464e2e786a854bd4815acafe34e34bf401b4b0164607e"
       "e506c4aac63a0828f1dc20ab73ec39f2fe11f39000"},
      {"d71101002d0001058000073c8000071780000000000000000000000022058000073c800007178000000000000"
       "00200000000",
       "016dfa09426959db1023639e8d1f07bb1e478e722c6ebc1d57ba8703b9db219ee5ce9a74f98fdadc2de13efce"
       "d5a154ef8d4d41929d5bf9ff69000"},
      {"d700000000", "070103009000"},
      {"d72101003c0000000000000000012d964a090201010101010101010103000000010000000100000000000000"
       "000000000000000000000000000000000000000001",
       "9000"},
      {"d7210200243b40265111d8bb3c3c608d95b3a0bf83461ace32d79336579a1939b3aad1c0b700000000",
       "9000"},
      {"d72103304d000100000039017cb05fce110fb999f01abb4f62bc455e217d4a51fde909fa9aea545443ac53c0"
       "46cf6a42095e3c60310fa802771d0672f8fe2d1861138b090000000000000001000000000101",
       "9000"},
      {"d721033300", "9000"},
      {"d721040008000000000000002a", "9000"},
      {"d721050008000000000000000a", "9000"},
      {"d7210a0000", "5268bdedcdbd3e2bad037cd292b3832ff2c77c8c628c37485da2dd930f5fc32a9000"},
      {"d7210f0015058000073c80000717800000000000000000000000",
       "ec5a1e5a7b4bee652e36828342f4aed26d23972187d2ae2de696bae8ca823cde0f23f85f1e1e44f16cd5ba7f"
       "c3094175d5cbda7662908d52b76b26e9c05ac5099000"},
  });
}

// The same body signed with the fixture mnemonic gives the fixture's witness.
TEST_F(VectorsTest, FixtureWitnessWithoutChangeAddress) {
  StartMock(kAbandon);
  Replay({
      {"d72101003c0000000000000000012d964a090201010101010101010103000000010000000100000000000000"
       "000000000000000000000000000000000000000001",
       "9000"},
      {"d7210200243b40265111d8bb3c3c608d95b3a0bf83461ace32d79336579a1939b3aad1c0b700000000",
       "9000"},
      {"d72103304d000100000039017cb05fce110fb999f01abb4f62bc455e217d4a51fde909fa9aea545443ac53c0"
       "46cf6a42095e3c60310fa802771d0672f8fe2d1861138b090000000000000001000000000101",
       "9000"},
      {"d721033300", "9000"},
      {"d721040008000000000000002a", "9000"},
      {"d721050008000000000000000a", "9000"},
      {"d7210a0000", "5268bdedcdbd3e2bad037cd292b3832ff2c77c8c628c37485da2dd930f5fc32a9000"},
      {"d7210f0015058000073c80000717800000000000000000000000",
       "ef73b0838e831dc86278e450ef36fecf4b7ad712dabb901f0d8470b6046ced8246cd086a15ad4c723c0cf01b"
       "685d8113e72a01511a5ceba374ebb8f4417afd0a9000"},
  });
}

// specs/ledger.md §7.3: Speculos default seed at m/44'/60'/0'/0/0.
TEST_F(VectorsTest, EthereumAddressAndEip1559Signature) {
  StartMock(std::string(kSpeculosDefaultMnemonic), AppKind::kEthereum);
  absl::StatusOr<chain::Bytes> r =
      client_->ExchangeHex("e002000115058000002c8000003c800000000000000000000000");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u + 65 + 1 + 40 + 32 + 2);
  EXPECT_EQ((*r)[0], 65);
  EXPECT_EQ(chain::HexEncode(chain::ByteView(r->data() + 1, 65)),
            "04ef5b152e3f15eb0c50c9916161c2309e54bd87b9adce722d69716bcdef85f547678e15ab40a78919c72"
            "84e67a17ee9a96e8b9886b60f767d93023bac8dbc16e4");
  EXPECT_EQ((*r)[66], 40);
  std::string ascii(r->begin() + 67, r->begin() + 107);
  EXPECT_EQ(absl::AsciiStrToLower(ascii), "dad77910dbdfde764fc21fcd4e74d71bbaca6d8d");
  EXPECT_EQ(ascii, "Dad77910DbDFdE764fC21FCD4E74D71bBACA6D8D");  // EIP-55 casing
  EXPECT_EQ(chain::HexEncode(chain::ByteView(r->data() + 107, 32)),
            "428489ee70680fa137392bc8399c4da9e39e92f058eb9e790f736142bba7e9d6");

  // LedgerHQ/ledgerjs packages/hw-app-eth/tests/Eth.test.ts, EIP-1559 vector.
  EXPECT_EQ(Ex("e004000046058000002c8000003c80000000000000000000000002ef0306843b9aca008504a817c8008"
               "2520894b2bb2b958afa2e96dab3f3ce7162b87daea39017872386f26fc1000080c0"),
            "003ccff815955e82c416dcf2ace0bf0aa5f479acd47f5152f0c1753cf68fb723746774b8bff4f776f2788b"
            "b19c87c22ca8a2933ea4415eed8d25a9ea0500c81ce19000");
}

}  // namespace
}  // namespace stakeward::mocks::ledger
