#include "policy/slot_scripts.h"

#include "absl/strings/str_cat.h"
#include "chain/keys.h"

namespace stakeward::policy {
namespace {

absl::StatusOr<chain::NativeScript> AtLeastOfRole(const Policy& policy, uint32_t role,
                                                  uint32_t index) {
  if (index >= chain::kHardened) return absl::InvalidArgumentError("slot index must be below 2^31");
  std::vector<chain::NativeScript> sigs;
  chain::Path rel{{role, index}};
  for (const auto& s : policy.signers) {
    auto k = chain::DerivePublicPath(s.account_xpub, rel);
    if (!k.ok()) return k.status();
    sigs.push_back(chain::NativeScript::Sig(chain::KeyHash(k->public_key)));
  }
  return chain::NativeScript::AtLeast(policy.threshold, std::move(sigs));
}

}  // namespace

absl::StatusOr<chain::NativeScript> PaymentScript(const Policy& policy) {
  return AtLeastOfRole(policy, 0, 0);
}

absl::StatusOr<chain::NativeScript> SlotStakeScript(const Policy& policy, uint32_t slot) {
  return AtLeastOfRole(policy, 2, slot);
}

absl::StatusOr<std::vector<SlotAddresses>> DeriveSlots(const Policy& policy, uint32_t first,
                                                       uint32_t count) {
  auto pay = PaymentScript(policy);
  if (!pay.ok()) return pay.status();
  chain::Credential pay_cred{chain::Credential::Kind::kScriptHash, chain::NativeScriptHash(*pay)};
  std::vector<SlotAddresses> out;
  for (uint32_t i = 0; i < count; ++i) {
    SlotAddresses sa;
    sa.slot = first + i;
    auto st = SlotStakeScript(policy, sa.slot);
    if (!st.ok()) return st.status();
    sa.stake_script = *st;
    sa.stake_credential = {chain::Credential::Kind::kScriptHash, chain::NativeScriptHash(*st)};
    sa.base_address =
        chain::Address::Base(policy.network, pay_cred, sa.stake_credential).ToBech32();
    sa.reward_address = chain::Address::Reward(policy.network, sa.stake_credential).ToBech32();
    out.push_back(std::move(sa));
  }
  return out;
}

absl::StatusOr<chain::Address> TreasuryAddress(const Policy& policy, bool* from_policy) {
  absl::StatusOr<chain::NativeScript> pay = PaymentScript(policy);
  if (!pay.ok()) return pay.status();
  const chain::Credential cred{chain::Credential::Kind::kScriptHash, chain::NativeScriptHash(*pay)};
  absl::StatusOr<chain::Address> t =
      chain::ParseAddressOn(policy.rewards.treasury_address, policy.network);
  const bool ours =
      t.ok() && t->payment == cred &&
      (t->type == chain::AddressType::kBase || t->type == chain::AddressType::kEnterprise);
  if (from_policy != nullptr) *from_policy = ours;
  if (ours) return *t;
  return chain::Address::Enterprise(policy.network, cred);
}

absl::Status CheckSlotAddresses(const Policy& policy, const Snapshot& snapshot) {
  std::optional<chain::Credential> pay_cred;
  for (const SlotState& s : snapshot.slots) {
    if (s.address.empty()) continue;
    if (!pay_cred.has_value()) {
      auto pay = PaymentScript(policy);
      if (!pay.ok()) return pay.status();
      pay_cred =
          chain::Credential{chain::Credential::Kind::kScriptHash, chain::NativeScriptHash(*pay)};
    }
    auto st = SlotStakeScript(policy, s.index);
    if (!st.ok()) return st.status();
    chain::Credential stake{chain::Credential::Kind::kScriptHash, chain::NativeScriptHash(*st)};
    const std::string expected = chain::Address::Base(policy.network, *pay_cred, stake).ToBech32();
    if (expected != s.address) {
      return absl::InvalidArgumentError(absl::StrCat(
          "slot ", s.index, ": address ", s.address, " is not the policy's address for this slot (",
          expected, "; `stakeward policy addresses` lists them)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace stakeward::policy
