// Building a multisig delegation transaction: canonical encoding, withdrawals order, metadata,
// size-exact fees, and the hardware-wallet compatibility check.
#include <string>

#include "chain/hash.h"
#include "chain/tx.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vectors.h"

namespace stakeward::chain {
namespace {

using ::stakeward::chain::testing::Hex;
using ::testing::HasSubstr;

Hash28 H28(uint8_t fill) {
  Hash28 h;
  h.fill(fill);
  return h;
}

struct Fixture {
  NativeScript payment = NativeScript::AtLeast(
      2, {NativeScript::Sig(H28(1)), NativeScript::Sig(H28(2)), NativeScript::Sig(H28(3))});
  NativeScript stake = NativeScript::AtLeast(
      2, {NativeScript::Sig(H28(4)), NativeScript::Sig(H28(5)), NativeScript::Sig(H28(6))});
  Credential pay_cred{Credential::Kind::kScriptHash, NativeScriptHash(payment)};
  Credential stake_cred{Credential::Kind::kScriptHash, NativeScriptHash(stake)};

  TxBody Body() const {
    TxBody body;
    Hash32 in;
    in.fill(0xab);
    body.inputs = {{in, 1}, {in, 0}};
    TxOut out;
    out.address = Address::Base(Network::kMainnet, pay_cred, stake_cred).raw;
    out.coin = chain::Lovelace(10'000'000'000);
    body.outputs = {out};
    body.fee = chain::Lovelace(200000);
    body.ttl = 123456789;
    DRep abstain;
    body.certificates = {Certificate::Registration(stake_cred, Lovelace(2000000)),
                         Certificate::StakeDelegation(stake_cred, H28(0x77)),
                         Certificate::VoteDelegation(stake_cred, abstain)};
    // Deliberately out of order: script (0xF1) before key (0xE1).
    body.withdrawals = {
        {Address::Reward(Network::kMainnet, stake_cred).raw, Lovelace(5)},
        {Address::Reward(Network::kMainnet, {Credential::Kind::kKeyHash, H28(9)}).raw,
         Lovelace(7)}};
    return body;
  }
};

TEST(TxBuildTest, CanonicalBodyRoundTrips) {
  Fixture f;
  const Bytes bytes = EncodeBody(f.Body());
  auto back = DecodeBody(View(bytes));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(EncodeBody(*back), bytes);
  ASSERT_EQ(back->withdrawals.size(), 2u);
  EXPECT_EQ(back->withdrawals[0].reward_account[0], 0xe1);  // canonical order
  EXPECT_EQ(back->certificates.size(), 3u);
  EXPECT_TRUE(back->set_tags);
  EXPECT_TRUE(CheckHardwareWalletCompatible(View(bytes)).ok())
      << CheckHardwareWalletCompatible(View(bytes));
}

TEST(TxBuildTest, MetadataRoundTripAndAuxHash) {
  Metadata md;
  md[87] = Metadatum::Text("mainnet.cardano-evm.c1");
  md[88] = Metadatum::Text("0x000000000000000000000000000000000000BbBB");
  Metadatum list;
  list.kind = Metadatum::Kind::kList;
  list.list = {Metadatum::Int(-5), Metadatum::Blob(Bytes(64, 1))};
  Metadatum map;
  map.kind = Metadatum::Kind::kMap;
  map.map = {{Metadatum::Text("b"), Metadatum::Int(1)}, {Metadatum::Int(2), list}};
  md[674] = map;
  auto aux = EncodeAuxData(md);
  ASSERT_TRUE(aux.ok()) << aux.status();
  auto back = DecodeAuxDataMetadata(View(*aux));
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->size(), 3u);
  EXPECT_EQ(back->at(87).text, "mainnet.cardano-evm.c1");
  EXPECT_EQ(back->at(674).map.size(), 2u);
  EXPECT_EQ(back->at(674).map[0].first.int_value, 2);  // canonical key order: 02 before 6162
  EXPECT_EQ(back->at(674).map[0].second.list[0].int_value, -5);
  EXPECT_EQ(back->at(674).map[1].first.text, "b");

