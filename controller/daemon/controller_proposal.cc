// Controller: proposal reads, lifecycle transitions, witnesses and exports.
#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "chain/text_envelope.h"
#include "controller/daemon/controller.h"
#include "controller/model/witness_check.h"
#include "controller/store/proposal_store.h"

namespace stakeward::controller {
namespace {

bool IsSignerOf(const ProposalRec& p, const std::string& name) {
  for (const ProposalTxRec& t : p.txs) {
    for (const RequiredSignerRec& r : t.required) {
      if (r.signer == name) return true;
    }
  }
  return false;
}

absl::Status CheckSameTxIds(const ProposalRec& p, const std::vector<chain::Hash32>& ids) {
  std::set<chain::Hash32> want, got(ids.begin(), ids.end());
  for (const ProposalTxRec& t : p.txs) want.insert(t.tx_id);
  if (want != got || got.size() != ids.size()) {
    return absl::InvalidArgumentError("tx_ids must be exactly the proposal's transaction ids");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ProposalRec> Controller::GetProposal(const std::string& id) {
  absl::MutexLock l(&mu_);
  return LoadProposal(*db_, id, true, &tx_cache_);
}

absl::StatusOr<std::pair<std::vector<ProposalRec>, std::string>> Controller::ListProposals(
    std::optional<ProposalState> state, uint32_t page_size, const std::string& page_token) {
  if (page_size == 0) page_size = 100;
  if (page_size > 1000) return absl::InvalidArgumentError("page_size is at most 1000");
  if (page_token.size() > 200) return absl::InvalidArgumentError("bad page_token");
  absl::MutexLock l(&mu_);
  absl::StatusOr<std::vector<ProposalRec>> rows =
      ListProposalRows(*db_, state, page_token, page_size + 1);
  if (!rows.ok()) return rows.status();
  std::string next;
  if (rows->size() > page_size) {
    rows->resize(page_size);
    next = rows->back().id;
  }
  return std::make_pair(std::move(*rows), next);
}

absl::StatusOr<ProposalRec> Controller::Transition(
    const std::string& actor, const std::string& id, std::initializer_list<ProposalState> from,
    ProposalState to, const std::string& action,
    const std::function<absl::Status(ProposalRec&)>& extra, const nlohmann::json& more) {
  absl::MutexLock l(&mu_);
  absl::StatusOr<ProposalRec> p = LoadProposal(*db_, id, true, &tx_cache_);
  if (!p.ok()) return p.status();
  if (p->state == to) return *p;  // idempotent retry
  if (std::find(from.begin(), from.end(), p->state) == from.end()) {
    return absl::FailedPreconditionError(
        absl::StrCat("proposal ", id, " is ", std::string(ProposalStateName(p->state)),
                     ", cannot become ", std::string(ProposalStateName(to))));
  }
  absl::StatusOr<std::unique_ptr<Txn>> txn = Txn::Begin(*db_);
  if (!txn.ok()) return txn.status();
  if (absl::Status s = extra(*p); !s.ok()) return s;
  if (absl::Status s = UpdateProposalState(*db_, *p, to, Now()); !s.ok()) return s;
  nlohmann::json details = {{"from", ProposalStateName(p->state)},
                            {"to", ProposalStateName(to)},
                            {"reason", p->reject_reason}};
  for (const auto& [k, v] : more.items()) details[k] = v;
  absl::StatusOr<AuditRecord> a =
      AppendAudit(*db_, Now(), actor, action, absl::StrCat("proposal:", id), details);
  if (!a.ok()) return a.status();
  if (absl::Status s = (*txn)->Commit(); !s.ok()) return s;
  Bump();
  return LoadProposal(*db_, id, true, &tx_cache_);
}

absl::StatusOr<ProposalRec> Controller::RejectProposal(const Identity& who, const std::string& id,
                                                       const std::string& reason) {
  if (who.kind != RoleKind::kSigner) return absl::PermissionDeniedError("only signers reject");
  if (reason.empty() || reason.size() > 1000) {
    return absl::InvalidArgumentError("a reason of 1 to 1000 characters is required");
  }
  return Transition(who.Actor(), id, {ProposalState::kOpen, ProposalState::kReady},
                    ProposalState::kRejected, "proposal.reject",
                    [&](ProposalRec& p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
                      if (!IsSignerOf(p, who.name)) {
                        return absl::PermissionDeniedError(
                            absl::StrCat(who.name, " is not a signer of proposal ", id));
                      }
                      p.reject_reason = reason;
                      return SetRejection(*db_, id, who.name, reason);
                    });
}

absl::StatusOr<ProposalRec> Controller::MarkSubmitted(const Identity& who, const std::string& id,
                                                      const std::vector<chain::Hash32>& tx_ids) {
  return Transition(who.Actor(), id, {ProposalState::kReady}, ProposalState::kSubmitted,
                    "proposal.submitted", [&](ProposalRec& p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
                      if (absl::Status s = CheckSameTxIds(p, tx_ids); !s.ok()) return s;
                      return SetSubmittedTxIds(*db_, id, tx_ids);
                    });
}

absl::StatusOr<ProposalRec> Controller::MarkConfirmed(const Identity& who, const std::string& id,
                                                      const std::vector<chain::Hash32>& tx_ids,
                                                      uint64_t slot) {
  // An operator's word, not the chain's: the audit entry says so and carries what was claimed.
  nlohmann::json ids = nlohmann::json::array();
  for (const chain::Hash32& t : tx_ids) ids.push_back(chain::HexEncode(t));
  nlohmann::json claim = {{"by", "operator"}, {"tx_ids", ids}};
  if (slot != 0) claim["slot"] = slot;
  absl::StatusOr<ProposalRec> r = Transition(
      who.Actor(), id, {ProposalState::kSubmitted}, ProposalState::kConfirmed, "proposal.confirmed",
      [&](ProposalRec& p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        if (absl::Status s = CheckSameTxIds(p, tx_ids); !s.ok()) return s;
        // The epoch's L1 confirmation commits with the proposal's.
        if (p.kind != ProposalKind::kReward) return absl::OkStatus();
        return RecordRewardConfirmed(who.Actor(), p);
      },
      {{"override", claim}});
  if (!r.ok() || r->kind != ProposalKind::kReward) return r;
  // A database written before both shared one transaction may hold a confirmed proposal whose
  // epoch is still PROPOSED: a retry repairs it (a no-op otherwise).
  if (absl::Status s = OnRewardConfirmed(who.Actor(), *r); !s.ok()) return s;
  return r;
}

absl::StatusOr<std::vector<ExportFile>> Controller::ExportProposal(const std::string& id) {
  absl::StatusOr<ProposalRec> p = GetProposal(id);
  if (!p.ok()) return p.status();
  if (p->state != ProposalState::kReady && p->state != ProposalState::kSubmitted &&
      p->state != ProposalState::kConfirmed) {
    return absl::FailedPreconditionError(absl::StrCat(
        "proposal ", id, " is ", std::string(ProposalStateName(p->state)), ", not ready"));
  }
  std::vector<ExportFile> out;
  for (const ProposalTxRec& t : p->txs) {
    // Re-verify before anything leaves the controller.
    if (absl::Status s = VerifySignedTx(chain::View(t.signed_tx), t.scripts); !s.ok()) {
      return absl::DataLossError(
          absl::StrCat("stored signed transaction ", t.idx, " fails verification: ", s.message()));
    }
    chain::TextEnvelope te{std::string(chain::kTeWitnessedTx), "Ledger Cddl Format", t.signed_tx};
    out.push_back({absl::StrCat(id, "-", t.idx, ".signed.json"), chain::WriteTextEnvelope(te)});
  }
  return out;
}

}  // namespace stakeward::controller
