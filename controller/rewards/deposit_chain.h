// The rules that decide an L2 deposit's state from what the L2 chain shows (issue 14). Pure: the
// daemon's L2 driver (controller/daemon/l2_driver.h) fetches, these judge.
//
// The liquid-staking contract emits PoolAccredited(uint256 indexed epoch, address indexed from,
// uint256 value, uint256 roi) once per accredit (tests/interop/l2/LiquidStakingPool.sol): a
// deposit counts only when its receipt has status 1 and carries exactly that event from the
// policy's contract, for the epoch, from the operator's account, for exactly the value.
#ifndef STAKEWARD_CONTROLLER_REWARDS_DEPOSIT_CHAIN_H_
#define STAKEWARD_CONTROLLER_REWARDS_DEPOSIT_CHAIN_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "chain/evm.h"
#include "l2/evm_decode.h"
#include "l2/evm_rpc.h"

namespace stakeward::rewards {

// keccak256("PoolAccredited(uint256,address,uint256,uint256)").
chain::Hash32 PoolAccreditedTopic();

// What a deposit of `epoch` must look like on chain.
struct ExpectedDeposit {
  uint64_t epoch = 0;
  chain::evm::Address contract{};
  chain::evm::Address sender{};
  chain::evm::U256 value;
};

// The event's topics for eth_getLogs: [PoolAccredited, epoch, sender].
l2::LogFilter DepositLogFilter(const ExpectedDeposit& want, uint64_t from_block);

// The event's value when `log` is the contract's PoolAccredited for the epoch and sender;
// INVALID_ARGUMENT when it is another log or malformed.
absl::StatusOr<chain::evm::U256> AccreditedValue(const l2::Log& log, const ExpectedDeposit& want);

struct ReceiptVerdict {
  enum class Kind { kConfirmed, kFailed, kTooShallow };
  Kind kind = Kind::kTooShallow;
  uint64_t depth = 0;  // blocks including the one that holds it
  std::string reason;  // kFailed: what the operator reads
};
// A mined receipt of one of the deposit's attempts, seen at `head` with `k` confirmations wanted.
ReceiptVerdict JudgeReceipt(const l2::Receipt& receipt, uint64_t head, uint64_t k,
                            const ExpectedDeposit& want);

// A same-nonce replacement must raise both fee fields by at least 10 %: geth's txpool refuses
// less (go-ethereum core/txpool/legacypool, DefaultConfig.PriceBump = 10), and so do anvil and
// Milkomeda's nodes. Besides fees, only the nonce may differ, and only after a FAILED deposit.
absl::Status CheckReplacement(const chain::evm::Eip1559Tx& previous,
                              const chain::evm::Eip1559Tx& next, bool previous_failed);

}  // namespace stakeward::rewards

#endif  // STAKEWARD_CONTROLLER_REWARDS_DEPOSIT_CHAIN_H_
