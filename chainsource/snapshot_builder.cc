#include "chainsource/snapshot_builder.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "chain/lovelace.h"
#include "chainsource/macros.h"
#include "policy/slot_scripts.h"

namespace stakeward::chainsource {
namespace {

absl::Status Invalid(absl::string_view what, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat("chain facts: ", what, ": ", problem));
}

// UNIMPLEMENTED means "this source does not offer that fact": the fact stays empty.
template <typename T>
absl::StatusOr<std::vector<T>> Optional(absl::StatusOr<std::vector<T>> r) {
  if (r.status().code() == absl::StatusCode::kUnimplemented) return std::vector<T>();
  return r;
}

absl::StatusOr<policy::Pool> ToPool(const StakePool& sp, const ChainFacts& f,
                                    uint64_t circulating) {
  policy::Pool p;
  p.id = sp.id;
  p.vrf = sp.vrf;
  p.pledge = sp.pledge;
  p.margin = sp.margin;
  p.fixed_cost = sp.cost;
  p.owners = sp.owners;
  p.relays = sp.relays;
  p.metadata_url = sp.metadata_url;
  p.ticker = sp.ticker;
  p.retiring_epoch = sp.retiring_epoch;
  p.registered_epoch = sp.registered_epoch;  // unknown stays unknown: the policy decides
  p.blocks_known = false;
  p.live_pledge = sp.live_pledge.value_or(sp.pledge);
  p.live_pledge_known = sp.live_pledge.has_value();  // unknown stays unknown: the policy decides
  p.active_stake = sp.active_stake.value_or(0);
  std::string w = chain::PoolIdBech32(sp.id);
  for (const PoolPerformance& perf : f.performances) {
    if (perf.pool != sp.id) continue;
    if (!sp.active_stake.has_value() && perf.active_stake.has_value())
      p.active_stake = *perf.active_stake;
    if (!sp.live_pledge.has_value() && perf.owner_stake.has_value()) {
      p.live_pledge = *perf.owner_stake;
      p.live_pledge_known = true;
    }
    p.blocks = perf.blocks;
    p.blocks_known = perf.blocks_known;
  }
  if (sp.live_stake.has_value()) {
    p.live_stake = *sp.live_stake;
  } else {
    for (const RelativeStake& r : f.live_distribution) {
      if (r.pool != sp.id) continue;
      if (r.negative && !r.share.IsZero()) return Invalid(w, "negative live stake share");
      policy::u128 v = policy::MulFloor(circulating, r.share);
      if (v > circulating) return Invalid(w, "live stake share above 1");
      p.live_stake = static_cast<uint64_t>(v);
    }
  }
  return p;
}

absl::StatusOr<std::vector<policy::Utxo>> UtxosAt(const std::vector<AddressUtxo>& all,
                                                  const std::string& address,
                                                  chain::Lovelace* total) {
  std::vector<policy::Utxo> out;
  *total = chain::Lovelace(0);
  for (const AddressUtxo& u : all) {
    if (u.address != address) continue;
    std::string w = absl::StrCat(chain::HexEncode(u.tx), "#", u.index);
    if (u.has_assets) return Invalid(w, "carries native tokens; Stakeward holders hold ADA only");
    auto t = chain::CheckedAdd(*total, chain::Lovelace(u.lovelace));
    if (!t) return Invalid(w, "balance overflows");
    *total = *t;
    out.push_back({u.tx, u.index, chain::Lovelace(u.lovelace)});
  }
  std::sort(out.begin(), out.end(), [](const policy::Utxo& a, const policy::Utxo& b) {
    return a.tx != b.tx ? a.tx < b.tx : a.index < b.index;
  });
  return out;
}

absl::Status CheckUtxoOwners(const ChainFacts& f, const BridgeLayout& layout) {
  for (const AddressUtxo& u : f.utxos) {
    bool known =
        std::any_of(layout.slots.begin(), layout.slots.end(),
                    [&](const BridgeLayout::Slot& s) { return s.base_address == u.address; }) ||
        std::find(layout.treasury_addresses.begin(), layout.treasury_addresses.end(), u.address) !=
            layout.treasury_addresses.end();
    if (!known)
      return Invalid(u.address.substr(0, 120), "UTxO at an address that is not the bridge's");
  }
  return absl::OkStatus();
}

absl::Status AddSlots(const ChainFacts& f, const BridgeLayout& layout, policy::Snapshot& s) {
  for (const BridgeLayout::Slot& slot : layout.slots) {
    policy::SlotState st;
    st.index = slot.index;
    for (const RewardAccountSummary& a : f.accounts) {
      if (a.credential != slot.stake || !a.registered) continue;
      st.registered = true;
      st.pool = a.pool;
      st.drep = a.drep;
      st.rewards = chain::Lovelace(a.rewards);
      // What deregistering refunds; 0 means the source did not say (the parameter is assumed).
      if (a.deposit > 0) st.deposit = chain::Lovelace(a.deposit);
    }
    CS_ASSIGN(st.utxos, UtxosAt(f.utxos, slot.base_address, &st.balance));
    if (!st.utxos.empty()) st.address = slot.base_address;
    if (st.registered || !st.utxos.empty()) s.slots.push_back(std::move(st));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<BridgeLayout> LayoutFromPolicy(const policy::Policy& policy) {
  BridgeLayout layout;
  layout.network = policy.network;
  CS_ASSIGN(std::vector<policy::SlotAddresses> slots,
            policy::DeriveSlots(policy, 0,
                                static_cast<uint32_t>(std::min<uint64_t>(policy.max_slots, 1000))));
  for (const auto& s : slots) layout.slots.push_back({s.slot, s.stake_credential, s.base_address});
  // Where the signers' treasury UTxOs sit (the address the builders spend from with the payment
  // script), which is not the policy's treasury_address when that is not the script's.
  CS_ASSIGN(chain::Address treasury, policy::TreasuryAddress(policy));
  layout.treasury_addresses.push_back(treasury.ToBech32());
  return layout;
}

absl::StatusOr<ChainFacts> CollectFacts(ChainSource& src, const BridgeLayout& layout,
                                        absl::Duration per_call) {
  ChainFacts f;
  f.source = src.Describe();
  CS_ASSIGN(f.tip, src.QueryTip(per_call));
  CS_ASSIGN(f.epoch, src.QueryEpoch(per_call));
  CS_ASSIGN(f.params, src.QueryProtocolParameters(per_call));
  CS_ASSIGN(f.pools, src.QueryStakePools(per_call));
  CS_ASSIGN(f.live_distribution, Optional(src.QueryLiveStakeDistribution(per_call)));
  std::vector<chain::Hash28> ids;
  for (const auto& p : f.pools) ids.push_back(p.id);
  CS_ASSIGN(f.performances, Optional(src.QueryPoolPerformances(ids, per_call)));
  std::vector<chain::Credential> creds;
  std::vector<std::string> addresses = layout.treasury_addresses;
  for (const auto& s : layout.slots) {
    creds.push_back(s.stake);
    addresses.push_back(s.base_address);
  }
  CS_ASSIGN(f.accounts, src.QueryRewardAccounts(layout.network, creds, per_call));
  CS_ASSIGN(f.utxos, src.QueryUtxos(addresses, per_call));
  CS_ASSIGN(f.pots, src.QueryTreasuryAndReserves(per_call));
  return f;
}

absl::StatusOr<policy::Snapshot> BuildSnapshot(const ChainFacts& f, const BridgeLayout& layout) {
  policy::Snapshot s;
  s.network = layout.network;
  s.epoch = f.epoch;
  s.slot = f.tip.slot;
  s.params = f.params;
  s.reserves = f.pots.reserves;
  auto circulating = chain::CheckedSub(f.max_supply, f.pots.reserves);
  if (!circulating) return Invalid("reserves", "exceed the maximum supply");
  s.circulating = *circulating;
  for (const StakePool& sp : f.pools) {
    CS_ASSIGN(policy::Pool p, ToPool(sp, f, s.circulating));
    s.pools.push_back(std::move(p));
  }
  CS_RETURN_IF_ERROR(CheckUtxoOwners(f, layout));
  CS_RETURN_IF_ERROR(AddSlots(f, layout, s));
  for (const std::string& t : layout.treasury_addresses) {
    chain::Lovelace total;
    CS_ASSIGN(std::vector<policy::Utxo> us, UtxosAt(f.utxos, t, &total));
    s.treasury.insert(s.treasury.end(), us.begin(), us.end());
  }
  policy::SnapshotOrigin origin;
  origin.source = f.source;
  origin.tip_slot = f.tip.slot;
  origin.tip_hash = f.tip.hash;
  origin.tip_height = f.tip.height;
  s.origin = origin;
  CS_RETURN_IF_ERROR(policy::NormalizeSnapshot(s));
  return s;
}

}  // namespace stakeward::chainsource
