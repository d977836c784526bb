// Recording an honest round from the real controller (in-process daemon, dev mode) and the
// helpers rows use to change it consistently: policy versions with approvals made by software
// keys, proposals genuinely rebuilt under another policy, transactions re-encoded with their ids.
#ifndef STAKEWARD_TESTS_INTEGRATION_TRUST_RECORDING_H_
#define STAKEWARD_TESTS_INTEGRATION_TRUST_RECORDING_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "chain/tx.h"
#include "policy/policy.h"
#include "tests/integration/rewards/rewards_fixture.h"
#include "tests/integration/trust/fake_controller.h"

namespace stakeward::controller::testing {

inline constexpr uint64_t kRewardEpoch = 200;

// Which honest round a row starts from.
enum class RoundKind {
  kRebalance,  // an OPEN re-balance proposal; alice signs it with `proposal sign`
  kReward,     // an OPEN reward proposal; alice signs it with `proposal sign`
  kDeposit,    // a CONFIRMED reward proposal and a reserved deposit; `rewards deposit`
};

// Records one honest round from the in-process daemon, then stops the daemon.
class RecordingRound : public RewardsRound {
 protected:
  void Record(RoundKind kind, RecordedRound* out);

 private:
  void RecordReads(const std::string& proposal_id, const std::string& role, RecordedRound* out);
};

// Signers outside the DAO (software keys from BIP39 test mnemonics).
std::vector<TestSigner> AttackerSigners();  // mallory, trent
TestSigner Dave();                          // a signer a policy version may add

// A policy version of `document` with the approvals of `approvers` (their own keys).
v1::PolicyVersion MakeVersion(uint64_t version, const std::string& document,
                              const std::vector<TestSigner>& approvers);
// The served policy a proposal names (its policy_version).
const v1::PolicyVersion& ProposalPolicy(const RecordedRound& r);

// The proposal rebuilt under `pv` from the round's snapshot (re-balance: MakePlan and
// BuildProposalTxs; reward: BuildRewardTxs with the proposal's operator address and carry-in):
// every hash, the threshold and the transactions consistent with that policy.
void RebuildUnder(const v1::PolicyVersion& pv, RecordedRound* r);

// The policy document with rewards.bridge_address replaced by another script address.
std::string WithOtherBridge(const std::string& document);

chain::Transaction DecodeTx(const v1::Proposal& p, int i);
// Replaces transaction i (body re-encoded, tx id and fee updated, later transactions that spend
// its outputs re-pointed at the new id, a reward proposal's plan hash recomputed).
void ReplaceTx(v1::Proposal* p, int i, chain::TxBody body, std::optional<chain::Bytes> aux);
// Metadata of a transaction changed by `edit`, aux data hash updated.
void EditMetadata(v1::Proposal* p, int i, const std::function<void(chain::Metadata*)>& edit);

}  // namespace stakeward::controller::testing

#endif  // STAKEWARD_TESTS_INTEGRATION_TRUST_RECORDING_H_
