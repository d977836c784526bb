// The store's one SQLite wrapper: a transaction opened inside another nests as a savepoint, so a
// store-level write (the epoch ledger's) commits or rolls back together with the caller's change
// and its audit entry; read-only opening never creates a file.
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "controller/store/sqlite_db.h"
#include "gtest/gtest.h"

namespace stakeward::controller {
namespace {

int64_t Count(Db& db) {
  absl::StatusOr<Stmt> st = db.Prepare("SELECT COUNT(*) FROM t");
  EXPECT_TRUE(st.ok());
  EXPECT_TRUE(*st->Step());
  return st->Int(0);
}

class SqliteTxnTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/sw_txn_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db";
    std::filesystem::remove(path_);
    absl::StatusOr<std::unique_ptr<Db>> db = Db::Open(path_);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(db_->Exec("CREATE TABLE t (x INTEGER)").ok());
  }
  void Insert(int64_t x) {
    absl::StatusOr<Stmt> st = db_->Prepare("INSERT INTO t (x) VALUES (?)");
    ASSERT_TRUE(st.ok());
    ASSERT_TRUE(st->Bind(1, x).Run().ok());
  }
  std::string path_;
  std::unique_ptr<Db> db_;
};

TEST_F(SqliteTxnTest, InnerCommitIsUndoneByTheOuterRollback) {
  {
    auto outer = Txn::Begin(*db_);
    ASSERT_TRUE(outer.ok()) << outer.status();
    EXPECT_TRUE(db_->InTransaction());
    auto inner = Txn::Begin(*db_);
    ASSERT_TRUE(inner.ok()) << inner.status();
    ASSERT_NO_FATAL_FAILURE(Insert(1));
    ASSERT_TRUE((*inner)->Commit().ok());
    EXPECT_TRUE(db_->InTransaction());  // releasing the savepoint leaves the outer open
  }                                     // outer destroyed without Commit: everything rolls back
  EXPECT_FALSE(db_->InTransaction());
  EXPECT_EQ(Count(*db_), 0);
}

TEST_F(SqliteTxnTest, InnerRollbackKeepsTheOuterWrites) {
  auto outer = Txn::Begin(*db_);
  ASSERT_TRUE(outer.ok());
  ASSERT_NO_FATAL_FAILURE(Insert(1));
  {
    auto inner = Txn::Begin(*db_);
    ASSERT_TRUE(inner.ok());
    ASSERT_NO_FATAL_FAILURE(Insert(2));
  }  // inner rolled back to its savepoint
  ASSERT_TRUE((*outer)->Commit().ok());
  EXPECT_EQ(Count(*db_), 1);
}

TEST_F(SqliteTxnTest, UnsignedColumnsRoundTripAndNegativeReadsAsZero) {
  absl::StatusOr<Stmt> ins = db_->Prepare("INSERT INTO t (x) VALUES (?)");
  ASSERT_TRUE(ins.ok());
  ASSERT_TRUE(ins->BindU64(1, static_cast<uint64_t>(INT64_MAX)).Run().ok());
  ASSERT_NO_FATAL_FAILURE(Insert(-5));
  absl::StatusOr<Stmt> st = db_->Prepare("SELECT x FROM t ORDER BY rowid");
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->U64(0), static_cast<uint64_t>(INT64_MAX));
  ASSERT_TRUE(*st->Step());
  EXPECT_EQ(st->U64(0), 0u);
}

TEST(SqliteOpenTest, ReadOnlyNeverCreatesAFile) {
  const std::string missing =
      ::testing::TempDir() + "/sw_missing_" + std::to_string(::getpid()) + ".db";
  absl::StatusOr<std::unique_ptr<Db>> db = Db::Open(missing, /*read_only=*/true);
  EXPECT_EQ(db.status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(missing));
}

}  // namespace
// Prepared statements are cached per connection: a statement in use is never handed out twice
// (a second Prepare of the same text gets its own), and one handed back is reset with its
// bindings cleared, so no caller sees another's parameters or half-read rows.
TEST_F(SqliteTxnTest, CachedStatementsAreNeverSharedAndComeBackClean) {
  ASSERT_NO_FATAL_FAILURE(Insert(1));
  ASSERT_NO_FATAL_FAILURE(Insert(2));
  ASSERT_NO_FATAL_FAILURE(Insert(2));
  constexpr char kSql[] = "SELECT COUNT(*) FROM t WHERE x = ?";
  {
    absl::StatusOr<Stmt> a = db_->Prepare(kSql);
    ASSERT_TRUE(a.ok());
    a->Bind(1, int64_t{1});
    absl::StatusOr<Stmt> b = db_->Prepare(kSql);  // same text while `a` is in use
    ASSERT_TRUE(b.ok());
    b->Bind(1, int64_t{2});
    ASSERT_TRUE(*a->Step());
    ASSERT_TRUE(*b->Step());
    EXPECT_EQ(a->Int(0), 1);
    EXPECT_EQ(b->Int(0), 2);
  }
  absl::StatusOr<Stmt> again = db_->Prepare(kSql);
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(*again->Step());  // the parameter is NULL again: nothing matches
  EXPECT_EQ(again->Int(0), 0);
}

// A cached statement left mid-result holds no read: once handed back, a write and a fresh read
// through the same text see the new row.
TEST_F(SqliteTxnTest, CachedStatementLeftMidResultIsReset) {
  ASSERT_NO_FATAL_FAILURE(Insert(1));
  ASSERT_NO_FATAL_FAILURE(Insert(2));
  constexpr char kSql[] = "SELECT x FROM t ORDER BY x";
  {
    absl::StatusOr<Stmt> q = db_->Prepare(kSql);
    ASSERT_TRUE(q.ok());
    ASSERT_TRUE(*q->Step());  // first row only
  }
  ASSERT_NO_FATAL_FAILURE(Insert(0));
  absl::StatusOr<Stmt> q = db_->Prepare(kSql);
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(*q->Step());
  EXPECT_EQ(q->Int(0), 0);
}

}  // namespace stakeward::controller
