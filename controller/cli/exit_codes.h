// The one exit-code table of the `stakeward` CLI (docs/operator-guide.md, section 10): every
// subcommand maps a failure's absl::Status through ExitCodeFor, and main maps every command-line
// error to kExitUsage, so the same error exits with the same code whichever command hit it.
#ifndef STAKEWARD_CONTROLLER_CLI_EXIT_CODES_H_
#define STAKEWARD_CONTROLLER_CLI_EXIT_CODES_H_

#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"

namespace stakeward::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 1;         // unknown command or flag, missing argument
inline constexpr int kExitInvalidInput = 2;  // bad input, not found, out of range
inline constexpr int kExitDenied = 3;    // permission, policy, failed precondition, already exists
inline constexpr int kExitDevice = 4;    // device, user, network, unavailable, deadline
inline constexpr int kExitInternal = 5;  // internal error, data loss

inline constexpr char kExitCodesHelp[] =
    "Exit codes: 0 ok, 1 usage, 2 invalid input or not found, 3 denied or precondition failed, "
    "4 device, user or network, 5 internal or data loss (docs/operator-guide.md, section 10).";

inline int ExitCodeFor(const absl::Status& s) {
  switch (s.code()) {
    case absl::StatusCode::kOk:
      return kExitOk;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kOutOfRange:
      return kExitInvalidInput;
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kAlreadyExists:
      return kExitDenied;
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kDataLoss:
      return kExitInternal;
    default:  // unavailable, deadline, cancelled, aborted, resource exhausted, unknown
      return kExitDevice;
  }
}

// Ends the command with the status's message and its code from the table.
[[noreturn]] inline void ThrowStatus(const absl::Status& s) {
  throw CLI::RuntimeError(std::string(s.message()), ExitCodeFor(s));
}

}  // namespace stakeward::cli

#endif  // STAKEWARD_CONTROLLER_CLI_EXIT_CODES_H_
