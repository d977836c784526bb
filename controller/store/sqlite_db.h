// A thin RAII layer over the SQLite C API: one connection, prepared statements with typed binds,
// and scoped transactions that roll back unless committed.
#ifndef STAKEWARD_CONTROLLER_STORE_SQLITE_DB_H_
#define STAKEWARD_CONTROLLER_STORE_SQLITE_DB_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "chain/bytes.h"
#include "chain/lovelace.h"

struct sqlite3;
struct sqlite3_stmt;

namespace stakeward::controller {

class Db;

class Stmt {
 public:
  // `cache` non-null: the statement belongs to that connection's cache and goes back to it,
  // reset, when this object is destroyed.
  Stmt(sqlite3* db, sqlite3_stmt* stmt, Db* cache = nullptr)
      : db_(db), stmt_(stmt), cache_(cache) {}
  Stmt(Stmt&& o) noexcept : db_(o.db_), stmt_(o.stmt_), cache_(o.cache_) { o.stmt_ = nullptr; }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Parameters are 1-based, as in SQLite.
  Stmt& Bind(int i, int64_t v);
  Stmt& BindU64(int i, uint64_t v);  // values above INT64_MAX are a programming error
  Stmt& Bind(int i, chain::Lovelace v) { return BindU64(i, v.value()); }
  Stmt& Bind(int i, std::string_view text);
  Stmt& BindBlob(int i, chain::ByteView blob);
  Stmt& BindNull(int i);

  // True when a row is available, false when done; errors as INTERNAL (or ALREADY_EXISTS for a
  // constraint violation, so callers can map UNIQUE conflicts).
  absl::StatusOr<bool> Step();
  // Runs to completion (statements without result rows).
  absl::Status Run();

  int64_t Int(int col) const;
  uint64_t U64(int col) const;  // negative stored values read as 0 (schema CHECKs forbid them)
  chain::Lovelace Money(int col) const { return chain::Lovelace(U64(col)); }
  std::string Text(int col) const;
  chain::Bytes Blob(int col) const;
  bool IsNull(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  Db* cache_;
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
  // One statement without result rows, compiled once and reused (Txn's verbs run several times
  // per witness batch; Exec parses its text every time).
  absl::Status Run(std::string_view sql);
  // Statements are compiled once per connection and reused (the witness path runs the same dozen
  // statements thousands of times); a statement already in use is compiled afresh.
  absl::StatusOr<Stmt> Prepare(std::string_view sql);
  int64_t Changes() const;
  // Equal stamps mean the database content cannot have changed in between: the first part counts
  // every row this connection wrote (rolled-back writes too), the second every commit by another
  // connection (PRAGMA data_version). Take it inside a transaction for a consistent second part.
  struct ChangeStamp {
    int64_t own = 0;
    int64_t others = 0;
    bool operator==(const ChangeStamp& o) const { return own == o.own && others == o.others; }
  };
  absl::StatusOr<ChangeStamp> Stamp();
  int64_t TotalChanges() const;  // ChangeStamp::own
  // True inside BEGIN ... COMMIT (Txn::Begin then nests as a savepoint).
  bool InTransaction() const;

 private:
  friend class Stmt;
  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  explicit Db(sqlite3* db) : db_(db) {}
  void Return(sqlite3_stmt* stmt);

  sqlite3* db_;
  absl::Mutex cache_mu_;
  absl::flat_hash_map<std::string, Cached> cache_ ABSL_GUARDED_BY(cache_mu_);
  absl::flat_hash_map<sqlite3_stmt*, std::string> cached_sql_ ABSL_GUARDED_BY(cache_mu_);
};

// BEGIN IMMEDIATE on construction (a SAVEPOINT when a transaction is already open, so a
// store-level write nests inside the caller's change and its audit entry); rolled back on
// destruction unless Commit() succeeded.
class Txn {
 public:
  static absl::StatusOr<std::unique_ptr<Txn>> Begin(Db& db);
  ~Txn();
  absl::Status Commit();

 private:
  Txn(Db& db, bool savepoint) : db_(db), savepoint_(savepoint) {}
  Db& db_;
  bool savepoint_;
  bool done_ = false;
};

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_STORE_SQLITE_DB_H_
