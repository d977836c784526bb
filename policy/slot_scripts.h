// The on-chain layout of design §3, derived from the signers' CIP-1854 account xpubs without any
// device: payment script P = atLeast M of the payment keys .../0/0, slot i stake script
// S_i = atLeast M of the stake keys .../2/i (signers in policy order), slot i address = base(P,
// S_i).
#ifndef STAKEWARD_POLICY_SLOT_SCRIPTS_H_
#define STAKEWARD_POLICY_SLOT_SCRIPTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "chain/address.h"
#include "chain/native_script.h"
#include "policy/policy.h"
#include "policy/snapshot.h"

namespace stakeward::policy {

absl::StatusOr<chain::NativeScript> PaymentScript(const Policy& policy);
absl::StatusOr<chain::NativeScript> SlotStakeScript(const Policy& policy, uint32_t slot);

struct SlotAddresses {
  uint32_t slot = 0;
  chain::NativeScript stake_script;
  chain::Credential stake_credential;  // script hash of stake_script
  std::string base_address;            // addr… / addr_test…
  std::string reward_address;          // stake… / stake_test…
};
// Slots are derived with the payment script computed once.
absl::StatusOr<std::vector<SlotAddresses>> DeriveSlots(const Policy& policy, uint32_t first,
                                                       uint32_t count);

// Where the signers' treasury UTxOs sit: the policy's treasury address when the payment script
// controls it (a base or enterprise address with payment part P), else P's enterprise address.
// `from_policy` (optional) says which of the two it is.
absl::StatusOr<chain::Address> TreasuryAddress(const Policy& policy, bool* from_policy = nullptr);

// Checks every slot that carries an address against the address derived for its index.
absl::Status CheckSlotAddresses(const Policy& policy, const Snapshot& snapshot);

}  // namespace stakeward::policy

#endif  // STAKEWARD_POLICY_SLOT_SCRIPTS_H_
