// vectors/cardano/cip19_addresses.json: CIP-19 addresses on both networks, plus malformed ones.
#include <string>

#include "chain/address.h"
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

class Cip19AddressesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v_ = LoadVector("cardano/cip19_addresses.json");
    const auto& in = v_["inputs"];
    pay_key_ = {Credential::Kind::kKeyHash,
                Blake2b224(View(Hex(in["payment_vk_hex"].get<std::string>())))};
    stake_key_ = {Credential::Kind::kKeyHash,
                  Blake2b224(View(Hex(in["stake_vk_hex"].get<std::string>())))};
    script_ = {Credential::Kind::kScriptHash, HexN<28>(in["script_hash_hex"].get<std::string>())};
  }
  nlohmann::json v_;
  Credential pay_key_, stake_key_, script_;
};

TEST_F(Cip19AddressesTest, InputKeysMatchTheirBech32Forms) {
  const auto& in = v_["inputs"];
  EXPECT_EQ(Bech32Encode("addr_vk", View(Hex(in["payment_vk_hex"]))), in["payment_vk"]);
  EXPECT_EQ(Bech32Encode("stake_vk", View(Hex(in["stake_vk_hex"]))), in["stake_vk"]);
  EXPECT_EQ(Bech32Encode("script", View(script_.hash)), in["script"]);
}

TEST_F(Cip19AddressesTest, EncodeBothNetworks) {
  for (auto [name, net] :
       {std::pair{"mainnet", Network::kMainnet}, std::pair{"testnet", Network::kTestnet}}) {
    const auto& b = v_["bech32"][name];
    EXPECT_EQ(Address::Base(net, pay_key_, stake_key_).ToBech32(), b["type-00"]) << name;
    EXPECT_EQ(Address::Base(net, script_, stake_key_).ToBech32(), b["type-01"]) << name;
    EXPECT_EQ(Address::Base(net, pay_key_, script_).ToBech32(), b["type-02"]) << name;
    EXPECT_EQ(Address::Base(net, script_, script_).ToBech32(), b["type-03"]) << name;
    EXPECT_EQ(Address::Enterprise(net, pay_key_).ToBech32(), b["type-06"]) << name;
    EXPECT_EQ(Address::Enterprise(net, script_).ToBech32(), b["type-07"]) << name;
    EXPECT_EQ(Address::Reward(net, stake_key_).ToBech32(), b["type-14"]) << name;
    EXPECT_EQ(Address::Reward(net, script_).ToBech32(), b["type-15"]) << name;
  }
}

TEST_F(Cip19AddressesTest, DecodeBothNetworks) {
  for (auto [name, net] :
       {std::pair{"mainnet", Network::kMainnet}, std::pair{"testnet", Network::kTestnet}}) {
    for (const auto& [type, text] : v_["bech32"][name].items()) {
      auto a = ParseAddress(text.get<std::string>());
      ASSERT_TRUE(a.ok()) << name << " " << type << ": " << a.status();
      EXPECT_EQ(a->network, net);
      EXPECT_EQ(HexEncode(View(a->raw)), v_["decoded_hex"][name][type]) << type;
      EXPECT_EQ(a->ToBech32(), text) << type;
      EXPECT_TRUE(ParseAddressOn(text.get<std::string>(), net).ok());
      const int t = std::stoi(type.substr(5));
      if (t <= 3) {
        EXPECT_EQ(a->type, AddressType::kBase);
        EXPECT_EQ(a->payment, (t & 1) ? script_ : pay_key_);
        EXPECT_EQ(a->delegation, (t & 2) ? script_ : stake_key_);
      } else if (t <= 5) {
        EXPECT_EQ(a->type, AddressType::kPointer);
        EXPECT_EQ(a->payment, (t & 1) ? script_ : pay_key_);
      } else if (t <= 7) {
        EXPECT_EQ(a->type, AddressType::kEnterprise);
        EXPECT_EQ(a->payment, (t & 1) ? script_ : pay_key_);
      } else {
        EXPECT_EQ(a->type, AddressType::kReward);
        EXPECT_EQ(a->delegation, (t & 1) ? script_ : stake_key_);
      }
    }
  }
}

