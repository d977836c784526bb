#include "controller/client/review_json.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "chain/address.h"
#include "chain/certificate.h"
#include "nlohmann/json.hpp"

namespace stakeward::controller {
namespace {

using J = nlohmann::ordered_json;

std::string KindName(v1::ProposalKind k) {
  switch (k) {
    case v1::PROPOSAL_KIND_REWARD:
      return "REWARD";
    case v1::PROPOSAL_KIND_MIGRATE:
      return "MIGRATE";
    default:
      return "REBALANCE";
  }
}

J MetadatumJson(const chain::Metadatum& m) {
  switch (m.kind) {
    case chain::Metadatum::Kind::kInt:
      return J(m.int_value);
    case chain::Metadatum::Kind::kBytes:
      return J("0x" + chain::HexEncode(m.bytes));
    case chain::Metadatum::Kind::kText:
      return J(m.text);
    case chain::Metadatum::Kind::kList: {
      J a = J::array();
      for (const chain::Metadatum& e : m.list) a.push_back(MetadatumJson(e));
      return a;
    }
    case chain::Metadatum::Kind::kMap: {
      // An object when every key is text (CIP-20's {"msg": [...]}), else a list of [key, value].
      bool text_keys = true;
      for (const auto& [k, v] : m.map)
        text_keys = text_keys && k.kind == chain::Metadatum::Kind::kText;
      J out = text_keys ? J::object() : J::array();
      for (const auto& [k, v] : m.map) {
        if (text_keys) {
          out[k.text] = MetadatumJson(v);
        } else {
          out.push_back(J::array({MetadatumJson(k), MetadatumJson(v)}));
        }
      }
      return out;
    }
  }
  return J(nullptr);
}

// The transaction's metadata by label, or null when it has none or it does not decode.
J MetadataJson(const chain::Transaction& tx) {
  if (!tx.aux_data) return J(nullptr);
  absl::StatusOr<chain::Metadata> md = chain::DecodeAuxDataMetadata(chain::View(*tx.aux_data));
  if (!md.ok()) return J(nullptr);
  J out = J::object();
  for (const auto& [label, value] : *md) out[absl::StrCat(label)] = MetadatumJson(value);
  return out;
}

// An amount to or from an address (or reward account), with our name for it.
J Labelled(const std::map<chain::Bytes, std::string>& names, const chain::Bytes& address,
           chain::Lovelace lovelace) {
  absl::StatusOr<chain::Address> a = chain::ParseAddressBytes(chain::View(address));
  auto it = names.find(address);
  return J{{"address", a.ok() ? a->ToBech32() : chain::HexEncode(address)},
           {"ours", it != names.end()},
           {"label", it != names.end() ? it->second : "FOREIGN"},
           {"lovelace", lovelace}};
}

J TxJson(const ReviewedProposal& r, size_t i, const std::map<chain::Bytes, std::string>& names) {
  const chain::Transaction& tx = r.txs[i];
  J t{{"id", chain::HexEncode(chain::TxId(tx))}, {"fee", tx.body.fee}};
  if (tx.body.ttl) t["ttl"] = *tx.body.ttl;
  J inputs = J::array();
  for (const chain::TxIn& in : tx.body.inputs) {
    inputs.push_back(absl::StrCat(chain::HexEncode(in.tx_id), "#", in.index));
  }
  t["inputs"] = std::move(inputs);
  t["outputs"] = J::array();
  for (const chain::TxOut& o : tx.body.outputs) {
    t["outputs"].push_back(Labelled(names, o.address, o.coin));
  }
  J certs = J::array();
  for (const chain::Certificate& c : tx.body.certificates) {
    certs.push_back(chain::DescribeCertificate(c, r.policy.network));
  }
  t["certificates"] = std::move(certs);
  t["withdrawals"] = J::array();
  for (const chain::Withdrawal& w : tx.body.withdrawals) {
    t["withdrawals"].push_back(Labelled(names, w.reward_account, w.coin));
  }
  t["metadata"] = MetadataJson(tx);
  J signed_by = J::array();
  if (i < static_cast<size_t>(r.proposal.txs_size())) {
    for (const std::string& s : r.proposal.txs(static_cast<int>(i)).signed_by()) {
      signed_by.push_back(s);
    }
  }
  t["signed_by"] = std::move(signed_by);
  return t;
}

J PoolsJson(const ReviewedProposal& r) {
  J pools = J::array();
  for (const PoolChange& c : PoolChanges(r)) {
    pools.push_back({{"pool", chain::PoolIdBech32(c.pool->id)},
                     {"ticker", c.pool->ticker.empty() ? J(nullptr) : J(c.pool->ticker)},
                     {"ours_before", c.ours_before},
                     {"ours_after", c.ours_after},
                     {"stake_before", c.stake_before},
                     {"stake_after", c.stake_after},
                     {"saturation_point", c.saturation_point},
                     {"saturation_before", BasisPointsText(c.stake_before, c.saturation_point)},
                     {"saturation_after", BasisPointsText(c.stake_after, c.saturation_point)},
                     {"our_share_after", BasisPointsText(c.ours_after, c.stake_after)},
                     {"margin", c.pool->margin.ToString()},
                     {"fixed_cost", c.pool->fixed_cost},
                     {"pledge", c.pool->pledge},
                     {"expected_reward_before", c.reward_before},
                     {"expected_reward_after", c.reward_after}});
  }
  return pools;
}

J DelegationJson(const ReviewedProposal& r) {
  J changes = J::array();
  auto pool = [](const std::optional<chain::Hash28>& h) {
    return h ? J(chain::PoolIdBech32(*h)) : J(nullptr);
  };
  for (const policy::SlotOutcome& s : r.plan.slots) {
    if (s.pool_before == s.pool_after && s.before == s.after) continue;
    changes.push_back({{"slot", s.index},
                       {"pool_before", pool(s.pool_before)},
                       {"before", s.before},
                       {"pool_after", pool(s.pool_after)},
                       {"after", s.after}});
  }
  return changes;
}

}  // namespace

std::string MetadataText(const chain::Transaction& tx) {
  const J m = MetadataJson(tx);
  return m.is_null() ? std::string() : m.dump();
}

std::string ReviewToJson(const ReviewedProposal& r) {
  const v1::Proposal& p = r.proposal;
  const std::map<chain::Bytes, std::string> names = OwnAddressNames(r);
  J j{{"id", p.id()},
      {"kind", KindName(p.kind())},
      {"state", ProposalStateText(p.state())},
      {"policy_version", p.policy_version()},
      {"policy_hash", chain::HexEncode(chain::View(p.policy_hash()))},
      {"snapshot_hash", chain::HexEncode(chain::View(p.snapshot_hash()))},
      {"plan_hash", chain::HexEncode(chain::View(p.plan_hash()))},
      {"valid_until_slot", p.ttl()},
      {"signatures_needed", p.threshold()},
      // ReviewProposal refuses anything else: these are the facts it rebuilt and compared.
      {"checked", "transactions match what the policy yields"}};
  J txs = J::array();
  chain::Lovelace total_fee;
  for (size_t i = 0; i < r.txs.size(); ++i) {
    total_fee += r.txs[i].body.fee;
    txs.push_back(TxJson(r, i, names));
  }
  j["transactions"] = std::move(txs);
  j["total_fee"] = total_fee;
  j["delegation_changes"] = DelegationJson(r);
  j["pools"] = PoolsJson(r);
  const ExpectedRewards e = ExpectedRewardsOf(r);
  j["expected_rewards_per_epoch"] = {{"before", e.before}, {"after", e.after}};
  J warnings = J::array();
  for (absl::string_view line : absl::StrSplit(policy::PlanWarnings(r.plan), '\n')) {
    if (!line.empty()) warnings.push_back(std::string(line));
  }
  j["warnings"] = std::move(warnings);
  if (!p.reject_reason().empty()) {
    j["rejected"] = {{"by", p.rejected_by()}, {"reason", p.reject_reason()}};
  }
  return j.dump(2) + "\n";
}

}  // namespace stakeward::controller
