// Builds a proposal's unsigned multisig transactions from a plan, deterministically: the daemon
// builds them when a proposal is created, and every signer's CLI rebuilds them from the policy and
// snapshot and compares the bytes before signing.
//
// The snapshot's treasury UTxOs are taken to sit at TreasuryAddress(policy): the policy's treasury
// address if the payment script controls it, else the payment script's enterprise address.
//
// Per plan transaction: inputs are the source slots' UTxOs and treasury UTxOs chosen largest first
// (UTxOs produced by an earlier transaction of the same proposal are chained by id); certificates
// 7/2/9/8 and withdrawals carry the slot stake scripts' hashes; outputs are the transfers, each
// source slot's remainder back to its own address, then the change to the treasury address; the
// fee is the minimum for the final size with threshold x (1 + stake slots) vkey witnesses and the
// native scripts; metadata label 674 (CIP-20) names the proposal, plan hash and policy hash.
#ifndef STAKEWARD_CONTROLLER_BUILD_PROPOSAL_BUILDER_H_
#define STAKEWARD_CONTROLLER_BUILD_PROPOSAL_BUILDER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "controller/model/audit_anchor.h"
#include "controller/model/proposal_model.h"
#include "policy/plan.h"
#include "policy/policy.h"
#include "policy/snapshot.h"

namespace stakeward::controller {

struct BuildRequest {
  const policy::Policy* policy = nullptr;
  const policy::Snapshot* snapshot = nullptr;
  const policy::Plan* plan = nullptr;
  std::string proposal_id;
  uint64_t ttl = 0;    // invalid-hereafter slot
  AuditAnchor anchor;  // written into every transaction's CIP-20 message
};

// FAILED_PRECONDITION when the plan cannot be funded or built (treasury short, slot without
// UTxOs, transaction too large, remainder below the minimum UTxO).
absl::StatusOr<std::vector<ProposalTxRec>> BuildProposalTxs(const BuildRequest& req);

chain::DRep ToChainDRep(const policy::DRepChoice& d);

// Metadata label 674 {"msg": lines} (CIP-20) with the audit anchor's lines appended.
chain::Metadata Cip20Message(chain::Metadatum lines, const AuditAnchor& anchor);

// The derivation paths a signer uses (CIP-1854 account 0).
std::string PaymentKeyPath();
std::string StakeKeyPath(uint32_t slot);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_BUILD_PROPOSAL_BUILDER_H_
