// Policy approval: a policy is in force only when at least `threshold` distinct signers have signed
// its hash.
//
// WHICH KEY AND WHAT MESSAGE. Hardware wallets sign only transaction bodies, so the approved
// message is the tx id of a deterministic "approval body", a canonical Conway transaction body that
// both devices accept in multisig mode:
//   { 0: 258([[policy_hash, 0]]),   inputs: one input "spending" (policy_hash, 0)
//     1: [],                        outputs: none
//     2: 0,                         fee: 0
//     7: policy_hash }              auxiliary data hash: the policy hash
// Signer j signs blake2b-256(approval body) with the key m/1854'/1815'/0'/0/0, which the verifier
// derives from the signer's account xpub (in the policy) by soft derivation 0/0. The body can
// never be valid on chain (no such UTxO, zero fee), so an approval cannot be replayed as a payment.
// This file only verifies; signing happens on devices through the controller.
#ifndef STAKEWARD_POLICY_APPROVAL_H_
#define STAKEWARD_POLICY_APPROVAL_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chain/bytes.h"
#include "chain/keys.h"
#include "policy/policy.h"

namespace stakeward::policy {

chain::Bytes ApprovalBody(const chain::Hash32& policy_hash);
chain::Hash32 ApprovalTxId(const chain::Hash32& policy_hash);

struct Approval {
  std::string signer;              // name in the policy
  std::array<uint8_t, 32> vkey{};  // the public key that signed (must match the derived key)
  chain::Signature signature{};
};

struct ApprovalVerdict {
  bool in_force = false;
  uint64_t valid = 0;  // distinct signers with a valid signature
  std::vector<std::string> valid_signers;
  std::vector<std::string> problems;  // one line per rejected approval, plus "below threshold"
};

ApprovalVerdict VerifyApprovals(const Policy& policy, const std::vector<Approval>& approvals);

// The signing key of a signer for approvals (account xpub / 0 / 0).
absl::StatusOr<std::array<uint8_t, 32>> ApprovalKey(const Signer& signer);

// Approvals file: JSON [{"signer": name, "vkey": hex32, "signature": hex64}, ...].
absl::StatusOr<std::vector<Approval>> ParseApprovals(absl::string_view json_text);

}  // namespace stakeward::policy

#endif  // STAKEWARD_POLICY_APPROVAL_H_
