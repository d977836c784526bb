// vectors/cardano/cli_golden_certificates.json: build types 7, 8, 9 from their inputs byte for
// byte; parse all 12 goldens and re-encode them identically; TextEnvelope descriptions.
#include <string>

#include "chain/certificate.h"
#include "chain/hash.h"
#include "chain/text_envelope.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vectors.h"

namespace stakeward::chain {
namespace {

using ::stakeward::chain::testing::Hex;
using ::stakeward::chain::testing::HexN;
using ::stakeward::chain::testing::LoadVector;
using ::testing::HasSubstr;

class CliGoldenCertificatesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v_ = LoadVector("cardano/cli_golden_certificates.json");
    ASSERT_EQ(v_["certificates"].size(), 12u);
  }
  // Key hash of an input verification key (its cborHex is 5820 + key).
  Hash28 KeyHash(const char* name) {
    const Bytes cbor = Hex(v_["input_keys"][name]["cborHex"]);
    const Hash28 h = Blake2b224(View(cbor).subspan(2));
    EXPECT_EQ(HexEncode(h), v_["input_keys"][name]["blake2b224_of_raw_key"]);
    return h;
  }
  std::string Golden(size_t i) { return v_["certificates"][i]["cborHex"]; }
  nlohmann::json v_;
};

TEST_F(CliGoldenCertificatesTest, BuildsTypes7_8_9FromFields) {
  const Credential conway{Credential::Kind::kKeyHash, KeyHash("conway_stake_vkey")};
  const Credential shelley{Credential::Kind::kKeyHash, KeyHash("shelley_stake_vkey")};
  // The Plutus script hash of the script-credential goldens (the script file is not vendored).
  const Credential script{Credential::Kind::kScriptHash,
                          HexN<28>("b9ff787a6dedf9ebe602a26352803778805428c7521b99ec7542aa01")};
  DRep abstain;
  abstain.kind = DRep::Kind::kAlwaysAbstain;
  DRep no_conf;
  no_conf.kind = DRep::Kind::kNoConfidence;
  EXPECT_EQ(HexEncode(View(EncodeCertificate(Certificate::VoteDelegation(conway, abstain)))),
            Golden(0));
  EXPECT_EQ(HexEncode(View(EncodeCertificate(Certificate::VoteDelegation(conway, no_conf)))),
            Golden(1));
  EXPECT_EQ(
      HexEncode(View(EncodeCertificate(Certificate::Registration(shelley, Lovelace(2000000))))),
      Golden(8));
  EXPECT_EQ(
      HexEncode(View(EncodeCertificate(Certificate::Registration(script, Lovelace(2000000))))),
      Golden(9));
  EXPECT_EQ(
      HexEncode(View(EncodeCertificate(Certificate::Unregistration(shelley, Lovelace(2000000))))),
      Golden(10));
  EXPECT_EQ(
      HexEncode(View(EncodeCertificate(Certificate::Unregistration(script, Lovelace(2000000))))),
      Golden(11));
}

TEST_F(CliGoldenCertificatesTest, BuildsTypes0_1_2WithTheGoldenKeys) {
  // No cardano-cli golden exists for the legacy types in Conway; their layouts come from
  // conway.cddl and the Trezor-derived bodies (which use them) check them in context.
  const Credential cred{Credential::Kind::kKeyHash, KeyHash("conway_stake_vkey")};
  const Hash28 pool = KeyHash("conway_pool_cold_vkey");
  const std::string kh = "8200581cef1785cf18928f8353c90e76b7a8fc60855472d31a0ea1c1c774ab01";
  EXPECT_EQ(HexEncode(View(EncodeCertificate(Certificate::StakeRegistration(cred)))), "8200" + kh);
  EXPECT_EQ(HexEncode(View(EncodeCertificate(Certificate::StakeDeregistration(cred)))),
            "8201" + kh);
  EXPECT_EQ(HexEncode(View(EncodeCertificate(Certificate::StakeDelegation(cred, pool)))),
            "8302" + kh + "581c" + HexEncode(pool));
}

