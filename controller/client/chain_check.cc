#include "controller/client/chain_check.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "chainsource/snapshot_builder.h"

namespace stakeward::controller {
namespace {

using Ref = std::pair<chain::Hash32, uint32_t>;

std::string RefText(const Ref& r) { return absl::StrCat(chain::HexEncode(r.first), "#", r.second); }

// Where the snapshot says an input sits: the address its holder must have and the amount.
struct Claim {
  std::string holder;  // "the treasury" or "slot N"
  std::vector<std::string> addresses;
  chain::Lovelace lovelace;
};

std::map<Ref, Claim> ClaimsOf(const policy::Snapshot& s, const chainsource::BridgeLayout& layout) {
  std::map<Ref, Claim> out;
  for (const policy::Utxo& u : s.treasury) {
    out[{u.tx, u.index}] = Claim{"the treasury", layout.treasury_addresses, u.lovelace};
  }
  for (const policy::SlotState& slot : s.slots) {
    std::vector<std::string> addr;
    for (const auto& l : layout.slots) {
      if (l.index == slot.index) addr.push_back(l.base_address);
    }
    for (const policy::Utxo& u : slot.utxos) {
      out[{u.tx, u.index}] = Claim{absl::StrCat("slot ", slot.index), addr, u.lovelace};
    }
  }
  return out;
}

void CompareTip(const policy::Snapshot& s, const chainsource::Tip& tip, const ChainCheckOptions& o,
                std::vector<std::string>& diff) {
  if (s.slot > tip.slot) {
    diff.push_back(absl::StrCat("the snapshot claims slot ", s.slot,
                                ", later than your chain source's tip (slot ", tip.slot, ")"));
  } else if (tip.slot - s.slot > o.max_lag_slots) {
    diff.push_back(absl::StrCat("the snapshot (slot ", s.slot, ") is ", tip.slot - s.slot,
                                " slots behind your chain source's tip (limit ", o.max_lag_slots,
                                "): ask for a fresh snapshot"));
  }
}

void CompareInputs(const ReviewedProposal& r, const chainsource::BridgeLayout& layout,
                   const std::vector<chainsource::AddressUtxo>& unspent,
                   std::vector<std::string>& diff) {
  std::map<Ref, const chainsource::AddressUtxo*> on_chain;
  for (const chainsource::AddressUtxo& u : unspent) on_chain[{u.tx, u.index}] = &u;
  const std::map<Ref, Claim> claims = ClaimsOf(r.snapshot, layout);
  for (const chain::Transaction& tx : r.txs) {
    for (const chain::TxIn& in : tx.body.inputs) {
      const Ref ref{in.tx_id, in.index};
      auto c = on_chain.find(ref);
      if (c == on_chain.end()) {
        diff.push_back(absl::StrCat("input ", RefText(ref),
                                    " is not unspent at an address of the policy on your chain "
                                    "source"));
        continue;
      }
      auto claim = claims.find(ref);
      if (claim == claims.end()) continue;  // e.g. a carry output: at one of our addresses
      const Claim& want = claim->second;
      bool address_ok = false;
      for (const std::string& a : want.addresses)
        address_ok = address_ok || a == c->second->address;
      if (!address_ok) {
        diff.push_back(absl::StrCat("input ", RefText(ref), " is at ", c->second->address,
                                    " on chain; the proposal says it belongs to ", want.holder));
      }
      if (chain::Lovelace(c->second->lovelace) != want.lovelace) {
        diff.push_back(absl::StrCat("input ", RefText(ref), " holds ", c->second->lovelace,
                                    " lovelace on chain; the snapshot says ",
                                    want.lovelace.value()));
      }
      if (c->second->has_assets) {
        diff.push_back(absl::StrCat("input ", RefText(ref), " carries native tokens on chain"));
      }
    }
  }
}

void CompareAccounts(const policy::Snapshot& s, const chainsource::BridgeLayout& layout,
                     const std::vector<chainsource::RewardAccountSummary>& accounts,
                     std::vector<std::string>& diff) {
  for (const policy::SlotState& slot : s.slots) {
    const chainsource::BridgeLayout::Slot* l = nullptr;
    for (const auto& x : layout.slots) l = x.index == slot.index ? &x : l;
    if (l == nullptr) {
      diff.push_back(absl::StrCat("slot ", slot.index, " is not a slot of the policy"));
      continue;
    }
    const chainsource::RewardAccountSummary* a = nullptr;
    for (const auto& x : accounts) a = x.credential == l->stake ? &x : a;
    const bool registered = a != nullptr && a->registered;
    if (registered != slot.registered) {
      diff.push_back(absl::StrCat("slot ", slot.index, " is ",
                                  registered ? "registered" : "not registered",
                                  " on chain; the snapshot says the opposite"));
      continue;
    }
    if (!registered) continue;
    if (chain::Lovelace(a->rewards) != slot.rewards) {
      diff.push_back(absl::StrCat("slot ", slot.index, " has ", a->rewards,
                                  " lovelace of rewards on chain; the snapshot says ",
                                  slot.rewards.value()));
    }
    if (a->pool != slot.pool) {
      diff.push_back(
          absl::StrCat("slot ", slot.index, " delegates to ",
                       a->pool ? chain::HexEncode(*a->pool) : std::string("no pool"),
                       " on chain; the snapshot says ",
                       slot.pool ? chain::HexEncode(*slot.pool) : std::string("no pool")));
    }
  }
}

}  // namespace

absl::StatusOr<std::vector<std::string>> CompareWithChain(const ReviewedProposal& r,
                                                          chainsource::ChainSource& source,
                                                          const ChainCheckOptions& o) {
  std::vector<std::string> diff;
  absl::StatusOr<chainsource::Tip> tip = source.QueryTip(o.deadline);
  if (!tip.ok()) return tip.status();
  CompareTip(r.snapshot, *tip, o, diff);
  absl::StatusOr<chainsource::BridgeLayout> layout = chainsource::LayoutFromPolicy(r.policy);
  if (!layout.ok()) return layout.status();
  std::vector<std::string> addresses = layout->treasury_addresses;
  std::vector<chain::Credential> creds;
  for (const auto& l : layout->slots) {
    addresses.push_back(l.base_address);
    creds.push_back(l.stake);
  }
  absl::StatusOr<std::vector<chainsource::AddressUtxo>> utxos =
      source.QueryUtxos(addresses, o.deadline);
  if (!utxos.ok()) return utxos.status();
  CompareInputs(r, *layout, *utxos, diff);
  absl::StatusOr<std::vector<chainsource::RewardAccountSummary>> accounts =
      source.QueryRewardAccounts(layout->network, creds, o.deadline);
  if (!accounts.ok()) return accounts.status();
  CompareAccounts(r.snapshot, *layout, *accounts, diff);
  return diff;
}

absl::Status CheckAgainstChain(const ReviewedProposal& r, chainsource::ChainSource& source,
                               const ChainCheckOptions& o) {
  absl::StatusOr<std::vector<std::string>> diff = CompareWithChain(r, source, o);
  if (!diff.ok()) {
    return absl::Status(diff.status().code(),
                        absl::StrCat("your chain source (", source.Describe(),
                                     ") could not be asked: ", diff.status().message()));
  }
  if (diff->empty()) return absl::OkStatus();
  std::vector<std::string> shown(diff->begin(), diff->begin() + std::min<size_t>(diff->size(), 10));
  if (diff->size() > shown.size()) {
    shown.push_back(absl::StrCat("… and ", diff->size() - shown.size(), " more"));
  }
  return absl::FailedPreconditionError(
      absl::StrCat("refusing to sign: your chain source (", source.Describe(),
                   ") disagrees with the proposal:\n  ", absl::StrJoin(shown, "\n  ")));
}

}  // namespace stakeward::controller
