// The rows of the trust tests: each starts from a recorded honest round and makes one change
// the controller could make; the CLI must refuse every change before the device shows anything.
#ifndef STAKEWARD_TESTS_INTEGRATION_TRUST_ROWS_H_
#define STAKEWARD_TESTS_INTEGRATION_TRUST_ROWS_H_

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "tests/integration/trust/fake_controller.h"
#include "tests/integration/trust/recording.h"

namespace stakeward::controller::testing {

// One served round: a description (e.g. "input 2 of transaction 1") and what the fake serves.
struct Variant {
  std::string what;
  RecordedRound round;
};

struct Row {
  std::string name;  // a gtest name: letters, digits, '_'
  RoundKind kind = RoundKind::kRebalance;
  bool honest = false;  // no change: the CLI must succeed
  // One or more variants (e.g. one per input); never empty.
  std::function<std::vector<Variant>(const RecordedRound&)> make;
  // Set when the CLI is known to accept this change: the row is registered under the
  // DISABLED_KnownHoles suite (run it with --gtest_also_run_disabled_tests) until the hole is
  // fixed, its assertions unchanged.
  std::string known_hole = {};
};

inline void PrintTo(const Row& r, std::ostream* os) { *os << r.name; }

std::vector<Row> PolicyRows();   // honest rows, approval chain, policy fields, identity
std::vector<Row> TxFieldRows();  // one field of a transaction or of the proposal message
std::vector<Row> DepositRows();  // the reserved L2 deposit and the reward proposal's state

}  // namespace stakeward::controller::testing

#endif  // STAKEWARD_TESTS_INTEGRATION_TRUST_ROWS_H_
