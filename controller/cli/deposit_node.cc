#include "controller/cli/deposit_node.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "chain/status_macros.h"
#include "l2/evm_rpc.h"

namespace stakeward::cli {
namespace {

namespace evm = chain::evm;

absl::StatusOr<evm::U256> Wei(const std::string& flag, const std::string& v) {
  absl::StatusOr<evm::U256> u = evm::U256::ParseQuantity(v);
  if (!u.ok()) return absl::InvalidArgumentError(absl::StrCat(flag, ": ", u.status().message()));
  return *u;
}

// ceil(v × 9 / 8): 12.5 % above, comfortably over the nodes' 10 % floor.
evm::U256 Bumped(const evm::U256& v) {
  std::optional<evm::U256> nine = v.CheckedMulSmall(9);
  if (!nine) return v;
  // Division by 8 on the big-endian bytes: shift right by 3 with the carry, then round up.
  std::array<uint8_t, 32> be = nine->big_endian();
  const bool remainder = (be[31] & 7) != 0;
  uint8_t carry = 0;
  for (uint8_t& b : be) {
    const uint8_t next = static_cast<uint8_t>(b & 7);
    b = static_cast<uint8_t>((b >> 3) | (carry << 5));
    carry = next;
  }
  evm::U256 out = *evm::U256::FromBigEndian(chain::ByteView(be.data(), be.size()));
  if (remainder) out = out.CheckedAdd(evm::U256::FromUint64(1)).value_or(out);
  return out;
}

absl::Status Missing(const char* flag) {
  return absl::InvalidArgumentError(
      absl::StrCat(flag, " is required unless --l2-rpc names the operator's L2 node"));
}

}  // namespace

absl::StatusOr<DepositGasFlags> CompleteFromNode(DepositGasFlags f, const DepositNodeQuery& q,
                                                 const policy::Policy& pol, const evm::Address& op,
                                                 const evm::U256& value) {
  if (q.rpc.empty()) {
    if (f.nonce.empty()) return Missing("--nonce");
    if (f.gas_limit.empty()) return Missing("--gas-limit");
    if (f.max_fee.empty()) return Missing("--max-fee-per-gas");
    if (f.max_priority_fee.empty()) return Missing("--max-priority-fee-per-gas");
    return f;
  }
  SW_ASSIGN_OR_RETURN(l2::EvmRpc rpc, l2::EvmRpc::Create(q.rpc, absl::Seconds(q.timeout_s)));
  SW_RETURN_IF_ERROR(rpc.CheckChainId(pol.rewards.l2_chain_id));
  if (f.nonce.empty()) {
    // A new deposit goes after anything pending; a replacement takes the place of the first
    // transaction not yet mined (the stuck deposit's nonce, or the next after a failed one).
    SW_ASSIGN_OR_RETURN(uint64_t n, rpc.Nonce(op, /*pending=*/!q.replace));
    f.nonce = std::to_string(n);
  }
  if (f.max_fee.empty() || f.max_priority_fee.empty()) {
    SW_ASSIGN_OR_RETURN(evm::U256 fee_cap, Wei("--max-fee-cap", q.max_fee_cap));
    SW_ASSIGN_OR_RETURN(evm::U256 prio_cap, Wei("--max-priority-fee-cap", q.max_priority_fee_cap));
    SW_ASSIGN_OR_RETURN(l2::FeeSuggestion s, rpc.Fees({fee_cap, prio_cap}));
    evm::U256 fee = s.max_fee_per_gas, prio = s.max_priority_fee_per_gas;
    if (q.previous) {
      fee = std::max(fee, Bumped(q.previous->max_fee_per_gas));
      prio = std::max(prio, Bumped(q.previous->max_priority_fee_per_gas));
      if (fee > fee_cap || prio > prio_cap) {
        return absl::FailedPreconditionError(
            absl::StrCat("the replacement needs a max fee of ", fee.ToDecimal(),
                         " and a priority fee of ", prio.ToDecimal(),
                         " wei per gas (12.5 % over the stuck deposit), above the caps: "
                         "raise --max-fee-cap / --max-priority-fee-cap"));
      }
    }
    if (f.max_fee.empty()) f.max_fee = fee.ToDecimal();
    if (f.max_priority_fee.empty()) f.max_priority_fee = prio.ToDecimal();
  }
  if (f.gas_limit.empty()) {
    absl::StatusOr<evm::Address> contract = evm::ParseAddress(pol.rewards.contract_address);
    if (!contract.ok()) return absl::FailedPreconditionError("the policy's contract is malformed");
    l2::CallRequest call;
    call.from = op;
    call.to = *contract;
    call.value = value;
    call.data = evm::EncodeAccreditToPool(evm::U256::FromUint64(pol.rewards.roi));
    SW_ASSIGN_OR_RETURN(uint64_t gas, rpc.EstimateGas(call));
    f.gas_limit = std::to_string(gas + gas / 4);  // 25 % headroom: state may change before mining
  }
  return f;
}

}  // namespace stakeward::cli
