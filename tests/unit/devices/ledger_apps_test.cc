// Ledger Cardano and Ethereum app clients against the APDU traces of ledger.md §7.
#include "chain/evm.h"
#include "devices/ledger/cardano_app.h"
#include "devices/ledger/cardano_wire.h"
#include "devices/ledger/eth_app.h"
#include "gtest/gtest.h"
#include "tests/unit/devices/scripted_device.h"

namespace stakeward::devices::ledger {
namespace {

using testing::Hex;
using testing::ScriptedLedger;

chain::Path P(std::string_view s) {
  auto p = chain::ParsePath(s);
  EXPECT_TRUE(p.ok()) << s;
  return *p;
}

// ledger.md §7.1 "Sign tx with a stake registration path certificate --- Conway".
CardanoTxRequest Conway71Request() {
  CardanoTxRequest r;
  r.mode = SigningMode::kOrdinary;
  r.network_id = 1;
  r.protocol_magic = 764824073;
  r.tag_cbor_sets = false;
  chain::TxIn in;
  auto id =
      chain::HexDecodeFixed<32>("3b40265111d8bb3c3c608d95b3a0bf83461ace32d79336579a1939b3aad1c0b7");
  in.tx_id = *id;
  r.inputs = {in};
  DeviceOutput out;
  out.address =
      Hex("82d818582183581c9e1c71de652ec8b85fec296f0685ca3988781c94a2e1a5d89d92f45fa0001a0d0c2561");
  out.amount = 3003112;
  r.outputs = {out};
  r.fee = 42;
  r.ttl = 10;
  DeviceCertificate c;
  c.type = 7;
  c.credential.kind = StakeCredential::Kind::kKeyPath;
  c.credential.path = P("m/1852'/1815'/0'/2/0");
  c.coin = 17;
  r.certificates = {c};
  r.witness_paths = {P("m/1852'/1815'/0'/0/0"), P("m/1852'/1815'/0'/2/0")};
  return r;
}

std::vector<ScriptedLedger::Step> Conway71Trace() {
  return {
      {"d72101003c0000000000000000012d964a090201010101010101010103000000010000000100000001000000000"
       "0"
       "00000000000000000000000000000000000002",
       "9000"},
      {"d7210200243b40265111d8bb3c3c608d95b3a0bf83461ace32d79336579a1939b3aad1c0b700000000",
       "9000"},
      {"d72103303f00010000002b82d818582183581c9e1c71de652ec8b85fec296f0685ca3988781c94a2e1a5d89d92f"
       "4"
       "5fa0001a0d0c256100000000002dd2e8000000000101",
       "9000"},
      {"d721033300", "9000"},
      {"d721040008000000000000002a", "9000"},
      {"d721050008000000000000000a", "9000"},
      {"d72106001f0700058000073c800007178000000000000002000000000000000000000011", "9000"},
      {"d7210a0000", "26ab8ebe60e70fffd59eb186ed6903ccd5a27c2468da72c5033b596dd41d17459000"},
      {"d7210f0015058000073c80000717800000000000000000000000",
       "128c993b5873029f98df738191462c6e8903ec2a765f7ddcc3a5722b5555e4ef2cccc4464bbdfb606627fe48e97"
       "f"
       "2db94f68c9d71b4076c93db682bd357ffa0b9000"},
      {"d7210f0015058000073c80000717800000000000000200000000",
       "bf22ca4b78fa64692a8cfbc375611deb1d60043db880ff000aeba7e4970492daa4e814c79960977816a91f9dd17"
       "9"
       "bec6f127d37b8955589674e385b9a757d5079000"},
  };
}

TEST(LedgerCardanoWire, InitMatchesTrace) {
  auto init = cardano_wire::EncodeInit(Conway71Request());
  ASSERT_TRUE(init.ok());
  EXPECT_EQ(init->size(), 60u);
  // The trace's first APDU minus its 5-byte header d7 21 01 00 3c.
  EXPECT_EQ(chain::HexEncode(*init), Conway71Trace()[0].apdu_hex.substr(10));
}

TEST(LedgerCardanoWire, EachStageMatchesTrace) {
  CardanoTxRequest r = Conway71Request();
  EXPECT_EQ(chain::HexEncode(cardano_wire::EncodeInput(r.inputs[0])),
            "3b40265111d8bb3c3c608d95b3a0bf83461ace32d79336579a1939b3aad1c0b700000000");
  EXPECT_EQ(chain::HexEncode(*cardano_wire::EncodeOutputBasic(r.outputs[0])),
            "00010000002b82d818582183581c9e1c71de652ec8b85fec296f0685ca3988781c94a2e1a5d89d92f45fa0"
            "001a0d0c256100000000002dd2e8000000000101");
  EXPECT_EQ(chain::HexEncode(cardano_wire::EncodeU64(42)), "000000000000002a");
  EXPECT_EQ(chain::HexEncode(*cardano_wire::EncodeCertificate(r.certificates[0])),
            "0700058000073c800007178000000000000002000000000000000000000011");
  EXPECT_EQ(chain::HexEncode(*cardano_wire::EncodePath(r.witness_paths[0])),
            "058000073c80000717800000000000000000000000");
}

TEST(LedgerCardanoWire, MultisigCredentialsDRepsAndWithdrawals) {
  DeviceCertificate deleg;
  deleg.type = 2;
  deleg.credential.kind = StakeCredential::Kind::kScriptHash;
  deleg.credential.hash.fill(0x29);
  deleg.pool.fill(0xf6);
  EXPECT_EQ(chain::HexEncode(*cardano_wire::EncodeCertificate(deleg)),
            "0201" + chain::HexEncode(deleg.credential.hash) + chain::HexEncode(deleg.pool));
  DeviceCertificate vote;
  vote.type = 9;
  vote.credential = deleg.credential;
  vote.drep.kind = DeviceDRep::Kind::kAbstain;
  EXPECT_EQ(chain::HexEncode(*cardano_wire::EncodeCertificate(vote)),
            "0901" + chain::HexEncode(deleg.credential.hash) + "02");
  vote.drep.kind = DeviceDRep::Kind::kKeyHash;
  vote.drep.hash.fill(0xab);
  EXPECT_EQ(
      chain::HexEncode(*cardano_wire::EncodeCertificate(vote)),
      "0901" + chain::HexEncode(deleg.credential.hash) + "00" + chain::HexEncode(vote.drep.hash));
  DeviceCertificate unreg;
  unreg.type = 8;
  unreg.credential = deleg.credential;
  unreg.coin = 2000000;
  EXPECT_EQ(chain::HexEncode(*cardano_wire::EncodeCertificate(unreg)),
            "0801" + chain::HexEncode(deleg.credential.hash) + "00000000001e8480");
  DeviceWithdrawal w;
  w.credential = deleg.credential;
  w.amount = 1000;
  EXPECT_EQ(chain::HexEncode(*cardano_wire::EncodeWithdrawal(w)),
            "00000000000003e801" + chain::HexEncode(deleg.credential.hash));
  DeviceCertificate pool_reg;
  pool_reg.type = 3;
  EXPECT_EQ(cardano_wire::EncodeCertificate(pool_reg).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(cardano_wire::EncodePath(P("m/1854'/1815'/0'/0/0/1")).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(LedgerCardanoApp, SignTxReplaysTheConwayTrace) {
  auto script = std::make_unique<ScriptedLedger>(Conway71Trace());
  ScriptedLedger* dev = script.get();
  ApduChannel ch(std::move(script));
  CardanoApp app(&ch, absl::Seconds(5));
  std::vector<std::string> progress;
  auto r = app.SignTx(Conway71Request(), [&](std::string_view m) { progress.emplace_back(m); });
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_TRUE(dev->finished());
  EXPECT_EQ(chain::HexEncode(r->tx_hash),
            "26ab8ebe60e70fffd59eb186ed6903ccd5a27c2468da72c5033b596dd41d1745");
  ASSERT_EQ(r->witnesses.size(), 2u);
  EXPECT_EQ(chain::HexEncode(r->witnesses[1].signature).substr(0, 8), "bf22ca4b");
  EXPECT_FALSE(progress.empty());
  EXPECT_EQ(ch.stats().exchanges, 10u);
}

TEST(LedgerCardanoApp, UserRejectionAtConfirmIsCancelled) {
  auto steps = Conway71Trace();
  steps.resize(8);
  steps[7].reply_hex = "6e09";
  ApduChannel ch(std::make_unique<ScriptedLedger>(steps));
  CardanoApp app(&ch, absl::Seconds(5));
  auto r = app.SignTx(Conway71Request(), nullptr);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kCancelled);
  EXPECT_NE(r.status().message().find("0x6e09"), std::string_view::npos);
}

TEST(LedgerCardanoApp, PublicKeysSingleAndBatched) {
  // ledger.md §7.2: one key, no remaining-count field.
  ApduChannel one(std::make_unique<ScriptedLedger>(std::vector<ScriptedLedger::Step>{
      {"d71000000d038000073c8000071780000000",
       "78d137231e6346f17b1d442bace1f7ba1d54a88ef8509464e2e786a854bd4815acafe34e34bf401b4b016460"
       "7ee506c4aac63a0828f1dc20ab73ec39f2fe11f39000"}}));
  auto k = CardanoApp(&one, absl::Seconds(5)).GetExtendedPublicKeys({P("m/1852'/1815'/0'")});
  ASSERT_TRUE(k.ok()) << k.status();
  EXPECT_EQ(chain::HexEncode((*k)[0].public_key),
            "78d137231e6346f17b1d442bace1f7ba1d54a88ef8509464e2e786a854bd4815");
  // Two keys: the first APDU announces one more, the next uses P1 = 1.
  const std::string key =
      "78d137231e6346f17b1d442bace1f7ba1d54a88ef8509464e2e786a854bd4815acafe34e34bf401b4b016460"
      "7ee506c4aac63a0828f1dc20ab73ec39f2fe11f3";
  ApduChannel two(std::make_unique<ScriptedLedger>(std::vector<ScriptedLedger::Step>{
      {"d710000011038000073e800007178000000000000001", key + "9000"},
      {"d71001000d038000073e8000071780000001", key + "9000"}}));
  auto k2 = CardanoApp(&two, absl::Seconds(5))
                .GetExtendedPublicKeys({P("m/1854'/1815'/0'"), P("m/1854'/1815'/1'")});
  ASSERT_TRUE(k2.ok()) << k2.status();
  EXPECT_EQ(k2->size(), 2u);
}

TEST(LedgerCardanoApp, WrongReplyLengthIsDataLossAndBreaksTheChannel) {
  ApduChannel ch(std::make_unique<ScriptedLedger>(
      std::vector<ScriptedLedger::Step>{{"d700000000", "0701039000"}}));
  CardanoApp app(&ch, absl::Seconds(5));
  EXPECT_EQ(app.GetVersion().status().code(), absl::StatusCode::kDataLoss);
}

TEST(LedgerCardanoApp, TimeoutBreaksTheChannel) {
  // The script has no step: the read times out, later calls report the lost connection.
  class Silent : public ScriptedLedger {
   public:
    Silent() : ScriptedLedger(std::vector<Step>{{"d700000000", "070103009000"}}) {}
    absl::StatusOr<chain::Bytes> Read(absl::Time) override {
      return absl::DeadlineExceededError("no reply before the deadline");
    }
  };
  ApduChannel ch(std::make_unique<Silent>());
  CardanoApp app(&ch, absl::Milliseconds(10));
  EXPECT_EQ(app.GetVersion().status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(app.GetVersion().status().code(), absl::StatusCode::kUnavailable);
}

TEST(LedgerEthApp, Eip1559ApduAndSignatureFromTheRecordedVector) {
  // ledger.md §7.3, recorded on Speculos with the default seed.
  const std::string tx_hex =
      "02ef0306843b9aca008504a817c80082520894b2bb2b958afa2e96dab3f3ce7162b87daea39017872386f26fc100"
      "0080c0";
  const std::string apdu = "e004000046058000002c8000003c800000000000000000000000" + tx_hex;
  auto apdus = EthSignApdus(P("m/44'/60'/0'/0/0"), chain::View(Hex(tx_hex)));
  ASSERT_TRUE(apdus.ok());
  ASSERT_EQ(apdus->size(), 1u);
  EXPECT_EQ(chain::HexEncode(*SerializeApdu((*apdus)[0])), apdu);

  ApduChannel ch(std::make_unique<ScriptedLedger>(std::vector<ScriptedLedger::Step>{
      {apdu,
       "003ccff815955e82c416dcf2ace0bf0aa5f479acd47f5152f0c1753cf68fb723746774b8bff4f776f2788bb19c"
       "87c22ca8a2933ea4415eed8d25a9ea0500c81ce19000"}}));
  auto sig = EthApp(&ch, absl::Seconds(5))
                 .SignTransaction(P("m/44'/60'/0'/0/0"), chain::View(Hex(tx_hex)));
  ASSERT_TRUE(sig.ok()) << sig.status();
  EXPECT_EQ(sig->y_parity, 0);
  auto tx = chain::evm::DecodeUnsigned(chain::View(Hex(tx_hex)));
  ASSERT_TRUE(tx.ok()) << tx.status();
  auto who = chain::evm::RecoverSender(*tx, *sig);
  ASSERT_TRUE(who.ok());
  EXPECT_EQ(chain::evm::ToChecksumAddress(*who), "0xDad77910DbDFdE764fC21FCD4E74D71bBACA6D8D");
}

TEST(LedgerEthApp, LongTransactionsAreChunkedAt255Bytes) {
  chain::Bytes tx(600, 0x11);
  auto apdus = EthSignApdus(P("m/44'/60'/0'/0/0"), chain::View(tx));
  ASSERT_TRUE(apdus.ok());
  ASSERT_EQ(apdus->size(), 3u);
  EXPECT_EQ((*apdus)[0].p1, 0x00);
  EXPECT_EQ((*apdus)[0].data.size(), 255u);  // 21 path bytes + 234 tx bytes
  EXPECT_EQ((*apdus)[1].p1, 0x80);
  EXPECT_EQ((*apdus)[1].data.size(), 255u);
  EXPECT_EQ((*apdus)[2].data.size(), 600u - 234 - 255);
}

}  // namespace
}  // namespace stakeward::devices::ledger
