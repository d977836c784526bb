// cardano-cli TextEnvelope reading and writing.
#include "chain/text_envelope.h"

#include <string>

#include "chain/hash.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vectors.h"

namespace stakeward::chain {
namespace {

using ::stakeward::chain::testing::Hex;
using ::stakeward::chain::testing::HexN;
using ::stakeward::chain::testing::LoadVector;
using ::testing::HasSubstr;

TEST(TextEnvelopeTest, VerificationKeysFromTheCliGoldens) {
  const auto v = LoadVector("cardano/cli_golden_certificates.json");
  for (const auto& [name, key] : v["input_keys"].items()) {
    const std::string json = "{\"type\": \"" + key["type"].get<std::string>() +
                             "\", \"description\": \"\", \"cborHex\": \"" +
                             key["cborHex"].get<std::string>() + "\"}";
    auto vk = ParseVerificationKeyEnvelope(
        json, {kTeStakeVkey, kTeStakePoolVkey, kTeDRepVkey, kTePaymentVkey});
    ASSERT_TRUE(vk.ok()) << name << ": " << vk.status();
    EXPECT_EQ(HexEncode(Blake2b224(View(*vk))), key["blake2b224_of_raw_key"]) << name;
    const TextEnvelope te = VerificationKeyEnvelope(key["type"].get<std::string>(), "", *vk);
    EXPECT_EQ(HexEncode(View(te.cbor)), key["cborHex"]);
  }
}

TEST(TextEnvelopeTest, WritesFourSpacePrettyJsonInKeyOrder) {
  const TextEnvelope te{"Certificate", "Say \"hi\"", Bytes{0x82, 0x00}};
  EXPECT_EQ(WriteTextEnvelope(te),
            "{\n    \"type\": \"Certificate\",\n    \"description\": \"Say \\\"hi\\\"\",\n"
            "    \"cborHex\": \"8200\"\n}\n");
}

TEST(TextEnvelopeTest, RejectsMalformedEnvelopes) {
  auto err = [](const std::string& json) {
    auto te = ParseTextEnvelope(json);
    EXPECT_FALSE(te.ok()) << json;
    return te.ok() ? std::string() : std::string(te.status().message());
  };
  EXPECT_THAT(err("not json"), HasSubstr("expected a JSON object"));
  EXPECT_THAT(err("[1]"), HasSubstr("expected a JSON object"));
  EXPECT_THAT(err(R"({"description": "", "cborHex": "00"})"), HasSubstr("\"type\""));
  EXPECT_THAT(err(R"({"type": "Certificate", "description": ""})"), HasSubstr("\"cborHex\""));
  EXPECT_THAT(err(R"({"type": "Certificate", "cborHex": "0"})"), HasSubstr("cborHex"));
  EXPECT_THAT(err(R"({"type": "Certificate", "cborHex": "zz"})"), HasSubstr("cborHex"));
  EXPECT_THAT(err(R"({"type": 5, "cborHex": "00"})"), HasSubstr("\"type\""));
  auto wrong = ParseTextEnvelopeOfType(R"({"type": "Certificate", "cborHex": "00"})", {kTeTx});
  ASSERT_FALSE(wrong.ok());
  EXPECT_THAT(std::string(wrong.status().message()), HasSubstr("is not one of \"Tx ConwayEra\""));
  // A key witness whose signature is too short.
  const std::string short_sig = "{\"type\": \"TxWitness ConwayEra\", \"cborHex\": \"825820" +
                                std::string(64, 'a') + "5820" + std::string(64, 'b') + "\"}";
  EXPECT_FALSE(ParseKeyWitnessEnvelope(short_sig).ok());
}

}  // namespace
}  // namespace stakeward::chain
