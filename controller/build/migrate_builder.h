// Builds a MIGRATE proposal's unsigned transactions (signer rotation, design.md §6): a new
// policy version with other signers, keys or threshold has other scripts, so the funds must move
// from the outgoing policy's addresses to the incoming one's before anything else is built.
// Deterministic, like proposal_builder.h: the daemon builds, every signer's CLI rebuilds and
// compares the bytes.
//
// Per slot of the snapshot (which describes the outgoing policy's slots): every UTxO moves to the
// incoming slot address base(P', S'_i); a registered slot's old credential is deregistered
// (cert 8, deposit refunded) and the new one registered (cert 7), delegated to the same pool
// (cert 2) and to the incoming policy's DRep choice (cert 9). Slots go kSlotsPerMigrateTx to a
// transaction; treasury UTxOs pay fees and deposits, each transaction's change returns to the
// outgoing treasury and the last transaction moves every remaining treasury coin (chained by id)
// to the incoming treasury. CIP-20 metadata names the proposal and both policy hashes.
//
// Refused (FAILED_PRECONDITION): same scripts (nothing to migrate), a reward account that still
// holds rewards (withdraw them first: a deregistration needs a zero balance), a signer who stays
// but changes account key, a slot the incoming policy does not allow, funds that cannot pay fees.
#ifndef STAKEWARD_CONTROLLER_BUILD_MIGRATE_BUILDER_H_
#define STAKEWARD_CONTROLLER_BUILD_MIGRATE_BUILDER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "controller/model/proposal_model.h"
#include "policy/policy.h"
#include "policy/snapshot.h"

namespace stakeward::controller {

inline constexpr uint32_t kSlotsPerMigrateTx = 5;  // 4 certificates per slot: 20 per transaction

struct MigrateRequest {
  const policy::Policy* from = nullptr;  // holds the funds; its signers sign
  const policy::Policy* to = nullptr;    // in force; its signers witness the new credentials
  chain::Hash32 from_hash{};
  chain::Hash32 to_hash{};
  const policy::Snapshot* snapshot = nullptr;
  std::string proposal_id;
  uint64_t ttl = 0;    // invalid-hereafter slot
  AuditAnchor anchor;  // written into every transaction's CIP-20 message
};

absl::StatusOr<std::vector<ProposalTxRec>> BuildMigrateTxs(const MigrateRequest& req);

// Plan hash of a MIGRATE proposal: blake2b-256 of a tag, the incoming policy hash and the
// transaction ids.
chain::Hash32 MigratePlanHash(const chain::Hash32& to_hash, const std::vector<ProposalTxRec>& txs);

// True when both policies derive the same payment script (same signers, keys, order, threshold).
absl::StatusOr<bool> SameScripts(const policy::Policy& a, const policy::Policy& b);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_BUILD_MIGRATE_BUILDER_H_
