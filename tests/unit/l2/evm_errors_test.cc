// Node refusals → status code and advice, keeping the raw code and message. Messages are
// go-ethereum's (core/error.go, core/txpool/errors.go) and anvil 1.7.1's, as nodes send them.
#include "l2/evm_errors.h"

#include <string>

#include "gtest/gtest.h"
#include "l2/evm_rpc.h"

namespace stakeward::l2 {
namespace {

struct Row {
  int64_t code;
  const char* message;
  absl::StatusCode want;
  const char* advice;  // expected in the message
};

class NodeErrors : public ::testing::TestWithParam<Row> {};

TEST_P(NodeErrors, Translated) {
  const Row& r = GetParam();
  absl::Status s = TranslateNodeError("eth_sendRawTransaction", r.code, r.message, "");
  EXPECT_EQ(s.code(), r.want) << s;
  EXPECT_NE(s.message().find(r.advice), std::string::npos) << s;
  EXPECT_NE(s.message().find(r.message), std::string::npos) << "raw message kept: " << s;
  EXPECT_NE(s.message().find(std::to_string(r.code)), std::string::npos) << "raw code kept: " << s;
}

INSTANTIATE_TEST_SUITE_P(
    Rows, NodeErrors,
    ::testing::Values(
        Row{-32003, "nonce too low", absl::StatusCode::kFailedPrecondition, "adopt it"},
        Row{-32000, "nonce too high", absl::StatusCode::kFailedPrecondition, "pending nonce"},
        Row{-32000, "replacement transaction underpriced", absl::StatusCode::kFailedPrecondition,
            "10 %"},
        Row{-32000, "already known", absl::StatusCode::kAlreadyExists, "wait for its receipt"},
        Row{-32003, "max fee per gas less than block base fee",
            absl::StatusCode::kFailedPrecondition, "higher max fee"},
        Row{-32003, "Insufficient funds for gas * price + value",
            absl::StatusCode::kFailedPrecondition, "fund the operator"},
        Row{-32003, "invalid chain id for signer", absl::StatusCode::kFailedPrecondition,
            "another chain"},
        Row{-32000, "intrinsic gas too low", absl::StatusCode::kFailedPrecondition,
            "higher gas limit"},
        Row{-32000, "transaction underpriced", absl::StatusCode::kFailedPrecondition,
            "priority fee"},
        Row{3, "execution reverted: nothing to accredit", absl::StatusCode::kFailedPrecondition,
            "contract refused"},
        Row{-32601, "the method eth_foo does not exist", absl::StatusCode::kUnimplemented,
            "standard eth_ API"},
        Row{-32602, "invalid argument 0", absl::StatusCode::kInvalidArgument,
            "refused the request"},
        Row{-1, "something new", absl::StatusCode::kFailedPrecondition, "the node refused"}));

struct FeeRow {
  uint64_t base, node_tip, cap, tip_cap;
  bool ok;
  uint64_t max_fee, tip;
};

class Fees : public ::testing::TestWithParam<FeeRow> {};

// Hand-computed: max fee = min(2 × base + min(node tip, tip cap), cap), refused when below
// base + tip.
TEST_P(Fees, Suggested) {
  const FeeRow& r = GetParam();
  using chain::evm::U256;
  auto f = SuggestFees(U256::FromUint64(r.base), U256::FromUint64(r.node_tip),
                       FeeCaps{U256::FromUint64(r.cap), U256::FromUint64(r.tip_cap)});
  ASSERT_EQ(f.ok(), r.ok) << f.status();
  if (!r.ok) {
    EXPECT_EQ(f.status().code(), absl::StatusCode::kFailedPrecondition);
    return;
  }
  EXPECT_EQ(f->max_fee_per_gas, U256::FromUint64(r.max_fee));
  EXPECT_EQ(f->max_priority_fee_per_gas, U256::FromUint64(r.tip));
}

INSTANTIATE_TEST_SUITE_P(Rows, Fees,
                         ::testing::Values(FeeRow{100, 2, 1000, 10, true, 202, 2},
                                           FeeRow{100, 20, 1000, 10, true, 210, 10},
                                           FeeRow{100, 2, 150, 10, true, 150, 2},
                                           FeeRow{100, 2, 102, 10, true, 102, 2},
                                           FeeRow{100, 2, 101, 10, false, 0, 0},
                                           FeeRow{0, 0, 0, 0, true, 0, 0}));

}  // namespace
}  // namespace stakeward::l2
