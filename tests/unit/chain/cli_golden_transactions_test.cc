// vectors/cardano/cli_golden_transactions.json: decode and re-encode the cardano-cli goldens to
// identical bytes, their tx ids, and the golden key-witness signature (plain RFC 8032 Ed25519).
#include <sodium.h>

#include <string>

#include "chain/hash.h"
#include "chain/text_envelope.h"
#include "chain/tx.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vectors.h"

namespace stakeward::chain {
namespace {

using ::stakeward::chain::testing::Hex;
using ::stakeward::chain::testing::HexN;
using ::stakeward::chain::testing::LoadVector;

// "addr...+amount" -> "addr...".
std::string AddressPart(const nlohmann::json& tx_out) {
  const std::string s = tx_out.get<std::string>();
  return s.substr(0, s.find('+'));
}

class CliGoldenTransactionsTest : public ::testing::Test {
 protected:
  void SetUp() override { v_ = LoadVector("cardano/cli_golden_transactions.json"); }
  nlohmann::json v_;
};

TEST_F(CliGoldenTransactionsTest, SignedTxRoundTripsAndHashes) {
  const auto& g = v_["signed_tx"];
  const Bytes cbor = Hex(g["cborHex"]);
  ASSERT_EQ(cbor.size(), g["size_bytes"].get<size_t>());
  auto tx = DecodeTransaction(View(cbor));
  ASSERT_TRUE(tx.ok()) << tx.status();
  EXPECT_EQ(EncodeTransaction(*tx), cbor);
  EXPECT_EQ(HexEncode(TxId(*tx)), g["txid_hex (derived)"]);
  // The parsed body re-encodes canonically to the original bytes as well.
  EXPECT_EQ(EncodeBody(tx->body), tx->body_bytes);
  ASSERT_EQ(tx->body.inputs.size(), 1u);
  EXPECT_EQ(HexEncode(tx->body.inputs[0].tx_id),
            "f62cd7bc15d8c6d2c8519fb8d13c57c0157ab6bab50af62bc63706feb966393d");
  ASSERT_EQ(tx->body.outputs.size(), 2u);
  EXPECT_EQ(FormatAddress(View(tx->body.outputs[0].address)),
            AddressPart(g["build_raw_args"]["tx-out"][0]));
  EXPECT_EQ(tx->body.outputs[0].coin, Lovelace(1199989833223));
  EXPECT_EQ(tx->body.outputs[1].coin, Lovelace(10000000));
  EXPECT_EQ(tx->body.fee, Lovelace(166777));
  ASSERT_EQ(tx->witnesses.vkeys.size(), 1u);
  EXPECT_EQ(HexEncode(tx->witnesses.vkeys[0].vkey), v_["verification_key_hex"]);
  EXPECT_TRUE(tx->is_valid);
  EXPECT_FALSE(tx->aux_data.has_value());
  // The witness verifies over the tx id.
  const Hash32 id = TxId(*tx);
  EXPECT_EQ(crypto_sign_verify_detached(tx->witnesses.vkeys[0].signature.data(), id.data(),
                                        id.size(), tx->witnesses.vkeys[0].vkey.data()),
            0);
  EXPECT_TRUE(CheckHardwareWalletCompatible(View(tx->body_bytes)).ok());
}

TEST_F(CliGoldenTransactionsTest, UnsignedRegCertTxRoundTrips) {
  const auto& g = v_["reg_cert_tx_unsigned"];
  const Bytes cbor = Hex(g["cborHex"]);
  auto tx = DecodeTransaction(View(cbor));
  ASSERT_TRUE(tx.ok()) << tx.status();
  EXPECT_EQ(EncodeTransaction(*tx), cbor);
  EXPECT_EQ(HexEncode(TxId(*tx)), g["txid_hex (derived)"]);
  EXPECT_TRUE(tx->body.outputs.empty());
  EXPECT_EQ(tx->body.fee, Lovelace(1));
  ASSERT_EQ(tx->body.certificates.size(), 1u);
  EXPECT_EQ(tx->body.certificates[0].type, Certificate::Type::kRegCert);
  EXPECT_EQ(tx->body.certificates[0].coin, Lovelace(2000000));
  EXPECT_TRUE(tx->witnesses.vkeys.empty());
  // Rebuilt from fields, the body is the same.
  EXPECT_EQ(MakeTransaction(tx->body, tx->witnesses, tx->aux_data).body_bytes, tx->body_bytes);
}

TEST_F(CliGoldenTransactionsTest, TreasuryDonationTxKeepsUnmodelledFields) {
  const Bytes cbor = Hex(v_["treasury_donation_tx"]["cborHex"]);
  auto tx = DecodeTransaction(View(cbor));
  ASSERT_TRUE(tx.ok()) << tx.status();
  EXPECT_EQ(EncodeTransaction(*tx), cbor);
  ASSERT_EQ(tx->body.other_fields.size(), 2u);
  EXPECT_EQ(HexEncode(View(tx->body.other_fields.at(21))), "19021f");
  EXPECT_EQ(HexEncode(View(tx->body.other_fields.at(22))), "1a000f4397");
  EXPECT_EQ(EncodeBody(tx->body), tx->body_bytes);
}

TEST_F(CliGoldenTransactionsTest, KeyWitnessSignatureFromTheGoldenSeed) {
  ASSERT_GE(sodium_init(), 0);
  const auto& g = v_["key_witness"];
  const Bytes skey_cbor = Hex(v_["signing_key_cborHex"]);
  ASSERT_EQ(skey_cbor.size(), 34u);
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(pk, sk, skey_cbor.data() + 2);
  EXPECT_EQ(HexEncode(ByteView(pk, 32)), v_["verification_key_hex"]);

  // Rebuild the body from the build-raw arguments.
  TxBody body;
  body.inputs.push_back(
      {HexN<32>("2392d2b1200b5139fe555c81261697b29a8ccf561c5c783d46e78a479d977053"), 0});
  auto addr = ParseAddress(AddressPart(g["build_raw_args"]["tx-out"]));
  ASSERT_TRUE(addr.ok()) << addr.status();
  TxOut out;
  out.address = addr->raw;
  out.coin = chain::Lovelace(100);
  body.outputs.push_back(out);
  body.fee = chain::Lovelace(g["build_raw_args"]["fee"].get<uint64_t>());
  body.ttl = g["build_raw_args"]["invalid-hereafter"];
  const Bytes body_bytes = EncodeBody(body);
  EXPECT_EQ(HexEncode(View(body_bytes)),
            g["reconstructed_body_cbor_hex (derived here, reproduces the signature)"]);
  const Hash32 id = TxId(View(body_bytes));
  EXPECT_EQ(HexEncode(id), g["txid_hex (derived)"]);

  std::array<uint8_t, 64> sig;
  crypto_sign_detached(sig.data(), nullptr, id.data(), id.size(), sk);
  sodium_memzero(sk, sizeof(sk));
  std::array<uint8_t, 32> vkey;
  std::copy_n(pk, 32, vkey.begin());
  const TextEnvelope te = KeyWitnessEnvelope(vkey, sig);
  EXPECT_EQ(te.type, g["type"]);
  EXPECT_EQ(te.description, g["description"]);
  EXPECT_EQ(HexEncode(View(te.cbor)), g["cborHex"]);

  auto parsed = ParseKeyWitnessEnvelope(WriteTextEnvelope(te));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->signature, sig);
}

TEST_F(CliGoldenTransactionsTest, SignedTxTextEnvelope) {
  const auto& g = v_["signed_tx"];
  const std::string json = WriteTextEnvelope(TxEnvelope(Hex(g["cborHex"])));
  EXPECT_EQ(json,
            "{\n    \"type\": \"Tx ConwayEra\",\n    \"description\": \"Ledger Cddl Format\",\n"
            "    \"cborHex\": \"" +
                g["cborHex"].get<std::string>() + "\"\n}\n");
  auto te = ParseTextEnvelopeOfType(json, {kTeTx, kTeWitnessedTx, kTeUnwitnessedTx});
  ASSERT_TRUE(te.ok());
  EXPECT_TRUE(DecodeTransaction(View(te->cbor)).ok());
}

TEST_F(CliGoldenTransactionsTest, MinFeeOfTheSignedTx) {
  // protocol_params.json: "golden conway/tx size 266 bytes" -> 167085.
  const auto pp = LoadVector("cardano/protocol_params.json");
  auto tx = DecodeTransaction(View(Hex(v_["signed_tx"]["cborHex"])));
  ASSERT_TRUE(tx.ok());
  EXPECT_EQ(FinalTxSize(*tx, 1, {}), 266u);
  FeeParams p;
  p.min_fee_a = pp["cli_json_keys_conway_preview_example"]["txFeePerByte"];
  p.min_fee_b =
      chain::Lovelace(pp["cli_json_keys_conway_preview_example"]["txFeeFixed"].get<uint64_t>());
  auto fee = MinFee(*tx, 1, {}, p);
  ASSERT_TRUE(fee.ok());
  EXPECT_EQ(fee->value(),
            pp["min_fee_examples_computed"]["golden conway/tx size 266 bytes"].get<uint64_t>());
  // Stripping the witness and pricing for one gives the same answer.
  Transaction unsigned_tx = *tx;
  unsigned_tx.witnesses.vkeys.clear();
  EXPECT_EQ(FinalTxSize(unsigned_tx, 1, {}), 266u);
}

}  // namespace
}  // namespace stakeward::chain
