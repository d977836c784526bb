#include "tests/integration/trust/recording.h"

#include <utility>

#include "chain/address.h"
#include "chain/check.h"
#include "chain/hash.h"
#include "controller/build/proposal_builder.h"
#include "controller/build/reward_proposal.h"
#include "controller/client/anchor_proto.h"
#include "policy/plan.h"
#include "policy/snapshot.h"

namespace stakeward::controller::testing {
namespace {

TestSigner SoftwareSigner(const std::string& name, const std::string& words) {
  TestSigner s;
  s.name = name;
  s.mnemonic = words;
  s.derivation = chain::Derivation::kIcarus;
  auto root = chain::MasterKeyFromMnemonic(words, "", s.derivation);
  SW_CHECK(root.ok());
  s.root = *root;
  s.account_xpub = chain::ToPublic(s.Key("m/1854'/1815'/0'"));
  return s;
}

policy::Policy LoadOrDie(const std::string& document) {
  absl::StatusOr<policy::Policy> p = policy::LoadPolicy(document);
  SW_CHECK(p.ok());
  return *p;
}

void SetTxs(const std::vector<ProposalTxRec>& recs, v1::Proposal* p) {
  p->clear_txs();
  for (const ProposalTxRec& rec : recs) {
    v1::ProposalTx* t = p->add_txs();
    t->set_index(rec.idx);
    t->set_unsigned_tx(std::string(rec.unsigned_tx.begin(), rec.unsigned_tx.end()));
    t->set_tx_id(std::string(rec.tx_id.begin(), rec.tx_id.end()));
    t->set_fee(rec.fee.value());
    for (const chain::NativeScript& s : rec.scripts) {
      const chain::Bytes b = chain::EncodeNativeScript(s);
      t->add_native_scripts(std::string(b.begin(), b.end()));
    }
    for (const RequiredSignerRec& rs : rec.required) {
      v1::RequiredSigner* g = t->add_required_signers();
      g->set_signer(rs.signer);
      for (const SignerKeyRec& k : rs.keys) {
        v1::SignerKey* gk = g->add_keys();
        gk->set_key_hash(std::string(k.key_hash.begin(), k.key_hash.end()));
        gk->set_path(k.path);
      }
    }
  }
}

void UpdateRewardPlanHash(v1::Proposal* p) {
  if (p->kind() != v1::PROPOSAL_KIND_REWARD) return;
  std::vector<ProposalTxRec> recs;
  for (const v1::ProposalTx& t : p->txs()) {
    ProposalTxRec rec;
    SW_CHECK(t.tx_id().size() == 32);
    std::copy(t.tx_id().begin(), t.tx_id().end(), rec.tx_id.begin());
    recs.push_back(std::move(rec));
  }
  const chain::Hash32 h = RewardPlanHash(p->reward().epoch(), recs);
  p->set_plan_hash(std::string(h.begin(), h.end()));
}

}  // namespace

void RecordingRound::Record(RoundKind kind, RecordedRound* out) {
  InstallPolicy();
  std::string proposal_id;
  std::string role = "signer:alice";
  if (kind == RoundKind::kRebalance) {
    ASSERT_TRUE(PushSnapshot(SampleSnapshotJson()).ok());
    grpc::Status st;
    const v1::Proposal p = CreateProposal(&st);
    ASSERT_TRUE(st.ok()) << st.error_message();
    proposal_id = p.id();
  } else {
    ASSERT_TRUE(
        PushSnapshot(RewardSnapshotJson(kRewardEpoch, {184000000, 132000000, 376000000})).ok());
    v1::BuildRewardProposalResponse built;
    grpc::Status st = Build(kRewardEpoch, &built);
    ASSERT_TRUE(st.ok()) << st.error_message();
    ASSERT_TRUE(built.has_proposal());
    proposal_id = built.proposal().id();
    if (kind == RoundKind::kDeposit) {
      role = "operator";
      SignByTwo(built.proposal());
      ExportAndConfirm(built.proposal());
      v1::ReserveDepositRequest req = DepositRequest(kRewardEpoch, "trust-round");
      req.set_nonce("0");  // what the CLI rows type
      st = rewards_->ReserveDeposit(Ctx("operator").get(), req, &out->reservation);
      ASSERT_TRUE(st.ok()) << st.error_message();
      ASSERT_EQ(out->reservation.outcome(), v1::RESERVATION_OUTCOME_RESERVED);
    }
    v1::GetEpochRequest ereq;
    ereq.set_epoch(kRewardEpoch);
    v1::GetEpochResponse eresp;
    st = rewards_->GetEpoch(Ctx("operator").get(), ereq, &eresp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    out->epoch = eresp.epoch();
    out->has_epoch = true;
  }
  RecordReads(proposal_id, role, out);
  StopDaemon();
}

void RecordingRound::RecordReads(const std::string& proposal_id, const std::string& role,
                                 RecordedRound* out) {
  v1::GetPolicyRequest newest_req;
  v1::GetPolicyResponse newest;
  grpc::Status st = policy_->GetPolicy(Ctx(role).get(), newest_req, &newest);
  ASSERT_TRUE(st.ok()) << st.error_message();
  out->newest_policy = newest.policy().version();
  for (uint64_t v = 1; v <= out->newest_policy; ++v) {
    v1::GetPolicyRequest req;
    req.set_version(v);
    v1::GetPolicyResponse resp;
    st = policy_->GetPolicy(Ctx(role).get(), req, &resp);
    ASSERT_TRUE(st.ok()) << st.error_message();
    out->policies[v] = resp.policy();
  }
  v1::GetPolicyInForceResponse in_force;
  st = policy_->GetPolicyInForce(Ctx(role).get(), v1::GetPolicyInForceRequest(), &in_force);
  ASSERT_TRUE(st.ok()) << st.error_message();
  out->in_force = in_force.policy();
  v1::GetProposalRequest preq;
  preq.set_id(proposal_id);
  v1::GetProposalResponse presp;
  st = proposals_->GetProposal(Ctx(role).get(), preq, &presp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  out->proposal = presp.proposal();
  v1::GetSnapshotRequest sreq;
  sreq.set_hash(out->proposal.snapshot_hash());
  v1::GetSnapshotResponse sresp;
  st = snapshots_->GetSnapshot(Ctx(role).get(), sreq, &sresp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  out->snapshots[out->proposal.snapshot_hash()] = sresp.document();
  v1::GetStatusResponse status;
  st = status_->GetStatus(Ctx(role).get(), v1::GetStatusRequest(), &status);
  ASSERT_TRUE(st.ok()) << st.error_message();
  out->caller = status.caller();
}

std::vector<TestSigner> AttackerSigners() {
  // BIP39 test-vector mnemonics (trezor/python-mnemonic vectors.json).
  return {SoftwareSigner("mallory",
                         "legal winner thank year wave sausage worth useful legal winner thank "
                         "yellow"),
          SoftwareSigner("trent",
                         "letter advice cage absurd amount doctor acoustic avoid letter advice "
                         "cage above")};
}

TestSigner Dave() {
  return SoftwareSigner("dave", "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong");
}

v1::PolicyVersion MakeVersion(uint64_t version, const std::string& document,
                              const std::vector<TestSigner>& approvers) {
  const chain::Hash32 h = policy::PolicyHash(LoadOrDie(document));
  v1::PolicyVersion pv;
  pv.set_version(version);
  pv.set_document(document);
  pv.set_hash(std::string(h.begin(), h.end()));
  pv.set_approvals_required(2);
  pv.set_proposed_by("operator:dev");
  for (const TestSigner& s : approvers) {
    const v1::ApprovePolicyRequest req = ApprovalRequest(s, pv);
    v1::PolicyApproval* a = pv.add_approvals();
    a->set_signer(s.name);
    a->set_public_key(req.public_key());
    a->set_signature(req.signature());
  }
  return pv;
}

const v1::PolicyVersion& ProposalPolicy(const RecordedRound& r) {
  return r.policies.at(r.proposal.policy_version());
}

void RebuildUnder(const v1::PolicyVersion& pv, RecordedRound* r) {
  const policy::Policy pol = LoadOrDie(pv.document());
  absl::StatusOr<policy::Snapshot> snap =
      policy::LoadSnapshot(r->snapshots.at(r->proposal.snapshot_hash()));
  SW_CHECK(snap.ok());
  v1::Proposal* p = &r->proposal;
  p->set_policy_version(pv.version());
  p->set_policy_hash(pv.hash());
  p->set_threshold(static_cast<uint32_t>(pol.threshold));
  if (p->kind() == v1::PROPOSAL_KIND_REWARD) {
    absl::StatusOr<chain::evm::Address> op =
        chain::evm::ParseAddress(p->reward().operator_address());
    SW_CHECK(op.ok());
    absl::StatusOr<AuditAnchor> anchor = AnchorFromProto(*p);
    SW_CHECK(anchor.ok());
    // A claimed carry is taken to sit in the treasury UTxO the round already spends.
    std::optional<chain::TxIn> carry_input;
    if (p->reward().carry_in() > 0) {
      const std::string& raw = p->txs(0).unsigned_tx();
      absl::StatusOr<chain::Transaction> tx = chain::DecodeTransaction(
          chain::ByteView(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()));
      SW_CHECK(tx.ok() && !tx->body.inputs.empty());
      carry_input = tx->body.inputs[0];
    }
    RewardTxsRequest req{
        &pol,     &*snap,  p->id(),    *op, chain::Lovelace(p->reward().carry_in()),
        p->ttl(), *anchor, carry_input};
    absl::StatusOr<RewardTxsResult> built = BuildRewardTxs(req);
    SW_CHECK(built.ok());
    SetTxs(built->txs, p);
    UpdateRewardPlanHash(p);
    return;
  }
  absl::StatusOr<policy::Plan> plan = policy::MakePlan(pol, *snap, policy::PlanHistory{});
  SW_CHECK(plan.ok());
  const chain::Hash32 ph = policy::PlanHash(*plan);
  p->set_plan_hash(std::string(ph.begin(), ph.end()));
  absl::StatusOr<AuditAnchor> anchor = AnchorFromProto(*p);
  SW_CHECK(anchor.ok());
  BuildRequest req{&pol, &*snap, &*plan, p->id(), p->ttl(), *anchor};
  absl::StatusOr<std::vector<ProposalTxRec>> txs = BuildProposalTxs(req);
  SW_CHECK(txs.ok());
  SetTxs(*txs, p);
}

std::string WithOtherBridge(const std::string& document) {
  const std::string key = "bridge_address: ";
  const size_t a = document.find(key);
  SW_CHECK(a != std::string::npos);
  const size_t from = a + key.size();
  const size_t to = document.find('\n', from);
  absl::StatusOr<chain::Address> addr = chain::ParseAddress(document.substr(from, to - from));
  SW_CHECK(addr.ok());
  chain::Address other = *addr;
  other.payment.hash[0] ^= 0x5a;
  return document.substr(0, from) + other.ToBech32() + document.substr(to);
}

chain::Transaction DecodeTx(const v1::Proposal& p, int i) {
  const std::string& b = p.txs(i).unsigned_tx();
  absl::StatusOr<chain::Transaction> tx = chain::DecodeTransaction(
      chain::ByteView(reinterpret_cast<const uint8_t*>(b.data()), b.size()));
  SW_CHECK(tx.ok());
  return *tx;
}

void ReplaceTx(v1::Proposal* p, int i, chain::TxBody body, std::optional<chain::Bytes> aux) {
  const std::string old_id = p->txs(i).tx_id();
  const chain::Transaction old = DecodeTx(*p, i);
  const chain::Transaction tx = chain::MakeTransaction(std::move(body), old.witnesses, aux);
  const chain::Bytes enc = chain::EncodeTransaction(tx);
  const chain::Hash32 id = chain::TxId(tx);
  v1::ProposalTx* t = p->mutable_txs(i);
  t->set_unsigned_tx(std::string(enc.begin(), enc.end()));
  t->set_tx_id(std::string(id.begin(), id.end()));
  t->set_fee(tx.body.fee.value());
  for (int j = i + 1; j < p->txs_size(); ++j) {
    chain::Transaction later = DecodeTx(*p, j);
    bool spends = false;
    for (chain::TxIn& in : later.body.inputs) {
      if (std::string(in.tx_id.begin(), in.tx_id.end()) == old_id) {
        in.tx_id = id;
        spends = true;
      }
    }
    if (spends) ReplaceTx(p, j, later.body, later.aux_data);
  }
  UpdateRewardPlanHash(p);
}

void EditMetadata(v1::Proposal* p, int i, const std::function<void(chain::Metadata*)>& edit) {
  const chain::Transaction tx = DecodeTx(*p, i);
  SW_CHECK(tx.aux_data.has_value());
  absl::StatusOr<chain::Metadata> md = chain::DecodeAuxDataMetadata(chain::View(*tx.aux_data));
  SW_CHECK(md.ok());
  edit(&*md);
  absl::StatusOr<chain::Bytes> aux = chain::EncodeAuxData(*md);
  SW_CHECK(aux.ok());
  chain::TxBody body = tx.body;
  body.aux_data_hash = chain::Blake2b256(chain::View(*aux));
  ReplaceTx(p, i, std::move(body), *aux);
}

}  // namespace stakeward::controller::testing
