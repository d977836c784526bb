// `rewards deposit --l2-rpc URL`: the deposit's nonce, fees and gas limit the operator left out,
// read from the operator's own L2 node (never from the controller), within the operator's caps.
// A replacement (--replace) takes the account's mined nonce (the stuck or failed one's place) and
// raises both fees by 12.5 % over the previous attempt at least (nodes refuse less than 10 %).
#ifndef STAKEWARD_CONTROLLER_CLI_DEPOSIT_NODE_H_
#define STAKEWARD_CONTROLLER_CLI_DEPOSIT_NODE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "chain/evm.h"
#include "policy/policy.h"

namespace stakeward::cli {

struct DepositGasFlags {
  std::string nonce, gas_limit, max_fee, max_priority_fee;  // "" = ask the node
};

struct DepositNodeQuery {
  std::string rpc;
  std::string max_fee_cap = "1000000000000";         // 1000 gwei
  std::string max_priority_fee_cap = "10000000000";  // 10 gwei
  int timeout_s = 20;
  bool replace = false;
  // The attempt being replaced (its fees are the floor), when there is one.
  std::optional<chain::evm::Eip1559Tx> previous;
};

// Fills the empty fields of `flags` from the node at `q.rpc` (which must serve the policy's
// L2 chain id); `value` is the deposit's value in wei. Without an rpc every field must be given.
absl::StatusOr<DepositGasFlags> CompleteFromNode(DepositGasFlags flags, const DepositNodeQuery& q,
                                                 const policy::Policy& pol,
                                                 const chain::evm::Address& op,
                                                 const chain::evm::U256& value);

}  // namespace stakeward::cli

#endif  // STAKEWARD_CONTROLLER_CLI_DEPOSIT_NODE_H_
