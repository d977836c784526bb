// Crash safety: the real stakewardd is killed with SIGKILL between RPCs and in the middle of them,
// about 100 times over several rounds, and restarted on the same database. After every restart:
// everything acknowledged is there, nothing is half-applied, the audit chain verifies; and every
// round still completes.
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <random>
#include <set>
#include <thread>

#include "controller/store/audit_log.h"
#include "controller/store/sqlite_db.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "tests/integration/controller/daemon_process.h"
#include "tests/integration/controller/round_fixture.h"

namespace stakeward::controller::testing {
namespace {

struct Acked {
  bool policy_in_force = false;
  uint64_t policy_version = 0;
  bool snapshot = false;
  std::string proposal;
  std::set<std::pair<std::string, std::string>> witnesses;  // (tx_id, vkey)
  int state = 0;                                            // highest acknowledged state
};

class CrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() / ("sw_crash_" + std::to_string(::getpid())))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    signers_ = DefaultSigners();
  }
  void TearDown() override {
    daemon_.Kill();
    std::filesystem::remove_all(dir_);
  }

  void Start() {
    ASSERT_TRUE(daemon_.Start({"--dev", "--listen", "127.0.0.1:0", "--db", db_}));
    auto ch = grpc::CreateChannel(daemon_.address(), grpc::InsecureChannelCredentials());
    policy_ = v1::PolicyService::NewStub(ch);
    snapshots_ = v1::SnapshotService::NewStub(ch);
    proposals_ = v1::ProposalService::NewStub(ch);
    witnesses_ = v1::WitnessService::NewStub(ch);
  }

  static std::unique_ptr<grpc::ClientContext> Ctx(const std::string& role) {
    auto c = std::make_unique<grpc::ClientContext>();
    c->AddMetadata("x-stakeward-role", role);
    c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return c;
  }

  // Invariants after a restart.
  void CheckRecovered(const Acked& a) {
    auto verdict = VerifyAuditDatabase(db_);
    ASSERT_TRUE(verdict.ok()) << verdict.status();
    ASSERT_TRUE(verdict->ok) << verdict->reason << " at " << verdict->first_bad_seq;
    if (a.policy_in_force) {
      v1::GetPolicyInForceResponse r;
      ASSERT_TRUE(policy_->GetPolicyInForce(Ctx("auditor").get(), {}, &r).ok());
    }
    if (a.snapshot) {
      v1::GetSnapshotResponse r;
      ASSERT_TRUE(snapshots_->GetSnapshot(Ctx("auditor").get(), {}, &r).ok());
    }
    if (!a.proposal.empty()) {
      v1::GetProposalRequest g;
      g.set_id(a.proposal);
      v1::GetProposalResponse r;
      ASSERT_TRUE(proposals_->GetProposal(Ctx("auditor").get(), g, &r).ok());
      std::set<std::pair<std::string, std::string>> have;
      for (const auto& tx : r.proposal().txs()) {
        for (const auto& w : tx.witnesses()) have.insert({tx.tx_id(), w.vkey()});
        // Nothing half-applied: a ready proposal has every signed transaction.
        if (r.proposal().state() == v1::PROPOSAL_STATE_READY) {
          ASSERT_FALSE(tx.signed_tx().empty());
        }
      }
      for (const auto& w : a.witnesses) ASSERT_TRUE(have.count(w)) << "acknowledged witness lost";
      ASSERT_GE(static_cast<int>(r.proposal().state()), a.state) << "acknowledged state lost";
    }
    // Reservations match open proposals exactly.
    auto db = Db::Open(db_, /*read_only=*/true);
    ASSERT_TRUE(db.ok());
    auto q = (*db)->Prepare(
        "SELECT COUNT(*) FROM reserved_inputs r JOIN proposals p ON p.id = r.proposal_id "
        "WHERE p.state NOT IN (1, 2, 6)");
    ASSERT_TRUE(q.ok());
    ASSERT_TRUE(*q->Step());
    EXPECT_EQ(q->Int(0), 0);
  }

  // One step of the round; returns true once the round is complete. Every step tolerates a
  // previous attempt that committed without an acknowledgement.
  bool Step(Acked& a, bool* acked) {
    *acked = false;
    grpc::Status st;
    if (!a.policy_in_force) {
      v1::ProposePolicyRequest req;
      req.set_document(TestPolicyYaml(signers_));
      v1::ProposePolicyResponse resp;
      st = policy_->ProposePolicy(Ctx("operator").get(), req, &resp);
      if (st.error_code() == grpc::StatusCode::ALREADY_EXISTS) {  // in force before the crash
        a.policy_in_force = true;
        return false;
      }
      if (!st.ok()) return false;
      v1::PolicyVersion p = resp.policy();
      for (int i = 0; i < 2 && !p.in_force(); ++i) {
        v1::ApprovePolicyResponse ar;
        st = policy_->ApprovePolicy(Ctx("signer:" + signers_[static_cast<size_t>(i)].name).get(),
                                    ApprovalRequest(signers_[static_cast<size_t>(i)], p), &ar);
        if (!st.ok()) return false;
        p = ar.policy();
      }
      a.policy_in_force = p.in_force();
      *acked = true;
      return false;
    }
    if (!a.snapshot) {
      v1::PushSnapshotRequest req;
      req.set_document(SampleSnapshotJson());
      v1::PushSnapshotResponse resp;
      st = snapshots_->PushSnapshot(Ctx("operator").get(), req, &resp);
      a.snapshot = *acked = st.ok();
      return false;
    }
    if (a.proposal.empty()) {
      v1::CreateProposalResponse resp;
      st = proposals_->CreateProposal(Ctx("operator").get(), {}, &resp);
      if (st.ok()) {
        a.proposal = resp.proposal().id();
        a.state = 1;
        *acked = true;
      } else if (st.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
        // Created before the crash, reply lost: find it.
        v1::ListProposalsRequest lr;
        lr.set_state(v1::PROPOSAL_STATE_OPEN);
        v1::ListProposalsResponse lresp;
        if (proposals_->ListProposals(Ctx("operator").get(), lr, &lresp).ok() &&
            lresp.proposals_size() == 1) {
          a.proposal = lresp.proposals(0).id();
          a.state = 1;
        }
      }
      return false;
    }
    v1::GetProposalRequest g;
    g.set_id(a.proposal);
    v1::GetProposalResponse gr;
    if (!proposals_->GetProposal(Ctx("auditor").get(), g, &gr).ok()) return false;
    const v1::Proposal& p = gr.proposal();
    if (p.state() == v1::PROPOSAL_STATE_OPEN) {
      // Next missing (signer, tx): alice first, then carol, one transaction per call.
      for (const TestSigner* s : {&signers_[0], &signers_[2]}) {
        for (const auto& tx : p.txs()) {
          bool signed_by = false;
          for (const auto& n : tx.signed_by()) signed_by = signed_by || n == s->name;
          if (signed_by) continue;
          v1::SubmitWitnessesRequest req = SignAll(*s, p, static_cast<int>(tx.index()));
          v1::SubmitWitnessesResponse resp;
          st = witnesses_->SubmitWitnesses(Ctx("signer:" + s->name).get(), req, &resp);
          if (st.ok()) {
            for (const auto& t : req.txs()) {
              for (const auto& w : t.witnesses()) a.witnesses.insert({t.tx_id(), w.vkey()});
            }
            a.state = std::max(a.state, static_cast<int>(resp.proposal().state()));
            *acked = true;
          }
          return false;
        }
      }
      return false;
    }
    if (p.state() == v1::PROPOSAL_STATE_READY) {
      v1::MarkSubmittedRequest req;
      req.set_id(p.id());
      for (const auto& tx : p.txs()) req.add_tx_ids(tx.tx_id());
      v1::MarkSubmittedResponse resp;
      st = proposals_->MarkSubmitted(Ctx("operator").get(), req, &resp);
      if (st.ok()) a.state = std::max(a.state, 6);
      *acked = st.ok();
      return false;
    }
    if (p.state() == v1::PROPOSAL_STATE_SUBMITTED) {
      v1::MarkConfirmedRequest req;
      req.set_id(p.id());
      for (const auto& tx : p.txs()) req.add_tx_ids(tx.tx_id());
      v1::MarkConfirmedResponse resp;
      st = proposals_->MarkConfirmed(Ctx("operator").get(), req, &resp);
      if (st.ok()) a.state = std::max(a.state, 7);
      *acked = st.ok();
      return false;
    }
    return p.state() == v1::PROPOSAL_STATE_CONFIRMED;
  }

  std::string dir_, db_;
  DaemonProcess daemon_;
  std::vector<TestSigner> signers_;
  std::unique_ptr<v1::PolicyService::Stub> policy_;
  std::unique_ptr<v1::SnapshotService::Stub> snapshots_;
  std::unique_ptr<v1::ProposalService::Stub> proposals_;
  std::unique_ptr<v1::WitnessService::Stub> witnesses_;
};

