// Controller: opening the store, change notification, audit reads and status.
#include <chrono>

#include "absl/strings/str_cat.h"
#include "controller/daemon/controller.h"
#include "controller/store/audit_replay.h"
#include "controller/store/proposal_store.h"
#include "controller/store/schema.h"

namespace stakeward::controller {

absl::StatusOr<std::unique_ptr<Controller>> Controller::Open(ControllerOptions options) {
  if (!options.clock) {
    options.clock = [] {
      return std::chrono::duration_cast<std::chrono::microseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
  }
  if (options.forensics) return OpenForensics(std::move(options));
  absl::StatusOr<std::unique_ptr<Db>> db = Db::Open(options.db_path);
  if (!db.ok()) return db.status();
  if (absl::Status s = MigrateSchema(**db); !s.ok()) return s;
  // A database whose audit chain does not verify was tampered with or corrupted: refuse to serve
  // it (inspect it offline with `stakeward audit verify --db`).
  absl::StatusOr<std::vector<AuditRecord>> log = ReadAllAudit(**db);
  if (!log.ok()) return log.status();
  const AuditVerdict v = VerifyAuditRecords(*log);
  if (!v.ok) {
    return absl::DataLossError(absl::StrCat(
        "the audit log fails verification at entry ", v.first_bad_seq, ": ", v.reason,
        "; refusing to serve this database (inspect it with `stakeward audit verify --db`)"));
  }
  std::unique_ptr<Controller> c(new Controller(std::move(options), std::move(*db)));
  // Nobody else sees `c` yet; the lock is for the thread-safety analysis.
  absl::MutexLock l(&c->mu_);
  if (absl::Status s = c->OpenRewards(); !s.ok()) return s;
  // State derives from the log: tables changed behind the log's back are refused too.
  if (absl::Status s = CheckStateMatchesLog(*c->db_, *log); !s.ok()) {
    return absl::DataLossError(
        absl::StrCat(s.message(),
                     "; refusing to serve this database (inspect it with `stakeward audit verify "
                     "--db`)"));
  }
  return c;
}

absl::StatusOr<std::unique_ptr<Controller>> Controller::OpenForensics(ControllerOptions options) {
  absl::StatusOr<std::unique_ptr<Db>> db = Db::Open(options.db_path, /*read_only=*/true);
  if (!db.ok()) return db.status();
  std::unique_ptr<Controller> c(new Controller(std::move(options), std::move(*db)));
  absl::MutexLock l(&c->mu_);  // for the analysis: nobody else sees `c` yet
  absl::StatusOr<std::vector<AuditRecord>> log = ReadAllAudit(*c->db_);
  if (!log.ok()) {
    c->forensic_finding_ = absl::StrCat("the audit log cannot be read: ", log.status().message());
    return c;
  }
  const AuditVerdict v = VerifyAuditRecords(*log);
  if (!v.ok) {
    c->forensic_finding_ =
        absl::StrCat("the audit log fails verification at entry ", v.first_bad_seq, ": ", v.reason);
  } else if (absl::Status s = CheckStateMatchesLog(*c->db_, *log); !s.ok()) {
    c->forensic_finding_ = std::string(s.message());
  }
  return c;
}

void Controller::Bump() {
  absl::MutexLock l(&gen_mu_);
  ++generation_;
  gen_cv_.SignalAll();
}

uint64_t Controller::Generation() const {
  absl::MutexLock l(&gen_mu_);
  return generation_;
}

uint64_t Controller::WaitForChange(uint64_t seen, absl::Duration timeout) const {
  absl::MutexLock l(&gen_mu_);
  const absl::Time deadline = absl::Now() + timeout;
  while (generation_ == seen) {
    if (gen_cv_.WaitWithDeadline(&gen_mu_, deadline)) break;
  }
  return generation_;
}

absl::StatusOr<std::vector<AuditRecord>> Controller::ReadAudit(uint64_t from_seq, uint32_t limit) {
  absl::MutexLock l(&mu_);
  return ReadAuditRange(*db_, from_seq, limit);
}

absl::StatusOr<StatusInfo> Controller::Status() {
  absl::MutexLock l(&mu_);
  StatusInfo info;
  absl::StatusOr<uint64_t> in_force = InForceVersion();
  if (!in_force.ok()) return in_force.status();
  info.policy_in_force = *in_force;
  {
    absl::StatusOr<Stmt> q = db_->Prepare("SELECT MAX(version) FROM policies");
    if (!q.ok()) return q.status();
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (*row && !q->IsNull(0)) info.latest_policy = static_cast<uint64_t>(q->Int(0));
  }
  absl::StatusOr<SnapshotRec> snap = LoadSnapshotRow(std::nullopt);
  if (snap.ok()) {
    info.latest_snapshot = std::move(*snap);
  } else if (!absl::IsNotFound(snap.status())) {
    return snap.status();
  }
  absl::StatusOr<std::vector<std::pair<ProposalState, uint64_t>>> counts =
      CountProposalsByState(*db_);
  if (!counts.ok()) return counts.status();
  info.proposals = std::move(*counts);
  absl::StatusOr<AuditRecord> head = AuditHead(*db_);
  if (!head.ok()) return head.status();
  info.audit_head = std::move(*head);
  return info;
}

}  // namespace stakeward::controller
