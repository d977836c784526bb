// Controller: witness submissions with group commit. Signatures are checked on the thread that
// received the submission, outside the store lock; the committer thread then commits whatever is
// queued in one transaction (one fsync), each submission with its own audit entry, and the
// answerer thread answers every caller only after the commit that holds its witnesses, while
// the next batch commits. No gRPC thread waits on the disk.
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "controller/daemon/controller.h"
#include "controller/model/witness_check.h"
#include "controller/store/proposal_store.h"

namespace stakeward::controller {
namespace {

// Transactions are immutable once a proposal exists; this guards that assumption.
bool SameTransactions(const ProposalTxCache::Txs& a, const ProposalRec& b) {
  if (a.size() != b.txs.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].tx_id != b.txs[i].tx_id || a[i].idx != b.txs[i].idx) return false;
  }
  return true;
}

using KeySet = std::set<std::pair<uint32_t, chain::Hash28>>;

// Proposals kept between witness batches (open ones are few; a miss costs one read).
constexpr size_t kMaxWitnessView = 64;

}  // namespace

struct Controller::WitnessItem {
  Identity who;
  std::string proposal_id;
  std::shared_ptr<const ProposalTxCache::Txs> first;  // what the signatures were checked against
  std::vector<WitnessRec> verified;
  SubmitWitnessesResult result;
  absl::Status status;  // set by the commit
  WitnessDone done;
};

absl::StatusOr<std::shared_ptr<const ProposalTxCache::Txs>> Controller::FirstRead(
    const std::string& proposal_id) {
  // Only the transactions are needed here, and they never change: the cached decoded form serves
  // without the store lock (shared, not copied). The batch re-reads under the lock and compares
  // the transaction ids.
  if (IsProposalIdShape(proposal_id)) {
    if (std::shared_ptr<const ProposalTxCache::Txs> txs = tx_cache_.Find(proposal_id)) return txs;
  }
  absl::StatusOr<ProposalRec> p;
  {
    absl::MutexLock l(&mu_);
    p = LoadProposal(*db_, proposal_id, true, &tx_cache_);
  }
  if (!p.ok()) return p.status();
  return std::make_shared<const ProposalTxCache::Txs>(std::move(p->txs));
}

void Controller::SubmitWitnessesAsync(const Identity& who, const std::string& proposal_id,
                                      const std::vector<TxWitnessSubmission>& txs,
                                      WitnessDone done) {
  auto item = std::make_unique<WitnessItem>();
  item->who = who;
  item->proposal_id = proposal_id;
  if (absl::Status s = PrepareWitnessItem(*item, txs); !s.ok()) {
    done(s);
    return;
  }
  item->done = std::move(done);
  witness_committer_.Add(std::move(item));
}

absl::Status Controller::PrepareWitnessItem(WitnessItem& item,
                                            const std::vector<TxWitnessSubmission>& txs) {
  if (item.who.kind != RoleKind::kSigner) {
    return absl::PermissionDeniedError("only signers submit witnesses");
  }
  if (txs.empty()) return absl::InvalidArgumentError("no witnesses");
  // The signature checks run outside the store lock on a first read of the proposal: its
  // transactions never change once created, so a witness that verifies against them now still
  // does when the batch re-reads the proposal.
  absl::StatusOr<std::shared_ptr<const ProposalTxCache::Txs>> first = FirstRead(item.proposal_id);
  if (!first.ok()) return first.status();
  item.first = std::move(*first);
  std::map<chain::Hash32, const ProposalTxRec*> by_id;
  for (const ProposalTxRec& t : *item.first) by_id[t.tx_id] = &t;
  // Validate everything first: a bad witness refuses the whole call, nothing is stored.
  KeySet seen_now;
  for (const TxWitnessSubmission& s : txs) {
    auto it = by_id.find(s.tx_id);
    if (it == by_id.end()) {
      return absl::InvalidArgumentError(absl::StrCat("transaction ", chain::HexEncode(s.tx_id),
                                                     " is not part of proposal ",
                                                     item.proposal_id));
    }
    if (s.witnesses.empty()) return absl::InvalidArgumentError("empty witness list");
    const ProposalTxRec& tx = *it->second;
    for (const chain::VkeyWitness& w : s.witnesses) {
      if (absl::Status st = CheckWitness(tx, item.who.name, w, &verified_sigs_); !st.ok()) {
        return st;
      }
      if (!seen_now.insert({tx.idx, chain::KeyHash(w.vkey)}).second) {
        ++item.result.duplicates;
        continue;
      }
      item.verified.push_back(WitnessRec{tx.idx, item.who.name, w});
    }
  }
  return absl::OkStatus();
}

