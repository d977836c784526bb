#include "devices/trezor/errors.h"

#include "absl/strings/str_format.h"

namespace stakeward::devices::trezor {

absl::Status PinRequestedOnHost() {
  return absl::FailedPreconditionError(
      "Trezor: the device is locked and wants its PIN typed on the computer (PinMatrixRequest, "
      "a Trezor One); Stakeward takes no PIN on the host: unlock the Trezor in Trezor Suite, "
      "keep it plugged in, and retry");
}

absl::Status TranslateFailure(int code, absl::string_view text, absl::string_view operation) {
  auto msg = [&](absl::string_view what) {
    return absl::StrFormat("Trezor %s: %s (Failure code %d: \"%s\")", operation, what, code, text);
  };
  // Numbers: Failure.FailureType, trezor.md §3.1.
  switch (code) {
    case 4:  // ActionCancelled
      return absl::CancelledError(msg("cancelled on the device"));
    case 6:  // PinCancelled
      return absl::CancelledError(
          msg("PIN entry was cancelled on the device; retry and enter the PIN on the Trezor"));
    case 5:   // PinExpected
    case 12:  // PinMismatch
      return absl::FailedPreconditionError(
          msg("the device is locked: unlock it with your PIN on the Trezor and retry"));
    case 7:  // PinInvalid
      return absl::FailedPreconditionError(
          msg("wrong PIN: retry and enter the correct PIN on the Trezor (too many wrong PINs "
              "wipe the device)"));
    case 11:  // NotInitialized
      return absl::FailedPreconditionError(msg("the device is not initialised: set it up first"));
    case 17:  // InvalidProtocol: a THP-only device (Safe 7)
      return absl::FailedPreconditionError(
          msg("this Trezor speaks only the THP protocol, which Stakeward does not support"));
    case 3:  // DataError
    case 9:  // ProcessError
      return absl::InvalidArgumentError(msg("the device rejected the request"));
    case 14:  // InvalidSession
    case 15:  // Busy
    case 19:  // InProgress
      return absl::UnavailableError(msg("the device is busy with another session; retry"));
    case 1:  // UnexpectedMessage
    case 2:  // ButtonExpected
      return absl::InternalError(msg("protocol out of step with the device"));
    case 99:  // FirmwareError
      return absl::InternalError(msg("firmware error"));
    default:
      return absl::UnknownError(msg("unexpected failure"));
  }
}

}  // namespace stakeward::devices::trezor
