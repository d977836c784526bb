#include "controller/store/proposal_store.h"

#include <sodium.h>

#include <algorithm>
#include <cstdint>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace stakeward::controller {
namespace {

// A stored hash, key or signature of the wrong length is a corrupt or tampered row: DATA_LOSS,
// never silently zeros.
template <size_t N>
absl::Status ReadFixed(const chain::Bytes& b, std::array<uint8_t, N>& out, const char* what) {
  if (b.size() != N) {
    return absl::DataLossError(absl::StrCat("stored ", what, " has ", b.size(), " bytes, not ", N,
                                            ": the database is corrupt"));
  }
  std::copy(b.begin(), b.end(), out.begin());
  return absl::OkStatus();
}

constexpr char kProposalCols[] =
    "SELECT id, state, policy_version, policy_hash, snapshot_hash, plan_hash, ttl, threshold, "
    "created_by, created_us, updated_us, rejected_by, reject_reason, submitted_tx_ids, kind, "
    "reward_epoch, reward_operator, reward_carry_in, migrate_to_version, migrate_to_hash, "
    "audit_anchor_seq, audit_anchor_hash, reward_carry_from FROM proposals ";

absl::StatusOr<ProposalRec> RowToProposal(const Stmt& q) {
  ProposalRec p;
  p.id = q.Text(0);
  p.state = static_cast<ProposalState>(q.Int(1));
  p.policy_version = static_cast<uint64_t>(q.Int(2));
  if (absl::Status s = ReadFixed(q.Blob(3), p.policy_hash, "policy hash"); !s.ok()) return s;
  if (absl::Status s = ReadFixed(q.Blob(4), p.snapshot_hash, "snapshot hash"); !s.ok()) return s;
  if (absl::Status s = ReadFixed(q.Blob(5), p.plan_hash, "plan hash"); !s.ok()) return s;
  p.ttl = static_cast<uint64_t>(q.Int(6));
  p.threshold = static_cast<uint32_t>(q.Int(7));
  p.created_by = q.Text(8);
  p.created_us = q.Int(9);
  p.updated_us = q.Int(10);
  p.rejected_by = q.Text(11);
  p.reject_reason = q.Text(12);
  for (absl::string_view h : absl::StrSplit(q.Text(13), ',', absl::SkipEmpty())) {
    absl::StatusOr<chain::Hash32> id =
        chain::HexDecodeFixed<32>(std::string_view(h.data(), h.size()));
    if (id.ok()) p.submitted_tx_ids.push_back(*id);
  }
  switch (q.Int(14)) {
    case static_cast<int64_t>(ProposalKind::kReward):
      p.kind = ProposalKind::kReward;
      break;
    case static_cast<int64_t>(ProposalKind::kMigrate):
      p.kind = ProposalKind::kMigrate;
      break;
    default:
      p.kind = ProposalKind::kRebalance;
  }
  p.reward_epoch = static_cast<uint64_t>(q.Int(15));
  p.reward_operator = q.Text(16);
  p.reward_carry_in = q.Money(17);
  p.migrate_to_version = static_cast<uint64_t>(q.Int(18));
  p.reward_carry_from = q.Text(22);
  p.audit_anchor.seq = static_cast<uint64_t>(q.Int(20));
  if (p.audit_anchor.seq != 0) {
    if (absl::Status s = ReadFixed(q.Blob(21), p.audit_anchor.hash, "audit anchor"); !s.ok()) {
      return s;
    }
  }
  if (p.kind == ProposalKind::kMigrate) {
    if (absl::Status s = ReadFixed(q.Blob(19), p.migrate_to_hash, "incoming policy hash");
        !s.ok()) {
      return s;
    }
  }
  return p;
}

// Every column of every transaction row, decoded.
absl::StatusOr<std::vector<ProposalTxRec>> LoadTxsFull(Db& db, const std::string& id) {
  absl::StatusOr<Stmt> q = db.Prepare(
      "SELECT idx, unsigned_tx, tx_id, fee, scripts, required_signers, signed_tx "
      "FROM proposal_txs WHERE proposal_id = ? ORDER BY idx");
  if (!q.ok()) return q.status();
  q->Bind(1, id);
  std::vector<ProposalTxRec> out;
  for (;;) {
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    ProposalTxRec t;
    t.idx = static_cast<uint32_t>(q->Int(0));
    t.unsigned_tx = q->Blob(1);
    if (absl::Status s = ReadFixed(q->Blob(2), t.tx_id, "transaction id"); !s.ok()) return s;
    t.fee = q->Money(3);
    absl::StatusOr<std::vector<chain::NativeScript>> scripts = ScriptsFromJson(q->Text(4));
    if (!scripts.ok()) return scripts.status();
    t.scripts = std::move(*scripts);
    absl::StatusOr<std::vector<RequiredSignerRec>> req = RequiredSignersFromJson(q->Text(5));
    if (!req.ok()) return req.status();
    t.required = std::move(*req);
    if (!q->IsNull(6)) t.signed_tx = q->Blob(6);
    absl::StatusOr<chain::Transaction> decoded =
        chain::DecodeTransaction(chain::View(t.unsigned_tx));
    if (!decoded.ok()) return absl::DataLossError("stored transaction does not decode");
    t.inputs = decoded->body.inputs;
    out.push_back(std::move(t));
  }
  return out;
}

// The cached decoded rows when the stored rows still match them (same positions, same ids),
// with the signed forms read fresh; nullopt on a miss.
absl::StatusOr<std::optional<std::vector<ProposalTxRec>>> LoadTxsCached(
    Db& db, const std::string& id, const ProposalTxCache::Txs& cached) {
  absl::StatusOr<Stmt> q = db.Prepare(
      "SELECT idx, tx_id, signed_tx FROM proposal_txs WHERE proposal_id = ? ORDER BY idx");
  if (!q.ok()) return q.status();
  q->Bind(1, id);
  std::vector<ProposalTxRec> out;
  for (size_t i = 0;; ++i) {
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return out.size() == cached.size() ? std::optional(std::move(out)) : std::nullopt;
    chain::Hash32 tx_id;
    if (absl::Status s = ReadFixed(q->Blob(1), tx_id, "transaction id"); !s.ok()) return s;
    if (i >= cached.size() || cached[i].idx != static_cast<uint32_t>(q->Int(0)) ||
        cached[i].tx_id != tx_id) {
      return std::nullopt;
    }
    out.push_back(cached[i]);
    if (!q->IsNull(2)) out.back().signed_tx = q->Blob(2);
  }
}

absl::StatusOr<std::vector<ProposalTxRec>> LoadTxs(Db& db, const std::string& id,
                                                   ProposalTxCache* cache) {
  if (cache != nullptr) {
    if (std::shared_ptr<const ProposalTxCache::Txs> hit = cache->Find(id)) {
      absl::StatusOr<std::optional<std::vector<ProposalTxRec>>> txs = LoadTxsCached(db, id, *hit);
      if (!txs.ok()) return txs.status();
      if (txs->has_value()) return std::move(**txs);
    }
  }
  absl::StatusOr<std::vector<ProposalTxRec>> txs = LoadTxsFull(db, id);
  if (!txs.ok() || cache == nullptr) return txs;
  auto keep = std::make_shared<ProposalTxCache::Txs>(*txs);
  for (ProposalTxRec& t : *keep) t.signed_tx.clear();
  cache->Put(id, std::move(keep));
  return txs;
}

}  // namespace

