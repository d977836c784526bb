#include "controller/rewards/deposit_check.h"

#include "absl/strings/str_cat.h"
#include "controller/rewards/deposit.h"

namespace stakeward::rewards {
namespace {

namespace evm = chain::evm;

absl::Status Differs(const std::string& field, const std::string& got, const std::string& want) {
  return absl::PermissionDeniedError(
      absl::StrCat("refusing the deposit: its ", field, " is ", got, ", expected ", want,
                   " from the approved policy and the confirmed reward proposal"));
}

std::string AddressText(const std::optional<evm::Address>& a) {
  return a ? evm::ToChecksumAddress(*a) : std::string("(contract creation)");
}

}  // namespace

absl::Status CheckReservedDeposit(const evm::Eip1559Tx& tx, const policy::Policy& policy,
                                  const evm::Address& device_address,
                                  chain::Lovelace bridged_lovelace, const DepositLimits& limits) {
  absl::StatusOr<DepositParams> params =
      DepositParamsFromPolicy(policy, device_address, limits.gas);
  if (!params.ok()) return params.status();
  params->bridged_lovelace = bridged_lovelace;
  absl::StatusOr<evm::Eip1559Tx> want = BuildDepositTx(*params);
  if (!want.ok()) return want.status();
  if (tx.chain_id != want->chain_id) {
    return Differs("chain id", absl::StrCat(tx.chain_id), absl::StrCat(want->chain_id));
  }
  if (tx.to != want->to) return Differs("recipient", AddressText(tx.to), AddressText(want->to));
  if (tx.data != want->data) {
    return Differs("calldata", absl::StrCat("0x", chain::HexEncode(tx.data)),
                   absl::StrCat("0x", chain::HexEncode(want->data), " (accreditToPool(",
                                policy.rewards.roi, "))"));
  }
  if (tx.value != want->value) {
    return Differs("value", absl::StrCat(tx.value.ToDecimal(), " wei"),
                   absl::StrCat(want->value.ToDecimal(), " wei"));
  }
  if (tx.nonce != want->nonce) {
    return Differs("nonce", tx.nonce.ToDecimal(), want->nonce.ToDecimal());
  }
  if (tx.gas_limit > want->gas_limit) {
    return Differs("gas limit", tx.gas_limit.ToDecimal(),
                   absl::StrCat("at most ", want->gas_limit.ToDecimal()));
  }
  if (tx.max_fee_per_gas > want->max_fee_per_gas) {
    return Differs("max fee per gas", tx.max_fee_per_gas.ToDecimal(),
                   absl::StrCat("at most ", want->max_fee_per_gas.ToDecimal()));
  }
  if (tx.max_priority_fee_per_gas > want->max_priority_fee_per_gas) {
    return Differs("max priority fee per gas", tx.max_priority_fee_per_gas.ToDecimal(),
                   absl::StrCat("at most ", want->max_priority_fee_per_gas.ToDecimal()));
  }
  if (!tx.access_list_rlp.empty() && tx.access_list_rlp != chain::Bytes{0xc0}) {
    return Differs("access list", "non-empty", "empty");
  }
  return absl::OkStatus();
}

std::string DescribeDeposit(const evm::Eip1559Tx& tx) {
  return absl::StrCat("L2 deposit on chain ", tx.chain_id, ": ", tx.value.ToDecimal(), " wei to ",
                      AddressText(tx.to), ", calldata 0x", chain::HexEncode(tx.data), ", nonce ",
                      tx.nonce.ToDecimal(), ", gas limit ", tx.gas_limit.ToDecimal(), ", max fee ",
                      tx.max_fee_per_gas.ToDecimal(), " wei/gas (priority ",
                      tx.max_priority_fee_per_gas.ToDecimal(), ")");
}

}  // namespace stakeward::rewards
