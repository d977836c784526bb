// vectors/cardano/native_scripts.json: CBOR, hashes and bech32 ids; evaluation rules.
#include <string>

#include "chain/address.h"
#include "chain/native_script.h"
#include "gtest/gtest.h"
#include "vectors.h"

namespace stakeward::chain {
namespace {

using ::stakeward::chain::testing::Hex;
using ::stakeward::chain::testing::HexN;
using ::stakeward::chain::testing::LoadVector;

class NativeScriptsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v_ = LoadVector("cardano/native_scripts.json");
    for (int i = 1; i <= 5; ++i) {
      h_[i] = HexN<28>(v_["key_hashes"]["H" + std::to_string(i)].get<std::string>());
    }
  }
  NativeScript Sig(int i) { return NativeScript::Sig(h_[i]); }
  nlohmann::json v_;
  Hash28 h_[6];
};

TEST_F(NativeScriptsTest, EveryCaseDecodesReencodesAndHashes) {
  ASSERT_EQ(v_["cases"].size(), 8u);
  for (const auto& c : v_["cases"]) {
    const Bytes cbor = Hex(c["script_cbor"]);
    auto s = DecodeNativeScript(View(cbor));
    ASSERT_TRUE(s.ok()) << c["name"] << ": " << s.status();
    EXPECT_EQ(EncodeNativeScript(*s), cbor) << c["name"];
    const Hash28 h = NativeScriptHash(*s);
    EXPECT_EQ(HexEncode(h), c["script_hash"]) << c["name"];
    const std::string bech = c["bech32"];
    const std::string hrp = bech.substr(0, bech.rfind('1'));
    EXPECT_EQ(Bech32Encode(hrp, View(h)), bech) << c["name"];
  }
}

TEST_F(NativeScriptsTest, BuildersProduceTheVectorEncodings) {
  EXPECT_EQ(HexEncode(View(EncodeNativeScript(NativeScript::All({Sig(1)})))),
            v_["cases"][0]["script_cbor"]);
  EXPECT_EQ(HexEncode(View(EncodeNativeScript(NativeScript::Any({Sig(1), Sig(2), Sig(3)})))),
            v_["cases"][3]["script_cbor"]);
  EXPECT_EQ(HexEncode(View(EncodeNativeScript(
                NativeScript::AtLeast(1, {Sig(1), NativeScript::All({Sig(2), Sig(3)})})))),
            v_["cases"][5]["script_cbor"]);
  NativeScript after;
  after.type = NativeScript::Type::kInvalidBefore;
  after.slot = 5001;
  EXPECT_EQ(HexEncode(NativeScriptHash(NativeScript::All({Sig(5), after}))),
            v_["cases"][7]["script_hash"]);
}

TEST_F(NativeScriptsTest, Evaluation) {
  const NativeScript two_of_three = NativeScript::AtLeast(2, {Sig(1), Sig(2), Sig(3)});
  EXPECT_FALSE(NativeScriptSatisfied(two_of_three, {h_[1]}, {}, {}));
  EXPECT_TRUE(NativeScriptSatisfied(two_of_three, {h_[1], h_[3]}, {}, {}));
  EXPECT_TRUE(NativeScriptSatisfied(NativeScript::All({}), {}, {}, {}));
  EXPECT_FALSE(NativeScriptSatisfied(NativeScript::Any({}), {}, {}, {}));

  NativeScript after;  // valid from slot 100 (inclusive)
  after.type = NativeScript::Type::kInvalidBefore;
  after.slot = 100;
  EXPECT_FALSE(NativeScriptSatisfied(after, {}, std::nullopt, 200));
  EXPECT_FALSE(NativeScriptSatisfied(after, {}, 99, 200));
  EXPECT_TRUE(NativeScriptSatisfied(after, {}, 100, std::nullopt));
  NativeScript before;  // valid until slot 100 (exclusive upper bound = ttl <= 100)
  before.type = NativeScript::Type::kInvalidHereafter;
  before.slot = 100;
  EXPECT_FALSE(NativeScriptSatisfied(before, {}, 0, std::nullopt));
  EXPECT_TRUE(NativeScriptSatisfied(before, {}, std::nullopt, 100));
  EXPECT_FALSE(NativeScriptSatisfied(before, {}, std::nullopt, 101));
}

TEST_F(NativeScriptsTest, KeyHashesInOrderWithoutDuplicates) {
  const auto hashes = NativeScriptKeyHashes(
      NativeScript::Any({Sig(2), NativeScript::All({Sig(1), Sig(2)}), Sig(3)}));
  EXPECT_EQ(hashes, (std::vector<Hash28>{h_[2], h_[1], h_[3]}));
}

TEST_F(NativeScriptsTest, MalformedScriptsAreRejected) {
  EXPECT_FALSE(DecodeNativeScript(View(Hex("8200581b" + std::string(54, '0')))).ok());  // 27 bytes
  EXPECT_FALSE(DecodeNativeScript(View(Hex("820680"))).ok());                           // type 6
  EXPECT_FALSE(DecodeNativeScript(View(Hex("83032080"))).ok());                         // n = -1
  EXPECT_FALSE(DecodeNativeScript(View(Hex("820101"))).ok());  // not a list
  EXPECT_FALSE(DecodeNativeScript(View(Hex("8204"))).ok());    // truncated
}

}  // namespace
}  // namespace stakeward::chain
