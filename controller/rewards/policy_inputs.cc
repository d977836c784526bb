#include "controller/rewards/policy_inputs.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "chain/address.h"
#include "chain/keys.h"
#include "controller/rewards/bridge.h"
#include "policy/bps.h"
#include "policy/slot_scripts.h"

namespace stakeward::rewards {

absl::Status CheckPinnedOperator(const policy::Policy& policy,
                                 const chain::evm::Address& operator_l2) {
  const std::string& pinned = policy.rewards.operator_l2_address;
  if (pinned.empty()) {
    return absl::FailedPreconditionError(
        "the policy does not pin the operator's L2 account: add rewards.operator_l2_address to "
        "the policy and have the new version approved");
  }
  if (pinned != LowerHexAddress(operator_l2)) {
    return absl::PermissionDeniedError(
        absl::StrCat("the operator's L2 account ", LowerHexAddress(operator_l2),
                     " is not the policy's rewards.operator_l2_address ", pinned));
  }
  return absl::OkStatus();
}

absl::StatusOr<RewardBuildInput> RewardInputFromPolicy(const policy::Policy& policy,
                                                       const policy::Snapshot& snapshot,
                                                       const chain::evm::Address& operator_l2,
                                                       chain::Lovelace carry_in,
                                                       std::optional<chain::TxIn> carry_input,
                                                       std::optional<uint64_t> ttl,
                                                       chain::Metadata extra_metadata) {
  if (snapshot.network != policy.network) {
    return absl::InvalidArgumentError("snapshot and policy are on different networks");
  }
  if (absl::Status s = CheckPinnedOperator(policy, operator_l2); !s.ok()) return s;
  const policy::RewardRouting& r = policy.rewards;
  if (r.commission_bps > policy::kBpsPerUnit) {
    return absl::InvalidArgumentError("policy commission must be at most 10000 bps");
  }
  if (auto s = CheckMagicMatchesChain(r.bridge_magic, r.l2_chain_id); !s.ok()) return s;

  RewardBuildInput in;
  in.epoch = snapshot.epoch;
  in.network = policy.network;
  if (snapshot.params.protocol_major > UINT32_MAX) {
    return absl::InvalidArgumentError("protocol major version out of range");
  }
  in.protocol_major = static_cast<uint32_t>(snapshot.params.protocol_major);
  in.fee_params.min_fee_a = snapshot.params.min_fee_a;
  in.fee_params.min_fee_b = snapshot.params.min_fee_b;
  in.fee_params.coins_per_utxo_byte = snapshot.params.coins_per_utxo_byte;
  in.fee_params.key_deposit = snapshot.params.key_deposit;
  in.fee_params.max_tx_size = snapshot.params.max_tx_size;
  in.ttl = ttl;
  in.carry_in = carry_in;
  in.carry_input = carry_input;
  in.extra_metadata = std::move(extra_metadata);

  auto treasury = chain::ParseAddressOn(r.treasury_address, policy.network);
  if (!treasury.ok()) return treasury.status();
  auto bridge = chain::ParseAddressOn(r.bridge_address, policy.network);
  if (!bridge.ok()) return bridge.status();
  auto payment = policy::PaymentScript(policy);
  if (!payment.ok()) return payment.status();
  in.routing.commission_bps = static_cast<uint32_t>(r.commission_bps);
  in.routing.treasury_address = treasury->ToBytes();
  in.routing.treasury_script = std::move(*payment);
  in.routing.bridge_address = bridge->ToBytes();
  in.routing.bridge_magic = r.bridge_magic;
  in.routing.operator_l2 = operator_l2;
  in.routing.bridge_min_lovelace = chain::Lovelace(r.bridge_min_lovelace);

  for (const policy::SlotState& s : snapshot.slots) {
    auto script = policy::SlotStakeScript(policy, s.index);
    if (!script.ok()) return script.status();
    SlotRewardState st;
    st.slot = s.index;
    st.stake_script = std::move(*script);
    st.registered = s.registered;
    st.drep_delegated = s.drep.has_value();
    st.reward_balance = s.rewards;
    st.staked_lovelace = s.balance;
    in.slots.push_back(std::move(st));
  }
  for (const policy::Utxo& u : snapshot.treasury) {
    in.treasury_utxos.push_back({chain::TxIn{u.tx, u.index}, u.lovelace});
  }
  return in;
}

absl::StatusOr<DepositParams> DepositParamsFromPolicy(const policy::Policy& policy,
                                                      const chain::evm::Address& operator_l2,
                                                      const DepositGas& gas) {
  if (absl::Status s = CheckPinnedOperator(policy, operator_l2); !s.ok()) return s;
  const policy::RewardRouting& r = policy.rewards;
  if (auto s = CheckMagicMatchesChain(r.bridge_magic, r.l2_chain_id); !s.ok()) return s;
  auto contract = chain::evm::ParseAddress(r.contract_address);
  if (!contract.ok()) return contract.status();
  auto path = chain::ParsePath(r.operator_path);
  if (!path.ok()) return path.status();
  DepositParams p;
  p.chain_id = r.l2_chain_id;
  p.contract = *contract;
  p.roi = chain::evm::U256::FromUint64(r.roi);
  p.operator_address = operator_l2;
  p.operator_path = std::move(*path);
  p.nonce = gas.nonce;
  p.gas_limit = gas.gas_limit;
  p.max_fee_per_gas = gas.max_fee_per_gas;
  p.max_priority_fee_per_gas = gas.max_priority_fee_per_gas;
  p.bridge_fee_lovelace = gas.bridge_fee_lovelace;
  return p;
}

}  // namespace stakeward::rewards
