// Signer rotation end to end through the CLI on the device mocks (issue 10): policy v1 (alice,
// bob, carol; 2 of 3) holds the funds; v2 replaces carol by dave and goes in force. Nothing but a
// MIGRATE proposal is built under v2 until it is confirmed. The MIGRATE proposal is signed under
// v1 by alice (mock-trezor) and carol (mock-ledger), and its new stake credentials by dave (a
// mock-ledger with another seed); its exported transactions pass the verifier. The snapshot is
// then advanced by applying the exported transactions, and a reward round and a re-balance under
// v2 are signed by alice and dave. carol's approvals no longer count.
#include <cstdlib>
#include <filesystem>
#include <map>

#include "absl/strings/ascii.h"
#include "chain/text_envelope.h"
#include "controller/model/witness_check.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "policy/slot_scripts.h"
#include "tests/integration/devices/mock_process.h"
#include "tests/integration/rewards/rewards_fixture.h"

namespace stakeward::controller::testing {
namespace {

using devices::testing::MockProcess;

class RotationCliTest : public RewardsRound {
 protected:
  void SetUp() override {
    RewardsRound::SetUp();
    const v1::PolicyVersion v1 = InstallPolicy();
    const std::string trust_dir = dir_ + "/trust";
    ASSERT_EQ(::setenv("STAKEWARD_TRUST_DIR", trust_dir.c_str(), 1), 0);
    CliResult t = RunCli("policy trust " + chain::HexEncode(HashOf(v1)));
    ASSERT_EQ(t.exit_code, 0) << t.out << t.err;
    ASSERT_TRUE(trezor_.Start("mock-trezor", {"--port", "0", "--control-port", "0"}).ok());
    ASSERT_TRUE(
        carol_ledger_.Start("mock-ledger", {"--apdu-port", "0", "--control-port", "0"}).ok());
    ASSERT_TRUE(dave_ledger_
                    .Start("mock-ledger", {"--apdu-port", "0", "--control-port", "0", "--mnemonic",
                                           "all all all all all all all all all all all all"})
                    .ok());
    server_flag_ = "--server 127.0.0.1:" + std::to_string(server_->port());
    auto v2 = policy::LoadPolicy(TestPolicyYaml({signers_[0], signers_[1], DaveOnLedger()}));
    ASSERT_TRUE(v2.ok()) << v2.status();
    v2_ = *v2;
  }
  void TearDown() override {
    ::unsetenv("STAKEWARD_TRUST_DIR");
    RewardsRound::TearDown();
  }

  std::string Device(const std::string& signer) {
    auto uri = signer == "alice"   ? trezor_.Uri("udp")
               : signer == "carol" ? carol_ledger_.Uri("tcp")
                                   : dave_ledger_.Uri("tcp");
    EXPECT_TRUE(uri.ok());
    return uri.ok() ? *uri : "";
  }
  CliResult Sign(const std::string& id, const std::string& signer) {
    return RunCli("proposal sign " + id + " " + server_flag_ + " --signer " + signer +
                  " --device " + Device(signer));
  }
  CliResult Operator(const std::string& args) {
    return RunCli(args + " " + server_flag_ + " --dev-role operator");
  }

