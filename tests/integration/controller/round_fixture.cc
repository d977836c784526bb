#include "tests/integration/controller/round_fixture.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "chain/check.h"
#include "controller/daemon/json_log.h"
#include "nlohmann/json.hpp"
#include "policy/approval.h"

namespace stakeward::controller::testing {

std::string ReadTextFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

chain::XPrv TestSigner::Key(const std::string& path) const {
  auto p = chain::ParsePath(path);
  SW_CHECK(p.ok());
  return chain::DerivePath(root, *p);
}

std::vector<TestSigner> DefaultSigners() {
  struct M {
    const char* name;
    const char* words;
    chain::Derivation d;
  };
  // The mocks' default seeds (mockcontract: Trezor "all"x12; Ledger the Speculos default seed,
  // specs/ledger.md §7.2) and the BIP39 "abandon ... about" test mnemonic.
  const M ms[] = {
      {"alice", "all all all all all all all all all all all all",
       chain::Derivation::kIcarusTrezor},
      {"bob",
       "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
       "abandon about",
       chain::Derivation::kIcarus},
      {"carol",
       "glory promote mansion idle axis finger extra february uncover one trip resource "
       "lawn turtle enact monster seven myth punch hobby comfort wild raise skin",
       chain::Derivation::kLedger},
  };
  std::vector<TestSigner> out;
  for (const M& m : ms) {
    TestSigner s;
    s.name = m.name;
    s.mnemonic = m.words;
    s.derivation = m.d;
    auto root = chain::MasterKeyFromMnemonic(m.words, "", m.d);
    SW_CHECK(root.ok());
    s.root = *root;
    s.account_xpub = chain::ToPublic(s.Key("m/1854'/1815'/0'"));
    out.push_back(std::move(s));
  }
  return out;
}

TestSigner DaveOnLedger() {
  TestSigner s;
  s.name = "dave";
  s.mnemonic = "all all all all all all all all all all all all";
  s.derivation = chain::Derivation::kLedger;
  auto root = chain::MasterKeyFromMnemonic(s.mnemonic, "", s.derivation);
  SW_CHECK(root.ok());
  s.root = *root;
  s.account_xpub = chain::ToPublic(s.Key("m/1854'/1815'/0'"));
  return s;
}

std::string TestPolicyYaml(const std::vector<TestSigner>& signers, int threshold) {
  std::string yaml =
      ReadTextFile(std::string(STAKEWARD_SOURCE_DIR) + "/policy/samples/policy.yaml");
  // Replace the signers block and the threshold.
  const size_t a = yaml.find("signers:");
  const size_t b = yaml.find("threshold:");
  SW_CHECK(a != std::string::npos && b != std::string::npos && b > a);
  std::string block = "signers:\n";
  for (const TestSigner& s : signers) {
    const auto ser = s.account_xpub.Serialize();
    block += "  - name: " + s.name + "\n    xpub: " + chain::HexEncode(chain::View(ser)) +
             "\n    device: " + (s.derivation == chain::Derivation::kLedger ? "ledger" : "trezor") +
             "\n";
  }
  const size_t eol = yaml.find('\n', b);
  return yaml.substr(0, a) + block + "threshold: " + std::to_string(threshold) + yaml.substr(eol);
}

std::string SampleSnapshotJson() {
  // The sample names its slot addresses for the sample signers; the tests use their own signers,
  // so the addresses (optional in the format) are dropped.
  nlohmann::json j = nlohmann::json::parse(
      ReadTextFile(std::string(STAKEWARD_SOURCE_DIR) + "/policy/samples/snapshot.json"));
  for (auto& slot : j["slots"]) slot.erase("address");
  return j.dump();
}

std::string SnapshotWithSlot(uint64_t slot) {
  nlohmann::json j = nlohmann::json::parse(SampleSnapshotJson());
  j["slot"] = slot;
  return j.dump();
}

void ControllerRound::SetUp() {
  SetLogQuiet(true);
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  dir_ = (std::filesystem::temp_directory_path() /
          ("sw_ctl_" + std::to_string(::getpid()) + "_" + info->name()))
             .string();
  std::filesystem::remove_all(dir_);
  std::filesystem::create_directories(dir_);
  db_path_ = dir_ + "/stakeward.db";
  signers_ = DefaultSigners();
  StartDaemon();
}

void ControllerRound::TearDown() {
  StopDaemon();
  std::filesystem::remove_all(dir_);
}

void ControllerRound::StartDaemon() {
  ControllerOptions o;
  o.db_path = db_path_;
  o.dev_mode = true;
  // The controller's clock: real time plus what the test advanced (leases lapse without sleeps).
  o.clock = [this] { return absl::ToUnixMicros(absl::Now()) + clock_advance_us_.load(); };
  auto c = Controller::Open(o);
  ASSERT_TRUE(c.ok()) << c.status();
  controller_ = std::move(*c);
  ServerOptions so = server_options_;
  so.listen = "127.0.0.1:0";
  so.dev_mode = true;
  so.max_message_bytes = 8 << 20;
  if (chain_factory_) so.chain = chain_factory_(controller_.get());
  auto s = DaemonServer::Start(controller_.get(), so, nullptr);
  ASSERT_TRUE(s.ok()) << s.status();
  server_ = std::move(*s);
  channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(server_->port()),
                                 grpc::InsecureChannelCredentials());
  policy_ = v1::PolicyService::NewStub(channel_);
  snapshots_ = v1::SnapshotService::NewStub(channel_);
  plans_ = v1::PlanService::NewStub(channel_);
  proposals_ = v1::ProposalService::NewStub(channel_);
  witnesses_ = v1::WitnessService::NewStub(channel_);
  audit_ = v1::AuditService::NewStub(channel_);
  status_ = v1::StatusService::NewStub(channel_);
}

