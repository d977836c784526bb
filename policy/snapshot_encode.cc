// Canonical encoding, hash and JSON rendering of a normalized snapshot.
#include "chain/cbor.h"
#include "chain/cbor_hash.h"
#include "chain/hash.h"
#include "nlohmann/json.hpp"
#include "policy/snapshot.h"

namespace stakeward::policy {
namespace {

using chain::cbor::Writer;

void WriteRatio(Writer& w, const Ratio& r) { w.ArrayHeader(2).Uint(r.num).Uint(r.den); }

void WriteUtxos(Writer& w, const std::vector<Utxo>& us) {
  w.ArrayHeader(us.size());
  for (const auto& u : us)
    w.ArrayHeader(3).Bytes(chain::View(u.tx)).Uint(u.index).Uint(u.lovelace.value());
}

void WriteDRep(Writer& w, const std::optional<DRepChoice>& d) {
  if (!d.has_value()) {
    w.Null();
  } else if (d->kind == DRepChoice::Kind::kDRep) {
    w.ArrayHeader(2).Uint(static_cast<uint64_t>(d->drep.kind)).Bytes(chain::View(d->drep.hash));
  } else {
    w.ArrayHeader(1).Uint(d->kind == DRepChoice::Kind::kAbstain ? 2 : 3);
  }
}

nlohmann::ordered_json UtxosJson(const std::vector<Utxo>& us) {
  auto a = nlohmann::ordered_json::array();
  for (const auto& u : us) {
    a.push_back({{"tx", chain::HexEncode(u.tx)}, {"index", u.index}, {"lovelace", u.lovelace}});
  }
  return a;
}

// Field order is part of the hash. `drain(w)` runs after every pool and slot, so a caller that
// only hashes can stream the encoding instead of holding it whole (tens of MB at 100k pools).
template <typename Drain>
void WriteSnapshot(const Snapshot& s, Writer& w, const Drain& drain) {
  w.ArrayHeader(10).Uint(1).Uint(static_cast<uint64_t>(s.network)).Uint(s.epoch).Uint(s.slot);
  const ProtocolParams& p = s.params;
  w.ArrayHeader(10).Uint(p.k);
  WriteRatio(w, p.a0);
  WriteRatio(w, p.rho);
  WriteRatio(w, p.tau);
  w.Uint(p.key_deposit.value())
      .Uint(p.min_fee_a)
      .Uint(p.min_fee_b.value())
      .Uint(p.coins_per_utxo_byte)
      .Uint(p.max_tx_size)
      .Uint(p.protocol_major);
  w.ArrayHeader(2).Uint(s.circulating).Uint(s.reserves);
  w.ArrayHeader(s.pools.size());
  for (const Pool& q : s.pools) {
    // A ticker is a sixteenth field; without one the encoding (and the hash) is as before.
    w.ArrayHeader(q.ticker.empty() ? 15 : 16)
        .Bytes(chain::View(q.id))
        .Bytes(chain::View(q.vrf))
        .Uint(q.pledge);
    if (q.live_pledge_known) {
      w.Uint(q.live_pledge);
    } else {
      w.Null();
    }
    WriteRatio(w, q.margin);
    w.Uint(q.fixed_cost);
    w.ArrayHeader(q.owners.size());
    for (const auto& o : q.owners) w.Bytes(chain::View(o));
    w.ArrayHeader(q.relays.size());
    for (const auto& r : q.relays) w.Text(r);
    w.Text(q.metadata_url);
    if (q.retiring_epoch.has_value()) {
      w.Uint(*q.retiring_epoch);
    } else {
      w.Null();
    }
    if (q.registered_epoch.has_value()) {
      w.Uint(*q.registered_epoch);
    } else {
      w.Null();
    }
    w.Uint(q.live_stake).Uint(q.active_stake);
    if (q.blocks_known) {
      w.ArrayHeader(q.blocks.size());
      for (const auto& b : q.blocks) {
        w.ArrayHeader(3).Uint(b.epoch).Uint(b.made);
        WriteRatio(w, b.expected);
      }
    } else {
      w.Null();
    }
    w.Text(q.group);
    if (!q.ticker.empty()) w.Text(q.ticker);
    drain(w);
  }
  w.ArrayHeader(s.slots.size());
  for (const SlotState& sl : s.slots) {
    // A recorded deposit is a ninth field; without one the encoding (and the hash) is as before.
    w.ArrayHeader(sl.deposit ? 9 : 8).Uint(sl.index).Bool(sl.registered);
    if (sl.pool.has_value()) {
      w.Bytes(chain::View(*sl.pool));
    } else {
      w.Null();
    }
    WriteDRep(w, sl.drep);
    w.Uint(sl.balance.value()).Uint(sl.rewards.value());
    WriteUtxos(w, sl.utxos);
    w.Text(sl.address);
    if (sl.deposit) w.Uint(sl.deposit->value());
    drain(w);
  }
  WriteUtxos(w, s.treasury);
}

}  // namespace

chain::Bytes EncodeSnapshot(const Snapshot& s) {
  Writer w;
  WriteSnapshot(s, w, [](Writer&) {});
  return w.Take();
}

chain::Hash32 SnapshotHash(const Snapshot& s) {
  return chain::Blake2b256OfEncoding(
      [&](Writer& w, const auto& drain) { WriteSnapshot(s, w, drain); });
}

std::string SnapshotToJson(const Snapshot& s) {
  using J = nlohmann::ordered_json;
  J j;
  j["schema"] = 1;
  j["network"] = s.network == chain::Network::kMainnet ? "mainnet" : "testnet";
  j["epoch"] = s.epoch;
  j["slot"] = s.slot;
  const ProtocolParams& p = s.params;
  j["protocol"] = {{"k", p.k},
                   {"a0", p.a0.ToString()},
                   {"rho", p.rho.ToString()},
                   {"tau", p.tau.ToString()},
                   {"key_deposit", p.key_deposit},
                   {"min_fee_a", p.min_fee_a},
                   {"min_fee_b", p.min_fee_b},
                   {"coins_per_utxo_byte", p.coins_per_utxo_byte},
                   {"max_tx_size", p.max_tx_size},
                   {"protocol_major", p.protocol_major}};
  j["supply"] = {{"circulating", s.circulating}, {"reserves", s.reserves}};
  J pools = J::array();
  for (const Pool& q : s.pools) {
    J o;
    o["id"] = chain::PoolIdBech32(q.id);
    o["vrf"] = chain::HexEncode(q.vrf);
    o["pledge"] = q.pledge;
    o["live_pledge"] = q.live_pledge_known ? J(q.live_pledge) : J(nullptr);
    o["margin"] = q.margin.ToString();
    o["fixed_cost"] = q.fixed_cost;
    o["owners"] = J::array();
    for (const auto& ow : q.owners) o["owners"].push_back(chain::HexEncode(ow));
    o["relays"] = q.relays;
    o["metadata_url"] = q.metadata_url;
    o["retiring_epoch"] = q.retiring_epoch.has_value() ? J(*q.retiring_epoch) : J(nullptr);
    o["registered_epoch"] = q.registered_epoch.has_value() ? J(*q.registered_epoch) : J(nullptr);
    o["live_stake"] = q.live_stake;
    o["active_stake"] = q.active_stake;
    o["blocks"] = q.blocks_known ? J::array() : J(nullptr);
    for (const auto& b : q.blocks) {
      o["blocks"].push_back(
          {{"epoch", b.epoch}, {"made", b.made}, {"expected", b.expected.ToString()}});
    }
    o["group"] = q.group;
    if (!q.ticker.empty()) o["ticker"] = q.ticker;
    pools.push_back(std::move(o));
  }
  j["pools"] = std::move(pools);
  J slots = J::array();
  for (const SlotState& sl : s.slots) {
    J o;
    o["index"] = sl.index;
    o["registered"] = sl.registered;
    o["pool"] = sl.pool.has_value() ? J(chain::PoolIdBech32(*sl.pool)) : J(nullptr);
    o["drep"] = sl.drep.has_value() ? J(DRepChoiceText(*sl.drep)) : J(nullptr);
    o["balance"] = sl.balance;
    o["rewards"] = sl.rewards;
    if (sl.deposit) o["deposit"] = *sl.deposit;
    o["utxos"] = UtxosJson(sl.utxos);
    if (!sl.address.empty()) o["address"] = sl.address;
    slots.push_back(std::move(o));
  }
  j["slots"] = std::move(slots);
  j["treasury_utxos"] = UtxosJson(s.treasury);
  if (s.origin.has_value()) {  // not part of EncodeSnapshot: the hash ignores where data came from
    J tip = {{"slot", s.origin->tip_slot}};
    if (s.origin->tip_hash.has_value()) tip["hash"] = chain::HexEncode(*s.origin->tip_hash);
    if (s.origin->tip_height.has_value()) tip["height"] = *s.origin->tip_height;
    j["source"] = {{"from", s.origin->source}, {"tip", std::move(tip)}};
  }
  return j.dump(2);
}

}  // namespace stakeward::policy
