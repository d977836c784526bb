#include "controller/daemon/grpc_services.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "controller/daemon/json_log.h"
#include "controller/daemon/proto_convert.h"
#include "controller/daemon/rpc_deadline.h"
#include "proto/stakeward/v1/audit.grpc.pb.h"
#include "proto/stakeward/v1/policy.grpc.pb.h"
#include "proto/stakeward/v1/proposal.grpc.pb.h"
#include "proto/stakeward/v1/rewards.grpc.pb.h"
#include "proto/stakeward/v1/snapshot.grpc.pb.h"

namespace stakeward::controller {
namespace {

void ToProto(const PushSnapshotResult& r, v1::PushSnapshotResponse* resp) {
  ToProto(r.snapshot, resp->mutable_snapshot());
  for (const auto& id : r.expired) resp->add_expired_proposals(id);
  for (const auto& id : r.superseded) resp->add_superseded_proposals(id);
  resp->set_created(r.created);
}

absl::Status NoChainSource() {
  return absl::FailedPreconditionError(
      "stakewardd has no chain source: add `chain: {ogmios: ws://HOST:1337}` (or koios: URL) to "
      "its config; without one, push snapshots yourself, export the transactions, submit them "
      "with your own tools and record it with `proposal submitted`");
}

// Server streams are driven by the store's change generation: a stream sleeps until a commit
// bumps it and reads the store only then. The bounded wait exists only to notice a client that
// went away (the synchronous API has no cancellation callback); it takes no store lock. Returns
// the new generation, or the status that ends the stream.
absl::StatusOr<uint64_t> AwaitChange(const ServiceEnv& env, const grpc::ServerContext& ctx,
                                     const StreamLimits::Lease& lease, uint64_t gen) {
  for (;;) {
    const uint64_t now = env.controller->WaitForChange(gen, absl::Milliseconds(500));
    if (ctx.IsCancelled() || env.stopping) return absl::CancelledError("stream ended");
    if (absl::Status s = lease.CheckAge(); !s.ok()) return s;
    if (now != gen) return now;
  }
}

// Per-call bookkeeping: deadline, identity and role checks up front, metrics and a log line at
// the end.
class Rpc {
 public:
  Rpc(ServiceEnv* env, const grpc::ServerContextBase* ctx, const char* method)
      : env_(env), method_(method), start_(std::chrono::steady_clock::now()) {
    if (auth_ = RequireClientDeadline(*ctx); !auth_.ok()) return;
    absl::StatusOr<Identity> id = IdentifyCaller(env->auth, *ctx);
    if (!id.ok()) {
      auth_ = id.status();
      return;
    }
    who_ = *id;
    auth_ = CheckRpcAllowed(who_, method);
    if (auth_.ok() && env->controller->read_only() && RpcChangesState(method)) {
      auth_ = absl::FailedPreconditionError(
          "stakewardd serves this database read-only for forensics (--forensics): no change is "
          "accepted; restart without --forensics on a database that verifies");
    }
  }
  bool allowed() const { return auth_.ok(); }
  const Identity& who() const { return who_; }

  grpc::Status Done(const absl::Status& s) {
    const absl::Status& final = auth_.ok() ? s : auth_;
    const int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::steady_clock::now() - start_)
                           .count();
    const std::string code(absl::StatusCodeToString(final.code()));
    if (env_->metrics != nullptr) env_->metrics->RecordRpc(method_, code, us);
    nlohmann::json f = {{"method", method_}, {"code", code}, {"micros", us}};
    if (auth_.ok()) f["actor"] = who_.Actor();
    if (!final.ok()) f["error"] = std::string(final.message());
    LogJson(final.ok() ? "info" : "warn", "rpc", f);
    return ToGrpcStatus(final);
  }
  grpc::Status Denied() { return Done(auth_); }

 private:
  ServiceEnv* env_;
  std::string method_;
  std::chrono::steady_clock::time_point start_;
  absl::Status auth_;
  Identity who_;
};

#define SW_RPC(method)                         \
  Rpc rpc(env_, ctx, "/stakeward.v1." method); \
  if (!rpc.allowed()) return rpc.Denied()

template <typename T>
absl::Status Assign(absl::StatusOr<T>&& r, T& out) {
  if (!r.ok()) return r.status();
  out = std::move(*r);
  return absl::OkStatus();
}

class PolicyServiceImpl final : public v1::PolicyService::Service {
 public:
  explicit PolicyServiceImpl(ServiceEnv* env) : env_(env) {}