TEST_F(CliGoldenCertificatesTest, ParsesAllAndReencodesIdentically) {
  const Hash28 stake = KeyHash("conway_stake_vkey");
  const Hash28 pool = KeyHash("conway_pool_cold_vkey");
  const Hash28 drep = KeyHash("drep_vkey");
  const int expected_types[12] = {9, 9, 10, 10, 10, 11, 12, 13, 7, 7, 8, 8};
  for (size_t i = 0; i < 12; ++i) {
    const Bytes cbor = Hex(Golden(i));
    auto cert = DecodeCertificate(View(cbor));
    ASSERT_TRUE(cert.ok()) << i << ": " << cert.status();
    EXPECT_EQ(static_cast<int>(cert->type), expected_types[i]) << i;
    EXPECT_TRUE(cert->raw.empty()) << i;  // all encoded from the fields, as the next line shows
    EXPECT_EQ(EncodeCertificate(*cert), cbor) << i;
    if (i < 8) {
      EXPECT_EQ(cert->credential.hash, stake) << i;
    }
    if ((i >= 2 && i <= 5) || i == 7) {
      EXPECT_EQ(cert->pool, pool) << i;
    }
    if (i == 4 || i == 6 || i == 7) {
      EXPECT_EQ(cert->drep.kind, DRep::Kind::kKeyHash);
      EXPECT_EQ(cert->drep.hash, drep);
    }
    if (i >= 5) {
      EXPECT_EQ(cert->coin, Lovelace(2000000)) << i;
    }
    EXPECT_FALSE(DescribeCertificate(*cert, Network::kMainnet).empty());
  }
}

TEST_F(CliGoldenCertificatesTest, TextEnvelopeDescriptionsMatchTheGoldens) {
  for (size_t i = 0; i < 12; ++i) {
    const TextEnvelope te = CertificateEnvelope(Hex(Golden(i)));
    EXPECT_EQ(te.type, "Certificate");
    EXPECT_EQ(te.description, v_["certificates"][i]["description"]) << i;
    auto back =
        ParseTextEnvelopeOfType(WriteTextEnvelope(te), {kTeCertificate, kTeCertificateConway});
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(HexEncode(View(back->cbor)), Golden(i));
  }
}

TEST_F(CliGoldenCertificatesTest, DescribesDelegationWithBech32Pool) {
  auto cert = DecodeCertificate(View(Hex(Golden(5))));
  ASSERT_TRUE(cert.ok());
  const std::string text = DescribeCertificate(*cert, Network::kMainnet);
  EXPECT_THAT(text, HasSubstr("stake_reg_deleg_cert"));
  EXPECT_THAT(text, HasSubstr(PoolIdBech32(cert->pool)));
}

TEST(CertificateMalformedTest, RejectsBadCertificates) {
  const std::string kh = "8200581cef1785cf18928f8353c90e76b7a8fc60855472d31a0ea1c1c774ab01";
  EXPECT_FALSE(DecodeCertificate(View(Hex("8205" + kh))).ok());  // removed type
  EXPECT_FALSE(DecodeCertificate(View(Hex("8213" + kh))).ok());  // type 19
  EXPECT_FALSE(DecodeCertificate(View(Hex("8307" + kh))).ok());  // truncated
  EXPECT_FALSE(DecodeCertificate(View(Hex("83078202581c" + std::string(56, '0') + "00"))).ok());
  EXPECT_FALSE(DecodeCertificate(View(Hex("8309" + kh + "8104"))).ok());    // drep [4]
  EXPECT_FALSE(DecodeCertificate(View(Hex("8309" + kh + "820200"))).ok());  // abstain + hash
  EXPECT_FALSE(DecodeCertificate(View(Hex("8207" + kh))).ok());             // missing coin
}

TEST(CertificateOtherTypesTest, GovernanceCertificatesAreKeptRaw) {
  const std::string cred = "8200581c" + std::string(56, 'a');
  const std::string anchor = "826568747470735820" + std::string(64, 'b');
  const std::string samples[] = {
      "8410" + cred + "1a1dcd6500" + anchor,         // reg_drep_cert with anchor
      "8311" + cred + "1a1dcd6500",                  // unreg_drep_cert
      "8312" + cred + "f6",                          // update_drep_cert, no anchor
      "830e" + cred + cred,                          // auth_committee_hot_cert
      "830f" + cred + "f6",                          // resign_committee_cold_cert
      "8304581c" + std::string(56, 'c') + "1903e8",  // pool_retirement
  };
  const char* names[] = {"reg_drep_cert",
                         "unreg_drep_cert",
                         "update_drep_cert",
                         "auth_committee_hot_cert",
                         "resign_committee_cold_cert",
                         "pool_retirement"};
  for (size_t i = 0; i < 6; ++i) {
    const Bytes cbor = Hex(samples[i]);
    auto cert = DecodeCertificate(View(cbor));
    ASSERT_TRUE(cert.ok()) << names[i] << ": " << cert.status();
    EXPECT_EQ(CertificateTypeName(cert->type), names[i]);
    EXPECT_EQ(EncodeCertificate(*cert), cbor);
    EXPECT_THAT(DescribeCertificate(*cert, Network::kTestnet), HasSubstr(names[i]));
  }
  EXPECT_FALSE(DecodeCertificate(View(Hex("8312" + cred + "8161"))).ok());  // bad anchor
}

}  // namespace
}  // namespace stakeward::chain