void ControllerRound::StopDaemon() {
  if (server_) {
    server_->Shutdown(absl::Seconds(1));
    server_->Wait();
  }
  server_.reset();
  controller_.reset();
}

std::unique_ptr<grpc::ClientContext> ControllerRound::Ctx(const std::string& role,
                                                          int deadline_ms) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  if (!role.empty()) ctx->AddMetadata("x-stakeward-role", role);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(deadline_ms));
  return ctx;
}

v1::PolicyVersion ControllerRound::Approve(const TestSigner& s, const v1::PolicyVersion& p,
                                           grpc::Status* st) {
  v1::ApprovePolicyResponse resp;
  *st = policy_->ApprovePolicy(Ctx("signer:" + s.name).get(), ApprovalRequest(s, p), &resp);
  return resp.policy();
}

v1::PolicyVersion ControllerRound::InstallPolicy(int approvals) {
  v1::ProposePolicyRequest req;
  req.set_document(TestPolicyYaml(signers_));
  v1::ProposePolicyResponse resp;
  grpc::Status st = policy_->ProposePolicy(Ctx("operator").get(), req, &resp);
  EXPECT_TRUE(st.ok()) << st.error_message();
  v1::PolicyVersion p = resp.policy();
  for (int i = 0; i < approvals; ++i) {
    p = Approve(signers_[static_cast<size_t>(i)], resp.policy(), &st);
    EXPECT_TRUE(st.ok()) << st.error_message();
  }
  return p;
}

chain::Hash32 HashOf(const v1::PolicyVersion& p) {
  chain::Hash32 h{};
  if (p.hash().size() == h.size()) std::copy(p.hash().begin(), p.hash().end(), h.begin());
  return h;
}

v1::Proposal ControllerRound::CreateProposal(grpc::Status* st) {
  v1::CreateProposalRequest req;
  v1::CreateProposalResponse resp;
  *st = proposals_->CreateProposal(Ctx("operator", 60000).get(), req, &resp);
  return resp.proposal();
}

v1::SubmitWitnessesRequest ControllerRound::WitnessesFor(const TestSigner& s,
                                                         const v1::Proposal& p) {
  return SignAll(s, p);
}

v1::SubmitWitnessesRequest SignAll(const TestSigner& s, const v1::Proposal& p, int only_tx) {
  v1::SubmitWitnessesRequest req;
  req.set_proposal_id(p.id());
  for (const v1::ProposalTx& tx : p.txs()) {
    if (only_tx >= 0 && static_cast<int>(tx.index()) != only_tx) continue;
    v1::TxWitnesses* tw = req.add_txs();
    tw->set_tx_id(tx.tx_id());
    for (const v1::RequiredSigner& rs : tx.required_signers()) {
      if (rs.signer() != s.name) continue;
      for (const v1::SignerKey& k : rs.keys()) {
        const chain::XPrv key = s.Key(k.path());
        const chain::XPub pub = chain::ToPublic(key);
        const chain::Signature sig = chain::Sign(
            key, chain::ByteView(reinterpret_cast<const uint8_t*>(tx.tx_id().data()), 32));
        v1::VkeyWitness* w = tw->add_witnesses();
        w->set_vkey(std::string(pub.public_key.begin(), pub.public_key.end()));
        w->set_signature(std::string(sig.begin(), sig.end()));
      }
    }
  }
  return req;
}

v1::ApprovePolicyRequest ApprovalRequest(const TestSigner& s, const v1::PolicyVersion& p) {
  chain::Hash32 hash;
  std::copy(p.hash().begin(), p.hash().end(), hash.begin());
  const chain::Hash32 msg = policy::ApprovalTxId(hash);
  const chain::XPrv key = s.Key("m/1854'/1815'/0'/0/0");
  const chain::Signature sig = chain::Sign(key, chain::View(msg));
  const chain::XPub pub = chain::ToPublic(key);
  v1::ApprovePolicyRequest req;
  req.set_version(p.version());
  req.set_hash(p.hash());
  req.set_public_key(std::string(pub.public_key.begin(), pub.public_key.end()));
  req.set_signature(std::string(sig.begin(), sig.end()));
  return req;
}

}  // namespace stakeward::controller::testing