  grpc::Status GetPolicy(grpc::ServerContext* ctx, const v1::GetPolicyRequest* req,
                         v1::GetPolicyResponse* resp) override {
    SW_RPC("PolicyService/GetPolicy");
    absl::StatusOr<PolicyVersionRec> r = env_->controller->GetPolicy(req->version());
    if (r.ok()) ToProto(*r, resp->mutable_policy());
    return rpc.Done(r.status());
  }
  grpc::Status GetPolicyInForce(grpc::ServerContext* ctx, const v1::GetPolicyInForceRequest*,
                                v1::GetPolicyInForceResponse* resp) override {
    SW_RPC("PolicyService/GetPolicyInForce");
    absl::StatusOr<PolicyVersionRec> r = env_->controller->GetPolicyInForce();
    if (r.ok()) ToProto(*r, resp->mutable_policy());
    return rpc.Done(r.status());
  }
  grpc::Status ProposePolicy(grpc::ServerContext* ctx, const v1::ProposePolicyRequest* req,
                             v1::ProposePolicyResponse* resp) override {
    SW_RPC("PolicyService/ProposePolicy");
    absl::StatusOr<PolicyVersionRec> r =
        env_->controller->ProposePolicy(rpc.who(), req->document());
    if (r.ok()) ToProto(*r, resp->mutable_policy());
    return rpc.Done(r.status());
  }
  grpc::Status ApprovePolicy(grpc::ServerContext* ctx, const v1::ApprovePolicyRequest* req,
                             v1::ApprovePolicyResponse* resp) override {
    SW_RPC("PolicyService/ApprovePolicy");
    if (req->hash().size() != 32 || req->public_key().size() != 32 ||
        req->signature().size() != 64) {
      return rpc.Done(absl::InvalidArgumentError(
          "hash (32 bytes), public_key (32 bytes) and signature (64 bytes) are required"));
    }
    chain::Hash32 hash;
    std::array<uint8_t, 32> key;
    chain::Signature sig;
    std::copy(req->hash().begin(), req->hash().end(), hash.begin());
    std::copy(req->public_key().begin(), req->public_key().end(), key.begin());
    std::copy(req->signature().begin(), req->signature().end(), sig.begin());
    absl::StatusOr<PolicyVersionRec> r =
        env_->controller->ApprovePolicy(rpc.who(), req->version(), hash, key, sig);
    if (r.ok()) ToProto(*r, resp->mutable_policy());
    return rpc.Done(r.status());
  }

 private:
  ServiceEnv* env_;
};

class SnapshotServiceImpl final : public v1::SnapshotService::Service {
 public:
  explicit SnapshotServiceImpl(ServiceEnv* env) : env_(env) {}

  grpc::Status PushSnapshot(grpc::ServerContext* ctx, const v1::PushSnapshotRequest* req,
                            v1::PushSnapshotResponse* resp) override {
    SW_RPC("SnapshotService/PushSnapshot");
    absl::StatusOr<PushSnapshotResult> r =
        env_->controller->PushSnapshot(rpc.who(), req->document());
    if (r.ok()) ToProto(*r, resp);
    return rpc.Done(r.status());
  }
  grpc::Status RefreshSnapshot(grpc::ServerContext* ctx, const v1::RefreshSnapshotRequest* req,
                               v1::PushSnapshotResponse* resp) override {
    SW_RPC("SnapshotService/RefreshSnapshot");
    if (env_->chain == nullptr) return rpc.Done(NoChainSource());
    absl::StatusOr<PushSnapshotResult> r = env_->chain->RefreshSnapshot(rpc.who());
    if (r.ok()) ToProto(*r, resp);
    return rpc.Done(r.status());
  }
  grpc::Status GetSnapshot(grpc::ServerContext* ctx, const v1::GetSnapshotRequest* req,
                           v1::GetSnapshotResponse* resp) override {
    SW_RPC("SnapshotService/GetSnapshot");
    absl::StatusOr<std::optional<chain::Hash32>> h = OptionalHash32(req->hash(), "hash");
    if (!h.ok()) return rpc.Done(h.status());
    absl::StatusOr<SnapshotRec> r = env_->controller->GetSnapshot(*h);
    if (r.ok()) {
      ToProto(*r, resp->mutable_snapshot());
      resp->set_document(r->document);
    }
    return rpc.Done(r.status());
  }

 private:
  ServiceEnv* env_;
};

class PlanServiceImpl final : public v1::PlanService::Service {
 public:
  explicit PlanServiceImpl(ServiceEnv* env) : env_(env) {}

  grpc::Status DryRunPlan(grpc::ServerContext* ctx, const v1::DryRunPlanRequest* req,
                          v1::DryRunPlanResponse* resp) override {
    SW_RPC("PlanService/DryRunPlan");
    absl::StatusOr<std::optional<chain::Hash32>> h =
        OptionalHash32(req->snapshot_hash(), "snapshot_hash");
    if (!h.ok()) return rpc.Done(h.status());
    absl::StatusOr<PlanResult> r = env_->controller->DryRunPlan(*h, req->policy_version());
    if (r.ok()) {
      resp->set_plan_hash(std::string(r->plan_hash.begin(), r->plan_hash.end()));
      resp->set_policy_hash(std::string(r->policy_hash.begin(), r->policy_hash.end()));
      resp->set_snapshot_hash(std::string(r->snapshot_hash.begin(), r->snapshot_hash.end()));
      resp->set_policy_version(r->policy_version);
      resp->set_plan_json(r->plan_json);
      resp->set_action_count(r->action_count);
    }
    return rpc.Done(r.status());
  }

