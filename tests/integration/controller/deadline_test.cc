// Deadlines on every RPC: a stakeward.v1 call without a client deadline is refused with
// INVALID_ARGUMENT before identity, role or any work (unary and streaming alike), the same call
// with a deadline goes through, and the standard health check stays usable by deadline-less probes.
#include <future>
#include <vector>

#include "grpcpp/generic/generic_stub.h"
#include "tests/integration/controller/round_fixture.h"

namespace stakeward::controller::testing {
namespace {

class DeadlineTest : public ControllerRound {
 protected:
  static std::unique_ptr<grpc::ClientContext> NoDeadline(const std::string& role) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->AddMetadata("x-stakeward-role", role);
    return ctx;
  }
};

TEST_F(DeadlineTest, UnaryCallWithoutDeadlineIsRefused) {
  v1::GetStatusResponse resp;
  grpc::Status st = status_->GetStatus(NoDeadline("auditor").get(), {}, &resp);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(st.error_message().find("deadline"), std::string::npos) << st.error_message();
  EXPECT_TRUE(resp.version().empty());
  // The very same call with a deadline succeeds.
  st = status_->GetStatus(Ctx("auditor").get(), {}, &resp);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(resp.caller(), "auditor:dev");
}

TEST_F(DeadlineTest, RefusalComesBeforeAnyWork) {
  InstallPolicy();
  // A mutating call without a deadline changes nothing, even from an authorised role.
  v1::PushSnapshotRequest push;
  push.set_document(SampleSnapshotJson());
  v1::PushSnapshotResponse presp;
  EXPECT_EQ(snapshots_->PushSnapshot(NoDeadline("operator").get(), push, &presp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::GetSnapshotResponse gs;
  EXPECT_EQ(snapshots_->GetSnapshot(Ctx("operator").get(), {}, &gs).error_code(),
            grpc::StatusCode::NOT_FOUND);
  // No identity at all and no deadline: the deadline is reported (checked first).
  v1::GetStatusResponse sresp;
  EXPECT_EQ(status_->GetStatus(NoDeadline("").get(), {}, &sresp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status_->GetStatus(Ctx("").get(), {}, &sresp).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(DeadlineTest, StreamsNeedADeadlineToo) {
  v1::StreamAuditRequest req;
  req.set_from_seq(1);
  auto ctx = NoDeadline("auditor");
  auto reader = audit_->StreamAudit(ctx.get(), req);
  v1::AuditEntry e;
  EXPECT_FALSE(reader->Read(&e));
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);

  v1::WatchProposalRequest w;
  w.set_id("prop-0000000000000000");
  auto wctx = NoDeadline("auditor");
  auto wreader = proposals_->WatchProposal(wctx.get(), w);
  v1::ProposalEvent ev;
  EXPECT_FALSE(wreader->Read(&ev));
  EXPECT_EQ(wreader->Finish().error_code(), grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(DeadlineTest, HealthCheckIsExempt) {
  // grpc.health.v1.Health/Check with an empty HealthCheckRequest (service ""), sent raw.
  grpc::GenericStub stub(channel_);
  grpc::ClientContext ctx;  // no deadline, as many load-balancer probes send it
  // Health goes through the role table like every RPC (issue 15); the probe has a role, not a
  // deadline.
  ctx.AddMetadata("x-stakeward-role", "auditor");
  grpc::Slice empty("");
  grpc::ByteBuffer req(&empty, 1);
  grpc::ByteBuffer resp;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&ctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &req, &resp,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  std::future<grpc::Status> f = done.get_future();
  ASSERT_EQ(f.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  grpc::Status st = f.get();
  ASSERT_TRUE(st.ok()) << st.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(resp.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& s : slices)
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  // HealthCheckResponse{status: SERVING (1)} = field 1, varint 1 (grpc/health/v1/health.proto).
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));
}

// Bytes that do not decode as the request message are bad input, not a server fault (issue 15:
// they got INTERNAL with an empty message).
TEST_F(DeadlineTest, UndecodableRequestIsInvalidArgument) {
  InstallPolicy();
  // GetProposalRequest{id: …}: a length beyond the end; a string that is not UTF-8 (proto3).
  for (const std::string& bytes : {std::string("\x0a\x05"
                                               "ab",
                                               4),
                                   std::string("\x0a\x02\xff\xfe", 4)}) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext ctx;
    ctx.AddMetadata("x-stakeward-role", "operator");
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    grpc::Slice slice(bytes);
    grpc::ByteBuffer req(&slice, 1);
    grpc::ByteBuffer resp;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&ctx, "/stakeward.v1.ProposalService/GetProposal", grpc::StubOptions(), &req,
                   &resp, [&done](grpc::Status s) { done.set_value(std::move(s)); });
    std::future<grpc::Status> f = done.get_future();
    ASSERT_EQ(f.wait_for(std::chrono::seconds(30)), std::future_status::ready);
    const grpc::Status st = f.get();
    EXPECT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << st.error_message();
    EXPECT_NE(st.error_message().find("not a valid protobuf message"), std::string::npos)
        << st.error_message();
  }
}

}  // namespace
}  // namespace stakeward::controller::testing
