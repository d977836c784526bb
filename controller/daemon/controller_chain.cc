// Controller: following the chain. Submission goes through a chain source; a proposal becomes
// CONFIRMED only on the chain's evidence (every transaction k blocks deep), EXPIRED when its TTL
// passed with none of its transactions on chain, and goes back to SUBMITTED when a rollback
// returns its inputs. Chain calls run outside the store lock.
#include <algorithm>
#include <cstdint>
#include <map>

#include "absl/strings/str_cat.h"
#include "chain/tx.h"
#include "controller/daemon/controller.h"
#include "controller/store/proposal_store.h"

namespace stakeward::controller {
namespace {

constexpr char kChainActor[] = "chain";

nlohmann::json TipJson(const chainsource::Tip& tip) {
  nlohmann::json j = {{"slot", tip.slot}, {"hash", chain::HexEncode(tip.hash)}};
  if (tip.height) j["height"] = *tip.height;
  return j;
}

nlohmann::json OutcomesJson(const std::vector<TxSubmission>& txs) {
  nlohmann::json out = nlohmann::json::array();
  for (const TxSubmission& t : txs) {
    nlohmann::json row = {
        {"tx", t.idx}, {"id", chain::HexEncode(t.tx_id)}, {"taken", t.status.ok()}};
    if (!t.status.ok()) row["error"] = std::string(t.status.message());
    out.push_back(std::move(row));
  }
  return out;
}

TxSubmission SubmitOne(const ProposalTxRec& t, chainsource::ChainSource& source,
                       absl::Duration deadline) {
  TxSubmission sub{t.idx, t.tx_id, absl::OkStatus()};
  if (t.signed_tx.empty()) {
    sub.status = absl::DataLossError(
        absl::StrCat("transaction ", t.idx, " has no signed form although the proposal is ready"));
    return sub;
  }
  absl::StatusOr<chain::Hash32> got = source.SubmitTransaction(chain::View(t.signed_tx), deadline);
  if (!got.ok()) {
    sub.status = got.status();
  } else if (*got != t.tx_id) {
    sub.status = absl::DataLossError(absl::StrCat(
        "the chain source reports transaction id ", chain::HexEncode(*got), " for transaction ",
        t.idx, " whose id is ", chain::HexEncode(t.tx_id), "; do not trust this chain source"));
  }
  return sub;
}

// A proposal an operator moved between the read and the change: left as it is, reported.
std::string MovedMeanwhile(const std::string& id, const absl::Status& why) {
  return absl::StrCat("proposal ", id, " changed while the chain was read (", why.message(),
                      "); left as it is");
}

// What one look found for one proposal's transactions.
struct Verdict {
  bool all_deep = true;  // every transaction on chain and deep enough
  bool any_on_chain = false;
  bool any_inputs_back = false;  // some transaction's inputs are all unspent
  uint64_t shallowest = UINT64_MAX;
};

Verdict Judge(const ProposalRec& p, const std::map<chain::Hash32, chainsource::TxSighting>& seen,
              const chainsource::Tip& tip, const ChainRules& rules, ChainMemory& memory,
              std::vector<std::string>& warnings) {
  Verdict v;
  for (const ProposalTxRec& t : p.txs) {
    const chainsource::TxSighting& s = seen.at(t.tx_id);
    v.any_inputs_back = v.any_inputs_back || s.inputs_unspent;
    if (!s.on_chain) {
      v.all_deep = false;
      if (memory.first_seen_height.erase(t.tx_id) > 0) {
        warnings.push_back(absl::StrCat("transaction ", chain::HexEncode(t.tx_id), " of proposal ",
                                        p.id, " left the chain (rollback); counting again"));
      }
      continue;
    }
    v.any_on_chain = true;
    uint64_t depth = 0;
    if (s.confirmations) {
      depth = *s.confirmations;
    } else if (tip.height) {
      const uint64_t first = memory.first_seen_height.emplace(t.tx_id, *tip.height).first->second;
      depth = *tip.height >= first ? *tip.height - first + 1 : 0;
    } else {
      warnings.push_back("the chain source gives no block height: confirmations cannot be counted");
    }
    v.shallowest = std::min(v.shallowest, depth);
    v.all_deep = v.all_deep && depth >= rules.confirmations;
  }
  return v;
}

}  // namespace

absl::StatusOr<SubmitProposalResult> Controller::SubmitProposal(const Identity& who,
                                                                const std::string& id,
                                                                chainsource::ChainSource& source,
                                                                absl::Duration deadline) {
  if (who.kind != RoleKind::kOperator) {
    return absl::PermissionDeniedError("only operators submit proposals");
  }
  absl::StatusOr<ProposalRec> p = [&]() ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock l(&mu_);
    return LoadProposal(*db_, id, true, &tx_cache_);
  }();
  if (!p.ok()) return p.status();
  if (p->state != ProposalState::kReady && p->state != ProposalState::kSubmitted) {
    return absl::FailedPreconditionError(
        absl::StrCat("proposal ", id, " is ", std::string(ProposalStateName(p->state)),
                     "; only a ready (fully signed) or already submitted proposal is submitted"));
  }
  SubmitProposalResult result;
  absl::Status first_refusal;
  for (const ProposalTxRec& t : p->txs) {
    result.txs.push_back(SubmitOne(t, source, deadline));
    if (!result.txs.back().status.ok() && first_refusal.ok()) {
      first_refusal = result.txs.back().status;
    }
  }
  const bool any_taken = std::any_of(result.txs.begin(), result.txs.end(),
                                     [](const TxSubmission& t) { return t.status.ok(); });
  if (!any_taken) {
    return absl::Status(first_refusal.code(),
                        absl::StrCat("the chain source took no transaction of ", id, ": ",
                                     first_refusal.message()));
  }
  const nlohmann::json more = {{"via", source.Describe()},
                               {"submissions", OutcomesJson(result.txs)}};
  if (p->state == ProposalState::kReady) {
    std::vector<chain::Hash32> ids;
    for (const ProposalTxRec& t : p->txs) ids.push_back(t.tx_id);
    absl::StatusOr<ProposalRec> r = Transition(
        who.Actor(), id, {ProposalState::kReady}, ProposalState::kSubmitted, "proposal.submitted",
        [&](ProposalRec&)
            ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return SetSubmittedTxIds(*db_, id, ids); },
        more);
    if (!r.ok()) return r.status();
    result.proposal = std::move(*r);
    return result;
  }
  // A re-submission (e.g. after a node restart dropped the mempool): audited, no state change.
  absl::MutexLock l(&mu_);
  absl::StatusOr<std::unique_ptr<Txn>> txn = Txn::Begin(*db_);
  if (!txn.ok()) return txn.status();
  absl::StatusOr<AuditRecord> a = AppendAudit(*db_, Now(), who.Actor(), "proposal.resubmitted",
                                              absl::StrCat("proposal:", id), more);
  if (!a.ok()) return a.status();
  if (absl::Status s = (*txn)->Commit(); !s.ok()) return s;
  Bump();
  absl::StatusOr<ProposalRec> after = LoadProposal(*db_, id, true, &tx_cache_);
  if (!after.ok()) return after.status();
  result.proposal = std::move(*after);
  return result;
}