 private:
  ServiceEnv* env_;
};

absl::StatusOr<std::vector<chain::Hash32>> TxIds(
    const google::protobuf::RepeatedPtrField<std::string>& ids) {
  std::vector<chain::Hash32> out;
  for (const std::string& s : ids) {
    absl::StatusOr<std::optional<chain::Hash32>> h = OptionalHash32(s, "tx_ids");
    if (!h.ok()) return h.status();
    if (!*h) return absl::InvalidArgumentError("empty tx id");
    out.push_back(**h);
  }
  if (out.empty()) return absl::InvalidArgumentError("tx_ids is required");
  return out;
}

bool IsFinal(ProposalState s) {
  return s == ProposalState::kRejected || s == ProposalState::kExpired ||
         s == ProposalState::kSuperseded || s == ProposalState::kConfirmed;
}

class ProposalServiceImpl final : public v1::ProposalService::Service {
 public:
  explicit ProposalServiceImpl(ServiceEnv* env) : env_(env) {}

  grpc::Status CreateProposal(grpc::ServerContext* ctx, const v1::CreateProposalRequest* req,
                              v1::CreateProposalResponse* resp) override {
    SW_RPC("ProposalService/CreateProposal");
    absl::StatusOr<std::optional<chain::Hash32>> snap =
        OptionalHash32(req->snapshot_hash(), "snapshot_hash");
    if (!snap.ok()) return rpc.Done(snap.status());
    absl::StatusOr<std::optional<chain::Hash32>> plan =
        OptionalHash32(req->expected_plan_hash(), "expected_plan_hash");
    if (!plan.ok()) return rpc.Done(plan.status());
    absl::StatusOr<ProposalRec> r =
        env_->controller->CreateProposal(rpc.who(), *snap, *plan, req->ttl_slots());
    if (r.ok()) ToProto(*r, true, resp->mutable_proposal());
    return rpc.Done(r.status());
  }
  grpc::Status CreateMigrateProposal(grpc::ServerContext* ctx,
                                     const v1::CreateMigrateProposalRequest* req,
                                     v1::CreateMigrateProposalResponse* resp) override {
    SW_RPC("ProposalService/CreateMigrateProposal");
    absl::StatusOr<std::optional<chain::Hash32>> snap =
        OptionalHash32(req->snapshot_hash(), "snapshot_hash");
    if (!snap.ok()) return rpc.Done(snap.status());
    absl::StatusOr<ProposalRec> r =
        env_->controller->CreateMigrateProposal(rpc.who(), *snap, req->ttl_slots());
    if (r.ok()) ToProto(*r, true, resp->mutable_proposal());
    return rpc.Done(r.status());
  }
  grpc::Status GetProposal(grpc::ServerContext* ctx, const v1::GetProposalRequest* req,
                           v1::GetProposalResponse* resp) override {
    SW_RPC("ProposalService/GetProposal");
    absl::StatusOr<ProposalRec> r = env_->controller->GetProposal(req->id());
    if (r.ok()) ToProto(*r, true, resp->mutable_proposal());
    return rpc.Done(r.status());
  }
  grpc::Status ListProposals(grpc::ServerContext* ctx, const v1::ListProposalsRequest* req,
                             v1::ListProposalsResponse* resp) override {
    SW_RPC("ProposalService/ListProposals");
    std::optional<ProposalState> state;
    if (req->state() != v1::PROPOSAL_STATE_UNSPECIFIED) {
      if (!v1::ProposalState_IsValid(req->state())) {
        return rpc.Done(absl::InvalidArgumentError("unknown state"));
      }
      state = static_cast<ProposalState>(static_cast<int>(req->state()));
    }
    auto r = env_->controller->ListProposals(state, req->page_size(), req->page_token());
    if (r.ok()) {
      for (const ProposalRec& p : r->first) ToProto(p, false, resp->add_proposals());
      resp->set_next_page_token(r->second);
    }
    return rpc.Done(r.status());
  }
  grpc::Status WatchProposal(grpc::ServerContext* ctx, const v1::WatchProposalRequest* req,
                             grpc::ServerWriter<v1::ProposalEvent>* writer) override {
    SW_RPC("ProposalService/WatchProposal");
    absl::StatusOr<StreamLimits::Lease> lease = env_->streams->Acquire(rpc.who().Actor());
    if (!lease.ok()) return rpc.Done(lease.status());
    uint64_t gen = env_->controller->Generation();
    absl::StatusOr<ProposalRec> p = env_->controller->GetProposal(req->id());
    if (!p.ok()) return rpc.Done(p.status());
    auto fingerprint = [](const ProposalRec& r) {
      return std::make_tuple(r.state, r.updated_us, r.witnesses.size());
    };
    auto last = fingerprint(*p);
    v1::ProposalEvent ev;
    ToProto(*p, true, ev.mutable_proposal());
    if (!writer->Write(ev)) return rpc.Done(absl::CancelledError("client went away"));
    while (!IsFinal(p->state)) {
      absl::StatusOr<uint64_t> changed = AwaitChange(*env_, *ctx, *lease, gen);
      if (!changed.ok()) return rpc.Done(changed.status());
      gen = *changed;
      p = env_->controller->GetProposal(req->id());
      if (!p.ok()) return rpc.Done(p.status());
      if (fingerprint(*p) == last) continue;
      last = fingerprint(*p);
      ev.Clear();
      ToProto(*p, true, ev.mutable_proposal());
      absl::StatusOr<StatusInfo> st = env_->controller->Status();
      ev.set_audit_seq(st.ok() ? st->audit_head.seq : 0);
      if (!writer->Write(ev)) return rpc.Done(absl::CancelledError("client went away"));
    }
    return rpc.Done(absl::OkStatus());
  }
  grpc::Status RejectProposal(grpc::ServerContext* ctx, const v1::RejectProposalRequest* req,
                              v1::RejectProposalResponse* resp) override {
    SW_RPC("ProposalService/RejectProposal");
    absl::StatusOr<ProposalRec> r =
        env_->controller->RejectProposal(rpc.who(), req->id(), req->reason());
    if (r.ok()) ToProto(*r, true, resp->mutable_proposal());
    return rpc.Done(r.status());
  }
  grpc::Status MarkSubmitted(grpc::ServerContext* ctx, const v1::MarkSubmittedRequest* req,
                             v1::MarkSubmittedResponse* resp) override {
    SW_RPC("ProposalService/MarkSubmitted");
    absl::StatusOr<std::vector<chain::Hash32>> ids = TxIds(req->tx_ids());
    if (!ids.ok()) return rpc.Done(ids.status());
    absl::StatusOr<ProposalRec> r = env_->controller->MarkSubmitted(rpc.who(), req->id(), *ids);
    if (r.ok()) ToProto(*r, true, resp->mutable_proposal());
    return rpc.Done(r.status());
  }
  grpc::Status MarkConfirmed(grpc::ServerContext* ctx, const v1::MarkConfirmedRequest* req,
                             v1::MarkConfirmedResponse* resp) override {
    SW_RPC("ProposalService/MarkConfirmed");
    absl::StatusOr<std::vector<chain::Hash32>> ids = TxIds(req->tx_ids());
    if (!ids.ok()) return rpc.Done(ids.status());
    if (env_->chain != nullptr && req->slot() == 0) {
      return rpc.Done(absl::FailedPreconditionError(
          "stakewardd follows the chain and confirms on its evidence (`proposal observe` looks "
          "now); to override, name the slot of the block holding the transactions (--slot)"));
    }
    absl::StatusOr<ProposalRec> r =
        env_->controller->MarkConfirmed(rpc.who(), req->id(), *ids, req->slot());
    if (r.ok()) ToProto(*r, true, resp->mutable_proposal());
    return rpc.Done(r.status());
  }
  grpc::Status ExportProposal(grpc::ServerContext* ctx, const v1::ExportProposalRequest* req,
                              v1::ExportProposalResponse* resp) override {
    SW_RPC("ProposalService/ExportProposal");
    absl::StatusOr<std::vector<ExportFile>> r = env_->controller->ExportProposal(req->id());
    if (r.ok()) {
      for (const ExportFile& f : *r) {
        v1::TextEnvelopeFile* out = resp->add_files();
        out->set_name(f.name);
        out->set_json(f.json);
      }
    }
    return rpc.Done(r.status());
  }
  grpc::Status SubmitProposal(grpc::ServerContext* ctx, const v1::SubmitProposalRequest* req,
                              v1::SubmitProposalResponse* resp) override {
    SW_RPC("ProposalService/SubmitProposal");
    if (env_->chain == nullptr) return rpc.Done(NoChainSource());
    absl::StatusOr<SubmitProposalResult> r = env_->chain->Submit(rpc.who(), req->id());
    if (r.ok()) {
      ToProto(r->proposal, true, resp->mutable_proposal());
      for (const TxSubmission& t : r->txs) {
        v1::TxSubmissionOutcome* o = resp->add_txs();
        o->set_index(t.idx);
        o->set_tx_id(std::string(t.tx_id.begin(), t.tx_id.end()));
        o->set_taken(t.status.ok());
        o->set_code(static_cast<int32_t>(t.status.code()));
        o->set_error(std::string(t.status.message()));
      }
    }
    return rpc.Done(r.status());
  }
  grpc::Status ObserveChain(grpc::ServerContext* ctx, const v1::ObserveChainRequest* req,
                            v1::ObserveChainResponse* resp) override {
    SW_RPC("ProposalService/ObserveChain");
    if (env_->chain == nullptr) return rpc.Done(NoChainSource());
    absl::StatusOr<ChainObservation> r = env_->chain->ObserveNow();
    if (r.ok()) {
      resp->set_tip_slot(r->tip.slot);
      resp->set_tip_hash(std::string(r->tip.hash.begin(), r->tip.hash.end()));
      resp->set_tip_height(r->tip.height.value_or(0));
      resp->set_watched(static_cast<uint32_t>(r->watched));
      for (const std::string& id : r->confirmed) resp->add_confirmed(id);
      for (const std::string& id : r->expired) resp->add_expired(id);
      for (const std::string& id : r->rolled_back) resp->add_rolled_back(id);
      for (const std::string& w : r->warnings) resp->add_warnings(w);
    }
    return rpc.Done(r.status());
  }

