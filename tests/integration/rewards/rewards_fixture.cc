#include "tests/integration/rewards/rewards_fixture.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>

#include "chain/check.h"
#include "chain/hash.h"
#include "chain/keys.h"
#include "nlohmann/json.hpp"

namespace stakeward::controller::testing {

std::string RewardSnapshotJson(uint64_t epoch, const std::vector<uint64_t>& rewards) {
  nlohmann::json j = nlohmann::json::parse(SampleSnapshotJson());
  const uint64_t base_epoch = j["epoch"].get<uint64_t>();
  j["epoch"] = epoch;
  // One epoch is 432000 slots on mainnet and preprod.
  j["slot"] = j["slot"].get<uint64_t>() + (epoch - base_epoch) * 432000;
  for (size_t i = 0; i < j["slots"].size(); ++i) {
    j["slots"][i]["rewards"] = i < rewards.size() ? rewards[i] : 0;
  }
  const std::string tag = "treasury-" + std::to_string(epoch);
  const chain::Hash32 h =
      chain::Blake2b256(chain::ByteView(reinterpret_cast<const uint8_t*>(tag.data()), tag.size()));
  j["treasury_utxos"][0]["tx"] = chain::HexEncode(h);
  return j.dump();
}

CliResult RunCli(const std::string& args) {
  // One file per process and call: ctest runs test processes side by side.
  static std::atomic<int> calls{0};
  const std::string err_path = ::testing::TempDir() + "/stakeward-cli." +
                               std::to_string(::getpid()) + "." + std::to_string(calls++) + ".err";
  const std::string cmd = std::string(STAKEWARD_BIN_DIR) + "/stakeward " + args + " 2>" + err_path;
  CliResult r;
  FILE* f = ::popen(cmd.c_str(), "r");
  if (f == nullptr) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) r.out.append(buf.data(), n);
  const int status = ::pclose(f);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = ReadTextFile(err_path);  // round_fixture.h
  std::remove(err_path.c_str());
  return r;
}

chain::evm::Secp256k1Key OperatorKey() {
  auto seed = chain::MnemonicToSeed("all all all all all all all all all all all all", "");
  SW_CHECK(seed.ok());
  auto master = chain::evm::Secp256k1Key::MasterFromSeed(chain::View(*seed));
  SW_CHECK(master.ok());
  auto key = master->DerivePath(*chain::ParsePath("m/44'/60'/0'/0/0"));
  SW_CHECK(key.ok());
  return *key;
}

std::string OperatorAddress() { return chain::evm::ToChecksumAddress(OperatorKey().EthAddress()); }

std::string SignReserved(const v1::L2Deposit& d, const chain::evm::Secp256k1Key& key) {
  const chain::Bytes unsigned_tx(d.unsigned_tx().begin(), d.unsigned_tx().end());
  auto tx = chain::evm::DecodeUnsigned(chain::View(unsigned_tx));
  SW_CHECK(tx.ok());
  const chain::evm::EvmSignature sig = chain::evm::SignHash(key, chain::evm::SigningHash(*tx));
  const chain::Bytes raw = chain::evm::EncodeSigned(*tx, sig);
  return std::string(raw.begin(), raw.end());
}

void RewardsRound::SetUp() {
  ControllerRound::SetUp();
  rewards_ = v1::RewardsService::NewStub(channel_);
}

void RewardsRound::Restart() {
  StopDaemon();
  StartDaemon();
  rewards_ = v1::RewardsService::NewStub(channel_);
}

grpc::Status RewardsRound::PushSnapshot(const std::string& json) {
  v1::PushSnapshotRequest req;
  req.set_document(json);
  v1::PushSnapshotResponse resp;
  return snapshots_->PushSnapshot(Ctx("operator", 60000).get(), req, &resp);
}

grpc::Status RewardsRound::Build(uint64_t epoch, v1::BuildRewardProposalResponse* resp,
                                 const std::string& role) {
  v1::BuildRewardProposalRequest req;
  req.set_epoch(epoch);
  req.set_operator_address(OperatorAddress());
  return rewards_->BuildRewardProposal(Ctx(role, 60000).get(), req, resp);
}