  Fixture f;
  TxBody body = f.Body();
  body.aux_data_hash = Blake2b256(View(*aux));
  const Transaction tx = MakeTransaction(body, {}, *aux);
  auto decoded = DecodeTransaction(View(EncodeTransaction(tx)));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->aux_data, *aux);
  EXPECT_EQ(Blake2b256(View(*decoded->aux_data)), *decoded->body.aux_data_hash);

  // The three auxiliary data forms all yield the metadata.
  const std::string meta = "a1186d6161";  // {109: "a"}
  for (const std::string& form : {meta, "82" + meta + "80", "d90103a100" + meta}) {
    auto m = DecodeAuxDataMetadata(View(Hex(form)));
    ASSERT_TRUE(m.ok()) << form << ": " << m.status();
    EXPECT_EQ(m->at(109).text, "a");
  }
}

TEST(TxBuildTest, MetadataLimits) {
  Metadata md;
  md[1] = Metadatum::Text(std::string(65, 'x'));
  EXPECT_FALSE(EncodeAuxData(md).ok());
  md[1] = Metadatum::Blob(Bytes(65, 0));
  EXPECT_FALSE(EncodeAuxData(md).ok());
  Metadatum dup;
  dup.kind = Metadatum::Kind::kMap;
  dup.map = {{Metadatum::Int(1), Metadatum::Int(1)}, {Metadatum::Int(1), Metadatum::Int(2)}};
  md[1] = dup;
  EXPECT_FALSE(EncodeAuxData(md).ok());
  EXPECT_FALSE(DecodeAuxDataMetadata(View(Hex("a1017841" + std::string(130, '6')))).ok());
  EXPECT_FALSE(DecodeAuxDataMetadata(View(Hex("a101f5"))).ok());  // bool is not metadata
  EXPECT_FALSE(DecodeAuxDataMetadata(View(Hex("a1013b8000000000000000"))).ok());  // < -2^63
}

TEST(TxBuildTest, FeeIsSizeExactForTheFinalWitnessSet) {
  Fixture f;
  const FeeParams p;
  auto fee = MinFeeForBody(f.Body(), std::nullopt, 2, {f.payment, f.stake}, p);
  ASSERT_TRUE(fee.ok()) << fee.status();
  TxBody body = f.Body();
  body.fee = *fee;
  Transaction tx = MakeTransaction(body, {}, std::nullopt);
  // Sign-shaped: two real-looking witnesses and both scripts.
  WitnessSet ws;
  for (uint8_t i = 0; i < 2; ++i) {
    VkeyWitness w;
    w.vkey.fill(i + 1);
    w.signature.fill(0xee);
    ws.vkeys.push_back(w);
  }
  ws.scripts = {f.payment, f.stake};
  Transaction signed_tx = tx;
  signed_tx.witnesses = ws;
  const size_t real = EncodeTransaction(signed_tx).size();
  EXPECT_EQ(FinalTxSize(tx, 2, {f.payment, f.stake}), real);
  EXPECT_EQ(fee->value(), p.min_fee_a * real + p.min_fee_b.value());
  EXPECT_EQ(*MinFee(signed_tx, 2, {f.payment, f.stake}, p), *fee);
  // One fewer lovelace would not cover the size.
  EXPECT_GT(*MinFee(tx, 2, {f.payment, f.stake}, p), *fee - Lovelace(1));

  auto decoded = DecodeTransaction(View(EncodeTransaction(signed_tx)));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->witnesses.vkeys, ws.vkeys);
  EXPECT_EQ(decoded->witnesses.scripts, ws.scripts);
}

TEST(TxBuildTest, OversizeTransactionIsRefusedByMinFee) {
  Fixture f;
  TxBody body = f.Body();
  body.certificates.assign(400, Certificate::StakeDelegation(f.stake_cred, H28(1)));
  const Transaction tx = MakeTransaction(body, {}, std::nullopt);
  auto fee = MinFee(tx, 2, {}, FeeParams{});
  ASSERT_FALSE(fee.ok());
  EXPECT_THAT(std::string(fee.status().message()), HasSubstr("exceeds the maximum of 16384"));
}