 private:
  ServiceEnv* env_;
};

absl::StatusOr<std::vector<TxWitnessSubmission>> WitnessSubmissions(
    const v1::SubmitWitnessesRequest& req) {
  std::vector<TxWitnessSubmission> subs;
  if (req.txs_size() > 1000) return absl::InvalidArgumentError("too many txs");
  for (const v1::TxWitnesses& t : req.txs()) {
    absl::StatusOr<std::optional<chain::Hash32>> id = OptionalHash32(t.tx_id(), "tx_id");
    if (!id.ok()) return id.status();
    if (!*id) return absl::InvalidArgumentError("tx_id is required");
    if (t.witnesses_size() > 1000) return absl::InvalidArgumentError("too many witnesses");
    TxWitnessSubmission s;
    s.tx_id = **id;
    for (const v1::VkeyWitness& w : t.witnesses()) {
      absl::StatusOr<chain::VkeyWitness> vw = WitnessFromProto(w);
      if (!vw.ok()) return vw.status();
      s.witnesses.push_back(*vw);
    }
    subs.push_back(std::move(s));
  }
  return subs;
}

// The signing state of a committed proposal, built once for all the replies of a witness batch:
// they share one record and the answerer thread runs them one after another. The record kept
// here pins its address, so a later one cannot be mistaken for it.
void SigningStateOnce(const std::shared_ptr<const ProposalRec>& p, v1::Proposal* out) {
  thread_local std::shared_ptr<const ProposalRec> last;
  thread_local v1::Proposal built;
  if (p != last) {
    built.Clear();
    ToProtoSigningState(*p, &built);
    last = p;
  }
  *out = built;
}

// The callback API: a submission holds no server thread while it waits for the group commit
// (with the synchronous API each waiting signer held one, and the thread hand-offs cost more CPU
// than the submission itself).
class WitnessServiceImpl final : public v1::WitnessService::CallbackService {
 public:
  explicit WitnessServiceImpl(ServiceEnv* env) : env_(env) {}

