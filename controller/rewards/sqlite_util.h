// Small RAII helpers over the SQLite C API for the rewards tables: prepared statements with
// typed binds and a write transaction that nests inside a caller's transaction.
#ifndef STAKEWARD_CONTROLLER_REWARDS_SQLITE_UTIL_H_
#define STAKEWARD_CONTROLLER_REWARDS_SQLITE_UTIL_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "chain/bytes.h"

namespace stakeward::rewards::sql {

// Maps a SQLite result code to a status: BUSY/LOCKED → UNAVAILABLE, CONSTRAINT → ALREADY_EXISTS,
// anything else → INTERNAL (the message names the operation, never the SQL text).
absl::Status FromSqlite(sqlite3* db, int rc, std::string_view what);

absl::Status Exec(sqlite3* db, const char* sql, std::string_view what);

class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql);
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  absl::Status status() const { return status_; }
  Stmt& Bind(int i, int64_t v);
  Stmt& BindU64(int i, uint64_t v);  // values above INT64_MAX are a programming error
  Stmt& Bind(int i, std::string_view text);
  Stmt& Bind(int i, chain::ByteView blob);
  Stmt& BindNull(int i);
  // SQLITE_ROW → true, SQLITE_DONE → false; anything else is an error.
  absl::StatusOr<bool> Step();
  absl::Status Run();  // Step expecting DONE

  int64_t Int(int col) const;
  uint64_t U64(int col) const;  // negative stored values read as 0 (schema CHECKs forbid them)
  std::string Text(int col) const;
  chain::Bytes Blob(int col) const;
  bool IsNull(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  absl::Status status_;
};

// BEGIN IMMEDIATE when the connection is in autocommit mode (so concurrent writers serialize on
// the write lock up front instead of deadlocking on an upgrade), a SAVEPOINT otherwise. Rolls back
// unless Commit() succeeded.
class WriteTxn {
 public:
  explicit WriteTxn(sqlite3* db);
  ~WriteTxn();
  WriteTxn(const WriteTxn&) = delete;
  WriteTxn& operator=(const WriteTxn&) = delete;
  absl::Status status() const { return status_; }
  absl::Status Commit();

 private:
  sqlite3* db_;
  bool savepoint_ = false;
  bool open_ = false;
  absl::Status status_;
};

}  // namespace stakeward::rewards::sql

#endif  // STAKEWARD_CONTROLLER_REWARDS_SQLITE_UTIL_H_