TEST_F(Cip19AddressesTest, WrongNetworkIsDetected) {
  const std::string main = v_["bech32"]["mainnet"]["type-00"];
  const std::string test = v_["bech32"]["testnet"]["type-14"];
  auto a = ParseAddressOn(main, Network::kTestnet);
  ASSERT_FALSE(a.ok());
  EXPECT_THAT(std::string(a.status().message()), HasSubstr("address is for mainnet"));
  EXPECT_FALSE(ParseAddressOn(test, Network::kMainnet).ok());
  // A mainnet header under the testnet prefix (and vice versa) is refused.
  const Bytes raw = Hex(v_["decoded_hex"]["mainnet"]["type-06"]);
  auto mislabeled = ParseAddress(Bech32Encode("addr_test", View(raw)));
  ASSERT_FALSE(mislabeled.ok());
  EXPECT_THAT(std::string(mislabeled.status().message()), HasSubstr("does not match its header"));
  EXPECT_FALSE(
      ParseAddress(Bech32Encode("addr", View(Hex(v_["decoded_hex"]["mainnet"]["type-14"])))).ok());
}

TEST_F(Cip19AddressesTest, WrongLengthsAndHeadersAreRejected) {
  Bytes base = Hex(v_["decoded_hex"]["mainnet"]["type-00"]);
  Bytes shorter(base.begin(), base.end() - 1);
  auto a = ParseAddressBytes(View(shorter));
  ASSERT_FALSE(a.ok());
  EXPECT_THAT(std::string(a.status().message()), HasSubstr("must be 57 bytes, got 56"));
  Bytes reward = Hex(v_["decoded_hex"]["testnet"]["type-14"]);
  reward.push_back(0);
  EXPECT_FALSE(ParseAddressBytes(View(reward)).ok());
  Bytes bad_net = base;
  bad_net[0] = 0x02;  // network id 2 is not defined
  EXPECT_THAT(std::string(ParseAddressBytes(View(bad_net)).status().message()),
              HasSubstr("unknown network id 2"));
  Bytes bad_type = base;
  bad_type[0] = 0x91;  // type 9 does not exist
  EXPECT_FALSE(ParseAddressBytes(View(bad_type)).ok());
  EXPECT_FALSE(ParseAddressBytes(ByteView()).ok());
  // Pointer with a truncated variable-length natural.
  Bytes ptr = Hex(v_["decoded_hex"]["mainnet"]["type-04"]);
  ptr.back() |= 0x80;
  EXPECT_FALSE(ParseAddressBytes(View(ptr)).ok());
}

TEST_F(Cip19AddressesTest, BadChecksumIsRejected) {
  std::string text = v_["bech32"]["mainnet"]["type-00"];
  text.back() = text.back() == 'q' ? 'p' : 'q';
  auto a = ParseAddress(text);
  ASSERT_FALSE(a.ok());
  EXPECT_THAT(std::string(a.status().message()), HasSubstr("bad bech32 checksum"));
}

TEST_F(Cip19AddressesTest, FormatAddressHandlesByronAndGarbage) {
  // Byron output address from the Trezor fixture "Mainnet transaction without change".
  const Bytes byron =
      Hex("82d818582183581c9e1c71de652ec8b85fec296f0685ca3988781c94a2e1a5d89d92f45fa0001a0d0c2561");
  auto a = ParseAddressBytes(View(byron));
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->type, AddressType::kByron);
  EXPECT_EQ(a->network, Network::kMainnet);
  EXPECT_EQ(FormatAddress(View(byron)),
            "Ae2tdPwUPEZCanmBz5g2GEwFqKTKpNJcGYPKfDxoNeKZ8bRHr8366kseiK2");
  EXPECT_THAT(FormatAddress(View(Bytes{0x99})), HasSubstr("<invalid address 99>"));
}

}  // namespace
}  // namespace stakeward::chain
