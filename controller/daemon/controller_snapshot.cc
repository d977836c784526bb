// Controller: snapshots, and the expiry and supersession they cause.
#include <set>

#include "absl/strings/str_cat.h"
#include "controller/daemon/controller.h"
#include "controller/daemon/parsed_cache.h"
#include "controller/store/proposal_store.h"

namespace stakeward::controller {
namespace {

std::set<chain::TxIn> SnapshotInputs(const policy::Snapshot& s) {
  std::set<chain::TxIn> out;
  for (const policy::Utxo& u : s.treasury) out.insert(chain::TxIn{u.tx, u.index});
  for (const policy::SlotState& slot : s.slots) {
    for (const policy::Utxo& u : slot.utxos) out.insert(chain::TxIn{u.tx, u.index});
  }
  return out;
}

}  // namespace

absl::StatusOr<SnapshotRec> Controller::LoadSnapshotRow(std::optional<chain::Hash32> hash,
                                                        bool with_document) {
  // The columns after `document` sit behind its overflow pages: without the document, only the
  // hash is read.
  const std::string sql =
      absl::StrCat("SELECT hash",
                   with_document ? ", document, epoch, slot, pool_count, pushed_by, pushed_us" : "",
                   " FROM snapshots ", hash ? "WHERE hash = ?" : "ORDER BY seq DESC LIMIT 1");
  absl::StatusOr<Stmt> q = db_->Prepare(sql);
  if (!q.ok()) return q.status();
  if (hash) q->BindBlob(1, chain::View(*hash));
  absl::StatusOr<bool> row = q->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return absl::NotFoundError(hash ? absl::StrCat("no snapshot ", chain::HexEncode(*hash))
                                    : std::string("no snapshot has been pushed"));
  }
  SnapshotRec r;
  chain::Bytes h = q->Blob(0);
  if (h.size() != 32) {
    return absl::DataLossError("a stored snapshot hash is not 32 bytes: the database is corrupt");
  }
  std::copy(h.begin(), h.end(), r.hash.begin());
  if (!with_document) return r;
  r.document = q->Text(1);
  r.epoch = static_cast<uint64_t>(q->Int(2));
  r.slot = static_cast<uint64_t>(q->Int(3));
  r.pool_count = static_cast<uint32_t>(q->Int(4));
  r.pushed_by = q->Text(5);
  r.pushed_us = q->Int(6);
  return r;
}

absl::StatusOr<SnapshotRec> Controller::GetSnapshot(std::optional<chain::Hash32> hash) {
  absl::MutexLock l(&mu_);
  return LoadSnapshotRow(hash);
}

absl::StatusOr<PushSnapshotResult> Controller::PushSnapshot(const Identity& who,
                                                            const std::string& document) {
  if (document.size() > (64u << 20)) return absl::InvalidArgumentError("snapshot too large");
  absl::StatusOr<policy::Snapshot> snap = policy::LoadSnapshot(document);
  if (!snap.ok()) return snap.status();
  const chain::Hash32 hash = policy::SnapshotHash(*snap);
  absl::MutexLock l(&mu_);
  PushSnapshotResult result;
  absl::StatusOr<SnapshotRec> existing = LoadSnapshotRow(hash);
  if (existing.ok()) {
    result.snapshot = std::move(*existing);
    return result;
  }
  if (!absl::IsNotFound(existing.status())) return existing.status();
  absl::StatusOr<SnapshotRec> latest = LoadSnapshotRow(std::nullopt);
  if (latest.ok() && snap->slot < latest->slot) {
    return absl::FailedPreconditionError(absl::StrCat("snapshot slot ", snap->slot,
                                                      " is older than the latest snapshot (slot ",
                                                      latest->slot, ")"));
  }
  absl::StatusOr<std::unique_ptr<Txn>> txn = Txn::Begin(*db_);
  if (!txn.ok()) return txn.status();
  absl::StatusOr<Stmt> ins = db_->Prepare(
      "INSERT INTO snapshots(hash, document, epoch, slot, pool_count, pushed_by, pushed_us) "
      "VALUES (?,?,?,?,?,?,?)");
  if (!ins.ok()) return ins.status();
  ins->BindBlob(1, chain::View(hash)).Bind(2, document);
  ins->Bind(3, static_cast<int64_t>(snap->epoch)).Bind(4, static_cast<int64_t>(snap->slot));
  ins->Bind(5, static_cast<int64_t>(snap->pools.size())).Bind(6, who.Actor()).Bind(7, Now());
  if (absl::Status s = ins->Run(); !s.ok()) return s;
  absl::StatusOr<AuditRecord> a = AppendAudit(*db_, Now(), who.Actor(), "snapshot.push",
                                              absl::StrCat("snapshot:", chain::HexEncode(hash)),
                                              {{"hash", chain::HexEncode(hash)},
                                               {"epoch", snap->epoch},
                                               {"slot", snap->slot},
                                               {"pools", snap->pools.size()}});
  if (!a.ok()) return a.status();

  // Expire proposals past their TTL; supersede those whose inputs the snapshot no longer holds.
  const std::set<chain::TxIn> live = SnapshotInputs(*snap);
  absl::StatusOr<std::vector<OpenProposalInputs>> open = LoadOpenProposalInputs(*db_);
  if (!open.ok()) return open.status();
  for (const OpenProposalInputs& o : *open) {
    if (o.state == ProposalState::kSubmitted) continue;  // spent on purpose; confirm instead
    std::optional<ProposalState> to;
    std::string why;
    if (snap->slot >= o.ttl) {
      to = ProposalState::kExpired;
      why = absl::StrCat("snapshot slot ", snap->slot, " reached the TTL ", o.ttl);
    } else {
      for (const chain::TxIn& in : o.inputs) {
        if (live.count(in) == 0) {
          to = ProposalState::kSuperseded;
          why = absl::StrCat("input ", chain::HexEncode(in.tx_id), "#", in.index,
                             " is no longer unspent");
          break;
        }
      }
    }
    if (!to) continue;
    ProposalRec p;
    p.id = o.id;
    p.state = o.state;
    if (absl::Status s = UpdateProposalState(*db_, p, *to, Now()); !s.ok()) return s;
    absl::StatusOr<AuditRecord> e =
        AppendAudit(*db_, Now(), who.Actor(),
                    *to == ProposalState::kExpired ? "proposal.expire" : "proposal.supersede",
                    absl::StrCat("proposal:", o.id),
                    {{"from", ProposalStateName(o.state)},
                     {"to", ProposalStateName(*to)},
                     {"reason", why},
                     {"snapshot", chain::HexEncode(hash)}});
    if (!e.ok()) return e.status();
    (*to == ProposalState::kExpired ? result.expired : result.superseded).push_back(o.id);
  }
  if (absl::Status s = (*txn)->Commit(); !s.ok()) return s;
  Bump();
  result.created = true;
  // The next plan over this snapshot (the usual next call) need not parse it again.
  ParsedCache::Global().PutSnapshot(hash,
                                    std::make_shared<const policy::Snapshot>(std::move(*snap)));
  absl::StatusOr<SnapshotRec> stored = LoadSnapshotRow(hash);
  if (!stored.ok()) return stored.status();
  result.snapshot = std::move(*stored);
  return result;
}

}  // namespace stakeward::controller
