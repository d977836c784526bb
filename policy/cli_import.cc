#include "policy/cli_import.h"

#include <algorithm>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "chain/lovelace.h"
#include "policy/json_exact.h"

namespace stakeward::policy {
namespace {

using json::Json;

#define SW_ASSIGN(lhs, expr)          \
  do {                                \
    auto _v = (expr);                 \
    if (!_v.ok()) return _v.status(); \
    lhs = *std::move(_v);             \
  } while (0)

absl::Status Invalid(absl::string_view what, absl::string_view msg) {
  return absl::InvalidArgumentError(absl::StrCat(what, ": ", msg));
}

absl::StatusOr<uint64_t> U64Any(const Json& obj, std::initializer_list<absl::string_view> keys,
                                absl::string_view what) {
  const Json* v = json::Find(obj, keys);
  if (v == nullptr || v->is_null())
    return Invalid(what, absl::StrCat(*keys.begin(), " is missing"));
  return json::U64(*v, absl::StrCat(what, ".", *keys.begin()));
}

absl::StatusOr<Ratio> RatioAny(const Json& obj, std::initializer_list<absl::string_view> keys,
                               absl::string_view what) {
  const Json* v = json::Find(obj, keys);
  if (v == nullptr || v->is_null())
    return Invalid(what, absl::StrCat(*keys.begin(), " is missing"));
  return json::RatioOf(*v, absl::StrCat(what, ".", *keys.begin()));
}

absl::StatusOr<chain::Hash28> PoolIdOf(const std::string& text, absl::string_view what) {
  auto id = chain::ParsePoolId(text);
  if (!id.ok()) return Invalid(what, absl::StrCat("'", text.substr(0, 80), "' is not a pool id"));
  return *id;
}

Pool* FindMutable(Snapshot& s, const chain::Hash28& id) {
  auto it = std::lower_bound(s.pools.begin(), s.pools.end(), id,
                             [](const Pool& p, const chain::Hash28& x) { return p.id < x; });
  return (it != s.pools.end() && it->id == id) ? &*it : nullptr;
}

SlotState& SlotAt(Snapshot& s, uint32_t index) {
  for (SlotState& sl : s.slots) {
    if (sl.index == index) return sl;
  }
  SlotState sl;
  sl.index = index;
  s.slots.push_back(sl);
  std::sort(s.slots.begin(), s.slots.end(),
            [](const SlotState& a, const SlotState& b) { return a.index < b.index; });
  for (SlotState& x : s.slots) {
    if (x.index == index) return x;
  }
  return s.slots.front();  // unreachable
}

absl::StatusOr<DRepChoice> VoteDelegation(const Json& v, absl::string_view what) {
  DRepChoice d;
  if (v.is_string()) {
    std::string t = v.get<std::string>();
    if (t == "alwaysAbstain") return DRepChoice{DRepChoice::Kind::kAbstain, {}};
    if (t == "alwaysNoConfidence") return DRepChoice{DRepChoice::Kind::kNoConfidence, {}};
    for (auto [prefix, kind] : {std::pair<const char*, chain::Credential::Kind>{
                                    "keyHash-", chain::Credential::Kind::kKeyHash},
                                {"scriptHash-", chain::Credential::Kind::kScriptHash}}) {
      if (t.rfind(prefix, 0) == 0) {
        auto h = chain::HexDecodeFixed<28>(t.substr(std::string(prefix).size()));
        if (!h.ok()) return Invalid(what, "voteDelegation: bad hash");
        d.kind = DRepChoice::Kind::kDRep;
        d.drep = {kind, *h};
        return d;
      }
    }
    return ParseDRepChoice(t);
  }
  if (v.is_object()) {
    for (auto [key, kind] : {std::pair<const char*, chain::Credential::Kind>{
                                 "keyHash", chain::Credential::Kind::kKeyHash},
                             {"scriptHash", chain::Credential::Kind::kScriptHash}}) {
      if (const Json* h = json::Find(v, {key}); h != nullptr) {
        std::string hex;
        SW_ASSIGN(hex, json::Str(*h, absl::StrCat(what, ".voteDelegation.", key)));
        auto b = chain::HexDecodeFixed<28>(hex);
        if (!b.ok()) return Invalid(what, "voteDelegation: bad hash");
        d.kind = DRepChoice::Kind::kDRep;
        d.drep = {kind, *b};
        return d;
      }
    }
  }
  return Invalid(what, "voteDelegation: unrecognised form");
}

}  // namespace

absl::Status ImportProtocolParameters(absl::string_view text, Snapshot& s) {
  Json j;
  SW_ASSIGN(j, json::ParseExact(text, "protocol-parameters"));
  if (!j.is_object()) return Invalid("protocol-parameters", "expected a JSON object");
  const char* w = "protocol-parameters";
  ProtocolParams& p = s.params;
  SW_ASSIGN(p.k, U64Any(j, {"stakePoolTargetNum", "nOpt"}, w));
  SW_ASSIGN(p.a0, RatioAny(j, {"poolPledgeInfluence", "a0"}, w));
  SW_ASSIGN(p.rho, RatioAny(j, {"monetaryExpansion", "rho"}, w));
  SW_ASSIGN(p.tau, RatioAny(j, {"treasuryCut", "tau"}, w));
  SW_ASSIGN(p.key_deposit, chain::AsLovelace(U64Any(j, {"stakeAddressDeposit", "keyDeposit"}, w)));
  SW_ASSIGN(p.min_fee_a, U64Any(j, {"txFeePerByte", "minFeeA"}, w));
  SW_ASSIGN(p.min_fee_b, chain::AsLovelace(U64Any(j, {"txFeeFixed", "minFeeB"}, w)));
  if (json::Find(j, {"utxoCostPerByte", "coinsPerUTxOByte"}) != nullptr) {
    SW_ASSIGN(p.coins_per_utxo_byte, U64Any(j, {"utxoCostPerByte", "coinsPerUTxOByte"}, w));
  } else if (json::Find(j, {"utxoCostPerWord", "coinsPerUTxOWord"}) != nullptr) {
    // Alonzo quoted the cost per 8-byte word (cardano-ledger Babbage/PParams.hs: words `div` 8).
    uint64_t per_word;
    SW_ASSIGN(per_word, U64Any(j, {"utxoCostPerWord", "coinsPerUTxOWord"}, w));
    p.coins_per_utxo_byte = per_word / 8;
  }
  if (json::Find(j, {"maxTxSize"}) != nullptr)
    SW_ASSIGN(p.max_tx_size, U64Any(j, {"maxTxSize"}, w));
  if (const Json* pv = json::Find(j, {"protocolVersion"}); pv != nullptr && pv->is_object()) {
    SW_ASSIGN(p.protocol_major, U64Any(*pv, {"major"}, "protocol-parameters.protocolVersion"));
  }
  return absl::OkStatus();
}

absl::Status ImportStakePools(absl::string_view text, Snapshot& s) {
  std::vector<std::string> ids;
  absl::string_view trimmed = absl::StripAsciiWhitespace(text);
  if (!trimmed.empty() && trimmed.front() == '[') {
    Json j;
    SW_ASSIGN(j, json::ParseExact(text, "stake-pools"));
    for (size_t i = 0; i < j.size(); ++i) {
      std::string id;
      SW_ASSIGN(id, json::Str(j[i], absl::StrCat("stake-pools[", i, "]")));
      ids.push_back(id);
    }
  } else {
    for (absl::string_view line : absl::StrSplit(trimmed, '\n', absl::SkipWhitespace())) {
      ids.emplace_back(absl::StripAsciiWhitespace(line));
    }
  }
  std::vector<Pool> pools;
  for (size_t i = 0; i < ids.size(); ++i) {
    chain::Hash28 id;
    SW_ASSIGN(id, PoolIdOf(ids[i], absl::StrCat("stake-pools item ", i + 1)));
    if (Pool* existing = FindMutable(s, id)) {
      pools.push_back(*existing);
    } else {
      Pool p;
      p.id = id;
      p.blocks_known = false;  // cardano-cli has no block history (nor pool age)
      pools.push_back(p);
    }
  }
  std::sort(pools.begin(), pools.end(), [](const Pool& a, const Pool& b) { return a.id < b.id; });
  for (size_t i = 1; i < pools.size(); ++i) {
    if (pools[i].id == pools[i - 1].id)
      return Invalid("stake-pools",
                     absl::StrCat(chain::PoolIdBech32(pools[i].id), " listed twice"));
  }
  s.pools = std::move(pools);
  return absl::OkStatus();
}

absl::Status ImportPoolState(absl::string_view text, Snapshot& s) {
  Json j;
  SW_ASSIGN(j, json::ParseExact(text, "pool-state"));
  if (!j.is_object()) return Invalid("pool-state", "expected a JSON object keyed by pool id");
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::string w = absl::StrCat("pool-state ", it.key().substr(0, 80));
    chain::Hash28 id;
    SW_ASSIGN(id, PoolIdOf(it.key(), w));
    Pool* p = FindMutable(s, id);
    if (p == nullptr) return Invalid(w, "unknown pool (not in the stake-pools list)");
    const Json& entry = it.value();
    const Json* params = json::Find(entry, {"poolParams"});
    if (params == nullptr || !params->is_object()) return Invalid(w, "poolParams is missing");
    if (const Json* pk = json::Find(*params, {"publicKey", "poolId"}); pk != nullptr) {
      std::string inner;
      SW_ASSIGN(inner, json::Str(*pk, absl::StrCat(w, ".publicKey")));
      chain::Hash28 inner_id;
      SW_ASSIGN(inner_id, PoolIdOf(inner, absl::StrCat(w, ".publicKey")));
      if (inner_id != id) return Invalid(w, "publicKey differs from the map key");
    }
    std::string vrf;
    SW_ASSIGN(vrf, json::StrAt(*params, "vrf", w));
    auto vrf_b = chain::HexDecodeFixed<32>(vrf);
    if (!vrf_b.ok()) return Invalid(w, "vrf: expected 64 hex digits");
    p->vrf = *vrf_b;
    SW_ASSIGN(p->pledge, U64Any(*params, {"pledge"}, w));
    p->live_pledge = p->pledge;  // unknown: the owners' stake is not in the pool parameters
    p->live_pledge_known = false;
    SW_ASSIGN(p->fixed_cost, U64Any(*params, {"cost"}, w));
    SW_ASSIGN(p->margin, RatioAny(*params, {"margin"}, w));
    if (RatioLess(Ratio::One(), p->margin)) return Invalid(w, "margin above 1");
    if (json::Find(*params, {"rewardAccount", "accountAddress"}) == nullptr) {
      return Invalid(w, "rewardAccount is missing");
    }
    p->owners.clear();
    if (const Json* o = json::Find(*params, {"owners"}); o != nullptr && o->is_array()) {
      for (const Json& x : *o) {
        std::string hex;
        SW_ASSIGN(hex, json::Str(x, absl::StrCat(w, ".owners")));
        auto h = chain::HexDecodeFixed<28>(hex);
        if (!h.ok()) return Invalid(w, "owners: expected 56 hex digits");
        p->owners.push_back(*h);
      }
    }
    p->relays.clear();
    if (const Json* r = json::Find(*params, {"relays"}); r != nullptr && r->is_array()) {
      // Relays are objects ({"single host address": {"IPv4": …, "port": …}}, …); their compact
      // JSON (keys sorted) is the relay's identity for grouping.
      for (const Json& x : *r) p->relays.push_back(x.dump());
    }
    p->metadata_url.clear();
    if (const Json* m = json::Find(*params, {"metadata"}); m != nullptr && m->is_object()) {
      if (const Json* url = json::Find(*m, {"url"}); url != nullptr)
        SW_ASSIGN(p->metadata_url, json::Str(*url, w));
    }
    p->retiring_epoch.reset();
    if (const Json* r = json::Find(entry, {"retiring"}); r != nullptr && !r->is_null()) {
      uint64_t e;
      SW_ASSIGN(e, json::U64(*r, absl::StrCat(w, ".retiring")));
      p->retiring_epoch = e;
    }
  }
  return absl::OkStatus();
}