absl::StatusOr<std::vector<ProposalRec>> Controller::WatchedProposals(const ChainMemory& memory) {
  absl::MutexLock l(&mu_);
  std::vector<ProposalRec> out;
  std::string after;
  for (;;) {
    absl::StatusOr<std::vector<ProposalRec>> page =
        ListProposalRows(*db_, ProposalState::kSubmitted, after, 500);
    if (!page.ok()) return page.status();
    if (page->empty()) break;
    after = page->back().id;
    for (const ProposalRec& row : *page) {
      absl::StatusOr<ProposalRec> full = LoadProposal(*db_, row.id, true, &tx_cache_);
      if (!full.ok()) return full.status();
      out.push_back(std::move(*full));
    }
  }
  for (const auto& [id, height] : memory.confirmed_at_height) {
    absl::StatusOr<ProposalRec> full = LoadProposal(*db_, id, true, &tx_cache_);
    if (!full.ok()) return full.status();
    if (full->state == ProposalState::kConfirmed) out.push_back(std::move(*full));
  }
  return out;
}

absl::StatusOr<ChainObservation> Controller::ObserveChain(chainsource::ChainSource& source,
                                                          const ChainRules& rules,
                                                          ChainMemory& memory) {
  ChainObservation obs;
  absl::StatusOr<chainsource::Tip> tip = source.QueryTip(rules.deadline);
  if (!tip.ok()) return tip.status();
  obs.tip = *tip;
  absl::StatusOr<std::vector<ProposalRec>> watched = WatchedProposals(memory);
  if (!watched.ok()) return watched.status();
  obs.watched = watched->size();
  std::vector<chainsource::WatchedTx> look;
  for (const ProposalRec& p : *watched) {
    for (const ProposalTxRec& t : p.txs) {
      absl::StatusOr<chain::Transaction> tx = chain::DecodeTransaction(chain::View(t.unsigned_tx));
      if (!tx.ok()) return absl::DataLossError("a stored transaction does not decode");
      look.push_back({t.tx_id, static_cast<uint32_t>(tx->body.outputs.size()), t.inputs});
    }
  }
  if (look.empty()) return obs;
  absl::StatusOr<std::vector<chainsource::TxSighting>> sightings =
      source.ObserveTransactions(look, rules.deadline);
  if (!sightings.ok()) return sightings.status();
  if (sightings->size() != look.size()) {
    return absl::InvalidArgumentError(
        "the chain source answered for a different set of transactions");
  }
  std::map<chain::Hash32, chainsource::TxSighting> seen;
  for (const chainsource::TxSighting& s : *sightings) seen[s.id] = s;
  // Chain data is untrusted: an answer must name exactly the transactions asked about.
  for (const chainsource::WatchedTx& w : look) {
    if (seen.count(w.id) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("the chain source did not answer for transaction ", chain::HexEncode(w.id),
                       "; nothing was changed"));
    }
  }
  for (const ProposalRec& p : *watched) {
    const Verdict v = Judge(p, seen, obs.tip, rules, memory, obs.warnings);
    const nlohmann::json evidence = {{"evidence",
                                      {{"tip", TipJson(obs.tip)},
                                       {"via", source.Describe()},
                                       {"depth", v.shallowest == UINT64_MAX ? 0 : v.shallowest},
                                       {"confirmations_required", rules.confirmations}}}};
    auto no_extra = [](ProposalRec&) { return absl::OkStatus(); };
    if (p.state == ProposalState::kSubmitted && v.all_deep) {
      absl::StatusOr<ProposalRec> r = Transition(
          kChainActor, p.id, {ProposalState::kSubmitted}, ProposalState::kConfirmed,
          "proposal.confirmed",
          [&](ProposalRec& q) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
            // The epoch's L1 confirmation commits with the proposal's.
            if (q.kind != ProposalKind::kReward) return absl::OkStatus();
            return RecordRewardConfirmed(kChainActor, q);
          },
          evidence);
      if (!r.ok() && !absl::IsFailedPrecondition(r.status())) return r.status();
      if (!r.ok()) {
        obs.warnings.push_back(MovedMeanwhile(p.id, r.status()));
        continue;
      }
      if (obs.tip.height) memory.confirmed_at_height[p.id] = *obs.tip.height;
      for (const ProposalTxRec& t : p.txs) memory.first_seen_height.erase(t.tx_id);
      obs.confirmed.push_back(p.id);
    } else if (p.state == ProposalState::kSubmitted && obs.tip.slot >= p.ttl) {
      // Valid only before its TTL slot: what is not on chain by now never will be.
      if (v.any_on_chain) {
        obs.warnings.push_back(
            absl::StrCat("proposal ", p.id,
                         " passed its TTL with only some of its transactions on chain: it is "
                         "partly applied; push a fresh snapshot and plan again"));
        continue;
      }
      absl::StatusOr<ProposalRec> r =
          Transition(kChainActor, p.id, {ProposalState::kSubmitted}, ProposalState::kExpired,
                     "proposal.expired", no_extra, evidence);
      if (!r.ok() && !absl::IsFailedPrecondition(r.status())) return r.status();
      if (!r.ok()) {
        obs.warnings.push_back(MovedMeanwhile(p.id, r.status()));
        continue;
      }
      obs.expired.push_back(p.id);
    } else if (p.state == ProposalState::kConfirmed) {
      const uint64_t at = memory.confirmed_at_height[p.id];
      if (obs.tip.height && *obs.tip.height >= at + rules.rollback_window_blocks) {
        memory.confirmed_at_height.erase(p.id);  // final
      } else if (v.any_inputs_back && p.kind == ProposalKind::kReward) {
        obs.warnings.push_back(
            absl::StrCat("reward proposal ", p.id,
                         " was rolled back after its epoch was confirmed on L1; "
                         "check the epoch's deposit before anything else moves"));
      } else if (v.any_inputs_back) {
        absl::StatusOr<ProposalRec> r =
            Transition(kChainActor, p.id, {ProposalState::kConfirmed}, ProposalState::kSubmitted,
                       "proposal.rolled_back", no_extra, evidence);
        if (!r.ok() && !absl::IsFailedPrecondition(r.status())) return r.status();
        if (!r.ok()) {
          obs.warnings.push_back(MovedMeanwhile(p.id, r.status()));
          continue;
        }
        memory.confirmed_at_height.erase(p.id);
        obs.rolled_back.push_back(p.id);
      }
    }
  }
  return obs;
}

}  // namespace stakeward::controller
