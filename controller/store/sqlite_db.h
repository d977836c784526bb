// A thin RAII layer over the SQLite C API: one connection, prepared statements with typed binds,
// and scoped transactions that roll back unless committed.
#ifndef STAKEWARD_CONTROLLER_STORE_SQLITE_DB_H_
#define STAKEWARD_CONTROLLER_STORE_SQLITE_DB_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "chain/bytes.h"

struct sqlite3;
struct sqlite3_stmt;

namespace stakeward::controller {

class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Stmt(Stmt&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Parameters are 1-based, as in SQLite.
  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, std::string_view text);
  Stmt& BindBlob(int i, chain::ByteView blob);
  Stmt& BindNull(int i);

  // True when a row is available, false when done; errors as INTERNAL (or ALREADY_EXISTS for a
  // constraint violation, so callers can map UNIQUE conflicts).
  absl::StatusOr<bool> Step();
  // Runs to completion (statements without result rows).
  absl::Status Run();

  int64_t Int(int col) const;
  std::string Text(int col) const;
  chain::Bytes Blob(int col) const;
  bool IsNull(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Db {
 public:
  // Opens (creating if needed) with WAL, synchronous=FULL, foreign keys on, busy timeout.
  // Read-only never creates: NOT_FOUND when `path` is not an existing file.
  static absl::StatusOr<std::unique_ptr<Db>> Open(const std::string& path, bool read_only = false);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  absl::Status Exec(std::string_view sql);
  absl::StatusOr<Stmt> Prepare(std::string_view sql);
  int64_t Changes() const;
  // The connection itself, for the epoch ledger's helpers (controller/rewards/sqlite_util.h):
  // on this one connection a reward change and its audit entry share one transaction.
  sqlite3* handle() { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless Commit() succeeded.
class Txn {
 public:
  static absl::StatusOr<std::unique_ptr<Txn>> Begin(Db& db);
  ~Txn();
  absl::Status Commit();

 private:
  explicit Txn(Db& db) : db_(db) {}
  Db& db_;
  bool done_ = false;
};

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_STORE_SQLITE_DB_H_
