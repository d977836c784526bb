#include "controller/store/schema.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace stakeward::controller {
namespace {

// Fail closed on corruption (issue 12): SQLite cannot add CHECK constraints to existing tables,
// so migration 7 adds triggers that refuse, on insert and update, a hash, key or signature of the
// wrong length and a proposal state outside the enum. Reading such a row back is DATA_LOSS too
// (ReadFixed in proposal_store.cc), for files edited with the triggers dropped.
std::string CheckTriggers() {
  struct Check {
    const char* table;
    const char* name;
    const char* bad;  // SQL condition on NEW that makes the row invalid
    const char* why;
  };
  static const Check kChecks[] = {
      {"policies", "hash", "length(NEW.hash) != 32", "policies.hash is 32 bytes"},
      {"policy_approvals", "key", "length(NEW.public_key) != 32 OR length(NEW.signature) != 64",
       "an approval has a 32-byte key and a 64-byte signature"},
      {"snapshots", "hash", "length(NEW.hash) != 32", "snapshots.hash is 32 bytes"},
      {"proposals", "row",
       "length(NEW.policy_hash) != 32 OR length(NEW.snapshot_hash) != 32 OR "
       "length(NEW.plan_hash) != 32 OR NEW.state NOT BETWEEN 1 AND 7 OR "
       "length(NEW.audit_anchor_hash) NOT IN (0, 32)",
       "a proposal has 32-byte hashes and a state 1..7"},
      {"proposal_txs", "id", "length(NEW.tx_id) != 32", "proposal_txs.tx_id is 32 bytes"},
      {"witnesses", "key", "length(NEW.vkey) != 32 OR length(NEW.signature) != 64",
       "a witness has a 32-byte key and a 64-byte signature"},
      {"reserved_inputs", "id", "length(NEW.tx_id) != 32", "reserved_inputs.tx_id is 32 bytes"},
      {"spent_inputs", "id", "length(NEW.tx_id) != 32", "spent_inputs.tx_id is 32 bytes"},
      {"audit", "hash", "length(NEW.hash) != 32 OR length(NEW.prev_hash) != 32",
       "audit hashes are 32 bytes"},
  };
  std::string sql;
  for (const Check& c : kChecks) {
    for (const char* op : {"INSERT", "UPDATE"}) {
      absl::StrAppend(&sql, "CREATE TRIGGER chk_", c.table, "_", c.name, "_",
                      op[0] == 'I' ? "ins" : "upd", " BEFORE ", op, " ON ", c.table, " WHEN ",
                      c.bad, " BEGIN SELECT RAISE(ABORT, 'corrupt row refused: ", c.why,
                      "'); END;\n");
    }
  }
  return sql;
}

// Migration i (1-based) brings the schema from version i-1 to i. Never edit a shipped entry.
const std::vector<std::string>& Migrations() {
  static const std::vector<std::string> m = {
      // 1: initial schema.
      R"sql(
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  time_us INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash BLOB NOT NULL,
  hash BLOB NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

CREATE TABLE policies (
  version INTEGER PRIMARY KEY,
  document TEXT NOT NULL,
  hash BLOB NOT NULL,
  threshold INTEGER NOT NULL,
  in_force INTEGER NOT NULL DEFAULT 0,
  proposed_by TEXT NOT NULL,
  created_us INTEGER NOT NULL
);
CREATE TABLE policy_approvals (
  version INTEGER NOT NULL REFERENCES policies(version),
  signer TEXT NOT NULL,
  public_key BLOB NOT NULL,
  signature BLOB NOT NULL,
  recorded_us INTEGER NOT NULL,
  PRIMARY KEY (version, signer)
);

CREATE TABLE snapshots (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  hash BLOB NOT NULL UNIQUE,
  document TEXT NOT NULL,
  epoch INTEGER NOT NULL,
  slot INTEGER NOT NULL,
  pool_count INTEGER NOT NULL,
  pushed_by TEXT NOT NULL,
  pushed_us INTEGER NOT NULL
);

CREATE TABLE proposals (
  id TEXT PRIMARY KEY,
  state INTEGER NOT NULL,
  policy_version INTEGER NOT NULL REFERENCES policies(version),
  policy_hash BLOB NOT NULL,
  snapshot_hash BLOB NOT NULL REFERENCES snapshots(hash),
  plan_hash BLOB NOT NULL,
  ttl INTEGER NOT NULL,
  threshold INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_us INTEGER NOT NULL,
  updated_us INTEGER NOT NULL,
  rejected_by TEXT NOT NULL DEFAULT '',
  reject_reason TEXT NOT NULL DEFAULT '',
  submitted_tx_ids TEXT NOT NULL DEFAULT ''
);
CREATE INDEX proposals_state ON proposals(state);

CREATE TABLE proposal_txs (
  proposal_id TEXT NOT NULL REFERENCES proposals(id),
  idx INTEGER NOT NULL,
  unsigned_tx BLOB NOT NULL,
  tx_id BLOB NOT NULL,
  fee INTEGER NOT NULL,
  scripts TEXT NOT NULL,
  required_signers TEXT NOT NULL,
  signed_tx BLOB,
  PRIMARY KEY (proposal_id, idx)
);

-- Inputs spent by proposals that are still open (OPEN, READY, SUBMITTED). The primary key is
-- what makes two open proposals spending one UTxO impossible.
CREATE TABLE reserved_inputs (
  tx_id BLOB NOT NULL,
  out_index INTEGER NOT NULL,
  proposal_id TEXT NOT NULL REFERENCES proposals(id),
  PRIMARY KEY (tx_id, out_index)
);

CREATE TABLE witnesses (
  proposal_id TEXT NOT NULL,
  tx_idx INTEGER NOT NULL,
  signer TEXT NOT NULL,
  vkey BLOB NOT NULL,
  signature BLOB NOT NULL,
  recorded_us INTEGER NOT NULL,
  PRIMARY KEY (proposal_id, tx_idx, vkey),
  FOREIGN KEY (proposal_id, tx_idx) REFERENCES proposal_txs(proposal_id, idx)
);
)sql",
      // 2: proposal kinds (re-balance or epoch reward) and what a signer needs to rebuild a
      // reward proposal.
      R"sql(
ALTER TABLE proposals ADD COLUMN kind INTEGER NOT NULL DEFAULT 1;
ALTER TABLE proposals ADD COLUMN reward_epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE proposals ADD COLUMN reward_operator TEXT NOT NULL DEFAULT '';
ALTER TABLE proposals ADD COLUMN reward_carry_in INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX proposals_reward_epoch_open ON proposals(reward_epoch)
  WHERE kind = 2 AND state IN (1, 2, 6, 7);
)sql",
      // 3: MIGRATE proposals (signer rotation) name the incoming policy version; at most one is
      // open (OPEN, READY, SUBMITTED) at a time.
      R"sql(
ALTER TABLE proposals ADD COLUMN migrate_to_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE proposals ADD COLUMN migrate_to_hash BLOB NOT NULL DEFAULT x'';
CREATE UNIQUE INDEX proposals_migrate_open ON proposals(kind)
  WHERE kind = 3 AND state IN (1, 2, 6);
)sql",
      // 4: inputs of submitted (and later confirmed) proposals stay recorded as spent, so no
      // proposal built on an older snapshot can spend them again.
      R"sql(
