// The one place where Trezor Failure messages become absl::Status codes; the raw FailureType and
// the device's text are kept in the message.
#ifndef STAKEWARD_DEVICES_TREZOR_ERRORS_H_
#define STAKEWARD_DEVICES_TREZOR_ERRORS_H_

#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace stakeward::devices::trezor {

// `code` is Failure.code (trezor.md §3.1 Failure.FailureType), `text` Failure.message.
// The device asked for its PIN on the host (PinMatrixRequest: a Trezor One, or an old firmware).
absl::Status PinRequestedOnHost();

absl::Status TranslateFailure(int code, absl::string_view text, absl::string_view operation);

}  // namespace stakeward::devices::trezor

#endif  // STAKEWARD_DEVICES_TREZOR_ERRORS_H_
