// The firmware's wire errors (trezor-firmware core/src/trezor/wire/errors.py) carried through the
// mock as absl::Status, and their conversion to a Failure message (wire id 3).
#ifndef STAKEWARD_FIRMWARE_MOCKS_TREZOR_FAILURES_H_
#define STAKEWARD_FIRMWARE_MOCKS_TREZOR_FAILURES_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "proto/trezor/messages_common.pb.h"

namespace stakeward::mocks::trezor {

using FailureType = hw::trezor::messages::common::Failure::FailureType;

// One status code per firmware error class, so a handler can return the class it means.
absl::Status DataError(absl::string_view message);
absl::Status ProcessError(absl::string_view message);
absl::Status ActionCancelled(absl::string_view message = "Cancelled");
absl::Status UnexpectedMessage(absl::string_view message = "Unexpected message");
absl::Status FirmwareError(absl::string_view message);

// Maps a status produced by the helpers above to the Failure the firmware would send.
hw::trezor::messages::common::Failure ToFailure(const absl::Status& status);

}  // namespace stakeward::mocks::trezor

#endif  // STAKEWARD_FIRMWARE_MOCKS_TREZOR_FAILURES_H_
