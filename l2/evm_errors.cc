#include "l2/evm_errors.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace stakeward::l2 {
namespace {

struct Rule {
  const char* needle;  // lower-case substring of the node's message
  absl::StatusCode code;
  const char* advice;
};

// Messages from go-ethereum core/error.go and core/txpool/errors.go (anvil and reth use the same
// text); the first match wins, so the more specific ones come first.
constexpr Rule kRules[] = {
    {"nonce too low", absl::StatusCode::kFailedPrecondition,
     "this nonce is already used by a mined transaction: if it was a deposit, adopt it from the "
     "contract's events instead of signing again; otherwise read the pending nonce and re-sign"},
    {"nonce too high", absl::StatusCode::kFailedPrecondition,
     "there is a gap before this nonce: read the account's pending nonce and re-sign with it"},
    {"replacement transaction underpriced", absl::StatusCode::kFailedPrecondition,
     "a transaction with this nonce is pending: a replacement must raise both the max fee and the "
     "priority fee (by at least 10 %), or wait for the pending one"},
    {"already known", absl::StatusCode::kAlreadyExists,
     "the node already has this exact transaction: wait for its receipt"},
    {"less than block base fee", absl::StatusCode::kFailedPrecondition,
     "the max fee per gas is below the block's base fee: re-sign with a higher max fee (or raise "
     "the operator's fee cap)"},
    {"insufficient funds", absl::StatusCode::kFailedPrecondition,
     "the account cannot pay gas × max fee + value: fund the operator's L2 account"},
    {"chain id", absl::StatusCode::kFailedPrecondition,
     "the transaction was signed for another chain: check the node's chain id against the policy's "
     "l2_chain_id"},
    {"intrinsic gas too low", absl::StatusCode::kFailedPrecondition,
     "the gas limit is below the transaction's intrinsic cost: re-sign with a higher gas limit"},
    {"exceeds block gas limit", absl::StatusCode::kFailedPrecondition,
     "the gas limit is above the block gas limit: re-sign with a lower gas limit"},
    {"underpriced", absl::StatusCode::kFailedPrecondition,
     "the node's pool refuses fees this low: raise the priority fee"},
    {"execution reverted", absl::StatusCode::kFailedPrecondition,
     "the contract refused the call: check the contract address, the value and the call data"},
};

}  // namespace

absl::Status TranslateNodeError(absl::string_view method, int64_t code, absl::string_view message,
                                absl::string_view data) {
  const std::string lower = absl::AsciiStrToLower(message.substr(0, 300));
  const std::string raw = absl::StrCat("(node: code ", code, " \"", message.substr(0, 300), "\"",
                                       data.empty() ? "" : absl::StrCat(" data ", data.substr(0, 200)),
                                       ")");
  for (const Rule& r : kRules) {
    if (absl::StrContains(lower, r.needle)) {
      return absl::Status(r.code, absl::StrCat(method, ": ", r.advice, " ", raw));
    }
  }
  // JSON-RPC 2.0 reserved codes.
  if (code == -32601) {
    return absl::UnimplementedError(
        absl::StrCat(method, ": the node does not offer this method; use an execution client "
                             "with the standard eth_ API ", raw));
  }
  if (code == -32602 || code == -32600 || code == -32700) {
    return absl::InvalidArgumentError(absl::StrCat(method, ": the node refused the request ", raw));
  }
  return absl::FailedPreconditionError(absl::StrCat(method, ": the node refused ", raw));
}

}  // namespace stakeward::l2