absl::Status ImportStakeSnapshot(absl::string_view text, Snapshot& s,
                                 std::optional<chain::Hash28> single_pool) {
  Json j;
  SW_ASSIGN(j, json::ParseExact(text, "stake-snapshot"));
  if (!j.is_object()) return Invalid("stake-snapshot", "expected a JSON object");
  auto apply = [&](const chain::Hash28& id, const Json& e, absl::string_view mark_key,
                   absl::string_view set_key, const std::string& w) -> absl::Status {
    Pool* p = FindMutable(s, id);
    if (p == nullptr) return Invalid(w, "unknown pool (not in the stake-pools list)");
    SW_ASSIGN(p->live_stake, U64Any(e, {mark_key}, w));
    SW_ASSIGN(p->active_stake, U64Any(e, {set_key}, w));
    return absl::OkStatus();
  };
  if (const Json* pools = json::Find(j, {"pools"}); pools != nullptr) {
    if (!pools->is_object()) return Invalid("stake-snapshot.pools", "expected an object");
    for (auto it = pools->begin(); it != pools->end(); ++it) {
      std::string w = absl::StrCat("stake-snapshot pool ", it.key().substr(0, 80));
      chain::Hash28 id;
      SW_ASSIGN(id, PoolIdOf(it.key(), w));
      absl::Status st = apply(id, it.value(), "stakeMark", "stakeSet", w);
      if (!st.ok()) return st;
    }
    return absl::OkStatus();
  }
  if (json::Find(j, {"poolStakeMark"}) != nullptr) {
    if (!single_pool.has_value())
      return Invalid("stake-snapshot", "single-pool output needs the pool id");
    return apply(*single_pool, j, "poolStakeMark", "poolStakeSet", "stake-snapshot");
  }
  return Invalid("stake-snapshot", "expected \"pools\" or \"poolStakeMark\"");
}

