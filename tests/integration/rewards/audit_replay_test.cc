// State derives from the log (issue 12): after a full round (policy approvals, snapshot, a reward
// proposal signed, confirmed and deposited) `stakeward audit verify --db` replays the log and
// finds the tables equal to it. Each row then changes one table without the log, the way someone
// with the database file would, and both `audit verify --db` and the daemon at start refuse it.
#include "controller/store/audit_replay.h"

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "controller/daemon/controller.h"
#include "controller/store/audit_log.h"
#include "controller/store/sqlite_db.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/integration/controller/daemon_process.h"
#include "tests/integration/rewards/rewards_fixture.h"

namespace stakeward::controller::testing {
namespace {

constexpr uint64_t kEpoch = 200;

class AuditReplayTest : public RewardsRound {
 protected:
  // Policy in force, a reward proposal READY, confirmed on L1 and its deposit stored.
  void FullRound() {
    InstallPolicy();
    ASSERT_TRUE(PushSnapshot(RewardSnapshotJson(kEpoch, {184000000, 132000000})).ok());
    v1::BuildRewardProposalResponse b;
    grpc::Status st = Build(kEpoch, &b);
    ASSERT_TRUE(st.ok()) << st.error_message();
    proposal_id_ = b.proposal().id();
    v1::Proposal ready = SignByTwo(b.proposal());
    ASSERT_EQ(ready.state(), v1::PROPOSAL_STATE_READY);
    ExportAndConfirm(ready);
    DepositOnce(kEpoch, "req-1");
    StopDaemon();
  }

  absl::Status OpenDaemon() {
    ControllerOptions o;
    o.db_path = db_path_;
    o.dev_mode = true;
    return Controller::Open(o).status();
  }

  std::string proposal_id_;
};

TEST_F(AuditReplayTest, AnHonestDatabaseMatchesItsLog) {
  FullRound();
  CliResult ok = RunCli("audit verify --db " + db_path_);
  ASSERT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("state tables match the log"), std::string::npos) << ok.out;
  // The replay sees every kind of fact the round produced (so the rows below test something).
  auto db = Db::Open(db_path_, /*read_only=*/true);
  ASSERT_TRUE(db.ok());
  absl::StatusOr<StateFacts> facts = FactsFromTables(**db);
  ASSERT_TRUE(facts.ok()) << facts.status();
  for (const char* kind :
       {"policy ", "approval ", "snapshot ", "proposal ", "witness ", "epoch ", "deposit "}) {
    bool seen = false;
    for (const std::string& f : *facts) seen = seen || f.rfind(kind, 0) == 0;
    EXPECT_TRUE(seen) << "no '" << kind << "' fact";
  }
  EXPECT_NE(facts->count("proposal " + proposal_id_ + " state=confirmed"), 0u);
  EXPECT_TRUE(OpenDaemon().ok());
}

TEST_F(AuditReplayTest, TablesChangedWithoutTheLogAreRefused) {
  FullRound();
  const std::string pristine = dir_ + "/pristine.db";
  std::filesystem::copy_file(db_path_, pristine);
  struct Row {
    const char* name;
    std::string sql;
  };
  const std::vector<Row> rows = {
      {"a proposal's state", "UPDATE proposals SET state = 3"},
      {"a witness removed",
       "DELETE FROM witnesses WHERE rowid = (SELECT MIN(rowid) FROM witnesses)"},
      {"a witness key swapped",
       "UPDATE witnesses SET vkey = randomblob(32) WHERE rowid = "
       "(SELECT MIN(rowid) FROM witnesses)"},
      {"a policy no longer in force", "UPDATE policies SET in_force = 0"},
      {"a policy's hash", "UPDATE policies SET hash = randomblob(32) WHERE version = 1"},
      {"an approval dropped", "DELETE FROM policy_approvals WHERE signer = 'alice'"},
      {"an approval key swapped",
       "UPDATE policy_approvals SET public_key = randomblob(32) "
       "WHERE signer = 'bob'"},
      {"the bridged amount", "UPDATE rewards_epochs SET bridged = bridged + 1"},
      {"an epoch's status", "UPDATE rewards_epochs SET status = 'PROPOSED'"},
      {"the deposit's tx hash",
       "UPDATE rewards_deposits SET tx_hash = '0x' || hex(randomblob(32))"},
      {"a snapshot that was never pushed",
       "INSERT INTO snapshots (hash, document, epoch, slot, pool_count, pushed_by, pushed_us) "
       "VALUES (randomblob(32), '{}', 1, 1, 0, 'mallory', 0)"},
  };
  for (const Row& row : rows) {
    std::filesystem::copy_file(pristine, db_path_,
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::remove(db_path_ + "-wal");
    {
      auto db = Db::Open(db_path_);
      ASSERT_TRUE(db.ok());
      ASSERT_TRUE((*db)->Exec(row.sql).ok()) << row.name;
      ASSERT_GT((*db)->Changes(), 0) << row.name << ": the edit changed nothing";
    }
    CliResult v = RunCli("audit verify --db " + db_path_);
    EXPECT_NE(v.exit_code, 0) << row.name << "\n" << v.out;
    EXPECT_NE(v.err.find("state tables differ from the audit log"), std::string::npos)
        << row.name << ": " << v.err;
    const absl::Status open = OpenDaemon();
    EXPECT_EQ(open.code(), absl::StatusCode::kDataLoss) << row.name << ": " << open;
    EXPECT_NE(open.message().find("refusing to serve"), std::string::npos) << open;
  }
}

TEST_F(AuditReplayTest, ExpectedHeadAndMinimumEntriesCatchACleanTruncation) {
  FullRound();
  auto db = Db::Open(db_path_, /*read_only=*/true);
  ASSERT_TRUE(db.ok());
  absl::StatusOr<AuditRecord> head = AuditHead(**db);
  ASSERT_TRUE(head.ok());
  db->reset();
  const std::string hex = chain::HexEncode(head->hash);
  const std::string n = std::to_string(head->seq);
  CliResult ok =
      RunCli("audit verify --db " + db_path_ + " --expect-head " + hex + " --min-entries " + n);
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("audit head matches"), std::string::npos) << ok.out;

  // An export cut before its last entry still chains; the recorded head and count say otherwise.
  const std::string exported = dir_ + "/audit.json";
  {
    auto rdb = Db::Open(db_path_, /*read_only=*/true);
    ASSERT_TRUE(rdb.ok());
    absl::StatusOr<std::vector<AuditRecord>> all = ReadAllAudit(**rdb);
    ASSERT_TRUE(all.ok());
    all->pop_back();
    nlohmann::json arr = nlohmann::json::array();
    for (const AuditRecord& r : *all) arr.push_back(AuditRecordToJson(r));
    std::ofstream(exported) << arr.dump();
  }
  CliResult cut = RunCli("audit verify --export " + exported);
  EXPECT_EQ(cut.exit_code, 0) << "a clean truncation chains: " << cut.err;
  CliResult by_head = RunCli("audit verify --export " + exported + " --expect-head " + hex);
  EXPECT_NE(by_head.exit_code, 0);
  EXPECT_NE(by_head.err.find("not the expected"), std::string::npos) << by_head.err;
  CliResult by_count = RunCli("audit verify --export " + exported + " --min-entries " + n);
  EXPECT_NE(by_count.exit_code, 0);
  EXPECT_NE(by_count.err.find("fewer than the"), std::string::npos) << by_count.err;
}

// A database that fails verification is refused at start; `stakewardd --forensics` serves it
// read-only: reads answer, every change is FAILED_PRECONDITION, and the file is left as it was.
TEST_F(AuditReplayTest, ForensicsServesARefusedDatabaseReadOnly) {
  FullRound();
  {
    auto db = Db::Open(db_path_);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("UPDATE proposals SET state = 3").ok());
  }
  std::filesystem::remove(db_path_ + "-wal");
  std::filesystem::remove(db_path_ + "-shm");
  const std::string before = ReadTextFile(db_path_);
  ASSERT_EQ(OpenDaemon().code(), absl::StatusCode::kDataLoss);