Controller::Controller(ControllerOptions options, std::unique_ptr<Db> db)
    : options_(std::move(options)),
      db_(std::move(db)),
      witness_committer_([this](std::vector<std::unique_ptr<WitnessItem>> batch) {
        CommitQueued(std::move(batch));
      }),
      witness_answerer_(&Controller::AnswerCommitted) {}

Controller::~Controller() {
  witness_committer_.Stop();  // what it commits goes to the answerer, stopped after it
  witness_answerer_.Stop();
}

void Controller::CommitQueued(std::vector<std::unique_ptr<WitnessItem>> owned) {
  std::vector<WitnessItem*> batch;
  for (auto& it : owned) batch.push_back(it.get());
  {
    absl::MutexLock l(&mu_);
    CommitWitnessBatch(batch);
  }
  // Answers go out after the commit, outside the store lock, while the next batch commits.
  witness_answerer_.Add(std::move(owned));
}

void Controller::AnswerCommitted(std::vector<std::unique_ptr<WitnessItem>> batch) {
  for (auto& it : batch) {
    if (it->status.ok()) {
      it->done(std::move(it->result));
    } else {
      it->done(it->status);
    }
  }
}

void Controller::CommitWitnessBatch(const std::vector<WitnessItem*>& batch) {
  std::map<std::string, ProposalRec> current;
  const absl::Status commit = CommitWitnessItems(batch, current);
  bool changed = false;
  for (WitnessItem* it : batch) {
    if (!commit.ok() && it->status.ok()) it->status = commit;  // nothing of the batch is stored
    changed = changed || (it->status.ok() && it->result.accepted > 0);
  }
  if (changed) Bump();
  if (!commit.ok()) return;
  if (witness_view_.proposals.size() > kMaxWitnessView) witness_view_.proposals.clear();
  // Each reply carries its proposal as committed: the batch's own view of it, which is what a
  // re-read would return, shared by the batch's replies and kept for the next batch.
  for (auto& [id, p] : current) {
    witness_view_.proposals[id] = std::make_shared<const ProposalRec>(std::move(p));
  }
  for (WitnessItem* it : batch) {
    if (it->status.ok()) it->result.proposal = witness_view_.proposals.at(it->proposal_id);
  }
}

absl::StatusOr<ProposalRec> Controller::WitnessBatchRead(const std::string& id) {
  auto it = witness_view_.proposals.find(id);
  if (it != witness_view_.proposals.end()) return *it->second;
  return LoadProposal(*db_, id, true, &tx_cache_);
}

absl::Status Controller::CommitWitnessItems(const std::vector<WitnessItem*>& batch,
                                            std::map<std::string, ProposalRec>& current) {
  absl::StatusOr<std::unique_ptr<Txn>> txn = Txn::Begin(*db_);
  if (!txn.ok()) return txn.status();
  // Inside the transaction nobody else commits, so the stamp holds until this one commits.
  absl::StatusOr<Db::ChangeStamp> before = db_->Stamp();
  if (!before.ok()) return before.status();
  if (!(*before == witness_view_.stamp)) witness_view_.proposals.clear();  // stale: re-read
  for (WitnessItem* it : batch) {
    auto pos = current.find(it->proposal_id);
    if (pos == current.end()) {
      absl::StatusOr<ProposalRec> p = WitnessBatchRead(it->proposal_id);
      if (!p.ok()) {
        it->status = p.status();
        continue;
      }
      pos = current.emplace(it->proposal_id, std::move(*p)).first;
    }
    it->status = ApplyWitnesses(*it, pos->second);
  }
  const absl::Status commit = (*txn)->Commit();
  // This connection's own commit leaves data_version as it was.
  witness_view_.stamp =
      commit.ok() ? Db::ChangeStamp{db_->TotalChanges(), before->others} : Db::ChangeStamp{};
  if (!commit.ok()) witness_view_.proposals.clear();
  return commit;
}