absl::Status ImportStakeAddressInfo(absl::string_view text, uint32_t slot, Snapshot& s) {
  Json j;
  SW_ASSIGN(j, json::ParseExact(text, "stake-address-info"));
  if (!j.is_array()) return Invalid("stake-address-info", "expected a JSON list");
  std::string w = absl::StrCat("stake-address-info of slot ", slot);
  if (j.size() > 1) return Invalid(w, "expected at most one entry");
  SlotState& sl = SlotAt(s, slot);
  if (j.empty()) {
    sl.registered = false;
    sl.pool.reset();
    sl.drep.reset();
    sl.rewards = chain::Lovelace(0);
    return absl::OkStatus();
  }
  const Json& e = j[0];
  if (!e.is_object()) return Invalid(w, "expected an object");
  if (const Json* a = json::Find(e, {"address"}); a != nullptr) {
    std::string addr;
    SW_ASSIGN(addr, json::Str(*a, absl::StrCat(w, ".address")));
    auto parsed = chain::ParseAddress(addr);
    if (!parsed.ok() || parsed->type != chain::AddressType::kReward)
      return Invalid(w, "address is not a stake address");
  }
  // A registered credential has a deposit (stakeRegistrationDeposit / delegationDeposit); older
  // outputs list only registered addresses.
  const Json* dep = json::Find(e, {"stakeRegistrationDeposit", "delegationDeposit"});
  sl.registered = dep == nullptr || !dep->is_null();
  sl.deposit.reset();
  if (dep != nullptr && !dep->is_null()) {  // what deregistering this credential refunds
    chain::Lovelace held;
    SW_ASSIGN(held,
              chain::AsLovelace(json::U64(*dep, absl::StrCat(w, ".stakeRegistrationDeposit"))));
    sl.deposit = held;
  }
  sl.pool.reset();
  if (const Json* d = json::Find(e, {"stakeDelegation", "delegation"});
      d != nullptr && !d->is_null()) {
    std::string id;
    if (d->is_string()) {
      id = d->get<std::string>();
    } else if (d->is_object()) {
      const Json* b = json::Find(*d, {"stakePoolBech32"});
      if (b == nullptr || b->is_null()) b = json::Find(*d, {"stakePoolHex"});
      if (b == nullptr) return Invalid(w, "stakeDelegation: no pool id");
      SW_ASSIGN(id, json::Str(*b, absl::StrCat(w, ".stakeDelegation")));
    } else {
      return Invalid(w, "stakeDelegation: unrecognised form");
    }
    chain::Hash28 pid;
    SW_ASSIGN(pid, PoolIdOf(id, absl::StrCat(w, ".stakeDelegation")));
    sl.pool = pid;
  }
  sl.drep.reset();
  if (const Json* v = json::Find(e, {"voteDelegation"}); v != nullptr && !v->is_null()) {
    DRepChoice d;
    SW_ASSIGN(d, VoteDelegation(*v, w));
    sl.drep = d;
  }
  sl.rewards = chain::Lovelace(0);
  if (const Json* r = json::Find(e, {"rewardAccountBalance", "rewardBalance"});
      r != nullptr && !r->is_null()) {
    SW_ASSIGN(sl.rewards,
              chain::AsLovelace(json::U64(*r, absl::StrCat(w, ".rewardAccountBalance"))));
  }
  return absl::OkStatus();
}

