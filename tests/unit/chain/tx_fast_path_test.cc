// DecodeTransaction's fast path (chain/tx_fast.cc) against the general decoder: the shapes it
// takes are read exactly as the general decoder reads them (cardano-cli goldens, Trezor-derived
// bodies, every certificate type it models, every body field), and everything else (valid or
// not) is left to the general decoder, whose verdict DecodeTransaction then returns unchanged.
#include <functional>
#include <string>
#include <vector>

#include "chain/address.h"
#include "chain/tx.h"
#include "chain/tx_internal.h"
#include "gtest/gtest.h"
#include "tests/common/tx_same.h"
#include "vectors.h"

namespace stakeward::chain {
namespace {

using ::stakeward::chain::testing::Hex;
using ::stakeward::chain::testing::LoadVector;
using ::stakeward::testing::SameTransaction;

Hash28 H28(uint8_t fill) {
  Hash28 h;
  h.fill(fill);
  return h;
}

// The fast path takes `cbor`, and reads it as the general decoder does. (`canonical`: the
// witness set re-encodes to what was read.)
void ExpectFast(const Bytes& cbor, const std::string& what, bool canonical = true) {
  SCOPED_TRACE(what);
  Transaction fast;
  ASSERT_TRUE(tx_internal::FastTransactionInto(View(cbor), fast));
  auto general = tx_internal::DecodeTransactionGeneral(View(cbor));
  ASSERT_TRUE(general.ok()) << general.status();
  EXPECT_TRUE(SameTransaction(fast, *general));
  if (canonical) {
    EXPECT_EQ(EncodeTransaction(fast), cbor);
  }
}

// The fast path gives `cbor` up, and DecodeTransaction returns the general decoder's verdict.
void ExpectGeneral(const Bytes& cbor, const std::string& what) {
  SCOPED_TRACE(what);
  Transaction fast;
  EXPECT_FALSE(tx_internal::FastTransactionInto(View(cbor), fast));
  auto general = tx_internal::DecodeTransactionGeneral(View(cbor));
  auto decoded = DecodeTransaction(View(cbor));
  ASSERT_EQ(decoded.status(), general.status());
  if (general.ok()) {
    EXPECT_TRUE(SameTransaction(*decoded, *general));
  }
}

struct Shapes {
  NativeScript payment = NativeScript::AtLeast(
      2, {NativeScript::Sig(H28(1)), NativeScript::Sig(H28(2)), NativeScript::Sig(H28(3))});
  Credential pay{Credential::Kind::kScriptHash, NativeScriptHash(payment)};
  Credential stake{Credential::Kind::kKeyHash, H28(4)};

