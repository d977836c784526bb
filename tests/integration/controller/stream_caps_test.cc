// Issue 15: server streams are capped per caller and in total, and end at the maximum duration;
// unary calls keep working while the caps are reached.
#include <memory>
#include <vector>

#include "tests/integration/controller/round_fixture.h"

namespace stakeward::controller::testing {
namespace {

class StreamCapsTest : public ControllerRound {
 protected:
  void Restart(const StreamCaps& caps) {
    StopDaemon();
    server_options_.streams = caps;
    StartDaemon();
    InstallPolicy();  // audit entries to stream
  }

  struct Open {
    std::unique_ptr<grpc::ClientContext> ctx;
    std::unique_ptr<grpc::ClientReader<v1::AuditEntry>> reader;
  };
  // Opens StreamAudit as `role` and reads the first entry: once it arrives the daemon holds the
  // stream's place. An empty reader means the stream ended at once (refused).
  Open OpenStream(const std::string& role, bool* got_entry) {
    Open o;
    o.ctx = Ctx(role);
    v1::StreamAuditRequest req;
    req.set_from_seq(1);
    o.reader = audit_->StreamAudit(o.ctx.get(), req);
    v1::AuditEntry e;
    *got_entry = o.reader->Read(&e);
    return o;
  }
};

TEST_F(StreamCapsTest, RefusedPastThePerCallerAndTotalCaps) {
  Restart(StreamCaps{2, 3, absl::Hours(1)});
  std::vector<Open> held;
  bool got = false;
  for (int i = 0; i < 2; ++i) {
    held.push_back(OpenStream("auditor", &got));
    ASSERT_TRUE(got) << i;
  }
  Open third = OpenStream("auditor", &got);
  EXPECT_FALSE(got);
  grpc::Status st = third.reader->Finish();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(st.error_message().find("per-caller"), std::string::npos) << st.error_message();

  held.push_back(OpenStream("operator", &got));
  ASSERT_TRUE(got);
  // operator holds one of its two places, but all three places are taken.
  Open over = OpenStream("operator", &got);
  EXPECT_FALSE(got);
  st = over.reader->Finish();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(st.error_message().find("its limit"), std::string::npos) << st.error_message();

  // Unary calls are not counted against the streams.
  v1::GetStatusResponse status;
  EXPECT_TRUE(status_->GetStatus(Ctx("signer:alice").get(), v1::GetStatusRequest(), &status).ok());

  for (Open& o : held) o.ctx->TryCancel();
  for (Open& o : held) EXPECT_EQ(o.reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(StreamCapsTest, StreamEndsAtTheMaximumDuration) {
  Restart(StreamCaps{2, 3, absl::Milliseconds(1)});
  bool got = false;
  Open o = OpenStream("auditor", &got);
  ASSERT_TRUE(got);
  v1::AuditEntry e;
  while (o.reader->Read(&e)) {
  }
  grpc::Status st = o.reader->Finish();
  EXPECT_EQ(st.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_NE(st.error_message().find("maximum stream duration"), std::string::npos)
      << st.error_message();
}

}  // namespace
}  // namespace stakeward::controller::testing
