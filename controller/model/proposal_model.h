// In-memory records of proposals, their transactions and witnesses, shared by the store, the
// witness checks and the gRPC layer.
#ifndef STAKEWARD_CONTROLLER_MODEL_PROPOSAL_MODEL_H_
#define STAKEWARD_CONTROLLER_MODEL_PROPOSAL_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "chain/bytes.h"
#include "chain/lovelace.h"
#include "chain/tx.h"

namespace stakeward::controller {

// Numbers match stakeward.v1.ProposalState.
enum class ProposalState : int {
  kOpen = 1,
  kReady = 2,
  kRejected = 3,
  kExpired = 4,
  kSuperseded = 5,
  kSubmitted = 6,
  kConfirmed = 7,
};
std::string_view ProposalStateName(ProposalState s);
// Numbers match stakeward.v1.ProposalKind.
enum class ProposalKind : int {
  kRebalance = 1,  // delegation re-balance built from a plan
  kReward = 2,     // epoch reward withdrawal (controller/rewards)
  kMigrate = 3,    // signer rotation: funds move to the scripts of a newer policy
};

// An audit log entry a proposal's transactions carry in their metadata (audit_anchor.h).
struct AuditAnchor {
  uint64_t seq = 0;  // 0: none
  chain::Hash32 hash{};
  bool operator==(const AuditAnchor&) const = default;
};

// States that keep their inputs reserved.
bool HoldsInputs(ProposalState s);

struct SignerKeyRec {
  chain::Hash28 key_hash{};
  std::string path;
  bool operator==(const SignerKeyRec&) const = default;
};

// The keys one signer must sign a transaction with.
struct RequiredSignerRec {
  std::string signer;
  std::vector<SignerKeyRec> keys;
  bool operator==(const RequiredSignerRec&) const = default;
};

struct WitnessRec {
  uint32_t tx_idx = 0;
  std::string signer;
  chain::VkeyWitness witness;
};

struct ProposalTxRec {
  uint32_t idx = 0;
  chain::Bytes unsigned_tx;  // full 4-element transaction, empty witness set
  chain::Hash32 tx_id{};
  chain::Lovelace fee;
  std::vector<chain::NativeScript> scripts;
  std::vector<RequiredSignerRec> required;
  chain::Bytes signed_tx;  // once READY
  std::vector<chain::TxIn> inputs;
};

struct ProposalRec {
  std::string id;
  ProposalState state = ProposalState::kOpen;
  uint64_t policy_version = 0;
  chain::Hash32 policy_hash{};
  chain::Hash32 snapshot_hash{};
  chain::Hash32 plan_hash{};
  uint64_t ttl = 0;
  uint32_t threshold = 0;
  std::string created_by;
  int64_t created_us = 0;
  int64_t updated_us = 0;
  std::string rejected_by;
  std::string reject_reason;
  std::vector<chain::Hash32> submitted_tx_ids;
  ProposalKind kind = ProposalKind::kRebalance;
  // Reward proposals only: what a signer needs to rebuild the transactions.
  uint64_t reward_epoch = 0;
  std::string reward_operator;  // "0x" + 40 hex digits (metadata label 88)
  chain::Lovelace reward_carry_in;
  std::string reward_carry_from;  // the proposal whose last treasury output holds the carry
  // MIGRATE proposals only: the incoming version and its hash (policy_version is the outgoing).
  uint64_t migrate_to_version = 0;
  chain::Hash32 migrate_to_hash{};
  AuditAnchor audit_anchor;
  std::vector<ProposalTxRec> txs;
  std::vector<WitnessRec> witnesses;
};

// JSON forms stored in the proposal_txs table.
std::string RequiredSignersToJson(const std::vector<RequiredSignerRec>& r);
absl::StatusOr<std::vector<RequiredSignerRec>> RequiredSignersFromJson(const std::string& text);
std::string ScriptsToJson(const std::vector<chain::NativeScript>& scripts);
absl::StatusOr<std::vector<chain::NativeScript>> ScriptsFromJson(const std::string& text);

// Proposal ids as the controller makes them ("prop-<hex>"): 1..64 of [A-Za-z0-9_-].
// "<prefix>-" and 16 random hex digits (IsProposalIdShape holds for short prefixes).
std::string NewProposalId(const std::string& prefix);
bool IsProposalIdShape(const std::string& id);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_MODEL_PROPOSAL_MODEL_H_