TEST(HardwareWalletCompatibilityTest, Violations) {
  Fixture f;
  auto check = [](const Bytes& body) { return CheckHardwareWalletCompatible(View(body)); };
  // Combined certificate 11.
  TxBody combined = f.Body();
  Certificate c11 = Certificate::Registration(f.stake_cred, Lovelace(2000000));
  c11.type = Certificate::Type::kStakeRegDelegCert;
  c11.pool = H28(2);
  combined.certificates = {c11};
  auto s = check(EncodeBody(combined));
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()), HasSubstr("stake_reg_deleg_cert"));

  // Mixed tag 258 use: tagged inputs, untagged certificates.
  const Bytes canonical = EncodeBody(f.Body());
  TxBody untagged = f.Body();
  untagged.set_tags = false;
  Bytes untagged_bytes = EncodeBody(untagged);
  auto parsed = DecodeBody(View(untagged_bytes));
  ASSERT_TRUE(parsed.ok());
  TxBody mixed = *parsed;
  mixed.set_tags = true;
  mixed.certificates.clear();
  mixed.other_fields[4] = [&] {
    cbor::Writer w;
    w.ArrayHeader(1);
    WriteCertificate(w, f.Body().certificates[0]);
    return w.Take();
  }();
  s = check(EncodeBody(mixed));
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()), HasSubstr("tag 258"));

  // Non-canonical: body keys out of order (fee before outputs).
  const Bytes unsorted =
      Hex("a3"
          "0080"
          "0200"
          "0180");
  s = check(unsorted);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()), HasSubstr("canonical"));
  // Non-canonical integer head for the fee.
  s =
      check(Hex("a3"
                "0080"
                "0180"
                "021800"));
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()), HasSubstr("non-canonical"));
  // Proposal procedures (key 20) are refused.
  s =
      check(Hex("a4"
                "0080"
                "0180"
                "0200"
                "1481"
                "00"));
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()), HasSubstr("key 20"));
  // An output with an empty multiasset map.
  TxBody empty_ma = f.Body();
  empty_ma.outputs[0].multiasset = Hex("a0");
  s = check(EncodeBody(empty_ma));
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(std::string(s.message()), HasSubstr("empty multiasset"));
  EXPECT_TRUE(check(canonical).ok());
}

TEST(TransactionMalformedTest, RejectedWithClearErrors) {
  Fixture f;
  const Bytes good = EncodeTransaction(MakeTransaction(f.Body(), {}, std::nullopt));
  ASSERT_TRUE(DecodeTransaction(View(good)).ok());
  auto expect = [](const Bytes& b, const std::string& what) {
    auto tx = DecodeTransaction(View(b));
    ASSERT_FALSE(tx.ok()) << what;
    EXPECT_EQ(tx.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(tx.status().message()), HasSubstr(what));
  };
  Bytes trailing = good;
  trailing.push_back(0);
  expect(trailing, "trailing bytes");
  expect(Bytes(good.begin(), good.end() - 1), "unexpected end of input");
  expect(Hex("83a0a0f5"), "transaction must be [body");
  expect(Hex("84a0a0f5f6"), "needs inputs (0), outputs (1) and fee (2)");
  expect(Hex("84a4008001800200"
             "0600"
             "a0f5f6"),
         "key 6 does not exist in Conway");
  // Duplicate input.
  const std::string in = "825820" + std::string(64, 'a') + "00";
  expect(Hex("84a300d9010282" + in + in + "01800200a0f5f6"), "duplicate transaction input");
  // Input index beyond 65535.
  expect(Hex("84a300d9010281825820" + std::string(64, 'a') + "1a00010000" + "01800200a0f5f6"),
         "exceeds 65535");
  // Bad witness set entry and a non-boolean validity flag.
  expect(Hex("84a3008001800200a10081820102f5f6"), "witness vkey");
  expect(Hex("84a3008001800200a000f6"), "is_valid");
  // Indefinite-length body.
  expect(Hex("84bf008001800200ffa0f5f6"), "indefinite length not allowed");
  // Output with a truncated address.
  expect(Hex("84a30080018182"
             "4101"
             "00"
             "0200a0f5f6"),
         "output address");
}

}  // namespace
}  // namespace stakeward::chain