  TxBody Body() const {
    TxBody body;
    Hash32 in;
    in.fill(0xab);
    body.inputs = {{in, 1}, {in, 0}};
    TxOut out;
    out.address = Address::Base(Network::kMainnet, pay, stake).raw;
    out.coin = Lovelace(10'000'000'000);
    body.outputs = {out};
    body.fee = Lovelace(200000);
    return body;
  }
  WitnessSet Witnesses() const {
    WitnessSet ws;
    for (uint8_t j = 0; j < 2; ++j) {
      VkeyWitness w;
      w.vkey.fill(j);
      w.signature.fill(static_cast<uint8_t>(0x80 + j));
      ws.vkeys.push_back(w);
    }
    ws.scripts = {payment};
    return ws;
  }
  Bytes Tx(const TxBody& body, const WitnessSet& ws = {}) const {
    return EncodeTransaction(MakeTransaction(body, ws, std::nullopt));
  }
};

Certificate Cert(Certificate::Type t, const Credential& c, const Hash28& pool, const DRep& drep,
                 Lovelace coin) {
  Certificate cert;
  cert.type = t;
  cert.credential = c;
  if (t == Certificate::Type::kStakeDelegation || t == Certificate::Type::kStakeVoteDelegCert ||
      t == Certificate::Type::kStakeRegDelegCert ||
      t == Certificate::Type::kStakeVoteRegDelegCert) {
    cert.pool = pool;
  }
  if (t == Certificate::Type::kVoteDelegCert || t == Certificate::Type::kStakeVoteDelegCert ||
      t == Certificate::Type::kVoteRegDelegCert || t == Certificate::Type::kStakeVoteRegDelegCert) {
    cert.drep = drep;
  }
  if (t == Certificate::Type::kRegCert || t == Certificate::Type::kUnregCert ||
      t >= Certificate::Type::kStakeRegDelegCert) {
    cert.coin = coin;
  }
  return cert;
}

TEST(TxFastPathTest, ReadsEveryModelledFieldAsTheGeneralDecoder) {
  Shapes s;
  ExpectFast(s.Tx(s.Body()), "inputs, outputs, fee");
  ExpectFast(s.Tx(s.Body(), s.Witnesses()), "vkey witnesses and a native script");

  TxBody all = s.Body();
  all.ttl = 150000000;
  all.validity_start = 149000000;
  all.aux_data_hash.emplace().fill(0x5a);
  all.required_signers = {H28(9), H28(8)};
  all.network_id = 1;
  all.withdrawals = {{Address::Reward(Network::kMainnet, s.pay).raw, Lovelace(7)},
                     {Address::Reward(Network::kMainnet, s.stake).raw, Lovelace(0)}};
  TxOut map_out = all.outputs[0];
  map_out.map_form = true;
  map_out.coin = Lovelace(3);
  all.outputs.push_back(map_out);
  ExpectFast(s.Tx(all, s.Witnesses()), "every body field");
  all.set_tags = false;
  WitnessSet untagged = s.Witnesses();
  untagged.set_tags = false;
  ExpectFast(s.Tx(all, untagged), "sets without tag 258");
  // Auxiliary data in each form CheckAuxDataShape takes (read by the general decoder alone).
  auto with_aux = [&](const std::string& aux) {
    return EncodeTransaction(MakeTransaction(s.Body(), s.Witnesses(), Hex(aux)));
  };
  Metadata md;
  md[674] = Metadatum::Text("stakeward proposal 1/2");
  md[1] = Metadatum::Blob(Hex("00ff"));
  ExpectFast(EncodeTransaction(MakeTransaction(s.Body(), s.Witnesses(), *EncodeAuxData(md))),
             "Shelley metadata, as Stakeward's proposals carry it");
  ExpectFast(with_aux("82a10102"
                      "80"),
             "Allegra [metadata, scripts]");
  ExpectFast(with_aux("d90103a100a10102"), "Alonzo tag 259");
  // Tag 259 {1: [[...[]...]]}: the innermost list sits k + 3 levels deep in the transaction, and
  // the decoder's limit is 64 levels.
  auto deep_aux = [&](int k) {
    std::string h = "d90103a101";
    for (int i = 0; i < k; ++i) h += "81";
    return with_aux(h + "80");
  };
  ExpectFast(deep_aux(61), "auxiliary data nested as deep as the limit allows");
  EXPECT_FALSE(tx_internal::DecodeTransactionGeneral(View(deep_aux(62))).ok());
  ExpectGeneral(deep_aux(62), "auxiliary data nested one level too deep");

  using T = Certificate::Type;
  DRep key_drep;
  key_drep.kind = DRep::Kind::kKeyHash;
  key_drep.hash = H28(0x33);
  DRep abstain;  // kAlwaysAbstain
  DRep no_confidence;
  no_confidence.kind = DRep::Kind::kNoConfidence;
  for (T t : {T::kStakeRegistration, T::kStakeDeregistration, T::kStakeDelegation, T::kRegCert,
              T::kUnregCert, T::kVoteDelegCert, T::kStakeVoteDelegCert, T::kStakeRegDelegCert,
              T::kVoteRegDelegCert, T::kStakeVoteRegDelegCert}) {
    for (const DRep& d : {key_drep, abstain, no_confidence}) {
      TxBody b = s.Body();
      b.certificates = {Cert(t, s.stake, H28(0x77), d, Lovelace(2000000)),
                        Cert(t, s.pay, H28(0x78), d, Lovelace(0))};
      ExpectFast(s.Tx(b, s.Witnesses()), std::string(CertificateTypeName(t)));
    }
  }

  // Sets tagged and untagged in one body (CIP-21 wants all or none; the ledger takes both): the
  // first set decides how the body re-encodes.
  TxBody certs = s.Body();
  certs.certificates = {Certificate::StakeRegistration(s.stake)};
  std::string mixed = HexEncode(View(s.Tx(certs, s.Witnesses())));
  const size_t at = mixed.find("04d9010281");
  ASSERT_NE(at, std::string::npos);
  mixed.replace(at, 10, "0481");
  const size_t scripts = mixed.rfind("01d9010281");  // the witness set's native scripts
  ASSERT_NE(scripts, std::string::npos);
  mixed.replace(scripts, 10, "0181");
  ExpectFast(Hex(mixed), "tagged then untagged sets, in the body and in the witness set",
             /*canonical=*/false);

  NativeScript after, before;
  after.type = NativeScript::Type::kInvalidBefore;
  after.slot = 10;
  before.type = NativeScript::Type::kInvalidHereafter;
  before.slot = 1u << 30;
  WitnessSet nested;
  nested.scripts = {NativeScript::All(
      {NativeScript::Any({NativeScript::Sig(H28(1)), s.payment}), after, before})};
  ExpectFast(s.Tx(s.Body(), nested), "nested native scripts and time locks");
}

TEST(TxFastPathTest, PublishedTransactionsReadAsTheGeneralDecoder) {
  const auto cli = LoadVector("cardano/cli_golden_transactions.json");
  ExpectFast(Hex(cli["signed_tx"]["cborHex"]), "cardano-cli signed_tx");
  ExpectFast(Hex(cli["reg_cert_tx_unsigned"]["cborHex"]), "cardano-cli reg_cert_tx_unsigned");
  // Keys 21 and 22 (treasury, donation) are kept raw: the general decoder's.
  ExpectGeneral(Hex(cli["treasury_donation_tx"]["cborHex"]), "cardano-cli treasury_donation_tx");
  // Trezor-derived bodies: whichever path reads one, the result is the general decoder's.
  const auto bodies = LoadVector("trezor/cardano_tx_bodies_derived.json")["bodies"];
  ASSERT_FALSE(bodies.empty());
  size_t fast = 0;
  for (const auto& b : bodies) {
    const Bytes tx = Hex("84" + b["tx_body_cbor_hex"].get<std::string>() + "a0f5f6");
    Transaction t;
    if (tx_internal::FastTransactionInto(View(tx), t)) {
      ++fast;
      ExpectFast(tx, b.dump());
    } else {
      ExpectGeneral(tx, b.dump());
    }
  }
  EXPECT_GT(fast, 0u);
}

// Each row changes one thing of a transaction the fast path takes.
TEST(TxFastPathTest, LeavesEverythingElseToTheGeneralDecoder) {
  Shapes s;
  const Bytes good = s.Tx(s.Body(), s.Witnesses());
  ExpectFast(good, "the unchanged transaction");
  const std::string hex = HexEncode(View(good));
  auto with = [&](const std::function<void(TxBody&, WitnessSet&)>& change) {
    TxBody b = s.Body();
    WitnessSet w = s.Witnesses();
    change(b, w);
    return s.Tx(b, w);
  };
  // The first occurrence (`last`: the last one) of `from` replaced.
  auto replaced = [&](const std::string& from, const std::string& to, bool last = false) {
    const size_t at = last ? hex.rfind(from) : hex.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    std::string h = hex;
    h.replace(at, from.size(), to);
    return Hex(h);
  };
  const std::string fee = "021a00030d40";  // key 2: 200000
  ExpectFast(replaced("f5f6", "f4f6", true), "is_valid false");
  ExpectGeneral(with([](TxBody& b, WitnessSet&) { b.outputs[0].multiasset = Hex("a0"); }),
                "an output with a multiasset");
  ExpectGeneral(with([](TxBody& b, WitnessSet&) {
                  b.outputs[0].datum_option = Hex("5820" + std::string(64, '1'));
                }),
                "an output with a datum hash");
  ExpectGeneral(with([](TxBody& b, WitnessSet&) { b.other_fields[9] = Hex("a0"); }),
                "a mint field");
  ExpectGeneral(with([&](TxBody& b, WitnessSet&) {
                  Certificate c;
                  c.type = Certificate::Type::kPoolRetirement;
                  c.raw = Hex("8304581c" + std::string(56, '7') + "1903e8");
                  b.certificates = {c};
                }),
                "a pool retirement certificate");
  ExpectGeneral(with([](TxBody&, WitnessSet& w) { w.other_fields[3] = Hex("80"); }),
                "a Plutus script witness");
  ExpectGeneral(with([](TxBody& b, WitnessSet&) { b.inputs[1] = b.inputs[0]; }),
                "a duplicate input");
  ExpectGeneral(with([](TxBody&, WitnessSet& w) { w.vkeys[1] = w.vkeys[0]; }),
                "a duplicate vkey witness");
  ExpectGeneral(with([](TxBody& b, WitnessSet&) {
                  b.required_signers = {H28(1), H28(1)};
                }),
                "a duplicate required signer");
  ExpectGeneral(with([](TxBody& b, WitnessSet&) { b.outputs[0].address[0] = 0x0f; }),
                "an address on network 15");
  ExpectGeneral(replaced(fee, "021b0000000000030d40"), "a fee in a non-shortest head");
  ExpectGeneral(replaced("84a300", "84bf00"), "an indefinite-length body map");
  ExpectGeneral(replaced("f5f6", "f6f6", true), "is_valid null");
  ExpectGeneral(replaced("f5f6", "f5a10102ff", true), "auxiliary data and a trailing byte");
  ExpectGeneral(replaced("f5f6", "f5a1010201", true), "auxiliary data and a trailing item");
  ExpectGeneral(replaced("f5f6", "f5a2010201", true), "auxiliary data cut short");
  ExpectGeneral(replaced("f5f6", "f5a201020103", true), "auxiliary data with a key twice");
  ExpectGeneral(replaced("f5f6", "f5a1016161ff", true), "metadata text that is not UTF-8");
  ExpectGeneral(replaced("f5f6", "f501", true), "auxiliary data that is a number");
  ExpectGeneral(replaced("f5f6", "f5d90103a10501", true), "tag-259 data with key 5");
  Bytes trailing = good;
  trailing.push_back(0);
  ExpectGeneral(trailing, "a trailing byte");
  ExpectGeneral(Bytes(good.begin(), good.end() - 1), "a truncated transaction");
  ExpectGeneral(Bytes(good.begin(), good.begin() + 1), "only the array head");
  ExpectGeneral(Bytes{}, "nothing");
}

TEST(TxFastPathTest, KeysOutOfOrderGoToTheGeneralDecoder) {
  Shapes s;
  TxBody b = s.Body();
  b.ttl = 5;
  const std::string hex = HexEncode(View(s.Tx(b)));
  // Swap the fee (key 2) and ttl (key 3) entries: valid under the lenient order, not canonical.
  const std::string fee = "021a00030d40", ttl = "0305";
  const size_t at = hex.find(fee + ttl);
  ASSERT_NE(at, std::string::npos);
  std::string swapped = hex;
  swapped.replace(at, fee.size() + ttl.size(), ttl + fee);
  ExpectGeneral(Hex(swapped), "fee after ttl");
  std::string dup = hex;
  dup.replace(at, fee.size() + ttl.size(), fee + "0205");
  ExpectGeneral(Hex(dup), "the fee key twice");
}

}  // namespace
}  // namespace stakeward::chain
