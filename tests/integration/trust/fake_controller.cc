#include "tests/integration/trust/fake_controller.h"

#include <utility>

#include "proto/stakeward/v1/audit.grpc.pb.h"
#include "proto/stakeward/v1/policy.grpc.pb.h"
#include "proto/stakeward/v1/proposal.grpc.pb.h"
#include "proto/stakeward/v1/rewards.grpc.pb.h"
#include "proto/stakeward/v1/snapshot.grpc.pb.h"

namespace stakeward::controller::testing {
namespace {

using grpc::ServerContext;
using grpc::Status;

class FakePolicy final : public v1::PolicyService::Service {
 public:
  explicit FakePolicy(const RecordedRound* r) : r_(r) {}
  Status GetPolicy(ServerContext*, const v1::GetPolicyRequest* req,
                   v1::GetPolicyResponse* resp) override {
    const uint64_t v = req->version() == 0 ? r_->newest_policy : req->version();
    auto it = r_->policies.find(v);
    if (it == r_->policies.end()) return Status(grpc::StatusCode::NOT_FOUND, "no such version");
    *resp->mutable_policy() = it->second;
    return Status::OK;
  }
  Status GetPolicyInForce(ServerContext*, const v1::GetPolicyInForceRequest*,
                          v1::GetPolicyInForceResponse* resp) override {
    *resp->mutable_policy() = r_->in_force;
    return Status::OK;
  }

 private:
  const RecordedRound* r_;
};

class FakeProposals final : public v1::ProposalService::Service {
 public:
  explicit FakeProposals(const RecordedRound* r) : r_(r) {}
  Status GetProposal(ServerContext*, const v1::GetProposalRequest* req,
                     v1::GetProposalResponse* resp) override {
    if (req->id() != r_->proposal.id())
      return Status(grpc::StatusCode::NOT_FOUND, "no such proposal");
    *resp->mutable_proposal() = r_->proposal;
    return Status::OK;
  }
  Status ExportProposal(ServerContext*, const v1::ExportProposalRequest*,
                        v1::ExportProposalResponse* resp) override {
    *resp = r_->exported;
    return Status::OK;
  }

 private:
  const RecordedRound* r_;
};

class FakeSnapshots final : public v1::SnapshotService::Service {
 public:
  explicit FakeSnapshots(const RecordedRound* r) : r_(r) {}
  Status GetSnapshot(ServerContext*, const v1::GetSnapshotRequest* req,
                     v1::GetSnapshotResponse* resp) override {
    auto it = r_->snapshots.find(req->hash());
    if (it == r_->snapshots.end()) return Status(grpc::StatusCode::NOT_FOUND, "no such snapshot");
    resp->mutable_snapshot()->set_hash(it->first);
    resp->set_document(it->second);
    return Status::OK;
  }

 private:
  const RecordedRound* r_;
};

class FakeStatus final : public v1::StatusService::Service {
 public:
  explicit FakeStatus(const RecordedRound* r) : r_(r) {}
  Status GetStatus(ServerContext*, const v1::GetStatusRequest*,
                   v1::GetStatusResponse* resp) override {
    resp->set_dev_mode(true);
    resp->set_policy_in_force(r_->in_force.version());
    resp->set_latest_policy(r_->newest_policy);
    resp->set_caller(r_->caller);
    return Status::OK;
  }

 private:
  const RecordedRound* r_;
};

class FakeWitnesses final : public v1::WitnessService::Service {
 public:
  FakeWitnesses(const RecordedRound* r, std::shared_ptr<std::atomic<int>> calls)
      : r_(r), calls_(std::move(calls)) {}
  Status SubmitWitnesses(ServerContext*, const v1::SubmitWitnessesRequest* req,
                         v1::SubmitWitnessesResponse* resp) override {
    ++*calls_;
    int n = 0;
    for (const v1::TxWitnesses& t : req->txs()) n += t.witnesses_size();
    resp->set_accepted(static_cast<uint32_t>(n));
    *resp->mutable_proposal() = r_->proposal;
    return Status::OK;
  }

 private:
  const RecordedRound* r_;
  std::shared_ptr<std::atomic<int>> calls_;
};

class FakeRewards final : public v1::RewardsService::Service {
 public:
  FakeRewards(const RecordedRound* r, std::shared_ptr<std::atomic<int>> calls)
      : r_(r), calls_(std::move(calls)) {}
  Status GetEpoch(ServerContext*, const v1::GetEpochRequest*, v1::GetEpochResponse* resp) override {
    if (!r_->has_epoch) return Status(grpc::StatusCode::NOT_FOUND, "no such epoch");
    *resp->mutable_epoch() = r_->epoch;
    return Status::OK;
  }
  Status ReserveDeposit(ServerContext*, const v1::ReserveDepositRequest*,
                        v1::ReserveDepositResponse* resp) override {
    *resp = r_->reservation;
    return Status::OK;
  }
  Status StoreDeposit(ServerContext*, const v1::StoreDepositRequest* req,
                      v1::StoreDepositResponse* resp) override {
    ++*calls_;
    *resp->mutable_deposit() = r_->reservation.deposit();
    resp->mutable_deposit()->set_state(v1::DEPOSIT_STATE_SIGNED);
    resp->mutable_deposit()->set_raw_tx(req->raw_tx());
    resp->mutable_deposit()->set_tx_hash("0x00");
    return Status::OK;
  }

 private:
  const RecordedRound* r_;
  std::shared_ptr<std::atomic<int>> calls_;
};

}  // namespace

class FakeController::Services {
 public:
  Services(const RecordedRound* r, std::shared_ptr<std::atomic<int>> submits,
           std::shared_ptr<std::atomic<int>> stores)
      : policy(r),
        proposals(r),
        snapshots(r),
        status(r),
        witnesses(r, std::move(submits)),
        rewards(r, std::move(stores)) {}
  FakePolicy policy;
  FakeProposals proposals;
  FakeSnapshots snapshots;
  FakeStatus status;
  FakeWitnesses witnesses;
  FakeRewards rewards;
};

FakeController::FakeController(RecordedRound round) : round_(std::move(round)) {}

FakeController::~FakeController() {
  if (server_) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
}

bool FakeController::Start() {
  services_ = std::make_unique<Services>(&round_, submit_calls_, store_calls_);
  grpc::ServerBuilder b;
  b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
  b.SetMaxReceiveMessageSize(8 << 20);
  b.SetMaxSendMessageSize(64 << 20);
  b.RegisterService(&services_->policy);
  b.RegisterService(&services_->proposals);
  b.RegisterService(&services_->snapshots);
  b.RegisterService(&services_->status);
  b.RegisterService(&services_->witnesses);
  b.RegisterService(&services_->rewards);
  server_ = b.BuildAndStart();
  return server_ != nullptr && port_ > 0;
}

}  // namespace stakeward::controller::testing
