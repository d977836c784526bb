// Fixture for the rewards integration tests: the controller round fixture (in-process daemon in
// dev mode over a fresh database, software keys equal to the mocks' keys) plus the
// RewardsService stub, snapshots of chosen epochs and reward balances, and the operator's
// Ethereum key (m/44'/60'/0'/0/0 of the Trezor mock's default seed).
#ifndef STAKEWARD_TESTS_INTEGRATION_REWARDS_REWARDS_FIXTURE_H_
#define STAKEWARD_TESTS_INTEGRATION_REWARDS_REWARDS_FIXTURE_H_

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "chain/evm.h"
#include "controller/client/api_client.h"
#include "proto/stakeward/v1/rewards.grpc.pb.h"
#include "tests/integration/controller/round_fixture.h"

namespace stakeward::controller::testing {

// The sample snapshot at `epoch` with the given per-slot reward balances (slots 0..n-1) and a
// treasury UTxO whose transaction id is derived from `epoch` (a new one each epoch).
std::string RewardSnapshotJson(uint64_t epoch, const std::vector<uint64_t>& rewards);

// The operator's key and address: m/44'/60'/0'/0/0 of the "all all ... all" seed.
chain::evm::Secp256k1Key OperatorKey();
std::string OperatorAddress();

// The signed raw transaction of a reserved deposit, signed with `key`.
std::string SignReserved(const v1::L2Deposit& d, const chain::evm::Secp256k1Key& key);

// `stakeward ARGS` from the build's bin directory: exit code, stdout, and stderr (for messages).
struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
CliResult RunCli(const std::string& args);

// The stubs of a daemon the test talks to over gRPC in dev mode.
struct RewardStubs {
  v1::PolicyService::Stub* policy = nullptr;
  v1::SnapshotService::Stub* snapshots = nullptr;
  v1::ProposalService::Stub* proposals = nullptr;
  v1::WitnessService::Stub* witnesses = nullptr;
  v1::RewardsService::Stub* rewards = nullptr;
};
// The reward round of `epoch` up to L1_CONFIRMED on a fresh database: `policy_yaml` proposed and
// approved by alice and carol, the epoch's reward snapshot pushed, the reward proposal built for
// OperatorAddress(), signed by alice and carol, marked submitted and confirmed by the operator.
void ConfirmRewardRound(const RewardStubs& s, const std::string& policy_yaml, uint64_t epoch);

class RewardsRound : public ControllerRound {
 protected:
  void SetUp() override;
  void Restart();  // stops and restarts the in-process daemon on the same database

  grpc::Status PushSnapshot(const std::string& json);
  grpc::Status Build(uint64_t epoch, v1::BuildRewardProposalResponse* resp,
                     const std::string& role = "operator");
  // alice and carol sign every transaction; returns the proposal after the last submission.
  v1::Proposal SignByTwo(const v1::Proposal& p);
  // Export, submitted, confirmed (as the operator).
  void ExportAndConfirm(const v1::Proposal& p);
  v1::ReserveDepositRequest DepositRequest(uint64_t epoch, const std::string& request_id);
  // Reserve, sign with the operator key, store. Returns the stored deposit.
  v1::StoreDepositResponse DepositOnce(uint64_t epoch, const std::string& request_id);
  v1::EpochLedger Epoch(uint64_t epoch, grpc::Status* st, const std::string& role = "auditor");
  // A review as alice against the running daemon, trusting policy version 1 (which she approved).
  ClientOptions AliceClient();
  std::set<chain::Hash32> AnchorV1();

  std::unique_ptr<v1::RewardsService::Stub> rewards_;
};

}  // namespace stakeward::controller::testing

#endif  // STAKEWARD_TESTS_INTEGRATION_REWARDS_REWARDS_FIXTURE_H_