v1::Proposal RewardsRound::SignByTwo(const v1::Proposal& p) {
  v1::Proposal last = p;
  for (const TestSigner& s : signers_) {
    if (s.name != "alice" && s.name != "carol") continue;
    v1::SubmitWitnessesResponse resp;
    grpc::Status st =
        witnesses_->SubmitWitnesses(Ctx("signer:" + s.name).get(), SignAll(s, p), &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    last = resp.proposal();
  }
  return last;
}

void RewardsRound::ExportAndConfirm(const v1::Proposal& p) {
  v1::ExportProposalRequest ereq;
  ereq.set_id(p.id());
  v1::ExportProposalResponse eresp;
  grpc::Status st = proposals_->ExportProposal(Ctx("operator").get(), ereq, &eresp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(eresp.files_size(), p.txs_size());
  v1::MarkSubmittedRequest sreq;
  sreq.set_id(p.id());
  for (const v1::ProposalTx& t : p.txs()) sreq.add_tx_ids(t.tx_id());
  v1::MarkSubmittedResponse sresp;
  st = proposals_->MarkSubmitted(Ctx("operator").get(), sreq, &sresp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  v1::MarkConfirmedRequest creq;
  creq.set_id(p.id());
  for (const v1::ProposalTx& t : p.txs()) creq.add_tx_ids(t.tx_id());
  v1::MarkConfirmedResponse cresp;
  st = proposals_->MarkConfirmed(Ctx("operator").get(), creq, &cresp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(cresp.proposal().state(), v1::PROPOSAL_STATE_CONFIRMED);
}

v1::ReserveDepositRequest RewardsRound::DepositRequest(uint64_t epoch,
                                                       const std::string& request_id) {
  v1::ReserveDepositRequest req;
  req.set_epoch(epoch);
  req.set_operator_address(OperatorAddress());
  req.set_nonce(std::to_string(epoch));  // one nonce per epoch: (sender, nonce) is unique
  req.set_gas_limit("150000");
  req.set_max_fee_per_gas("0x174876e800");  // 100 gwei
  req.set_max_priority_fee_per_gas("1000000000");
  req.set_bridge_fee_lovelace(1000000);
  req.set_request_id(request_id);
  return req;
}

v1::StoreDepositResponse RewardsRound::DepositOnce(uint64_t epoch, const std::string& request_id) {
  v1::ReserveDepositResponse r;
  grpc::Status st =
      rewards_->ReserveDeposit(Ctx("operator").get(), DepositRequest(epoch, request_id), &r);
  EXPECT_TRUE(st.ok()) << st.error_message();
  v1::StoreDepositRequest sreq;
  sreq.set_epoch(epoch);
  sreq.set_raw_tx(r.outcome() == v1::RESERVATION_OUTCOME_ALREADY_SIGNED
                      ? r.deposit().raw_tx()
                      : SignReserved(r.deposit(), OperatorKey()));
  v1::StoreDepositResponse resp;
  st = rewards_->StoreDeposit(Ctx("operator").get(), sreq, &resp);
  EXPECT_TRUE(st.ok()) << st.error_message();
  return resp;
}

v1::EpochLedger RewardsRound::Epoch(uint64_t epoch, grpc::Status* st, const std::string& role) {
  v1::GetEpochRequest req;
  req.set_epoch(epoch);
  v1::GetEpochResponse resp;
  *st = rewards_->GetEpoch(Ctx(role).get(), req, &resp);
  return resp.epoch();
}

ClientOptions RewardsRound::AliceClient() {
  ClientOptions client;
  client.server = "127.0.0.1:" + std::to_string(server_->port());
  client.dev_role = "signer:alice";
  return client;
}

std::set<chain::Hash32> RewardsRound::AnchorV1() {
  v1::GetPolicyRequest req;
  req.set_version(1);
  v1::GetPolicyResponse resp;
  EXPECT_TRUE(policy_->GetPolicy(Ctx("auditor").get(), req, &resp).ok());
  return {HashOf(resp.policy())};
}

namespace {

std::unique_ptr<grpc::ClientContext> RoleContext(const std::string& role) {
  auto c = std::make_unique<grpc::ClientContext>();
  c->AddMetadata("x-stakeward-role", role);
  c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  return c;
}

}  // namespace

void ConfirmRewardRound(const RewardStubs& s, const std::string& policy_yaml, uint64_t epoch) {
  const std::vector<TestSigner> signers = DefaultSigners();
  v1::ProposePolicyRequest preq;
  preq.set_document(policy_yaml);
  v1::ProposePolicyResponse presp;
  ASSERT_TRUE(s.policy->ProposePolicy(RoleContext("operator").get(), preq, &presp).ok());
  const std::vector<const TestSigner*> two = {&signers[0], &signers[2]};  // alice, carol
  for (const TestSigner* t : two) {
    v1::ApprovePolicyResponse aresp;
    grpc::Status st = s.policy->ApprovePolicy(RoleContext("signer:" + t->name).get(),
                                              ApprovalRequest(*t, presp.policy()), &aresp);
    ASSERT_TRUE(st.ok()) << st.error_message();
  }
  v1::PushSnapshotRequest sreq;
  sreq.set_document(RewardSnapshotJson(epoch, {184000000, 132000000, 376000000}));
  v1::PushSnapshotResponse sresp;
  ASSERT_TRUE(s.snapshots->PushSnapshot(RoleContext("operator").get(), sreq, &sresp).ok());
  v1::BuildRewardProposalRequest breq;
  breq.set_epoch(epoch);
  breq.set_operator_address(OperatorAddress());
  v1::BuildRewardProposalResponse bresp;
  grpc::Status st = s.rewards->BuildRewardProposal(RoleContext("operator").get(), breq, &bresp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  const v1::Proposal& p = bresp.proposal();
  for (const TestSigner* t : two) {
    v1::SubmitWitnessesResponse wresp;
    ASSERT_TRUE(
        s.witnesses->SubmitWitnesses(RoleContext("signer:" + t->name).get(), SignAll(*t, p), &wresp)
            .ok());
  }
  v1::MarkSubmittedRequest mreq;
  mreq.set_id(p.id());
  for (const auto& t : p.txs()) mreq.add_tx_ids(t.tx_id());
  v1::MarkSubmittedResponse mresp;
  ASSERT_TRUE(s.proposals->MarkSubmitted(RoleContext("operator").get(), mreq, &mresp).ok());
  v1::MarkConfirmedRequest creq;
  creq.set_id(p.id());
  for (const auto& t : p.txs()) creq.add_tx_ids(t.tx_id());
  v1::MarkConfirmedResponse cresp;
  ASSERT_TRUE(s.proposals->MarkConfirmed(RoleContext("operator").get(), creq, &cresp).ok());
}

}  // namespace stakeward::controller::testing
