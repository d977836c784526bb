// vectors/trezor/cardano_tx_bodies_derived.json: every body decodes, re-encodes identically and
// hashes to its published tx hash; two are rebuilt from their fields.
#include <string>

#include "chain/tx.h"
#include "gtest/gtest.h"
#include "vectors.h"

namespace stakeward::chain {
namespace {

using ::stakeward::chain::testing::Hex;
using ::stakeward::chain::testing::HexN;
using ::stakeward::chain::testing::LoadVector;

TEST(TrezorTxBodiesDerivedTest, EveryBodyRoundTripsAndHashes) {
  const auto v = LoadVector("trezor/cardano_tx_bodies_derived.json");
  ASSERT_EQ(v["bodies"].size(), 10u);
  for (const auto& b : v["bodies"]) {
    const std::string name = b["description"];
    const Bytes cbor = Hex(b["tx_body_cbor_hex"]);
    auto body = DecodeBody(View(cbor));
    ASSERT_TRUE(body.ok()) << name << ": " << body.status();
    EXPECT_FALSE(body->set_tags) << name;
    EXPECT_EQ(EncodeBody(*body), cbor) << name;
    EXPECT_EQ(HexEncode(TxId(View(cbor))), b["expected_tx_hash"]) << name;
    EXPECT_TRUE(CheckHardwareWalletCompatible(View(cbor)).ok()) << name;
  }
}

// The common part of the ordinary-staking fixtures.
TxBody OrdinaryStakingBody() {
  TxBody body;
  body.set_tags = false;
  body.inputs.push_back(
      {HexN<32>("3b40265111d8bb3c3c608d95b3a0bf83461ace32d79336579a1939b3aad1c0b7"), 0});
  TxOut out;
  out.address = Hex(
      "01eb0baa5e570cffbe2934db29df0b6a3d7c0430ee65d4c3a7ab2fefb91bc428e4720702ebd5dab4fb175324c1"
      "92dc9bb76cc5da956e3c8dff");
  out.coin = chain::Lovelace(1);
  body.outputs.push_back(out);
  body.fee = chain::Lovelace(42);
  body.ttl = 10;
  return body;
}

TEST(TrezorTxBodiesDerivedTest, RebuildsRegistrationAndDelegationFromFields) {
  const auto v = LoadVector("trezor/cardano_tx_bodies_derived.json");
  const Credential stake{Credential::Kind::kKeyHash,
                         HexN<28>(v["staking_key_m_1852h_1815h_0h_2_0"]["blake2b224_key_hash"])};
  const Hash28 pool = HexN<28>("f61c42cbf7c8c53af3f520508212ad3e72f674f957fe23ff0acb4973");
  TxBody body = OrdinaryStakingBody();
  body.certificates = {Certificate::StakeRegistration(stake),
                       Certificate::StakeDelegation(stake, pool)};
  EXPECT_EQ(HexEncode(View(EncodeBody(body))), v["bodies"][1]["tx_body_cbor_hex"]);

  // Deregistration (type 1) with a full withdrawal of 1000 lovelace.
  TxBody dereg = OrdinaryStakingBody();
  dereg.certificates = {Certificate::StakeDeregistration(stake)};
  dereg.withdrawals = {
      {Hex(v["staking_key_m_1852h_1815h_0h_2_0"]["mainnet_reward_address_bytes"]), Lovelace(1000)}};
  EXPECT_EQ(HexEncode(View(EncodeBody(dereg))), v["bodies"][3]["tx_body_cbor_hex"]);

  // Vote delegation to always-abstain (type 9).
  TxBody vote = OrdinaryStakingBody();
  DRep abstain;
  vote.certificates = {Certificate::VoteDelegation(stake, abstain)};
  EXPECT_EQ(HexEncode(View(EncodeBody(vote))), v["bodies"][5]["tx_body_cbor_hex"]);
}

}  // namespace
}  // namespace stakeward::chain