  ControllerOptions o;
  o.db_path = db_path_;
  o.forensics = true;
  auto c = Controller::Open(o);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE((*c)->read_only());
  EXPECT_NE((*c)->forensic_finding().find("state tables differ"), std::string::npos)
      << (*c)->forensic_finding();
  c->reset();

  DaemonProcess d;
  ASSERT_TRUE(d.Start({"--dev", "--forensics", "--listen", "127.0.0.1:0", "--db", db_path_}));
  auto ch = grpc::CreateChannel(d.address(), grpc::InsecureChannelCredentials());
  auto proposals = v1::ProposalService::NewStub(ch);
  auto snapshots = v1::SnapshotService::NewStub(ch);
  v1::GetProposalRequest g;
  g.set_id(proposal_id_);
  v1::GetProposalResponse gr;
  grpc::Status read = proposals->GetProposal(Ctx("auditor").get(), g, &gr);
  ASSERT_TRUE(read.ok()) << read.error_message();
  EXPECT_EQ(gr.proposal().state(), v1::PROPOSAL_STATE_REJECTED);  // what the file says
  v1::PushSnapshotRequest push;
  push.set_document(RewardSnapshotJson(kEpoch + 1, {1000000}));
  v1::PushSnapshotResponse pr;
  grpc::Status write = snapshots->PushSnapshot(Ctx("operator").get(), push, &pr);
  EXPECT_EQ(write.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(write.error_message().find("forensics"), std::string::npos) << write.error_message();
  v1::MarkConfirmedRequest mc;
  mc.set_id(proposal_id_);
  v1::MarkConfirmedResponse mr;
  EXPECT_EQ(proposals->MarkConfirmed(Ctx("operator").get(), mc, &mr).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(d.Terminate(), 0);
  EXPECT_EQ(ReadTextFile(db_path_), before) << "forensics changed the database file";
}

}  // namespace
}  // namespace stakeward::controller::testing