  grpc::ServerUnaryReactor* SubmitWitnesses(grpc::CallbackServerContext* ctx,
                                            const v1::SubmitWitnessesRequest* req,
                                            v1::SubmitWitnessesResponse* resp) override {
    grpc::ServerUnaryReactor* reactor = ctx->DefaultReactor();
    auto rpc = std::make_shared<Rpc>(env_, ctx, "/stakeward.v1.WitnessService/SubmitWitnesses");
    if (!rpc->allowed()) {
      reactor->Finish(rpc->Denied());
      return reactor;
    }
    absl::StatusOr<std::vector<TxWitnessSubmission>> subs = WitnessSubmissions(*req);
    if (!subs.ok()) {
      reactor->Finish(rpc->Done(subs.status()));
      return reactor;
    }
    const bool brief = req->brief();
    env_->controller->SubmitWitnessesAsync(
        rpc->who(), req->proposal_id(), *subs,
        [reactor, resp, rpc, brief](absl::StatusOr<SubmitWitnessesResult> r) {
          if (r.ok()) {
            resp->set_accepted(r->accepted);
            resp->set_duplicates(r->duplicates);
            if (brief) {
              SigningStateOnce(r->proposal, resp->mutable_proposal());
            } else {
              ToProto(*r->proposal, true, resp->mutable_proposal());
            }
          }
          reactor->Finish(rpc->Done(r.status()));
        });
    return reactor;
  }

