#include "controller/store/audit_log.h"

#include <filesystem>
#include <string>

#include "controller/store/schema.h"
#include "gtest/gtest.h"

namespace stakeward::controller {
namespace {

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("audit_test_" + std::to_string(::getpid()) + "_" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db"))
                .string();
    std::filesystem::remove(path_);
    auto db = Db::Open(path_);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(MigrateSchema(*db_).ok());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove(path_);
    std::filesystem::remove(path_ + "-wal");
    std::filesystem::remove(path_ + "-shm");
  }
  void Append(int n) {
    for (int i = 0; i < n; ++i) {
      auto r = AppendAudit(*db_, 1000 + i, "operator:ops", "test.action",
                           "subject:" + std::to_string(i), {{"i", i}});
      ASSERT_TRUE(r.ok()) << r.status();
    }
  }
  std::string path_;
  std::unique_ptr<Db> db_;
};

TEST_F(AuditLogTest, ChainVerifies) {
  Append(5);
  auto v = VerifyAuditDatabase(path_);
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->ok) << v->reason;
  EXPECT_EQ(v->entries, 5u);
  auto head = AuditHead(*db_);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->seq, 5u);
  EXPECT_EQ(head->hash, v->head_hash);
}

TEST_F(AuditLogTest, LinksEachEntryToThePrevious) {
  Append(3);
  auto all = ReadAuditRange(*db_, 1, 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].prev_hash, chain::Hash32{});
  EXPECT_EQ((*all)[1].prev_hash, (*all)[0].hash);
  EXPECT_EQ((*all)[2].prev_hash, (*all)[1].hash);
  EXPECT_EQ((*all)[2].hash, AuditEntryHash((*all)[1].hash, (*all)[2]));
}

TEST_F(AuditLogTest, UpdatesAndDeletesAreRefusedByTheDatabase) {
  Append(2);
  EXPECT_FALSE(db_->Exec("UPDATE audit SET actor = 'x' WHERE seq = 1").ok());
  EXPECT_FALSE(db_->Exec("DELETE FROM audit WHERE seq = 2").ok());
}

TEST_F(AuditLogTest, PinpointsTheFirstModifiedEntry) {
  Append(6);
  // An attacker with file access can drop the triggers; the hash chain still catches it.
  ASSERT_TRUE(db_->Exec("DROP TRIGGER audit_no_update").ok());
  ASSERT_TRUE(db_->Exec("UPDATE audit SET details = '{\"i\":99}' WHERE seq = 4").ok());
  auto v = VerifyAuditDatabase(path_);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_bad_seq, 4u);
  EXPECT_EQ(v->entries, 3u);
}

TEST_F(AuditLogTest, PinpointsADeletedEntry) {
  Append(5);
  ASSERT_TRUE(db_->Exec("DROP TRIGGER audit_no_delete").ok());
  ASSERT_TRUE(db_->Exec("DELETE FROM audit WHERE seq = 3").ok());
  auto v = VerifyAuditDatabase(path_);
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->ok);
  EXPECT_EQ(v->first_bad_seq, 3u);
}

TEST_F(AuditLogTest, ExportRoundTripsAndDetectsTampering) {
  Append(4);
  auto all = ReadAuditRange(*db_, 1, 10);
  ASSERT_TRUE(all.ok());
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& r : *all) arr.push_back(AuditRecordToJson(r));
  auto ok = VerifyAuditExport(arr.dump());
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_TRUE(ok->ok);
  EXPECT_EQ(ok->entries, 4u);
  arr[1]["actor"] = "signer:mallory";
  auto bad = VerifyAuditExport(arr.dump());
  ASSERT_TRUE(bad.ok());
  EXPECT_FALSE(bad->ok);
  EXPECT_EQ(bad->first_bad_seq, 2u);
  EXPECT_FALSE(VerifyAuditExport("{\"not\": \"an array\"}").ok());
  EXPECT_FALSE(VerifyAuditExport("[{\"seq\": \"x\"}]").ok());
  EXPECT_FALSE(VerifyAuditExport("garbage").ok());
}

TEST_F(AuditLogTest, EmptyLogVerifies) {
  auto v = VerifyAuditDatabase(path_);
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok);
  EXPECT_EQ(v->entries, 0u);
}

TEST_F(AuditLogTest, SchemaMigrationIsIdempotentAndRefusesNewerDatabases) {
  ASSERT_TRUE(MigrateSchema(*db_).ok());
  ASSERT_TRUE(db_->Exec("INSERT INTO schema_version(version) VALUES (999)").ok());
  absl::Status s = MigrateSchema(*db_);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace stakeward::controller
