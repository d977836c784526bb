// A fake controller for the trust tests: a gRPC server implementing the stakeward.v1 calls the
// signer's and the operator's CLI make, answering from a recorded round (which a test row may
// have changed). It believes nothing and checks nothing; it counts the calls that would change
// state (SubmitWitnesses, StoreDeposit) so a test can show they never happened.
#ifndef STAKEWARD_TESTS_INTEGRATION_TRUST_FAKE_CONTROLLER_H_
#define STAKEWARD_TESTS_INTEGRATION_TRUST_FAKE_CONTROLLER_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "grpcpp/grpcpp.h"
#include "proto/stakeward/v1/audit.pb.h"
#include "proto/stakeward/v1/policy.pb.h"
#include "proto/stakeward/v1/proposal.pb.h"
#include "proto/stakeward/v1/rewards.pb.h"

namespace stakeward::controller::testing {

// What the controller said in an honest round, as the CLI asks for it.
struct RecordedRound {
  std::map<uint64_t, v1::PolicyVersion> policies;  // GetPolicy(version)
  uint64_t newest_policy = 0;                      // GetPolicy(0)
  v1::PolicyVersion in_force;                      // GetPolicyInForce
  v1::Proposal proposal;                           // GetProposal (any id)
  std::map<std::string, std::string> snapshots;    // GetSnapshot: hash bytes -> document
  std::string caller;                              // GetStatus().caller
  bool has_epoch = false;
  v1::EpochLedger epoch;                   // GetEpoch
  v1::ReserveDepositResponse reservation;  // ReserveDeposit
  v1::ExportProposalResponse exported;     // ExportProposal
};

class FakeController {
 public:
  explicit FakeController(RecordedRound round);
  ~FakeController();
  FakeController(const FakeController&) = delete;
  FakeController& operator=(const FakeController&) = delete;

  // Listens on 127.0.0.1 (a free port); false if the server did not start.
  bool Start();
  int port() const { return port_; }
  std::string Address() const { return "127.0.0.1:" + std::to_string(port_); }

  int submit_witnesses_calls() const { return submit_calls_->load(); }
  int store_deposit_calls() const { return store_calls_->load(); }

 private:
  class Services;
  RecordedRound round_;
  std::shared_ptr<std::atomic<int>> submit_calls_ = std::make_shared<std::atomic<int>>(0);
  std::shared_ptr<std::atomic<int>> store_calls_ = std::make_shared<std::atomic<int>>(0);
  std::unique_ptr<Services> services_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace stakeward::controller::testing

#endif  // STAKEWARD_TESTS_INTEGRATION_TRUST_FAKE_CONTROLLER_H_
