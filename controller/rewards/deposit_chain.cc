#include "controller/rewards/deposit_chain.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "chain/hash.h"

namespace stakeward::rewards {
namespace {

namespace evm = chain::evm;

chain::Hash32 Word(const evm::U256& v) {
  chain::Hash32 w{};
  std::copy(v.big_endian().begin(), v.big_endian().end(), w.begin());
  return w;
}
chain::Hash32 Word(const evm::Address& a) {
  chain::Hash32 w{};
  std::copy(a.begin(), a.end(), w.begin() + 12);
  return w;
}

// ≥ 110 % of `before`, in integers: after × 100 ≥ before × 110.
bool BumpedEnough(const evm::U256& before, const evm::U256& after) {
  std::optional<evm::U256> lhs = after.CheckedMulSmall(100);
  std::optional<evm::U256> rhs = before.CheckedMulSmall(110);
  if (!rhs) return false;  // no fee can exceed 110 % of a value that already overflows
  return !lhs || *lhs >= *rhs;
}

}  // namespace

chain::Hash32 PoolAccreditedTopic() {
  static const chain::Hash32 topic = [] {
    constexpr std::string_view sig = "PoolAccredited(uint256,address,uint256,uint256)";
    return chain::Keccak256(
        chain::ByteView(reinterpret_cast<const uint8_t*>(sig.data()), sig.size()));
  }();
  return topic;
}

l2::LogFilter DepositLogFilter(const ExpectedDeposit& want, uint64_t from_block) {
  l2::LogFilter f;
  f.address = want.contract;
  f.topics = {PoolAccreditedTopic(), Word(evm::U256::FromUint64(want.epoch)), Word(want.sender)};
  f.from_block = from_block;
  return f;
}

absl::StatusOr<evm::U256> AccreditedValue(const l2::Log& log, const ExpectedDeposit& want) {
  if (log.address != want.contract || log.topics.size() != 3 ||
      log.topics[0] != PoolAccreditedTopic() ||
      log.topics[1] != Word(evm::U256::FromUint64(want.epoch)) ||
      log.topics[2] != Word(want.sender)) {
    return absl::InvalidArgumentError("not the contract's PoolAccredited event for this deposit");
  }
  if (log.data.size() != 64) {
    return absl::InvalidArgumentError("PoolAccredited data is not (uint256 value, uint256 roi)");
  }
  return evm::U256::FromBigEndian(chain::ByteView(log.data.data(), 32));
}

ReceiptVerdict JudgeReceipt(const l2::Receipt& receipt, uint64_t head, uint64_t k,
                            const ExpectedDeposit& want) {
  ReceiptVerdict v;
  v.depth = head >= receipt.block_number ? head - receipt.block_number + 1 : 0;
  if (!receipt.success) {
    v.kind = ReceiptVerdict::Kind::kFailed;
    v.reason = absl::StrCat("the deposit was mined in block ", receipt.block_number,
                            " with status 0 (reverted): the contract refused it and the nonce is "
                            "spent; read the revert reason on the L2 explorer, then reserve a new "
                            "deposit with --replace");
    return v;
  }
  int events = 0;
  bool exact = false;
  for (const l2::Log& log : receipt.logs) {
    absl::StatusOr<evm::U256> value = AccreditedValue(log, want);
    if (!value.ok() || log.removed) continue;
    ++events;
    exact = *value == want.value;
  }
  if (events != 1 || !exact) {
    v.kind = ReceiptVerdict::Kind::kFailed;
    v.reason = absl::StrCat(
        "the deposit was mined in block ", receipt.block_number,
        " but the contract did not record "
        "exactly one PoolAccredited event of epoch ",
        want.epoch, " for ", want.value.ToDecimal(),
        " wei (the contract's epoch may not have been started); reconcile with the bridge before "
        "any new deposit");
    return v;
  }
  v.kind = v.depth >= k ? ReceiptVerdict::Kind::kConfirmed : ReceiptVerdict::Kind::kTooShallow;
  return v;
}

absl::Status CheckReplacement(const evm::Eip1559Tx& previous, const evm::Eip1559Tx& next,
                              bool previous_failed) {
  if (next.chain_id != previous.chain_id || next.to != previous.to ||
      next.value != previous.value || next.data != previous.data ||
      next.access_list_rlp != previous.access_list_rlp) {
    return absl::FailedPreconditionError(
        "a replacement may change only the fees (and the nonce after a failure)");
  }
  if (previous_failed) {
    if (next.nonce == previous.nonce) {
      return absl::FailedPreconditionError(
          "the failed deposit spent its nonce: the replacement needs the account's next nonce");
    }
    return absl::OkStatus();
  }
  if (next.nonce != previous.nonce) {
    return absl::FailedPreconditionError(
        absl::StrCat("a pending deposit is replaced with the same nonce (",
                     previous.nonce.ToDecimal(), "), never a second nonce while one is pending"));
  }
  if (!BumpedEnough(previous.max_fee_per_gas, next.max_fee_per_gas) ||
      !BumpedEnough(previous.max_priority_fee_per_gas, next.max_priority_fee_per_gas)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "a replacement must raise both fees by at least 10 % (the node refuses less): previous "
        "max fee ",
        previous.max_fee_per_gas.ToDecimal(), ", priority fee ",
        previous.max_priority_fee_per_gas.ToDecimal(), " wei per gas"));
  }
  return absl::OkStatus();
}

}  // namespace stakeward::rewards