 private:
  ServiceEnv* env_;
};

class AuditServiceImpl final : public v1::AuditService::Service {
 public:
  explicit AuditServiceImpl(ServiceEnv* env) : env_(env) {}

  grpc::Status ReadAudit(grpc::ServerContext* ctx, const v1::ReadAuditRequest* req,
                         v1::ReadAuditResponse* resp) override {
    SW_RPC("AuditService/ReadAudit");
    uint32_t limit = req->limit() == 0 ? 500 : req->limit();
    if (limit > 5000) return rpc.Done(absl::InvalidArgumentError("limit is at most 5000"));
    absl::StatusOr<std::vector<AuditRecord>> r =
        env_->controller->ReadAudit(std::max<uint64_t>(1, req->from_seq()), limit);
    if (!r.ok()) return rpc.Done(r.status());
    for (const AuditRecord& a : *r) ToProto(a, resp->add_entries());
    absl::StatusOr<StatusInfo> st = env_->controller->Status();
    if (st.ok()) resp->set_head_seq(st->audit_head.seq);
    return rpc.Done(st.status());
  }
  grpc::Status StreamAudit(grpc::ServerContext* ctx, const v1::StreamAuditRequest* req,
                           grpc::ServerWriter<v1::AuditEntry>* writer) override {
    SW_RPC("AuditService/StreamAudit");
    absl::StatusOr<StreamLimits::Lease> lease = env_->streams->Acquire(rpc.who().Actor());
    if (!lease.ok()) return rpc.Done(lease.status());
    uint64_t next = std::max<uint64_t>(1, req->from_seq());
    uint64_t gen = env_->controller->Generation();
    for (;;) {
      absl::StatusOr<std::vector<AuditRecord>> r = env_->controller->ReadAudit(next, 500);
      if (!r.ok()) return rpc.Done(r.status());
      for (const AuditRecord& a : *r) {
        v1::AuditEntry e;
        ToProto(a, &e);
        if (!writer->Write(e)) return rpc.Done(absl::CancelledError("client went away"));
        next = a.seq + 1;
      }
      if (!r->empty()) continue;
      absl::StatusOr<uint64_t> changed = AwaitChange(*env_, *ctx, *lease, gen);
      if (!changed.ok()) return rpc.Done(changed.status());
      gen = *changed;
    }
  }

 private:
  ServiceEnv* env_;
};

class StatusServiceImpl final : public v1::StatusService::Service {
 public:
  explicit StatusServiceImpl(ServiceEnv* env) : env_(env) {}

  grpc::Status GetStatus(grpc::ServerContext* ctx, const v1::GetStatusRequest*,
                         v1::GetStatusResponse* resp) override {
    SW_RPC("StatusService/GetStatus");
    absl::StatusOr<StatusInfo> r = env_->controller->Status();
    if (!r.ok()) return rpc.Done(r.status());
    resp->set_version(env_->version);
    resp->set_dev_mode(env_->controller->dev_mode());
    resp->set_policy_in_force(r->policy_in_force);
    resp->set_latest_policy(r->latest_policy);
    if (r->latest_snapshot) {
      resp->set_latest_snapshot_hash(
          std::string(r->latest_snapshot->hash.begin(), r->latest_snapshot->hash.end()));
      resp->set_latest_snapshot_slot(r->latest_snapshot->slot);
      resp->set_latest_snapshot_epoch(r->latest_snapshot->epoch);
    }
    for (const auto& [state, n] : r->proposals) {
      v1::ProposalCount* c = resp->add_proposals();
      c->set_state(static_cast<v1::ProposalState>(static_cast<int>(state)));
      c->set_count(n);
    }
    resp->set_audit_head_seq(r->audit_head.seq);
    resp->set_audit_head_hash(std::string(r->audit_head.hash.begin(), r->audit_head.hash.end()));
    resp->set_caller(rpc.who().Actor());
    return rpc.Done(absl::OkStatus());
  }

