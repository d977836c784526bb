// Test fixture for the controller: a stakewardd (in-process DaemonServer, dev mode on loopback)
// over a fresh database, typed stubs with the role header and a deadline on every call, and
// in-process signer keys derived from the mocks' mnemonics.
#ifndef STAKEWARD_TESTS_INTEGRATION_CONTROLLER_ROUND_FIXTURE_H_
#define STAKEWARD_TESTS_INTEGRATION_CONTROLLER_ROUND_FIXTURE_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "chain/keys.h"
#include "controller/daemon/controller.h"
#include "controller/daemon/server.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/stakeward/v1/audit.grpc.pb.h"
#include "proto/stakeward/v1/policy.grpc.pb.h"
#include "proto/stakeward/v1/proposal.grpc.pb.h"
#include "proto/stakeward/v1/snapshot.grpc.pb.h"

namespace stakeward::controller::testing {

std::string ReadTextFile(const std::string& path);

// A signer whose keys the test holds (derived as the mock device with that mnemonic does).
struct TestSigner {
  std::string name;
  std::string mnemonic;
  chain::Derivation derivation;
  chain::XPrv root;
  chain::XPub account_xpub;
  chain::XPrv Key(const std::string& path) const;
};
std::vector<TestSigner> DefaultSigners();  // alice (trezor "all"), bob, carol (speculos seed)
// dave: a Ledger holding the "all" seed (mock-ledger --mnemonic "all ..."), keys unlike alice's.
TestSigner DaveOnLedger();

// The sample policy with its signers replaced by `signers` (and optionally the threshold).
std::string TestPolicyYaml(const std::vector<TestSigner>& signers, int threshold = 2);
std::string SampleSnapshotJson();
// The sample snapshot with another slot number (for expiry) or without an input (supersession).
std::string SnapshotWithSlot(uint64_t slot);

// Witnesses of `s` for every transaction of `p` (or only transaction `only_tx`).
v1::SubmitWitnessesRequest SignAll(const TestSigner& s, const v1::Proposal& p, int only_tx = -1);
// The version's hash as a trust anchor (the bytes the controller sent).
chain::Hash32 HashOf(const v1::PolicyVersion& p);
// Signs the policy's approval body with the signer's account/0/0 key.
v1::ApprovePolicyRequest ApprovalRequest(const TestSigner& s, const v1::PolicyVersion& p);

class ControllerRound : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // (Re)starts the daemon on the same database.
  void StartDaemon();
  void StopDaemon();

  std::unique_ptr<grpc::ClientContext> Ctx(const std::string& role, int deadline_ms = 20000);

  // Proposes the test policy and approves it with the first `threshold` signers.
  v1::PolicyVersion InstallPolicy(int approvals = 2);
  v1::PolicyVersion Approve(const TestSigner& s, const v1::PolicyVersion& p, grpc::Status* st);
  v1::Proposal CreateProposal(grpc::Status* st);
  // Signs every transaction with every key the signer must use.
  v1::SubmitWitnessesRequest WitnessesFor(const TestSigner& s, const v1::Proposal& p);

  std::string dir_;
  std::string db_path_;
  std::unique_ptr<Controller> controller_;
  std::unique_ptr<DaemonServer> server_;
  ServerOptions server_options_;
  // When set, StartDaemon gives the server the chain link this returns for the new controller.
  std::function<ChainWatcher*(Controller*)> chain_factory_;
  // Moves the controller's clock forward (lease expiry without sleeping).
  void AdvanceClock(absl::Duration d) { clock_advance_us_ += absl::ToInt64Microseconds(d); }
  std::atomic<int64_t> clock_advance_us_{
      0};  // StartDaemon sets listen, dev_mode and the message size
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::PolicyService::Stub> policy_;
  std::unique_ptr<v1::SnapshotService::Stub> snapshots_;
  std::unique_ptr<v1::PlanService::Stub> plans_;
  std::unique_ptr<v1::ProposalService::Stub> proposals_;
  std::unique_ptr<v1::WitnessService::Stub> witnesses_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  std::unique_ptr<v1::StatusService::Stub> status_;
  std::vector<TestSigner> signers_;
};

}  // namespace stakeward::controller::testing

#endif  // STAKEWARD_TESTS_INTEGRATION_CONTROLLER_ROUND_FIXTURE_H_
