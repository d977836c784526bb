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

// Transactions are immutable once a proposal exists; this guards that assumption.
bool SameTransactions(const ProposalRec& a, const ProposalRec& b) {
  if (a.txs.size() != b.txs.size()) return false;
  for (size_t i = 0; i < a.txs.size(); ++i) {
    if (a.txs[i].tx_id != b.txs[i].tx_id || a.txs[i].idx != b.txs[i].idx) return false;
  }
  return true;
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
  return LoadProposal(*db_, id);
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
  absl::StatusOr<ProposalRec> p = LoadProposal(*db_, id);
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
  return LoadProposal(*db_, id);
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

absl::StatusOr<SubmitWitnessesResult> Controller::SubmitWitnesses(
    const Identity& who, const std::string& proposal_id,
    const std::vector<TxWitnessSubmission>& txs) {
  if (who.kind != RoleKind::kSigner) {
    return absl::PermissionDeniedError("only signers submit witnesses");
  }
  if (txs.empty()) return absl::InvalidArgumentError("no witnesses");
  // The signature checks run outside the store lock on a first read of the proposal: its
  // transactions never change once created, so a witness that verifies against them now still
  // does after the second read below.
  absl::StatusOr<ProposalRec> first = [&]() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock l(&mu_);
    return LoadProposal(*db_, proposal_id);
  }();
  if (!first.ok()) return first.status();
  std::map<chain::Hash32, const ProposalTxRec*> by_id;
  for (const ProposalTxRec& t : first->txs) by_id[t.tx_id] = &t;
  // Validate everything first: a bad witness refuses the whole call, nothing is stored.
  SubmitWitnessesResult result;
  std::vector<WitnessRec> verified;
  std::set<std::pair<uint32_t, chain::Hash28>> seen_now;
  for (const TxWitnessSubmission& s : txs) {
    auto it = by_id.find(s.tx_id);
    if (it == by_id.end()) {
      return absl::InvalidArgumentError(absl::StrCat("transaction ", chain::HexEncode(s.tx_id),
                                                     " is not part of proposal ", proposal_id));
    }
    if (s.witnesses.empty()) return absl::InvalidArgumentError("empty witness list");
    const ProposalTxRec& tx = *it->second;
    for (const chain::VkeyWitness& w : s.witnesses) {
      if (absl::Status st = CheckWitness(tx, who.name, w); !st.ok()) return st;
      if (!seen_now.insert({tx.idx, chain::KeyHash(w.vkey)}).second) {
        ++result.duplicates;
        continue;
      }
      verified.push_back(WitnessRec{tx.idx, who.name, w});
    }
  }

  absl::MutexLock l(&mu_);
  absl::StatusOr<ProposalRec> p = LoadProposal(*db_, proposal_id);
  if (!p.ok()) return p.status();
  if (!SameTransactions(*first, *p)) {
    return absl::AbortedError("the proposal's transactions changed while checking; retry");
  }
  std::set<std::pair<uint32_t, chain::Hash28>> stored;
  for (const WitnessRec& w : p->witnesses) {
    stored.insert({w.tx_idx, chain::KeyHash(w.witness.vkey)});
  }
  std::vector<WitnessRec> fresh;
  for (WitnessRec& w : verified) {
    if (stored.count({w.tx_idx, chain::KeyHash(w.witness.vkey)}) > 0) {
      ++result.duplicates;
      continue;
    }
    fresh.push_back(std::move(w));
  }
  if (!fresh.empty() && p->state != ProposalState::kOpen) {
    return absl::FailedPreconditionError(absl::StrCat("proposal ", proposal_id, " is ",
                                                      std::string(ProposalStateName(p->state)),
                                                      "; it takes no witnesses"));
  }
  if (fresh.empty()) {
    result.proposal = std::move(*p);
    return result;
  }
  absl::StatusOr<std::unique_ptr<Txn>> txn = Txn::Begin(*db_);
  if (!txn.ok()) return txn.status();
  nlohmann::json keys = nlohmann::json::array();
  for (const WitnessRec& w : fresh) {
    absl::StatusOr<bool> ins = InsertWitness(*db_, proposal_id, w, Now());
    if (!ins.ok()) return ins.status();
    if (*ins) ++result.accepted;
    keys.push_back({{"tx", w.tx_idx},
                    {"vkey", chain::HexEncode(w.witness.vkey)},
                    {"signature", chain::HexEncode(w.witness.signature)}});
    p->witnesses.push_back(w);
  }
  absl::StatusOr<AuditRecord> a =
      AppendAudit(*db_, Now(), who.Actor(), "witness.add", absl::StrCat("proposal:", proposal_id),
                  {{"witnesses", keys}});
  if (!a.ok()) return a.status();
  // Ready when the fully signed signers of every transaction satisfy all its scripts (M of the
  // policy's signers; for MIGRATE also M' of the incoming ones).
  bool ready = true;
  for (const ProposalTxRec& t : p->txs) ready = ready && !ChooseSigners(t, p->witnesses).empty();
  if (ready) {
    nlohmann::json ids = nlohmann::json::array();
    for (const ProposalTxRec& t : p->txs) {
      absl::StatusOr<chain::Bytes> signed_tx = AssembleSignedTx(t, p->witnesses);
      if (!signed_tx.ok()) return signed_tx.status();
      if (absl::Status s = SetSignedTx(*db_, proposal_id, t.idx, chain::View(*signed_tx));
          !s.ok()) {
        return s;
      }
      ids.push_back(chain::HexEncode(t.tx_id));
    }
    if (absl::Status s = UpdateProposalState(*db_, *p, ProposalState::kReady, Now()); !s.ok()) {
      return s;
    }
    absl::StatusOr<AuditRecord> r =
        AppendAudit(*db_, Now(), "system", "proposal.ready", absl::StrCat("proposal:", proposal_id),
                    {{"from", "open"}, {"to", "ready"}, {"tx_ids", ids}});
    if (!r.ok()) return r.status();
  }
  if (absl::Status s = (*txn)->Commit(); !s.ok()) return s;
  Bump();
  absl::StatusOr<ProposalRec> after = LoadProposal(*db_, proposal_id);
  if (!after.ok()) return after.status();
  result.proposal = std::move(*after);
  return result;
}

}  // namespace stakeward::controller