 private:
  ServiceEnv* env_;
};

v1::EpochStatus EpochStatusToProto(const std::string& s) {
  if (s == rewards::kEpochProposed) return v1::EPOCH_STATUS_PROPOSED;
  if (s == rewards::kEpochL1Confirmed) return v1::EPOCH_STATUS_L1_CONFIRMED;
  if (s == rewards::kEpochDeposited) return v1::EPOCH_STATUS_DEPOSITED;
  if (s == rewards::kEpochNoRewards) return v1::EPOCH_STATUS_NO_REWARDS;
  return v1::EPOCH_STATUS_UNSPECIFIED;
}

void DepositToProto(const rewards::DepositRecord& d, v1::L2Deposit* out) {
  // The stored states are the enum's names without their prefix.
  v1::DepositState state = v1::DEPOSIT_STATE_UNSPECIFIED;
  v1::DepositState_Parse(absl::StrCat("DEPOSIT_STATE_", d.state), &state);
  out->set_state(state);
  out->set_chain_id(d.chain_id);
  out->set_sender(d.sender);
  out->set_path(d.path);
  out->set_nonce(d.nonce);
  out->set_value_wei(d.value_wei);
  out->set_unsigned_tx(std::string(d.unsigned_tx.begin(), d.unsigned_tx.end()));
  out->set_raw_tx(std::string(d.raw_tx.begin(), d.raw_tx.end()));
  out->set_tx_hash(d.tx_hash);
  out->set_attempts(d.attempts);
  out->set_block_number(d.block_number.value_or(0));
  out->set_block_hash(d.block_hash);
  out->set_adopted(d.adopted);
  out->set_failure(d.failure);
  out->set_note(d.note);
}

void EpochToProto(const EpochView& v, bool detail, v1::EpochLedger* out) {
  const rewards::EpochRecord& r = v.record;
  out->set_epoch(r.epoch);
  out->set_status(EpochStatusToProto(r.status));
  out->set_summary(r.summary);
  out->set_total_rewards(r.total_rewards.value());
  out->set_commission(r.commission.value());
  out->set_fee(r.fee.value());
  out->set_fee_from_treasury(r.fee_from_treasury.value());
  out->set_bridged(r.bridged.value());
  out->set_carry_in(r.carry_in.value());
  out->set_carry_out(r.carry_out.value());
  out->set_staked(r.staked.value());
  out->mutable_rate()->set_numerator(r.rate.numerator);
  out->mutable_rate()->set_denominator(r.rate.denominator);
  out->mutable_rate()->set_fixed18(r.rate.fixed18);
  out->set_proposal_id(v.proposal_id);
  if (r.deposit) DepositToProto(*r.deposit, out->mutable_deposit());
  if (!detail) return;
  for (const rewards::SlotRecord& s : r.slots) {
    v1::SlotRewardLine* l = out->add_slots();
    l->set_slot(s.slot);
    l->set_reward_account(s.reward_account_hex);
    l->set_outcome(s.outcome);
    l->set_reason(s.reason);
    l->set_rewards(s.rewards.value());
    l->set_commission(s.commission.value());
    l->set_net(s.net.value());
    l->set_l1_tx_id(s.l1_tx_id);
  }
  for (const rewards::L1TxRecord& t : r.l1_txs) {
    v1::RewardL1Tx* o = out->add_l1_txs();
    o->set_index(static_cast<uint32_t>(t.index));
    o->set_tx_id(t.tx_id);
    o->set_withdrawn(t.withdrawn.value());
    o->set_commission(t.commission.value());
    o->set_fee(t.fee.value());
    o->set_fee_from_treasury(t.fee_from_treasury.value());
    o->set_bridged(t.bridged.value());
    o->set_carry_in(t.carry_in.value());
    o->set_carry_out(t.carry_out.value());
  }
}

class RewardsServiceImpl final : public v1::RewardsService::Service {
 public:
  explicit RewardsServiceImpl(ServiceEnv* env) : env_(env) {}

