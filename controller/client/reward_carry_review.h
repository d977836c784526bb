// A signer's check of a reward proposal's carry-in: lovelace owed to the bridge from an earlier
// epoch whose share was below the bridge minimum and stayed in the treasury output.
//
// The controller names the reward proposal that carried it (reward.carry_from). The signer
// rebuilds that proposal from its own trusted policy and the snapshot it names, takes the carry
// from the rebuilt transactions, and requires transaction 0 of the new proposal to spend the
// rebuilt last transaction's treasury output. The carrying proposal's own carry-in is verified
// the same way, down to a proposal without one (a transaction that bridges nothing does not show
// its carry in its bytes). A carrying proposal the controller alters or invents has other
// transaction ids than the one on chain, so the output the new proposal spends does not exist
// and the signed transaction can never be valid; a carry already paid out points at a spent
// output.
#ifndef STAKEWARD_CONTROLLER_CLIENT_REWARD_CARRY_REVIEW_H_
#define STAKEWARD_CONTROLLER_CLIENT_REWARD_CARRY_REVIEW_H_

#include <optional>
#include <set>

#include "absl/status/statusor.h"
#include "chain/hash.h"
#include "chain/tx.h"
#include "controller/client/api_client.h"
#include "proto/stakeward/v1/proposal.pb.h"

namespace stakeward::controller {

// The treasury output transaction 0 of reward proposal `p` must spend (nullopt: no carry-in).
// PERMISSION_DENIED with the reason when the carry does not follow from the carrying proposal;
// transport errors as they are.
absl::StatusOr<std::optional<chain::TxIn>> VerifyRewardCarry(const ClientOptions& client,
                                                             const std::set<chain::Hash32>& anchors,
                                                             const v1::Proposal& p);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_CLIENT_REWARD_CARRY_REVIEW_H_
