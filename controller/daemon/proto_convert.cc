#include "controller/daemon/proto_convert.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "controller/daemon/json_log.h"
#include "controller/model/witness_check.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace stakeward::controller {
namespace {

template <typename C>
std::string Str(const C& c) {
  return std::string(c.begin(), c.end());
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& s) {
  if (s.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(static_cast<int>(s.code()));
  std::string message(s.message());
  if (s.code() == absl::StatusCode::kInternal || s.code() == absl::StatusCode::kDataLoss ||
      s.code() == absl::StatusCode::kUnknown) {
    // Internal diagnostics stay in the log; the client gets a generic message.
    LogJson("error", "internal error", {{"status", s.ToString()}});
    message = "internal error (see the controller log)";
  }
  // Rich error model: google.rpc.Status with an ErrorInfo naming the code, in the
  // grpc-status-details-bin trailer, so clients can branch on `reason` without parsing text.
  google::rpc::ErrorInfo info;
  info.set_reason(absl::StatusCodeToString(s.code()));
  info.set_domain("stakeward.v1");
  google::rpc::Status rich;
  rich.set_code(static_cast<int>(code));
  rich.set_message(message);
  rich.add_details()->PackFrom(info);
  return grpc::Status(code, message, rich.SerializeAsString());
}

void ToProto(const PolicyVersionRec& r, v1::PolicyVersion* out) {
  out->set_version(r.version);
  out->set_document(r.document);
  out->set_hash(Str(r.hash));
  out->set_approvals_required(r.threshold);
  out->set_in_force(r.in_force);
  out->set_proposed_by(r.proposed_by);
  out->set_created_at_us(r.created_us);
  for (const PolicyApprovalRec& a : r.approvals) {
    v1::PolicyApproval* p = out->add_approvals();
    p->set_signer(a.signer);
    p->set_public_key(Str(a.public_key));
    p->set_signature(Str(a.signature));
    p->set_recorded_at_us(a.recorded_us);
  }
}

void ToProto(const SnapshotRec& r, v1::SnapshotInfo* out) {
  out->set_hash(Str(r.hash));
  out->set_epoch(r.epoch);
  out->set_slot(r.slot);
  out->set_pool_count(r.pool_count);
  out->set_pushed_at_us(r.pushed_us);
  out->set_pushed_by(r.pushed_by);
}

void ToProto(const ProposalRec& r, bool with_txs, v1::Proposal* out) {
  out->set_id(r.id);
  out->set_state(static_cast<v1::ProposalState>(static_cast<int>(r.state)));
  out->set_policy_version(r.policy_version);
  out->set_policy_hash(Str(r.policy_hash));
  out->set_snapshot_hash(Str(r.snapshot_hash));
  out->set_plan_hash(Str(r.plan_hash));
  out->set_ttl(r.ttl);
  out->set_threshold(r.threshold);
  out->set_created_by(r.created_by);
  out->set_created_at_us(r.created_us);
  out->set_updated_at_us(r.updated_us);
  out->set_kind(static_cast<v1::ProposalKind>(static_cast<int>(r.kind)));
  if (r.kind == ProposalKind::kReward) {
    out->mutable_reward()->set_epoch(r.reward_epoch);
    out->mutable_reward()->set_operator_address(r.reward_operator);
    out->mutable_reward()->set_carry_in(r.reward_carry_in.value());
    out->mutable_reward()->set_carry_from(r.reward_carry_from);
  }
  if (r.audit_anchor.seq != 0) {
    out->mutable_audit_anchor()->set_seq(r.audit_anchor.seq);
    out->mutable_audit_anchor()->set_hash(Str(r.audit_anchor.hash));
  }
  if (r.kind == ProposalKind::kMigrate) {
    out->mutable_migrate()->set_to_version(r.migrate_to_version);
    out->mutable_migrate()->set_to_policy_hash(Str(r.migrate_to_hash));
  }
  out->set_rejected_by(r.rejected_by);
  out->set_reject_reason(r.reject_reason);
  for (const auto& h : r.submitted_tx_ids) out->add_submitted_tx_ids(Str(h));
  if (!with_txs) return;
  for (const ProposalTxRec& t : r.txs) {
    v1::ProposalTx* pt = out->add_txs();
    pt->set_index(t.idx);
    pt->set_unsigned_tx(Str(t.unsigned_tx));
    pt->set_tx_id(Str(t.tx_id));
    pt->set_fee(t.fee.value());
    for (const auto& s : t.scripts) pt->add_native_scripts(Str(chain::EncodeNativeScript(s)));
    for (const RequiredSignerRec& rs : t.required) {
      v1::RequiredSigner* q = pt->add_required_signers();
      q->set_signer(rs.signer);
      for (const SignerKeyRec& k : rs.keys) {
        v1::SignerKey* key = q->add_keys();
        key->set_key_hash(Str(k.key_hash));
        key->set_path(k.path);
      }
    }
    for (const WitnessRec& w : r.witnesses) {
      if (w.tx_idx != t.idx) continue;
      v1::VkeyWitness* pw = pt->add_witnesses();
      pw->set_vkey(Str(w.witness.vkey));
      pw->set_signature(Str(w.witness.signature));
    }
    for (const std::string& s : FullySignedSigners(t, r.witnesses)) pt->add_signed_by(s);
    pt->set_signed_tx(Str(t.signed_tx));
  }
}

void ToProtoSigningState(const ProposalRec& r, v1::Proposal* out) {
  ToProto(r, false, out);
  for (const ProposalTxRec& t : r.txs) {
    v1::ProposalTx* pt = out->add_txs();
    pt->set_index(t.idx);
    pt->set_tx_id(Str(t.tx_id));
    pt->set_fee(t.fee.value());
    for (const std::string& s : FullySignedSigners(t, r.witnesses)) pt->add_signed_by(s);
  }
}

void ToProto(const AuditRecord& r, v1::AuditEntry* out) {
  out->set_seq(r.seq);
  out->set_time_us(r.time_us);
  out->set_actor(r.actor);
  out->set_action(r.action);
  out->set_subject(r.subject);
  out->set_details(r.details);
  out->set_prev_hash(Str(r.prev_hash));
  out->set_hash(Str(r.hash));
}

absl::StatusOr<std::optional<chain::Hash32>> OptionalHash32(const std::string& bytes,
                                                            const char* field) {
  if (bytes.empty()) return std::optional<chain::Hash32>();
  if (bytes.size() != 32) {
    return absl::InvalidArgumentError(absl::StrCat(field, " must be 32 bytes"));
  }
  chain::Hash32 h;
  std::copy(bytes.begin(), bytes.end(), h.begin());
  return std::optional<chain::Hash32>(h);
}

absl::StatusOr<chain::VkeyWitness> WitnessFromProto(const v1::VkeyWitness& w) {
  if (w.vkey().size() != 32 || w.signature().size() != 64) {
    return absl::InvalidArgumentError("a witness needs a 32-byte vkey and a 64-byte signature");
  }
  chain::VkeyWitness out;
  std::copy(w.vkey().begin(), w.vkey().end(), out.vkey.begin());
  std::copy(w.signature().begin(), w.signature().end(), out.signature.begin());
  return out;
}

}  // namespace stakeward::controller