  // Exports the READY proposal, checks every file with the verifier and the proposal's scripts,
  // marks it submitted and confirmed, and returns the signed transactions.
  std::vector<chain::Transaction> ExportAndConfirm(const std::string& id) {
    v1::GetProposalRequest g;
    g.set_id(id);
    v1::GetProposalResponse gr;
    EXPECT_TRUE(proposals_->GetProposal(Ctx("auditor").get(), g, &gr).ok());
    const std::string out_dir = dir_ + "/export-" + id;
    std::filesystem::create_directories(out_dir);
    CliResult ex = Operator("proposal export " + id + " --out-dir " + out_dir);
    EXPECT_EQ(ex.exit_code, 0) << ex.out << ex.err;
    std::vector<chain::Transaction> txs;
    for (int i = 0; i < gr.proposal().txs_size(); ++i) {
      const std::string file = out_dir + "/" + id + "-" + std::to_string(i) + ".signed.json";
      auto te = chain::ParseTextEnvelopeOfType(ReadTextFile(file), {chain::kTeWitnessedTx});
      EXPECT_TRUE(te.ok()) << file;
      if (!te.ok()) return {};
      std::vector<chain::NativeScript> scripts;
      for (const std::string& s : gr.proposal().txs(i).native_scripts()) {
        auto ns = chain::DecodeNativeScript(
            chain::ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
        EXPECT_TRUE(ns.ok());
        if (ns.ok()) scripts.push_back(*ns);
      }
      EXPECT_TRUE(VerifySignedTx(chain::View(te->cbor), scripts).ok()) << file;
      auto tx = chain::DecodeTransaction(chain::View(te->cbor));
      EXPECT_TRUE(tx.ok());
      if (tx.ok()) txs.push_back(std::move(*tx));
    }
    CliResult sub = Operator("proposal submitted " + id);
    EXPECT_EQ(sub.exit_code, 0) << sub.out << sub.err;
    CliResult conf = Operator("proposal confirmed " + id);
    EXPECT_EQ(conf.exit_code, 0) << conf.out << conf.err;
    return txs;
  }

  // The snapshot after `txs`: their inputs leave the slots and the treasury, their outputs at
  // v2's slot addresses and treasury arrive (a ledger's UTxO rule, for our own addresses).
  void Apply(nlohmann::json& snap, const std::vector<chain::Transaction>& txs) {
    auto slots = policy::DeriveSlots(v2_, 0, static_cast<uint32_t>(snap["slots"].size()));
    ASSERT_TRUE(slots.ok());
    auto pay = policy::PaymentScript(v2_);
    ASSERT_TRUE(pay.ok());
    const chain::Bytes treasury =
        chain::Address::Enterprise(
            v2_.network, {chain::Credential::Kind::kScriptHash, chain::NativeScriptHash(*pay)})
            .ToBytes();
    std::map<chain::Bytes, size_t> slot_of;
    for (size_t i = 0; i < slots->size(); ++i) {
      slot_of[chain::ParseAddress((*slots)[i].base_address)->ToBytes()] = i;
      snap["slots"][i]["address"] = (*slots)[i].base_address;
    }
    auto remove_spent = [](nlohmann::json& utxos, const chain::TxIn& in) {
      for (size_t k = 0; k < utxos.size(); ++k) {
        if (utxos[k]["tx"] == chain::HexEncode(in.tx_id) && utxos[k]["index"] == in.index) {
          utxos.erase(k);
          return;
        }
      }
    };
    for (const chain::Transaction& tx : txs) {
      for (const chain::TxIn& in : tx.body.inputs) {
        for (auto& s : snap["slots"]) remove_spent(s["utxos"], in);
        remove_spent(snap["treasury_utxos"], in);
      }
      const std::string id = chain::HexEncode(chain::TxId(tx));
      for (size_t o = 0; o < tx.body.outputs.size(); ++o) {
        const chain::TxOut& out = tx.body.outputs[o];
        nlohmann::json u = {{"tx", id}, {"index", o}, {"lovelace", out.coin}};
        if (out.address == treasury) snap["treasury_utxos"].push_back(u);
        auto it = slot_of.find(out.address);
        if (it != slot_of.end()) snap["slots"][it->second]["utxos"].push_back(u);
      }
    }
    for (auto& s : snap["slots"]) {
      uint64_t balance = 0;
      for (const auto& u : s["utxos"]) balance += u["lovelace"].get<uint64_t>();
      s["balance"] = balance;
    }
  }

  MockProcess trezor_, carol_ledger_, dave_ledger_;
  std::string server_flag_;
  policy::Policy v2_;
};

TEST_F(RotationCliTest, MigrateUnderV1ThenRoundsUnderV2) {
  ASSERT_TRUE(PushSnapshot(RewardSnapshotJson(200, {0, 0, 0})).ok());
  // v2: dave replaces carol, approved by alice and bob under v1.
  v1::ProposePolicyRequest preq;
  preq.set_document(TestPolicyYaml({signers_[0], signers_[1], DaveOnLedger()}));
  v1::ProposePolicyResponse presp;
  ASSERT_TRUE(policy_->ProposePolicy(Ctx("operator").get(), preq, &presp).ok());
  grpc::Status st;
  Approve(signers_[0], presp.policy(), &st);
  ASSERT_TRUE(st.ok()) << st.error_message();
  v1::PolicyVersion v2 = Approve(signers_[1], presp.policy(), &st);
  ASSERT_TRUE(st.ok() && v2.in_force()) << st.error_message();

  // Nothing but MIGRATE is built under v2 while the funds sit at v1's scripts.
  CliResult refused = Operator("proposal create");
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("MIGRATE"), std::string::npos) << refused.err;