absl::Status ImportUtxo(absl::string_view text, std::optional<uint32_t> slot, Snapshot& s) {
  Json j;
  SW_ASSIGN(j, json::ParseExact(text, "utxo"));
  if (!j.is_object()) return Invalid("utxo", "expected a JSON object keyed by txid#index");
  std::vector<Utxo> utxos;
  chain::Lovelace total;
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::string w = absl::StrCat("utxo ", it.key().substr(0, 80));
    std::vector<std::string> parts = absl::StrSplit(it.key(), '#');
    if (parts.size() != 2) return Invalid(w, "key must be <txid>#<index>");
    Utxo u;
    auto tx = chain::HexDecodeFixed<32>(parts[0]);
    if (!tx.ok()) return Invalid(w, "bad transaction id");
    u.tx = *tx;
    uint64_t ix;
    SW_ASSIGN(ix, ParseU64(parts[1], w));
    if (ix > 65535) return Invalid(w, "output index out of range");
    u.index = static_cast<uint32_t>(ix);
    const Json& v = it.value();
    if (!v.is_object()) return Invalid(w, "expected an object");
    if (const Json* a = json::Find(v, {"address"}); a != nullptr) {
      std::string addr;
      SW_ASSIGN(addr, json::Str(*a, absl::StrCat(w, ".address")));
      if (!chain::ParseAddress(addr).ok()) return Invalid(w, "bad address");
      if (slot.has_value()) {
        SlotState& sl = SlotAt(s, *slot);
        if (sl.address.empty()) sl.address = addr;
        if (sl.address != addr) return Invalid(w, "UTxO address differs from the slot's address");
      }
    }
    const Json* value = json::Find(v, {"value", "amount"});
    if (value == nullptr) return Invalid(w, "value is missing");
    if (value->is_object()) {
      for (auto vi = value->begin(); vi != value->end(); ++vi) {
        if (vi.key() != "lovelace")
          return Invalid(w, "carries native tokens; Stakeward slots hold ADA only");
      }
      SW_ASSIGN(u.lovelace, chain::AsLovelace(U64Any(*value, {"lovelace"}, w)));
    } else {
      SW_ASSIGN(u.lovelace, chain::AsLovelace(json::U64(*value, absl::StrCat(w, ".value"))));
    }
    auto t = chain::CheckedAdd(total, u.lovelace);
    if (!t) return Invalid(w, "total overflows");
    total = *t;
    utxos.push_back(u);
  }
  std::sort(utxos.begin(), utxos.end(), [](const Utxo& a, const Utxo& b) {
    return a.tx != b.tx ? a.tx < b.tx : a.index < b.index;
  });
  if (slot.has_value()) {
    SlotState& sl = SlotAt(s, *slot);
    sl.utxos = std::move(utxos);
    sl.balance = total;
  } else {
    s.treasury = std::move(utxos);
  }
  return absl::OkStatus();
}

}  // namespace stakeward::policy
