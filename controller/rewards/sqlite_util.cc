#include "controller/rewards/sqlite_util.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "chain/check.h"

namespace stakeward::rewards::sql {

absl::Status FromSqlite(sqlite3* db, int rc, std::string_view what) {
  const int primary = rc & 0xFF;
  std::string msg = absl::StrCat(std::string(what), ": ", sqlite3_errstr(rc));
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return absl::UnavailableError(msg);
  if (primary == SQLITE_CONSTRAINT) return absl::AlreadyExistsError(msg);
  return absl::InternalError(msg);
}

absl::Status Exec(sqlite3* db, const char* sql, std::string_view what) {
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return FromSqlite(db, rc, what);
  return absl::OkStatus();
}

Stmt::Stmt(sqlite3* db, const char* sql) : db_(db) {
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  if (rc != SQLITE_OK) status_ = FromSqlite(db, rc, "prepare rewards statement");
}

Stmt::~Stmt() { sqlite3_finalize(stmt_); }

Stmt& Stmt::Bind(int i, int64_t v) {
  if (status_.ok() && sqlite3_bind_int64(stmt_, i, v) != SQLITE_OK) {
    status_ = absl::InternalError("bind");
  }
  return *this;
}

Stmt& Stmt::BindU64(int i, uint64_t v) {
  SW_CHECK(v <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()));
  return Bind(i, static_cast<int64_t>(v));
}

Stmt& Stmt::Bind(int i, std::string_view text) {
  if (status_.ok() && sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()),
                                        SQLITE_TRANSIENT) != SQLITE_OK) {
    status_ = absl::InternalError("bind");
  }
  return *this;
}

Stmt& Stmt::Bind(int i, chain::ByteView blob) {
  // A zero-length blob must still be a blob, not NULL: pass a valid pointer.
  static const uint8_t kEmpty = 0;
  const void* data = blob.empty() ? &kEmpty : blob.data();
  if (status_.ok() && sqlite3_bind_blob(stmt_, i, data, static_cast<int>(blob.size()),
                                        SQLITE_TRANSIENT) != SQLITE_OK) {
    status_ = absl::InternalError("bind");
  }
  return *this;
}

Stmt& Stmt::BindNull(int i) {
  if (status_.ok() && sqlite3_bind_null(stmt_, i) != SQLITE_OK) {
    status_ = absl::InternalError("bind");
  }
  return *this;
}

absl::StatusOr<bool> Stmt::Step() {
  if (!status_.ok()) return status_;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return FromSqlite(db_, rc, "rewards statement");
}

absl::Status Stmt::Run() {
  auto r = Step();
  if (!r.ok()) return r.status();
  return absl::OkStatus();
}

int64_t Stmt::Int(int col) const { return sqlite3_column_int64(stmt_, col); }
uint64_t Stmt::U64(int col) const {
  int64_t v = sqlite3_column_int64(stmt_, col);
  return v < 0 ? 0 : static_cast<uint64_t>(v);
}
std::string Stmt::Text(int col) const {
  const unsigned char* t = sqlite3_column_text(stmt_, col);
  if (t == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(t),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}
chain::Bytes Stmt::Blob(int col) const {
  const void* p = sqlite3_column_blob(stmt_, col);
  int n = sqlite3_column_bytes(stmt_, col);
  if (p == nullptr || n <= 0) return {};
  const auto* b = static_cast<const uint8_t*>(p);
  return chain::Bytes(b, b + n);
}
bool Stmt::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

WriteTxn::WriteTxn(sqlite3* db) : db_(db) {
  savepoint_ = sqlite3_get_autocommit(db) == 0;
  status_ = Exec(db, savepoint_ ? "SAVEPOINT sw_rewards" : "BEGIN IMMEDIATE",
                 "begin rewards transaction");
  open_ = status_.ok();
}

WriteTxn::~WriteTxn() {
  if (!open_) return;
  if (savepoint_) {
    sqlite3_exec(db_, "ROLLBACK TO sw_rewards; RELEASE sw_rewards", nullptr, nullptr, nullptr);
  } else {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

absl::Status WriteTxn::Commit() {
  if (!open_) return status_;
  absl::Status s =
      Exec(db_, savepoint_ ? "RELEASE sw_rewards" : "COMMIT", "commit rewards transaction");
  if (s.ok()) open_ = false;
  return s;
}

}  // namespace stakeward::rewards::sql
