#include "controller/build/reward_proposal.h"

#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "chain/address.h"
#include "chain/hash.h"
#include "chain/native_script.h"
#include "controller/build/proposal_builder.h"
#include "controller/rewards/policy_inputs.h"
#include "policy/slot_scripts.h"

namespace stakeward::controller {
namespace {

chain::Metadata Cip20(const std::string& proposal_id, uint64_t epoch, const AuditAnchor& anchor) {
  chain::Metadatum msg;
  msg.kind = chain::Metadatum::Kind::kList;
  msg.list.push_back(
      chain::Metadatum::Text(absl::StrCat("Stakeward proposal ", proposal_id.substr(0, 40))));
  msg.list.push_back(chain::Metadatum::Text(absl::StrCat("epoch ", epoch, " rewards")));
  return Cip20Message(std::move(msg), anchor);
}

// The policy with its treasury address replaced by the address the signers' treasury UTxOs sit
// at (see the header).
absl::StatusOr<policy::Policy> WithTreasuryAddress(const policy::Policy& in) {
  absl::StatusOr<chain::Address> t = policy::TreasuryAddress(in);
  if (!t.ok()) return t.status();
  policy::Policy out = in;
  out.rewards.treasury_address = t->ToBech32();
  return out;
}

}  // namespace

absl::StatusOr<RewardTxsResult> BuildRewardTxs(const RewardTxsRequest& req) {
  if (req.policy == nullptr || req.snapshot == nullptr) {
    return absl::InvalidArgumentError("policy and snapshot are required");
  }
  if (req.ttl <= req.snapshot->slot) {
    return absl::InvalidArgumentError("the TTL must be after the snapshot slot");
  }
  absl::StatusOr<policy::Policy> pol = WithTreasuryAddress(*req.policy);
  if (!pol.ok()) return pol.status();
  absl::StatusOr<rewards::RewardBuildInput> in = rewards::RewardInputFromPolicy(
      *pol, *req.snapshot, req.operator_l2, req.carry_in, req.carry_input, req.ttl,
      Cip20(req.proposal_id, req.snapshot->epoch, req.anchor));
  if (!in.ok()) return in.status();
  absl::StatusOr<rewards::RewardProposal> built = rewards::BuildRewardProposal(*in);
  if (!built.ok()) return built.status();

  absl::StatusOr<chain::NativeScript> payment = policy::PaymentScript(*pol);
  if (!payment.ok()) return payment.status();
  const std::vector<chain::Hash28> pay_keys = chain::NativeScriptKeyHashes(*payment);
  if (pay_keys.size() != pol->signers.size()) {
    return absl::InternalError("payment script keys do not match the signers");
  }
  RewardTxsResult out;
  for (size_t i = 0; i < built->txs.size(); ++i) {
    const rewards::RewardTx& t = built->txs[i];
    ProposalTxRec rec;
    rec.idx = static_cast<uint32_t>(i);
    rec.unsigned_tx = chain::EncodeTransaction(t.tx);
    rec.tx_id = chain::TxId(t.tx);
    rec.fee = t.fee;
    rec.scripts = t.scripts;
    rec.inputs = t.tx.body.inputs;
    for (size_t j = 0; j < pol->signers.size(); ++j) {
      RequiredSignerRec rs;
      rs.signer = pol->signers[j].name;
      rs.keys.push_back({pay_keys[j], PaymentKeyPath()});
      for (uint32_t slot : t.slots) {
        absl::StatusOr<chain::NativeScript> stake = policy::SlotStakeScript(*pol, slot);
        if (!stake.ok()) return stake.status();
        const std::vector<chain::Hash28> keys = chain::NativeScriptKeyHashes(*stake);
        if (keys.size() != pol->signers.size()) {
          return absl::InternalError("stake script keys do not match the signers");
        }
        rs.keys.push_back({keys[j], StakeKeyPath(slot)});
      }
      rec.required.push_back(std::move(rs));
    }
    out.txs.push_back(std::move(rec));
  }
  out.proposal = std::move(*built);
  return out;
}

chain::Hash32 RewardPlanHash(uint64_t epoch, const std::vector<ProposalTxRec>& txs) {
  constexpr std::string_view kTag = "stakeward-reward";
  chain::Bytes buf(kTag.begin(), kTag.end());
  for (int shift = 56; shift >= 0; shift -= 8) {
    buf.push_back(static_cast<uint8_t>(epoch >> shift));
  }
  for (const ProposalTxRec& t : txs) buf.insert(buf.end(), t.tx_id.begin(), t.tx_id.end());
  return chain::Blake2b256(chain::View(buf));
}

}  // namespace stakeward::controller