  CliResult m = Operator("proposal migrate");
  ASSERT_EQ(m.exit_code, 0) << m.out << m.err;
  const std::string id = std::string(absl::StripAsciiWhitespace(m.out));
  EXPECT_NE(Operator("proposal migrate").exit_code, 0) << "a second open MIGRATE";

  CliResult a = Sign(id, "alice");
  ASSERT_EQ(a.exit_code, 0) << a.out << a.err;
  EXPECT_NE(a.out.find("MIGRATE every slot"), std::string::npos) << a.out;
  CliResult c = Sign(id, "carol");  // outgoing signer: v1's scripts now have 2 of 3
  ASSERT_EQ(c.exit_code, 0) << c.out << c.err;
  EXPECT_NE(c.out.find("OPEN"), std::string::npos)
      << "v2's stake scripts still need a second signer";
  CliResult d = Sign(id, "dave");  // incoming signer: v2's stake scripts now have 2 of 3
  ASSERT_EQ(d.exit_code, 0) << d.out << d.err;
  EXPECT_NE(d.out.find("READY"), std::string::npos) << d.out;
  const std::vector<chain::Transaction> migrate = ExportAndConfirm(id);
  ASSERT_FALSE(migrate.empty());

  // Reward round under v2 on the snapshot the migration produced.
  // The epoch-201 snapshot starts from epoch 200's UTxOs (those the migration spent).
  nlohmann::json snap =
      nlohmann::json::parse(RewardSnapshotJson(201, {184000000, 132000000, 376000000}));
  snap["treasury_utxos"] = nlohmann::json::parse(RewardSnapshotJson(200, {}))["treasury_utxos"];
  Apply(snap, migrate);
  ASSERT_FALSE(snap["treasury_utxos"].empty());
  ASSERT_TRUE(PushSnapshot(snap.dump()).ok());
  CliResult b =
      RunCli("rewards build 201 " + server_flag_ + " --device " + Device("alice") + " --json");
  ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
  const std::string rid = nlohmann::json::parse(b.out)["proposal_id"].get<std::string>();
  EXPECT_NE(Sign(rid, "carol").exit_code, 0) << "carol is no signer of v2";
  ASSERT_EQ(Sign(rid, "alice").exit_code, 0);
  CliResult rd = Sign(rid, "dave");
  ASSERT_EQ(rd.exit_code, 0) << rd.out << rd.err;
  EXPECT_NE(rd.out.find("READY"), std::string::npos) << rd.out;
  const std::vector<chain::Transaction> reward = ExportAndConfirm(rid);
  ASSERT_FALSE(reward.empty());

  // Re-balance under v2 on the snapshot after the reward round.
  snap["epoch"] = 202;
  snap["slot"] = snap["slot"].get<uint64_t>() + 432000;
  for (auto& s : snap["slots"]) s["rewards"] = 0;
  Apply(snap, reward);
  ASSERT_TRUE(PushSnapshot(snap.dump()).ok());
  CliResult create = Operator("proposal create");
  ASSERT_EQ(create.exit_code, 0) << create.out << create.err;
  const std::string pid = std::string(absl::StripAsciiWhitespace(create.out));
  ASSERT_EQ(Sign(pid, "alice").exit_code, 0);
  CliResult pd = Sign(pid, "dave");
  ASSERT_EQ(pd.exit_code, 0) << pd.out << pd.err;
  EXPECT_NE(pd.out.find("READY"), std::string::npos) << pd.out;
  EXPECT_FALSE(ExportAndConfirm(pid).empty());

  // carol's approval of a later version is refused outright: she is no signer of v2.
  v1::ProposePolicyRequest p3;
  std::string v3_yaml = TestPolicyYaml({signers_[0], signers_[1], DaveOnLedger()});
  v3_yaml.replace(v3_yaml.find("commission_bps: 500"), 19, "commission_bps: 400");
  p3.set_document(v3_yaml);
  ASSERT_TRUE(policy_->ProposePolicy(Ctx("operator").get(), p3, &presp).ok());
  Approve(signers_[2], presp.policy(), &st);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

}  // namespace
}  // namespace stakeward::controller::testing
