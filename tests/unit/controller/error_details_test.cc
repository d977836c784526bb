// Errors reach clients as gRPC codes plus google.rpc.Status details (ErrorInfo), and internal
// diagnostics never leave the controller.
#include "absl/status/status.h"
#include "controller/daemon/proto_convert.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace stakeward::controller {
namespace {

google::rpc::ErrorInfo Info(const grpc::Status& s) {
  google::rpc::Status rich;
  EXPECT_TRUE(rich.ParseFromString(s.error_details()));
  EXPECT_EQ(rich.code(), static_cast<int>(s.error_code()));
  EXPECT_EQ(rich.message(), s.error_message());
  EXPECT_EQ(rich.details_size(), 1);
  google::rpc::ErrorInfo info;
  EXPECT_TRUE(rich.details(0).UnpackTo(&info));
  return info;
}

TEST(ErrorDetailsTest, CodesMapOneToOneWithErrorInfo) {
  struct Row {
    absl::Status in;
    grpc::StatusCode code;
    const char* reason;
  };
  const Row rows[] = {
      {absl::InvalidArgumentError("bad hex"), grpc::INVALID_ARGUMENT, "INVALID_ARGUMENT"},
      {absl::PermissionDeniedError("role"), grpc::PERMISSION_DENIED, "PERMISSION_DENIED"},
      {absl::FailedPreconditionError("spent"), grpc::FAILED_PRECONDITION, "FAILED_PRECONDITION"},
      {absl::NotFoundError("no such proposal"), grpc::NOT_FOUND, "NOT_FOUND"},
      {absl::CancelledError("user rejected"), grpc::CANCELLED, "CANCELLED"},
      {absl::UnavailableError("device gone"), grpc::UNAVAILABLE, "UNAVAILABLE"},
      {absl::DeadlineExceededError("timeout"), grpc::DEADLINE_EXCEEDED, "DEADLINE_EXCEEDED"},
  };
  for (const Row& r : rows) {
    grpc::Status s = ToGrpcStatus(r.in);
    EXPECT_EQ(s.error_code(), r.code) << r.reason;
    EXPECT_EQ(s.error_message(), std::string(r.in.message()));
    google::rpc::ErrorInfo info = Info(s);
    EXPECT_EQ(info.reason(), r.reason);
    EXPECT_EQ(info.domain(), "stakeward.v1");
  }
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

TEST(ErrorDetailsTest, InternalDiagnosticsStayInside) {
  grpc::Status s = ToGrpcStatus(absl::InternalError("sqlite: disk I/O error at /var/lib/x.db"));
  EXPECT_EQ(s.error_code(), grpc::INTERNAL);
  EXPECT_EQ(s.error_message().find("sqlite"), std::string::npos);
  EXPECT_EQ(s.error_details().find("sqlite"), std::string::npos);
  EXPECT_EQ(Info(s).reason(), "INTERNAL");
}

}  // namespace
}  // namespace stakeward::controller
