// EVM node errors → absl::Status with the next step for the operator, keeping the node's raw code
// and message. One function for every node (geth, reth, anvil and Milkomeda's share the txpool
// error strings of go-ethereum core/txpool/errors.go and core/error.go).
#ifndef STAKEWARD_L2_EVM_ERRORS_H_
#define STAKEWARD_L2_EVM_ERRORS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace stakeward::l2 {

absl::Status TranslateNodeError(absl::string_view method, int64_t code, absl::string_view message,
                                absl::string_view data);

}  // namespace stakeward::l2

#endif  // STAKEWARD_L2_EVM_ERRORS_H_