CREATE TABLE spent_inputs (
  tx_id BLOB NOT NULL,
  out_index INTEGER NOT NULL,
  proposal_id TEXT NOT NULL REFERENCES proposals(id),
  PRIMARY KEY (tx_id, out_index)
);
INSERT OR IGNORE INTO spent_inputs(tx_id, out_index, proposal_id)
  SELECT r.tx_id, r.out_index, r.proposal_id FROM reserved_inputs r
  JOIN proposals p ON p.id = r.proposal_id WHERE p.state = 6;
)sql",
      // 5: the audit head each proposal's transactions carry (audit_anchor.h).
      R"sql(
ALTER TABLE proposals ADD COLUMN audit_anchor_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE proposals ADD COLUMN audit_anchor_hash BLOB NOT NULL DEFAULT x'';
)sql",
      // 6: a reward proposal with a carry-in names the reward proposal whose last treasury
      // output holds the carry (signers recompute the carry from it).
      R"sql(
ALTER TABLE proposals ADD COLUMN reward_carry_from TEXT NOT NULL DEFAULT '';
)sql",
      // 7: length and range checks (CheckTriggers).
      CheckTriggers(),
  };
  return m;
}

}  // namespace

int CurrentSchemaVersion() { return static_cast<int>(Migrations().size()); }

absl::Status MigrateSchema(Db& db) {
  if (absl::Status s =
          db.Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      !s.ok()) {
    return s;
  }
  for (;;) {
    absl::StatusOr<std::unique_ptr<Txn>> txn = Txn::Begin(db);
    if (!txn.ok()) return txn.status();
    int64_t have = 0;
    {
      absl::StatusOr<Stmt> q = db.Prepare("SELECT MAX(version) FROM schema_version");
      if (!q.ok()) return q.status();
      absl::StatusOr<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (*row && !q->IsNull(0)) have = q->Int(0);
    }
    if (have > CurrentSchemaVersion()) {
      return absl::FailedPreconditionError(absl::StrCat("database schema version ", have,
                                                        " is newer than this build (",
                                                        CurrentSchemaVersion(), ")"));
    }
    if (have == CurrentSchemaVersion()) return absl::OkStatus();
    if (absl::Status s = db.Exec(Migrations()[have]); !s.ok()) return s;
    absl::StatusOr<Stmt> ins = db.Prepare("INSERT INTO schema_version(version) VALUES (?)");
    if (!ins.ok()) return ins.status();
    ins->Bind(1, have + 1);
    if (absl::Status s = ins->Run(); !s.ok()) return s;
    if (absl::Status s = (*txn)->Commit(); !s.ok()) return s;
  }
}

}  // namespace stakeward::controller
