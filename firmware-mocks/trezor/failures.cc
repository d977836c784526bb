#include "firmware-mocks/trezor/failures.h"

#include <string>

namespace stakeward::mocks::trezor {

using hw::trezor::messages::common::Failure;

absl::Status DataError(absl::string_view message) { return absl::InvalidArgumentError(message); }
absl::Status ProcessError(absl::string_view message) {
  return absl::FailedPreconditionError(message);
}
absl::Status ActionCancelled(absl::string_view message) { return absl::CancelledError(message); }
absl::Status UnexpectedMessage(absl::string_view message) {
  return absl::UnimplementedError(message);
}
absl::Status FirmwareError(absl::string_view message) { return absl::InternalError(message); }

Failure ToFailure(const absl::Status& status) {
  Failure f;
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
      f.set_code(Failure::Failure_DataError);
      break;
    case absl::StatusCode::kFailedPrecondition:
      f.set_code(Failure::Failure_ProcessError);
      break;
    case absl::StatusCode::kCancelled:
      f.set_code(Failure::Failure_ActionCancelled);
      break;
    case absl::StatusCode::kUnimplemented:
      f.set_code(Failure::Failure_UnexpectedMessage);
      break;
    default:
      f.set_code(Failure::Failure_FirmwareError);
      break;
  }
  f.set_message(std::string(status.message()));
  return f;
}

}  // namespace stakeward::mocks::trezor