TEST_F(CrashTest, KillNineAnywhereLosesNothingAcknowledged) {
  std::mt19937 rng(20261122);
  int kills = 0, during = 0, rounds = 0;
  const auto t0 = std::chrono::steady_clock::now();
  while (kills < 100 && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(120)) {
    db_ = dir_ + "/round" + std::to_string(rounds++) + ".db";
    Acked acked;
    bool done = false;
    for (int guard = 0; !done && guard < 200; ++guard) {
      Start();
      CheckRecovered(acked);
      if (HasFatalFailure()) return;
      const bool kill_during = (rng() % 2) == 0;
      if (kill_during) {
        // Kill while the step's RPCs are in flight (a few hundred microseconds to a few ms in).
        Acked copy = acked;
        bool step_acked = false;
        auto fut = std::async(std::launch::async, [&] { return Step(copy, &step_acked); });
        std::this_thread::sleep_for(std::chrono::microseconds(200 + rng() % 4000));
        daemon_.Kill();
        done = fut.get();
        acked = copy;  // only what the daemon acknowledged before dying is recorded
        ++during;
      } else {
        bool step_acked = false;
        done = Step(acked, &step_acked);
        daemon_.Kill();
      }
      ++kills;
    }
    ASSERT_TRUE(done) << "round " << rounds << " did not complete";
    Start();
    CheckRecovered(acked);
    daemon_.Kill();
  }
  std::printf("crash test: %d kills (%d during RPCs) over %d completed rounds\n", kills, during,
              rounds);
  EXPECT_GE(kills, 60);
}

}  // namespace
}  // namespace stakeward::controller::testing
