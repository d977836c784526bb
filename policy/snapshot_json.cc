// Stakeward snapshot JSON: load, validate, normalize, write. Also groups files and plan history.
#include <algorithm>
#include <map>
#include <numeric>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "chain/lovelace.h"
#include "chain/status_macros.h"
#include "policy/json_doc.h"
#include "policy/snapshot.h"
#include "policy/snapshot_internal.h"

namespace stakeward::policy {
namespace {

using json::Node;

using snapshot_internal::kMaxListItems;
using snapshot_internal::kMaxPools;
constexpr size_t kMaxSlots = 100000;

absl::Status Invalid(absl::string_view what, absl::string_view msg) {
  return absl::InvalidArgumentError(absl::StrCat(what, ": ", msg));
}

// The same error, its message prefixed with the place: readers are given an empty place name on
// hot paths and the place (a bech32 pool id, an index) is worded only when something failed.
std::string_view Std(absl::string_view s) { return std::string_view(s.data(), s.size()); }

absl::Status At(const absl::Status& st, absl::string_view place) {
  return absl::Status(st.code(), absl::StrCat(place, st.message()));
}

absl::StatusOr<chain::Hash28> PoolIdAt(const Node& j, absl::string_view what) {
  absl::string_view s;
  SW_ASSIGN_OR_RETURN(s, json::View(j, what));
  auto id = chain::ParsePoolId(Std(s));
  if (!id.ok()) return Invalid(what, absl::StrCat("'", s.substr(0, 80), "' is not a pool id"));
  return *id;
}

template <size_t N>
absl::StatusOr<std::array<uint8_t, N>> HexAt(const Node* v, absl::string_view key,
                                             absl::string_view what) {
  if (v == nullptr || v->is_null()) {
    return absl::InvalidArgumentError(absl::StrCat(what, ".", key, " is missing"));
  }
  if (!v->is_string()) return Invalid(absl::StrCat(what, ".", key), "expected a string");
  auto h = chain::HexDecodeFixed<N>(Std(v->text()));
  if (!h.ok())
    return Invalid(absl::StrCat(what, ".", key), absl::StrCat("expected ", 2 * N, " hex digits"));
  return *h;
}

absl::StatusOr<std::vector<Utxo>> ParseUtxos(const Node* j, absl::string_view what) {
  std::vector<Utxo> out;
  if (j == nullptr || j->is_null()) return out;
  if (!j->is_array() || j->size() > kMaxListItems) return Invalid(what, "expected a list of UTxOs");
  out.reserve(j->size());
  size_t i = 0;
  for (const Node& e : *j) {
    std::string w = absl::StrCat(what, "[", i++, "]");
    if (!e.is_object()) return Invalid(w, "expected an object");
    Utxo u;
    SW_ASSIGN_OR_RETURN(u.tx, HexAt<32>(e.Member("tx"), "tx", w));
    uint64_t ix;
    SW_ASSIGN_OR_RETURN(ix, json::U64At(e, "index", w));
    if (ix > 65535) return Invalid(w, "output index out of range");
    u.index = static_cast<uint32_t>(ix);
    SW_ASSIGN_OR_RETURN(u.lovelace, json::LovelaceAt(e, "lovelace", w));
    out.push_back(u);
  }
  return out;
}

// The member orders learnt while reading the pools (json::MemberOrder).
struct PoolOrders {
  json::MemberOrder pool;
  json::MemberOrder blocks;
};

absl::StatusOr<EpochBlocks> ParseBlocks(const Node& x, json::MemberOrder& order) {
  constexpr absl::string_view w = "";
  if (!x.is_object()) return Invalid(w, "expected an object");
  constexpr std::array<absl::string_view, 3> kNames = {"epoch", "made", "expected"};
  const auto [epoch, made, expected] = x.Members(kNames, order);
  EpochBlocks eb;
  SW_ASSIGN_OR_RETURN(eb.epoch, json::U64At(epoch, "epoch", w));
  SW_ASSIGN_OR_RETURN(eb.made, json::U64At(made, "made", w));
  if (expected == nullptr) return Invalid(w, "expected is missing");
  SW_ASSIGN_OR_RETURN(eb.expected, json::RatioOf(*expected, ".expected"));
  return eb;
}

absl::Status ParseStrings(const Node* list, absl::string_view name, size_t max_len,
                          std::vector<std::string>& out) {
  if (!list->is_array() || list->size() > kMaxListItems) {
    return Invalid("", absl::StrCat(name, ": expected a list"));
  }
  out.reserve(list->size());
  for (const Node& x : *list) {
    if (!x.is_string()) return Invalid(absl::StrCat(".", name), "expected a string");
    if (x.text().size() > max_len) return Invalid("", absl::StrCat(name, ": entry too long"));
    out.emplace_back(x.text());
  }
  return absl::OkStatus();
}

using snapshot_internal::kPoolMemberNames;
using snapshot_internal::kPoolMembers;
using enum snapshot_internal::PoolMember;

absl::Status ParseOwners(const Node* o, Pool& p) {
  if (o == nullptr || o->is_null()) return absl::OkStatus();
  if (!o->is_array() || o->size() > kMaxListItems) return Invalid("", "owners: expected a list");
  p.owners.reserve(o->size());
  for (const Node& x : *o) {
    if (!x.is_string()) return Invalid(".owners", "expected a string");
    auto h = chain::HexDecodeFixed<28>(Std(x.text()));
    if (!h.ok()) return Invalid("", "owners: expected 56 hex digits");
    p.owners.push_back(*h);
  }
  return absl::OkStatus();
}

absl::Status ParseBlockList(const Node* b, Pool& p, json::MemberOrder& order) {
  p.blocks_known = b != nullptr && !b->is_null();
  if (!p.blocks_known) return absl::OkStatus();
  if (!b->is_array() || b->size() > kMaxListItems) return Invalid("", "blocks: expected a list");
  p.blocks.reserve(b->size());  // exact: a held 100k-pool snapshot keeps no growth slack
  size_t k = 0;
  for (const Node& x : *b) {
    auto eb = ParseBlocks(x, order);
    if (!eb.ok()) return At(eb.status(), absl::StrCat(".blocks[", k, "]"));
    p.blocks.push_back(*eb);
    ++k;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<uint64_t>> OptionalEpoch(const Node* v, absl::string_view key) {
  if (v == nullptr || v->is_null()) return std::nullopt;
  uint64_t ep;
  SW_ASSIGN_OR_RETURN(ep, json::U64(*v, absl::StrCat(".", key)));
  return ep;
}

// Errors carry an empty place; ParsePool prefixes the pool.
absl::Status ParsePoolFields(const std::array<const Node*, kPoolMembers>& f, Pool& p,
                             json::MemberOrder& blocks_order) {
  constexpr absl::string_view w = "";
  SW_ASSIGN_OR_RETURN(p.vrf, HexAt<32>(f[kVrf], "vrf", w));
  SW_ASSIGN_OR_RETURN(p.pledge, json::U64At(f[kPledge], "pledge", w));
  // Absent or null: the source does not know what the owners hold.
  p.live_pledge_known = f[kLivePledge] != nullptr && !f[kLivePledge]->is_null();
  SW_ASSIGN_OR_RETURN(p.live_pledge, json::U64Or(f[kLivePledge], "live_pledge", p.pledge, w));
  if (f[kMargin] == nullptr) return Invalid(w, "margin is missing");
  SW_ASSIGN_OR_RETURN(p.margin, json::RatioOf(*f[kMargin], ".margin"));
  if (RatioLess(Ratio::One(), p.margin)) return Invalid(w, "margin above 1");
  SW_ASSIGN_OR_RETURN(p.fixed_cost, json::U64At(f[kFixedCost], "fixed_cost", w));
  SW_RETURN_IF_ERROR(ParseOwners(f[kOwners], p));
  if (f[kRelays] != nullptr && !f[kRelays]->is_null()) {
    SW_RETURN_IF_ERROR(ParseStrings(f[kRelays], "relays", 256, p.relays));
  }
  if (const Node* md = f[kMetadataUrl]; md != nullptr && !md->is_null()) {
    SW_ASSIGN_OR_RETURN(p.metadata_url, json::Str(*md, ".metadata_url"));
    if (p.metadata_url.size() > 128) return Invalid(w, "metadata_url longer than 128 bytes");
  }
  SW_ASSIGN_OR_RETURN(p.retiring_epoch, OptionalEpoch(f[kRetiringEpoch], "retiring_epoch"));
  SW_ASSIGN_OR_RETURN(p.registered_epoch, OptionalEpoch(f[kRegisteredEpoch], "registered_epoch"));
  SW_ASSIGN_OR_RETURN(p.live_stake, json::U64At(f[kLiveStake], "live_stake", w));
  SW_ASSIGN_OR_RETURN(p.active_stake,
                      json::U64Or(f[kActiveStake], "active_stake", p.live_stake, w));
  SW_RETURN_IF_ERROR(ParseBlockList(f[kBlocks], p, blocks_order));
  if (const Node* g = f[kGroup]; g != nullptr && !g->is_null()) {
    SW_ASSIGN_OR_RETURN(p.group, json::Str(*g, ".group"));
    if (p.group.size() > 64) return Invalid(w, "group name longer than 64 bytes");
  }
  if (const Node* t = f[kTicker]; t != nullptr && !t->is_null()) {
    SW_ASSIGN_OR_RETURN(p.ticker, json::Str(*t, ".ticker"));
    if (!IsCip6Ticker(p.ticker)) {
      return Invalid(w, "ticker must be 3 to 5 characters from A-Z and 0-9 (CIP-6)");
    }
  }
  return absl::OkStatus();
}

// Fills `p` (a fresh Pool in place: a Pool is large, so it is not returned and moved).
absl::Status ParsePool(const Node& e, size_t i, PoolOrders& orders, Pool& p) {
  if (!e.is_object()) return Invalid(absl::StrCat("pools[", i, "]"), "expected an object");
  const auto f = e.Members(kPoolMemberNames, orders.pool);
  if (f[kId] == nullptr) return Invalid(absl::StrCat("pools[", i, "]"), "id is missing");
  SW_ASSIGN_OR_RETURN(p.id, PoolIdAt(*f[kId], absl::StrCat("pools[", i, "].id")));
  if (absl::Status st = ParsePoolFields(f, p, orders.blocks); !st.ok()) {
    return At(st, absl::StrCat("pool ", chain::PoolIdBech32(p.id)));
  }
  return absl::OkStatus();
}

absl::StatusOr<SlotState> ParseSlot(const Node& e, size_t i) {
  std::string w = absl::StrCat("slots[", i, "]");
  if (!e.is_object()) return Invalid(w, "expected an object");
  SlotState s;
  uint64_t ix;
  SW_ASSIGN_OR_RETURN(ix, json::U64At(e, "index", w));
  if (ix >= chain::kHardened) return Invalid(w, "index must be below 2^31");
  s.index = static_cast<uint32_t>(ix);
  w = absl::StrCat("slot ", s.index);
  if (const Node* r = json::Find(e, {"registered"}); r != nullptr) {
    if (!r->is_boolean()) return Invalid(w, "registered: expected true or false");
    s.registered = r->boolean();
  }
  if (const Node* d = json::Find(e, {"deposit"}); d != nullptr && !d->is_null()) {
    chain::Lovelace deposit;
    SW_ASSIGN_OR_RETURN(deposit, json::LovelaceAt(e, "deposit", w));
    if (!s.registered) return Invalid(w, "has a deposit but is not registered");
    s.deposit = deposit;
  }
  if (const Node* p = json::Find(e, {"pool"}); p != nullptr && !p->is_null()) {
    chain::Hash28 id;
    SW_ASSIGN_OR_RETURN(id, PoolIdAt(*p, absl::StrCat(w, ".pool")));
    s.pool = id;
  }
  if (const Node* d = json::Find(e, {"drep"}); d != nullptr && !d->is_null()) {
    std::string t;
    SW_ASSIGN_OR_RETURN(t, json::Str(*d, absl::StrCat(w, ".drep")));
    DRepChoice c;
    SW_ASSIGN_OR_RETURN(c, ParseDRepChoice(t));
    s.drep = c;
  }
  SW_ASSIGN_OR_RETURN(s.balance, json::LovelaceOr(e, "balance", chain::Lovelace(0), w));
  SW_ASSIGN_OR_RETURN(s.rewards, json::LovelaceOr(e, "rewards", chain::Lovelace(0), w));
  SW_ASSIGN_OR_RETURN(s.utxos, ParseUtxos(json::Find(e, {"utxos"}), absl::StrCat(w, ".utxos")));
  if (const Node* a = json::Find(e, {"address"}); a != nullptr && !a->is_null()) {
    SW_ASSIGN_OR_RETURN(s.address, json::Str(*a, absl::StrCat(w, ".address")));
    if (!chain::ParseAddress(s.address).ok())
      return Invalid(w, "address is not a valid bech32 address");
  }
  if (!s.utxos.empty() && json::Find(e, {"balance"}) == nullptr) {
    chain::Lovelace sum;
    for (const auto& u : s.utxos) {
      auto t = chain::CheckedAdd(sum, u.lovelace);
      if (!t) return Invalid(w, "UTxO total overflows");
      sum = *t;
    }
    s.balance = sum;
  }
  return s;
}

// Union-find over pools that share an owner key or a relay.
void DeriveGroups(std::vector<Pool>& pools) {
  std::vector<size_t> parent(pools.size());
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  auto unite = [&](size_t a, size_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);
  };
  std::map<chain::Hash28, size_t> by_owner;
  std::map<std::string, size_t> by_relay;
  for (size_t i = 0; i < pools.size(); ++i) {
    if (!pools[i].group.empty()) continue;
    for (const auto& o : pools[i].owners) {
      auto [it, fresh] = by_owner.emplace(o, i);
      if (!fresh) unite(i, it->second);
    }
    for (const auto& r : pools[i].relays) {
      auto [it, fresh] = by_relay.emplace(r, i);
      if (!fresh) unite(i, it->second);
    }
  }
  // Pools are sorted by id, so the root (smallest index) is the smallest id of its component.
  for (size_t i = 0; i < pools.size(); ++i) {
    if (pools[i].group.empty()) pools[i].group = "auto:" + chain::HexEncode(pools[find(i)].id);
  }
}

}  // namespace

const Pool* Snapshot::FindPool(const chain::Hash28& id) const {
  auto it = std::lower_bound(pools.begin(), pools.end(), id,
                             [](const Pool& p, const chain::Hash28& x) { return p.id < x; });
  return (it != pools.end() && it->id == id) ? &*it : nullptr;
}

absl::StatusOr<DRepChoice> ParseDRepChoice(absl::string_view text) {
  DRepChoice c;
  if (text == "abstain" || text == "alwaysAbstain") {
    c.kind = DRepChoice::Kind::kAbstain;
  } else if (text == "no-confidence" || text == "alwaysNoConfidence") {
    c.kind = DRepChoice::Kind::kNoConfidence;
  } else {
    auto d = chain::ParseDRepId(std::string(text));
    if (!d.ok())
      return Invalid("drep", absl::StrCat("'", text.substr(0, 80), "' is not a DRep choice"));
    c.kind = DRepChoice::Kind::kDRep;
    c.drep = *d;
  }
  return c;
}

absl::Status NormalizeSnapshot(Snapshot& s) {
  if (s.params.k == 0) return Invalid("protocol.k", "must be positive");
  if (s.circulating == 0) return Invalid("supply.circulating", "must be positive");
  if (s.circulating > chain::kMaxLovelaceSupply || s.reserves > chain::kMaxLovelaceSupply) {
    return Invalid("supply",
                   "circulating and reserves must not exceed the 45e15 lovelace maximum supply");
  }
  if (s.params.key_deposit.value() > chain::kMaxLovelaceSupply ||
      s.params.min_fee_b.value() > chain::kMaxLovelaceSupply) {
    return Invalid("protocol", "key_deposit and min_fee_b must not exceed the maximum supply");
  }
  // Bounds that keep the 128-bit reward arithmetic exact (reward_model.cc).
  if (RatioLess(Ratio::Of(1000, 1), s.params.a0) || s.params.a0.den > 1000000000000ull) {
    return Invalid("protocol.a0", "must be at most 1000 with a denominator up to 10^12");
  }
  if (RatioLess(Ratio::One(), s.params.tau) || RatioLess(Ratio::One(), s.params.rho)) {
    return Invalid("protocol", "rho and tau must be at most 1");
  }
  auto by_id = [](const Pool& a, const Pool& b) { return a.id < b.id; };
  if (!std::is_sorted(s.pools.begin(), s.pools.end(), by_id)) {  // written sorted by id
    // Sorted as indexes and moved once: a Pool is a few hundred bytes with owned members.
    std::vector<size_t> order(s.pools.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return by_id(s.pools[a], s.pools[b]); });
    std::vector<Pool> sorted;
    sorted.reserve(s.pools.size());
    for (size_t i : order) sorted.push_back(std::move(s.pools[i]));
    s.pools = std::move(sorted);
  }
  uint64_t total_live = 0;
  for (size_t i = 0; i < s.pools.size(); ++i) {
    Pool& p = s.pools[i];
    if (i > 0 && s.pools[i - 1].id == p.id)
      return Invalid(chain::PoolIdBech32(p.id), "pool listed twice");
    std::sort(p.owners.begin(), p.owners.end());
    p.owners.erase(std::unique(p.owners.begin(), p.owners.end()), p.owners.end());
    std::sort(p.relays.begin(), p.relays.end());
    p.relays.erase(std::unique(p.relays.begin(), p.relays.end()), p.relays.end());
    auto by_epoch = [](const EpochBlocks& a, const EpochBlocks& b) { return a.epoch < b.epoch; };
    if (!std::is_sorted(p.blocks.begin(), p.blocks.end(), by_epoch)) {  // usually already is
      std::sort(p.blocks.begin(), p.blocks.end(), by_epoch);
    }
    for (size_t k = 1; k < p.blocks.size(); ++k) {
      if (p.blocks[k].epoch == p.blocks[k - 1].epoch) {
        return Invalid(chain::PoolIdBech32(p.id),
                       absl::StrCat("blocks listed twice for epoch ", p.blocks[k].epoch));
      }
    }
    if (RatioLess(Ratio::One(), p.margin))
      return Invalid(chain::PoolIdBech32(p.id), "margin above 1");
    auto t = chain::CheckedAdd(total_live, p.live_stake);
    if (!t || *t > s.circulating) {
      return Invalid(chain::PoolIdBech32(p.id), "total pool stake exceeds the circulating supply");
    }
    total_live = *t;
  }
  DeriveGroups(s.pools);
  std::sort(s.slots.begin(), s.slots.end(),
            [](const SlotState& a, const SlotState& b) { return a.index < b.index; });
  if (s.slots.size() > kMaxSlots) return Invalid("slots", "too many slots");
  std::map<chain::Hash28, uint64_t> ours;
  chain::Lovelace total_ours;
  for (size_t i = 0; i < s.slots.size(); ++i) {
    SlotState& sl = s.slots[i];
    std::string w = absl::StrCat("slot ", sl.index);
    if (i > 0 && s.slots[i - 1].index == sl.index) return Invalid(w, "listed twice");
    if (!sl.utxos.empty()) {
      chain::Lovelace sum;
      for (const auto& u : sl.utxos) {
        auto t = chain::CheckedAdd(sum, u.lovelace);
        if (!t) return Invalid(w, "UTxO total overflows");
        sum = *t;
      }
      if (sum != sl.balance) return Invalid(w, "balance differs from the sum of its UTxOs");
    }
    auto t = chain::CheckedAdd(total_ours, sl.balance);
    if (!t || t->value() > s.circulating)
      return Invalid(w, "our total balance exceeds the circulating supply");
    total_ours = *t;
    if (sl.pool.has_value()) {
      if (!sl.registered) return Invalid(w, "delegates to a pool but is not registered");
      if (s.FindPool(*sl.pool) == nullptr) {
        return Invalid(w,
                       absl::StrCat("delegates to unknown pool ", chain::PoolIdBech32(*sl.pool)));
      }
      ours[*sl.pool] += sl.balance.value();
    }
    if (sl.drep.has_value() && !sl.registered)
      return Invalid(w, "has a DRep but is not registered");
    if (sl.rewards.value() > chain::kMaxLovelaceSupply ||
        sl.deposit.value_or(chain::Lovelace()).value() > chain::kMaxLovelaceSupply)
      return Invalid(w, "rewards and deposit must not exceed the maximum supply");
    if (!sl.registered && sl.rewards != chain::Lovelace(0))
      return Invalid(w, "has rewards but is not registered");
  }
  // One UTxO is in one place: listed twice (two slots, or a slot and the treasury) a builder
  // would spend a slot's funds as treasury change and contradict the plan.
  std::set<std::pair<chain::Hash32, uint32_t>> seen;
  auto once = [&](const Utxo& u, const std::string& where) -> absl::Status {
    if (seen.insert({u.tx, u.index}).second) return absl::OkStatus();
    return Invalid(where, absl::StrCat("UTxO ", chain::HexEncode(u.tx), "#", u.index,
                                       " is listed more than once"));
  };
  for (const SlotState& sl : s.slots) {
    for (const Utxo& u : sl.utxos) {
      if (absl::Status st = once(u, absl::StrCat("slot ", sl.index)); !st.ok()) return st;
    }
  }
  for (const Utxo& u : s.treasury) {
    if (absl::Status st = once(u, "treasury_utxos"); !st.ok()) return st;
  }
  for (const auto& [id, amount] : ours) {
    if (s.FindPool(id)->live_stake < amount) {
      return Invalid(chain::PoolIdBech32(id),
                     "live stake is smaller than our own delegation to it");
    }
  }
  return absl::OkStatus();
}

// Optional "source" member (SnapshotOrigin); absent in snapshots written by hand.
absl::StatusOr<SnapshotOrigin> ParseOrigin(const Node& src) {
  if (!src.is_object()) return Invalid("snapshot.source", "expected an object");
  SnapshotOrigin o;
  SW_ASSIGN_OR_RETURN(o.source, json::StrAt(src, "from", "source"));
  if (const Node* tip = json::Find(src, {"tip"}); tip != nullptr && !tip->is_null()) {
    if (!tip->is_object()) return Invalid("snapshot.source.tip", "expected an object");
    SW_ASSIGN_OR_RETURN(o.tip_slot, json::U64At(*tip, "slot", "source.tip"));
    if (const Node* h = json::Find(*tip, {"hash"}); h != nullptr && !h->is_null()) {
      std::string hex;
      SW_ASSIGN_OR_RETURN(hex, json::Str(*h, "source.tip.hash"));
      auto hash = chain::HexDecodeFixed<32>(hex);
      if (!hash.ok()) return Invalid("snapshot.source.tip.hash", "expected 64 hex digits");
      o.tip_hash = *hash;
    }
    if (const Node* ht = json::Find(*tip, {"height"}); ht != nullptr && !ht->is_null()) {
      uint64_t v;
      SW_ASSIGN_OR_RETURN(v, json::U64(*ht, "source.tip.height"));
      o.tip_height = v;
    }
  }
  return o;
}

bool IsCip6Ticker(absl::string_view ticker) {
  if (ticker.size() < 3 || ticker.size() > 5) return false;
  for (char c : ticker) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

namespace snapshot_internal {

absl::Status ReadSnapshotDoc(const Node& j, Snapshot& s) {
  if (!j.is_object()) return Invalid("snapshot", "expected a JSON object");
  uint64_t schema;
  SW_ASSIGN_OR_RETURN(schema, json::U64At(j, "schema", "snapshot"));
  if (schema != 1) return Invalid("snapshot.schema", "only schema 1 is supported");
  std::string net;
  SW_ASSIGN_OR_RETURN(net, json::StrAt(j, "network", "snapshot"));
  if (net == "mainnet") {
    s.network = chain::Network::kMainnet;
  } else if (net == "testnet") {
    s.network = chain::Network::kTestnet;
  } else {
    return Invalid("snapshot.network", "expected mainnet or testnet");
  }
  SW_ASSIGN_OR_RETURN(s.epoch, json::U64At(j, "epoch", "snapshot"));
  SW_ASSIGN_OR_RETURN(s.slot, json::U64Or(j, "slot", 0, "snapshot"));
  const Node* pp = json::Find(j, {"protocol"});
  if (pp == nullptr || !pp->is_object()) return Invalid("snapshot.protocol", "expected an object");
  ProtocolParams& P = s.params;
  SW_ASSIGN_OR_RETURN(P.k, json::U64At(*pp, "k", "protocol"));
  for (auto [key, dst] :
       {std::pair<const char*, Ratio*>{"a0", &P.a0}, {"rho", &P.rho}, {"tau", &P.tau}}) {
    const Node* v = json::Find(*pp, {key});
    if (v == nullptr) return Invalid(absl::StrCat("protocol.", key), "is missing");
    SW_ASSIGN_OR_RETURN(*dst, json::RatioOf(*v, absl::StrCat("protocol.", key)));
  }
  SW_ASSIGN_OR_RETURN(P.key_deposit, json::LovelaceAt(*pp, "key_deposit", "protocol"));
  SW_ASSIGN_OR_RETURN(P.min_fee_a, json::U64Or(*pp, "min_fee_a", P.min_fee_a, "protocol"));
  SW_ASSIGN_OR_RETURN(P.min_fee_b, json::LovelaceOr(*pp, "min_fee_b", P.min_fee_b, "protocol"));
  SW_ASSIGN_OR_RETURN(P.coins_per_utxo_byte,
                      json::U64Or(*pp, "coins_per_utxo_byte", P.coins_per_utxo_byte, "protocol"));
  SW_ASSIGN_OR_RETURN(P.max_tx_size, json::U64Or(*pp, "max_tx_size", P.max_tx_size, "protocol"));
  SW_ASSIGN_OR_RETURN(P.protocol_major,
                      json::U64Or(*pp, "protocol_major", P.protocol_major, "protocol"));
  const Node* sup = json::Find(j, {"supply"});
  if (sup == nullptr || !sup->is_object()) return Invalid("snapshot.supply", "expected an object");
  SW_ASSIGN_OR_RETURN(s.circulating, json::U64At(*sup, "circulating", "supply"));
  SW_ASSIGN_OR_RETURN(s.reserves, json::U64At(*sup, "reserves", "supply"));
  const Node* pools = json::Find(j, {"pools"});
  if (pools == nullptr || !pools->is_array() || pools->size() > kMaxPools) {
    return Invalid("snapshot.pools", "expected a list");
  }
  s.pools.reserve(pools->size());
  size_t i = 0;
  PoolOrders orders;
  // Ahead of the pool being read: the next one's text, the one after's nodes (json::Node).
  auto ahead = pools->begin();
  if (ahead != pools->end()) (*ahead).PrefetchNodes();
  for (const Node& e : *pools) {
    if (ahead != pools->end() && ++ahead != pools->end()) {
      (*ahead).PrefetchText();
      auto after = ahead;
      if (++after != pools->end()) (*after).PrefetchNodes();
    }
    SW_RETURN_IF_ERROR(ParsePool(e, i++, orders, s.pools.emplace_back()));
  }
  if (const Node* slots = json::Find(j, {"slots"}); slots != nullptr && !slots->is_null()) {
    if (!slots->is_array() || slots->size() > kMaxSlots)
      return Invalid("snapshot.slots", "expected a list");
    s.slots.reserve(slots->size());
    size_t k = 0;
    for (const Node& e : *slots) {
      SlotState sl;
      SW_ASSIGN_OR_RETURN(sl, ParseSlot(e, k++));
      s.slots.push_back(std::move(sl));
    }
  }
  SW_ASSIGN_OR_RETURN(s.treasury, ParseUtxos(json::Find(j, {"treasury_utxos"}), "treasury_utxos"));
  if (const Node* src = json::Find(j, {"source"}); src != nullptr && !src->is_null()) {
    SW_ASSIGN_OR_RETURN(s.origin, ParseOrigin(*src));
  }
  return absl::OkStatus();
}

absl::StatusOr<Snapshot> LoadSnapshotGeneral(absl::string_view text, size_t max_nodes) {
  auto doc = json::Doc::Parse(text, "snapshot", max_nodes);
  if (!doc.ok()) return doc.status();
  Snapshot s;
  SW_RETURN_IF_ERROR(ReadSnapshotDoc(doc->root(), s));
  SW_RETURN_IF_ERROR(NormalizeSnapshot(s));
  return s;
}

}  // namespace snapshot_internal

absl::StatusOr<Snapshot> LoadSnapshot(absl::string_view text) {
  if (std::optional<Snapshot> s = snapshot_internal::LoadSnapshotFast(text); s.has_value()) {
    return *std::move(s);
  }
  return snapshot_internal::LoadSnapshotGeneral(text);
}

absl::Status ApplyGroupsFile(absl::string_view text, Snapshot& s) {
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    if (auto hash = line.find('#'); hash != absl::string_view::npos) line = line.substr(0, hash);
    line = absl::StripAsciiWhitespace(line);
    if (line.empty()) continue;
    std::vector<absl::string_view> parts =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    std::string w = absl::StrCat("groups line ", line_no);
    if (parts.size() != 2) return Invalid(w, "expected '<pool id> <group>'");
    auto id = chain::ParsePoolId(std::string(parts[0]));
    if (!id.ok()) return Invalid(w, "bad pool id");
    if (parts[1].size() > 64) return Invalid(w, "group name longer than 64 bytes");
    auto it = std::lower_bound(s.pools.begin(), s.pools.end(), *id,
                               [](const Pool& p, const chain::Hash28& x) { return p.id < x; });
    if (it == s.pools.end() || it->id != *id) return Invalid(w, "unknown pool");
    it->group = std::string(parts[1]);
  }
  return absl::OkStatus();
}

absl::StatusOr<PlanHistory> LoadHistory(absl::string_view text) {
  auto doc = json::Doc::Parse(text, "history");
  if (!doc.ok()) return doc.status();
  const Node& j = doc->root();
  PlanHistory h;
  const Node* d = json::Find(j, {"dropped"});
  if (d == nullptr || d->is_null()) return h;
  if (!d->is_array() || d->size() > kMaxPools) return Invalid("history.dropped", "expected a list");
  size_t i = 0;
  for (const Node& e : *d) {
    std::string w = absl::StrCat("history.dropped[", i++, "]");
    if (!e.is_object()) return Invalid(w, "expected an object");
    const Node* p = json::Find(e, {"pool"});
    if (p == nullptr) return Invalid(w, "pool is missing");
    DroppedPool dp;
    SW_ASSIGN_OR_RETURN(dp.pool, PoolIdAt(*p, w));
    SW_ASSIGN_OR_RETURN(dp.epoch, json::U64At(e, "epoch", w));
    h.dropped.push_back(dp);
  }
  return h;
}

}  // namespace stakeward::policy