absl::Status Controller::ApplyWitnesses(WitnessItem& item, ProposalRec& p) {
  if (!SameTransactions(*item.first, p)) {
    return absl::AbortedError("the proposal's transactions changed while checking; retry");
  }
  // Stored witnesses by transaction and public key (the same key has the same hash; comparing
  // the keys spares a hash per stored witness). A scan: a submission brings one or a few.
  auto stored = [&p](const WitnessRec& w) {
    return std::any_of(p.witnesses.begin(), p.witnesses.end(), [&w](const WitnessRec& s) {
      return s.tx_idx == w.tx_idx && s.witness.vkey == w.witness.vkey;
    });
  };
  std::vector<WitnessRec> fresh;
  for (WitnessRec& w : item.verified) {
    if (stored(w)) {
      ++item.result.duplicates;
      continue;
    }
    fresh.push_back(std::move(w));
  }
  if (!fresh.empty() && p.state != ProposalState::kOpen) {
    return absl::FailedPreconditionError(absl::StrCat("proposal ", p.id, " is ",
                                                      std::string(ProposalStateName(p.state)),
                                                      "; it takes no witnesses"));
  }
  if (fresh.empty()) return absl::OkStatus();
  // A savepoint: a failure here undoes this submission alone, not the rest of the batch.
  absl::StatusOr<std::unique_ptr<Txn>> sp = Txn::Begin(*db_);
  if (!sp.ok()) return sp.status();
  nlohmann::json keys = nlohmann::json::array();
  std::vector<WitnessRec> all = p.witnesses;
  for (const WitnessRec& w : fresh) {
    absl::StatusOr<bool> ins = InsertWitness(*db_, p.id, w, Now());
    if (!ins.ok()) return ins.status();
    if (*ins) ++item.result.accepted;
    keys.push_back({{"tx", w.tx_idx},
                    {"vkey", chain::HexEncode(w.witness.vkey)},
                    {"signature", chain::HexEncode(w.witness.signature)}});
    // In the order LoadProposal reads them back (by transaction, then as recorded), so the
    // batch's view equals a re-read.
    all.insert(std::upper_bound(all.begin(), all.end(), w.tx_idx,
                                [](uint32_t idx, const WitnessRec& s) { return idx < s.tx_idx; }),
               w);
  }
  absl::StatusOr<AuditRecord> a =
      AppendAudit(*db_, Now(), item.who.Actor(), "witness.add", absl::StrCat("proposal:", p.id),
                  {{"witnesses", keys}});
  if (!a.ok()) return a.status();
  // Ready when the fully signed signers of every transaction satisfy all its scripts (M of the
  // policy's signers; for MIGRATE also M' of the incoming ones).
  bool ready = true;
  for (const ProposalTxRec& t : p.txs) ready = ready && !ChooseSigners(t, all).empty();
  std::vector<chain::Bytes> signed_txs;
  const int64_t ready_us = Now();
  if (ready) {
    nlohmann::json ids = nlohmann::json::array();
    for (const ProposalTxRec& t : p.txs) {
      absl::StatusOr<chain::Bytes> signed_tx = AssembleSignedTx(t, all, &verified_sigs_);
      if (!signed_tx.ok()) return signed_tx.status();
      if (absl::Status s = SetSignedTx(*db_, p.id, t.idx, chain::View(*signed_tx)); !s.ok()) {
        return s;
      }
      signed_txs.push_back(std::move(*signed_tx));
      ids.push_back(chain::HexEncode(t.tx_id));
    }
    if (absl::Status s = UpdateProposalState(*db_, p, ProposalState::kReady, ready_us); !s.ok()) {
      return s;
    }
    absl::StatusOr<AuditRecord> r =
        AppendAudit(*db_, Now(), "system", "proposal.ready", absl::StrCat("proposal:", p.id),
                    {{"from", "open"}, {"to", "ready"}, {"tx_ids", ids}});
    if (!r.ok()) return r.status();
  }
  if (absl::Status s = (*sp)->Commit(); !s.ok()) return s;
  // Only now does the batch's view of the proposal change (the next item sees these witnesses).
  p.witnesses = std::move(all);
  if (ready) {
    for (size_t i = 0; i < p.txs.size(); ++i) p.txs[i].signed_tx = std::move(signed_txs[i]);
    p.state = ProposalState::kReady;
    p.updated_us = ready_us;
  }
  return absl::OkStatus();
}

}  // namespace stakeward::controller