std::shared_ptr<const ProposalTxCache::Txs> ProposalTxCache::Find(const std::string& id) {
  absl::MutexLock l(&mu_);
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : it->second;
}

void ProposalTxCache::Put(const std::string& id, std::shared_ptr<const Txs> txs) {
  absl::MutexLock l(&mu_);
  // Open proposals are few; when the bound is reached any entry may go (a miss only costs a
  // decode).
  if (entries_.size() >= kMaxEntries && !entries_.contains(id)) entries_.erase(entries_.begin());
  entries_[id] = std::move(txs);
}

absl::Status InsertProposal(Db& db, const ProposalRec& p) {
  absl::StatusOr<Stmt> ins = db.Prepare(
      "INSERT INTO proposals(id, state, policy_version, policy_hash, snapshot_hash, plan_hash, "
      "ttl, threshold, created_by, created_us, updated_us, kind, reward_epoch, reward_operator, "
      "reward_carry_in, migrate_to_version, migrate_to_hash, audit_anchor_seq, audit_anchor_hash, "
      "reward_carry_from) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!ins.ok()) return ins.status();
  ins->Bind(1, p.id).Bind(2, static_cast<int64_t>(p.state));
  ins->Bind(3, static_cast<int64_t>(p.policy_version)).BindBlob(4, chain::View(p.policy_hash));
  ins->BindBlob(5, chain::View(p.snapshot_hash)).BindBlob(6, chain::View(p.plan_hash));
  ins->Bind(7, static_cast<int64_t>(p.ttl)).Bind(8, static_cast<int64_t>(p.threshold));
  ins->Bind(9, p.created_by).Bind(10, p.created_us).Bind(11, p.updated_us);
  if (p.reward_epoch > static_cast<uint64_t>(INT64_MAX) ||
      p.reward_carry_in.value() > static_cast<uint64_t>(INT64_MAX)) {
    return absl::InvalidArgumentError("reward epoch or carry out of range");
  }
  ins->Bind(12, static_cast<int64_t>(p.kind)).Bind(13, static_cast<int64_t>(p.reward_epoch));
  ins->Bind(14, p.reward_operator).Bind(15, p.reward_carry_in);
  ins->Bind(16, static_cast<int64_t>(p.migrate_to_version));
  ins->BindBlob(17, chain::View(p.migrate_to_hash));
  ins->Bind(18, static_cast<int64_t>(p.audit_anchor.seq));
  ins->BindBlob(19, chain::View(p.audit_anchor.hash));
  ins->Bind(20, p.reward_carry_from);
  if (absl::Status s = ins->Run(); !s.ok()) {
    if (absl::IsAlreadyExists(s)) return absl::AlreadyExistsError("proposal id already exists");
    return s;
  }
  for (const ProposalTxRec& t : p.txs) {
    absl::StatusOr<Stmt> tx = db.Prepare(
        "INSERT INTO proposal_txs(proposal_id, idx, unsigned_tx, tx_id, fee, scripts, "
        "required_signers) VALUES (?,?,?,?,?,?,?)");
    if (!tx.ok()) return tx.status();
    tx->Bind(1, p.id).Bind(2, static_cast<int64_t>(t.idx)).BindBlob(3, chain::View(t.unsigned_tx));
    tx->BindBlob(4, chain::View(t.tx_id)).Bind(5, t.fee);
    tx->Bind(6, ScriptsToJson(t.scripts)).Bind(7, RequiredSignersToJson(t.required));
    if (absl::Status s = tx->Run(); !s.ok()) return s;
    for (const chain::TxIn& in : t.inputs) {
      absl::StatusOr<Stmt> spent =
          db.Prepare("SELECT proposal_id FROM spent_inputs WHERE tx_id = ? AND out_index = ?");
      if (!spent.ok()) return spent.status();
      spent->BindBlob(1, chain::View(in.tx_id)).Bind(2, static_cast<int64_t>(in.index));
      absl::StatusOr<bool> hit = spent->Step();
      if (!hit.ok()) return hit.status();
      if (*hit) {
        return absl::FailedPreconditionError(
            absl::StrCat("input ", chain::HexEncode(in.tx_id), "#", in.index,
                         " was spent by proposal ", spent->Text(0).substr(0, 64),
                         " (submitted): the snapshot is older than that "
                         "proposal; push a snapshot taken after it"));
      }
      absl::StatusOr<Stmt> r =
          db.Prepare("INSERT INTO reserved_inputs(tx_id, out_index, proposal_id) VALUES (?,?,?)");
      if (!r.ok()) return r.status();
      r->BindBlob(1, chain::View(in.tx_id)).Bind(2, static_cast<int64_t>(in.index)).Bind(3, p.id);
      if (absl::Status s = r->Run(); !s.ok()) {
        if (absl::IsAlreadyExists(s)) {
          return absl::FailedPreconditionError(
              absl::StrCat("input ", chain::HexEncode(in.tx_id), "#", in.index,
                           " is already spent by another open proposal"));
        }
        return s;
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<ProposalRec> LoadProposal(Db& db, const std::string& id, bool with_txs,
                                         ProposalTxCache* cache) {
  // Ids reach errors and logs: anything not shaped like ours is refused without echoing it
  // (a 100 kB id once overflowed the gRPC trailer).
  if (!IsProposalIdShape(id)) {
    return absl::InvalidArgumentError(
        "a proposal id is 1 to 64 letters, digits, '-' or '_' (as `proposal list` prints them)");
  }
  ProposalRec p;
  {
    absl::StatusOr<Stmt> q = db.Prepare(std::string(kProposalCols) + "WHERE id = ?");
    if (!q.ok()) return q.status();
    q->Bind(1, id);
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::NotFoundError(absl::StrCat("no proposal '", id, "'"));
    absl::StatusOr<ProposalRec> r = RowToProposal(*q);
    if (!r.ok()) return r.status();
    p = std::move(*r);
  }
  if (!with_txs) return p;
  absl::StatusOr<std::vector<ProposalTxRec>> txs = LoadTxs(db, id, cache);
  if (!txs.ok()) return txs.status();
  p.txs = std::move(*txs);
  {
    absl::StatusOr<Stmt> q = db.Prepare(
        "SELECT tx_idx, signer, vkey, signature FROM witnesses WHERE proposal_id = ? "
        "ORDER BY tx_idx, rowid");  // as recorded (the witness batch keeps this order too)
    if (!q.ok()) return q.status();
    q->Bind(1, id);
    for (;;) {
      absl::StatusOr<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      WitnessRec w;
      w.tx_idx = static_cast<uint32_t>(q->Int(0));
      w.signer = q->Text(1);
      if (absl::Status s = ReadFixed(q->Blob(2), w.witness.vkey, "witness key"); !s.ok()) return s;
      if (absl::Status s = ReadFixed(q->Blob(3), w.witness.signature, "witness signature");
          !s.ok()) {
        return s;
      }
      p.witnesses.push_back(std::move(w));
    }
  }
  return p;
}

absl::StatusOr<std::vector<ProposalRec>> ListProposalRows(Db& db,
                                                          std::optional<ProposalState> state,
                                                          const std::string& after_id,
                                                          uint32_t limit) {
  std::string sql = std::string(kProposalCols) + "WHERE id > ?";
  if (state) sql += " AND state = ?";
  sql += " ORDER BY id LIMIT ?";
  absl::StatusOr<Stmt> q = db.Prepare(sql);
  if (!q.ok()) return q.status();
  int i = 1;
  q->Bind(i++, after_id);
  if (state) q->Bind(i++, static_cast<int64_t>(*state));
  q->Bind(i++, static_cast<int64_t>(limit));
  std::vector<ProposalRec> out;
  for (;;) {
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    absl::StatusOr<ProposalRec> r = RowToProposal(*q);
    if (!r.ok()) return r.status();
    out.push_back(std::move(*r));
  }
  return out;
}

absl::Status UpdateProposalState(Db& db, const ProposalRec& p, ProposalState to, int64_t now_us) {
  absl::StatusOr<Stmt> u =
      db.Prepare("UPDATE proposals SET state = ?, updated_us = ? WHERE id = ?");
  if (!u.ok()) return u.status();
  u->Bind(1, static_cast<int64_t>(to)).Bind(2, now_us).Bind(3, p.id);
  if (absl::Status s = u->Run(); !s.ok()) return s;
  if (to == ProposalState::kSubmitted) {
    absl::StatusOr<Stmt> s = db.Prepare(
        "INSERT OR IGNORE INTO spent_inputs(tx_id, out_index, proposal_id) "
        "SELECT tx_id, out_index, proposal_id FROM reserved_inputs WHERE proposal_id = ?");
    if (!s.ok()) return s.status();
    s->Bind(1, p.id);
    if (absl::Status st = s->Run(); !st.ok()) return st;
  }
  if (p.state == ProposalState::kSubmitted && to == ProposalState::kExpired) {
    // Expired on the chain's evidence: none of its transactions applied, its inputs are unspent.
    absl::StatusOr<Stmt> d = db.Prepare("DELETE FROM spent_inputs WHERE proposal_id = ?");
    if (!d.ok()) return d.status();
    d->Bind(1, p.id);
    if (absl::Status s = d->Run(); !s.ok()) return s;
  }
  if (HoldsInputs(p.state) && !HoldsInputs(to)) {
    absl::StatusOr<Stmt> d = db.Prepare("DELETE FROM reserved_inputs WHERE proposal_id = ?");
    if (!d.ok()) return d.status();
    d->Bind(1, p.id);
    if (absl::Status s = d->Run(); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status SetRejection(Db& db, const std::string& id, const std::string& by,
                          const std::string& reason) {
  absl::StatusOr<Stmt> u =
      db.Prepare("UPDATE proposals SET rejected_by = ?, reject_reason = ? WHERE id = ?");
  if (!u.ok()) return u.status();
  u->Bind(1, by).Bind(2, reason).Bind(3, id);
  return u->Run();
}

absl::Status SetSubmittedTxIds(Db& db, const std::string& id,
                               const std::vector<chain::Hash32>& ids) {
  std::vector<std::string> hex;
  for (const auto& h : ids) hex.push_back(chain::HexEncode(h));
  absl::StatusOr<Stmt> u = db.Prepare("UPDATE proposals SET submitted_tx_ids = ? WHERE id = ?");
  if (!u.ok()) return u.status();
  u->Bind(1, absl::StrJoin(hex, ",")).Bind(2, id);
  return u->Run();
}

absl::Status SetSignedTx(Db& db, const std::string& id, uint32_t idx, chain::ByteView signed_tx) {
  absl::StatusOr<Stmt> u =
      db.Prepare("UPDATE proposal_txs SET signed_tx = ? WHERE proposal_id = ? AND idx = ?");
  if (!u.ok()) return u.status();
  u->BindBlob(1, signed_tx).Bind(2, id).Bind(3, static_cast<int64_t>(idx));
  return u->Run();
}

absl::StatusOr<bool> InsertWitness(Db& db, const std::string& proposal_id, const WitnessRec& w,
                                   int64_t now_us) {
  absl::StatusOr<Stmt> ins = db.Prepare(
      "INSERT OR IGNORE INTO witnesses(proposal_id, tx_idx, signer, vkey, signature, recorded_us) "
      "VALUES (?,?,?,?,?,?)");
  if (!ins.ok()) return ins.status();
  ins->Bind(1, proposal_id).Bind(2, static_cast<int64_t>(w.tx_idx)).Bind(3, w.signer);
  ins->BindBlob(4, chain::View(w.witness.vkey)).BindBlob(5, chain::View(w.witness.signature));
  ins->Bind(6, now_us);
  if (absl::Status s = ins->Run(); !s.ok()) return s;
  return db.Changes() > 0;
}

absl::StatusOr<std::vector<OpenProposalInputs>> LoadOpenProposalInputs(Db& db) {
  std::map<std::string, OpenProposalInputs> by_id;
  {
    absl::StatusOr<Stmt> q =
        db.Prepare("SELECT id, state, ttl FROM proposals WHERE state IN (1, 2, 6)");
    if (!q.ok()) return q.status();
    for (;;) {
      absl::StatusOr<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      OpenProposalInputs o;
      o.id = q->Text(0);
      o.state = static_cast<ProposalState>(q->Int(1));
      o.ttl = static_cast<uint64_t>(q->Int(2));
      by_id[o.id] = std::move(o);
    }
  }
  // Inputs chained from an earlier transaction of the same proposal are not in any snapshot
  // until that transaction is on chain: only outside inputs can be superseded.
  absl::StatusOr<Stmt> q = db.Prepare(
      "SELECT r.proposal_id, r.tx_id, r.out_index FROM reserved_inputs r WHERE NOT EXISTS ("
      "SELECT 1 FROM proposal_txs t WHERE t.proposal_id = r.proposal_id AND t.tx_id = r.tx_id)");
  if (!q.ok()) return q.status();
  for (;;) {
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    auto it = by_id.find(q->Text(0));
    if (it == by_id.end()) continue;
    chain::TxIn in{{}, static_cast<uint32_t>(q->Int(2))};
    if (absl::Status s = ReadFixed(q->Blob(1), in.tx_id, "reserved input"); !s.ok()) return s;
    it->second.inputs.push_back(in);
  }
  std::vector<OpenProposalInputs> out;
  for (auto& [id, o] : by_id) out.push_back(std::move(o));
  return out;
}

absl::StatusOr<std::vector<std::pair<ProposalState, uint64_t>>> CountProposalsByState(Db& db) {
  absl::StatusOr<Stmt> q =
      db.Prepare("SELECT state, COUNT(*) FROM proposals GROUP BY state ORDER BY state");
  if (!q.ok()) return q.status();
  std::vector<std::pair<ProposalState, uint64_t>> out;
  for (;;) {
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.emplace_back(static_cast<ProposalState>(q->Int(0)), static_cast<uint64_t>(q->Int(1)));
  }
  return out;
}

}  // namespace stakeward::controller
