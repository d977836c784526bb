#include "controller/store/sqlite_db.h"

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "chain/check.h"
#include "controller/store/kill_points.h"

namespace stakeward::controller {
namespace {

absl::Status SqlError(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xff;
  std::string msg =
      absl::StrCat(std::string(what), ": ", db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (primary == SQLITE_CONSTRAINT) return absl::AlreadyExistsError(msg);
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return absl::UnavailableError(msg);
  return absl::InternalError(msg);
}

}  // namespace

Stmt::~Stmt() {
  if (stmt_ == nullptr) return;
  if (cache_ != nullptr) {
    cache_->Return(stmt_);
  } else {
    sqlite3_finalize(stmt_);
  }
}

Stmt& Stmt::Bind(int i, int64_t v) {
  SW_CHECK(sqlite3_bind_int64(stmt_, i, v) == SQLITE_OK);
  return *this;
}
Stmt& Stmt::BindU64(int i, uint64_t v) {
  SW_CHECK(v <= static_cast<uint64_t>(INT64_MAX));
  return Bind(i, static_cast<int64_t>(v));
}
Stmt& Stmt::Bind(int i, std::string_view text) {
  SW_CHECK(sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()),
                             SQLITE_TRANSIENT) == SQLITE_OK);
  return *this;
}
Stmt& Stmt::BindBlob(int i, chain::ByteView blob) {
  // A zero-length blob must still be a blob, not NULL.
  static const uint8_t kEmpty = 0;
  const void* p = blob.empty() ? &kEmpty : blob.data();
  SW_CHECK(sqlite3_bind_blob(stmt_, i, p, static_cast<int>(blob.size()), SQLITE_TRANSIENT) ==
           SQLITE_OK);
  return *this;
}
Stmt& Stmt::BindNull(int i) {
  SW_CHECK(sqlite3_bind_null(stmt_, i) == SQLITE_OK);
  return *this;
}

absl::StatusOr<bool> Stmt::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqlError(db_, rc, "sqlite step");
}

absl::Status Stmt::Run() {
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

int64_t Stmt::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
uint64_t Stmt::U64(int col) const {
  const int64_t v = sqlite3_column_int64(stmt_, col);
  return v < 0 ? 0 : static_cast<uint64_t>(v);
}
std::string Stmt::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  const int n = sqlite3_column_bytes(stmt_, col);
  return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p), n);
}
chain::Bytes Stmt::Blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  const int n = sqlite3_column_bytes(stmt_, col);
  if (p == nullptr || n <= 0) return {};
  const auto* b = static_cast<const uint8_t*>(p);
  return chain::Bytes(b, b + n);
}
bool Stmt::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

absl::StatusOr<std::unique_ptr<Db>> Db::Open(const std::string& path, bool read_only) {
  std::error_code ec;
  if (read_only && !std::filesystem::is_regular_file(path, ec)) {
    // Read-only callers inspect an existing database: a mistyped path is not an empty one.
    return absl::NotFoundError(
        absl::StrCat("database ", path, " does not exist (a mistyped path?)"));
  }
  sqlite3* raw = nullptr;
  const int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status s = absl::UnavailableError(
        absl::StrCat("cannot open database ", path, ": ", raw ? sqlite3_errmsg(raw) : "?"));
    if (raw != nullptr) sqlite3_close(raw);
    return s;
  }
  std::unique_ptr<Db> db(new Db(raw));
  sqlite3_busy_timeout(raw, 5000);
  // Limit what one statement may allocate from untrusted sizes.
  sqlite3_limit(raw, SQLITE_LIMIT_LENGTH, 64 << 20);
  if (!read_only) {
    if (absl::Status s = db->Exec("PRAGMA journal_mode=WAL"); !s.ok()) return s;
    InstallKillPoints(raw);
  }
  if (absl::Status s = db->Exec("PRAGMA synchronous=FULL"); !s.ok()) return s;
  if (absl::Status s = db->Exec("PRAGMA foreign_keys=ON"); !s.ok()) return s;
  return db;
}

Db::~Db() {
  {
    absl::MutexLock l(&cache_mu_);
    for (auto& [sql, c] : cache_) sqlite3_finalize(c.stmt);
  }
  sqlite3_close_v2(db_);
}

absl::Status Db::Exec(std::string_view sql) {
  char* err = nullptr;
  const std::string s(sql);
  const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    return SqlError(nullptr, rc, msg);
  }
  return absl::OkStatus();
}

absl::Status Db::Run(std::string_view sql) {
  absl::StatusOr<Stmt> q = Prepare(sql);
  if (!q.ok()) return q.status();
  return q->Run();
}

absl::StatusOr<Stmt> Db::Prepare(std::string_view sql) {
  absl::MutexLock l(&cache_mu_);
  auto it = cache_.find(absl::string_view(sql.data(), sql.size()));
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Stmt(db_, it->second.stmt, this);
  }
  const bool keep = it == cache_.end();
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    keep ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
  if (rc != SQLITE_OK) return SqlError(db_, rc, "sqlite prepare");
  if (!keep || stmt == nullptr) return Stmt(db_, stmt);
  cache_.emplace(std::string(sql), Cached{stmt, true});
  cached_sql_.emplace(stmt, std::string(sql));
  return Stmt(db_, stmt, this);
}

void Db::Return(sqlite3_stmt* stmt) {
  // Reset ends the statement's read and drops its bindings (blobs of the last caller).
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  absl::MutexLock l(&cache_mu_);
  auto it = cached_sql_.find(stmt);
  SW_CHECK(it != cached_sql_.end());
  cache_[it->second].in_use = false;
}

int64_t Db::Changes() const { return sqlite3_changes(db_); }

absl::StatusOr<Db::ChangeStamp> Db::Stamp() {
  absl::StatusOr<Stmt> q = Prepare("PRAGMA data_version");
  if (!q.ok()) return q.status();
  absl::StatusOr<bool> row = q->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError("PRAGMA data_version returned no row");
  return ChangeStamp{TotalChanges(), q->Int(0)};
}

int64_t Db::TotalChanges() const { return sqlite3_total_changes64(db_); }

bool Db::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

absl::StatusOr<std::unique_ptr<Txn>> Txn::Begin(Db& db) {
  const bool savepoint = db.InTransaction();
  if (absl::Status s = db.Run(savepoint ? "SAVEPOINT sw_nested" : "BEGIN IMMEDIATE"); !s.ok()) {
    return s;
  }
  return std::unique_ptr<Txn>(new Txn(db, savepoint));
}

Txn::~Txn() {
  if (done_) return;
  (void)db_.Exec(savepoint_ ? "ROLLBACK TO sw_nested; RELEASE sw_nested" : "ROLLBACK");
}

absl::Status Txn::Commit() {
  absl::Status s = db_.Run(savepoint_ ? "RELEASE sw_nested" : "COMMIT");
  if (s.ok()) done_ = true;
  return s;
}

}  // namespace stakeward::controller