  grpc::Status BuildRewardProposal(grpc::ServerContext* ctx,
                                   const v1::BuildRewardProposalRequest* req,
                                   v1::BuildRewardProposalResponse* resp) override {
    SW_RPC("RewardsService/BuildRewardProposal");
    absl::StatusOr<RewardBuildResult> r = env_->controller->BuildRewardProposal(
        rpc.who(), req->epoch(), req->operator_address(), req->ttl_slots());
    if (r.ok()) {
      if (r->proposal) ToProto(*r->proposal, true, resp->mutable_proposal());
      EpochToProto(EpochView{r->epoch, r->proposal ? r->proposal->id : std::string()}, true,
                   resp->mutable_epoch());
    }
    return rpc.Done(r.status());
  }
  grpc::Status GetEpoch(grpc::ServerContext* ctx, const v1::GetEpochRequest* req,
                        v1::GetEpochResponse* resp) override {
    SW_RPC("RewardsService/GetEpoch");
    absl::StatusOr<EpochView> r = env_->controller->GetEpoch(req->epoch());
    if (r.ok()) EpochToProto(*r, true, resp->mutable_epoch());
    return rpc.Done(r.status());
  }
  grpc::Status ListEpochs(grpc::ServerContext* ctx, const v1::ListEpochsRequest* req,
                          v1::ListEpochsResponse* resp) override {
    SW_RPC("RewardsService/ListEpochs");
    absl::StatusOr<std::vector<EpochView>> r = env_->controller->ListEpochs(req->limit());
    if (r.ok()) {
      for (const EpochView& v : *r) EpochToProto(v, false, resp->add_epochs());
    }
    return rpc.Done(r.status());
  }
  grpc::Status ReserveDeposit(grpc::ServerContext* ctx, const v1::ReserveDepositRequest* req,
                              v1::ReserveDepositResponse* resp) override {
    SW_RPC("RewardsService/ReserveDeposit");
    DepositRequest d;
    d.epoch = req->epoch();
    d.operator_address = req->operator_address();
    d.nonce = req->nonce();
    d.gas_limit = req->gas_limit();
    d.max_fee_per_gas = req->max_fee_per_gas();
    d.max_priority_fee_per_gas = req->max_priority_fee_per_gas();
    d.bridge_fee_lovelace = chain::Lovelace(req->bridge_fee_lovelace());
    d.request_id = req->request_id();
    d.lease_ms = req->lease_ms();
    d.replace = req->replace();
    absl::StatusOr<DepositReserveResult> r = ReserveWithAdoption(rpc.who(), d);
    if (r.ok()) {
      switch (r->kind) {
        case rewards::DepositReservation::Kind::kReserved:
          resp->set_outcome(v1::RESERVATION_OUTCOME_RESERVED);
          break;
        case rewards::DepositReservation::Kind::kBusy:
          resp->set_outcome(v1::RESERVATION_OUTCOME_BUSY);
          break;
        case rewards::DepositReservation::Kind::kAlreadySigned:
          resp->set_outcome(v1::RESERVATION_OUTCOME_ALREADY_SIGNED);
          break;
      }
      DepositToProto(r->deposit, resp->mutable_deposit());
      resp->set_matches_request(r->matches_request);
    }
    return rpc.Done(r.status());
  }
  // With an L2 node: a deposit of the epoch the contract already shows is adopted first, so
  // nothing is signed twice; the node must answer before anything is reserved.
  absl::StatusOr<DepositReserveResult> ReserveWithAdoption(const Identity& who,
                                                           const DepositRequest& d) {
    if (env_->l2 != nullptr && !d.replace && !env_->controller->read_only()) {
      absl::StatusOr<bool> adopted = env_->l2->AdoptBeforeReserve(d.epoch, d.operator_address);
      if (!adopted.ok()) {
        if (absl::IsUnavailable(adopted.status()) || absl::IsDeadlineExceeded(adopted.status())) {
          return absl::UnavailableError(absl::StrCat(
              "the L2 node could not be asked whether epoch ", d.epoch, " is already deposited (",
              adopted.status().message(), "); nothing was reserved: retry when it answers"));
        }
        return adopted.status();
      }
    }
    return env_->controller->ReserveDeposit(who, d);
  }
  grpc::Status GetReserveReport(grpc::ServerContext* ctx, const v1::GetReserveReportRequest* req,
                                v1::GetReserveReportResponse* resp) override {
    SW_RPC("RewardsService/GetReserveReport");
    if (env_->l2 == nullptr) {
      return rpc.Done(absl::FailedPreconditionError(
          "the controller has no L2 node (config l2: or --l2-rpc): it cannot read the contract"));
    }
    absl::StatusOr<nlohmann::json> r = env_->l2->SignedReserve();
    if (r.ok()) {
      resp->set_signed_json(r->dump(2));
      resp->set_shortfall((*r)["report"]["status"] == "SHORTFALL");
      resp->set_difference_wei((*r)["report"]["difference_wei"].get<std::string>());
    }
    return rpc.Done(r.status());
  }
  grpc::Status StoreDeposit(grpc::ServerContext* ctx, const v1::StoreDepositRequest* req,
                            v1::StoreDepositResponse* resp) override {
    SW_RPC("RewardsService/StoreDeposit");
    const chain::Bytes raw(req->raw_tx().begin(), req->raw_tx().end());
    absl::StatusOr<DepositStoreResult> r =
        env_->controller->StoreDeposit(rpc.who(), req->epoch(), raw);
    if (r.ok()) {
      DepositToProto(r->deposit, resp->mutable_deposit());
      resp->set_existing(r->existing);
    }
    return rpc.Done(r.status());
  }

 private:
  ServiceEnv* env_;
};

}  // namespace

std::vector<std::unique_ptr<grpc::Service>> MakeServices(ServiceEnv* env) {
  std::vector<std::unique_ptr<grpc::Service>> out;
  out.push_back(std::make_unique<PolicyServiceImpl>(env));
  out.push_back(std::make_unique<SnapshotServiceImpl>(env));
  out.push_back(std::make_unique<PlanServiceImpl>(env));
  out.push_back(std::make_unique<ProposalServiceImpl>(env));
  out.push_back(std::make_unique<WitnessServiceImpl>(env));
  out.push_back(std::make_unique<AuditServiceImpl>(env));
  out.push_back(std::make_unique<StatusServiceImpl>(env));
  out.push_back(std::make_unique<RewardsServiceImpl>(env));
  return out;
}

}  // namespace stakeward::controller
