#include "chainsource/koios_decode.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "chain/lovelace.h"
#include "chainsource/macros.h"
#include "policy/snapshot.h"

namespace stakeward::chainsource::koios {
namespace {

absl::StatusOr<uint64_t> U64At(const Json& row, absl::string_view key, absl::string_view what) {
  CS_ASSIGN(const Json* v, Member(row, key, what));
  return ReadU64(*v, absl::StrCat(what, ".", key));
}

absl::StatusOr<std::optional<uint64_t>> OptU64(const Json& row, absl::string_view key,
                                               absl::string_view what) {
  const Json* v = OptMember(row, key);
  if (v == nullptr) return std::optional<uint64_t>();
  CS_ASSIGN(uint64_t x, ReadU64(*v, absl::StrCat(what, ".", key)));
  return std::optional<uint64_t>(x);
}

absl::StatusOr<policy::Ratio> RatioAt(const Json& row, absl::string_view key,
                                      absl::string_view what) {
  CS_ASSIGN(const Json* v, Member(row, key, what));
  return ReadRatio(*v, absl::StrCat(what, ".", key));
}

std::string StrOr(const Json& obj, absl::string_view key) {
  const Json* v = OptMember(obj, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

absl::StatusOr<const Json*> FirstRow(const Json& rows, absl::string_view what) {
  if (!rows.is_array()) return Malformed(what, "expected a list");
  if (rows.empty()) return Malformed(what, "empty answer");
  return &rows[0];
}

// Owners are stake addresses (bech32); the pool keeps their 28-byte credential hashes.
absl::StatusOr<chain::Hash28> OwnerHash(const Json& j, absl::string_view what) {
  CS_ASSIGN(std::string s, ReadStr(j, what));
  auto a = chain::ParseAddress(s);
  if (a.ok() && a->type == chain::AddressType::kReward) return a->delegation.hash;
  auto h = chain::HexDecodeFixed<28>(s);
  if (h.ok()) return *h;
  return Malformed(what, "expected a stake address");
}

absl::StatusOr<StakePool> DecodePool(const Json& row, absl::string_view what) {
  StakePool p;
  CS_ASSIGN(const Json* id, Member(row, "pool_id_bech32", what));
  CS_ASSIGN(p.id, ReadPoolId(*id, absl::StrCat(what, ".pool_id_bech32")));
  CS_ASSIGN(const Json* vrf, Member(row, "vrf_key_hash", what));
  CS_ASSIGN(p.vrf, ReadHash32(*vrf, absl::StrCat(what, ".vrf_key_hash")));
  CS_ASSIGN(p.pledge, U64At(row, "pledge", what));
  CS_ASSIGN(p.cost, U64At(row, "fixed_cost", what));
  CS_ASSIGN(p.margin, RatioAt(row, "margin", what));
  p.reward_account = StrOr(row, "reward_addr");
  if (const Json* owners = OptMember(row, "owners"); owners != nullptr) {
    if (!owners->is_array()) return Malformed(absl::StrCat(what, ".owners"), "expected a list");
    for (const Json& o : *owners) {
      CS_ASSIGN(chain::Hash28 h, OwnerHash(o, absl::StrCat(what, ".owners[]")));
      p.owners.push_back(h);
    }
  }
  if (const Json* relays = OptMember(row, "relays"); relays != nullptr) {
    if (!relays->is_array()) return Malformed(absl::StrCat(what, ".relays"), "expected a list");
    for (const Json& r : *relays) {
      CS_ASSIGN(std::optional<uint64_t> port, OptU64(r, "port", absl::StrCat(what, ".relays[]")));
      p.relays.push_back(
          RelayText(StrOr(r, "ipv4"), StrOr(r, "ipv6"), StrOr(r, "dns"), StrOr(r, "srv"), port));
    }
  }
  p.metadata_url = StrOr(row, "meta_url");
  // meta_json is the pool's off-chain metadata as Koios fetched it (koiosapi.yaml pool_info):
  // self-declared, so a ticker outside CIP-6 is dropped rather than failing the snapshot.
  if (const Json* meta = OptMember(row, "meta_json"); meta != nullptr && meta->is_object()) {
    if (std::string t = StrOr(*meta, "ticker"); policy::IsCip6Ticker(t)) p.ticker = std::move(t);
  }
  CS_ASSIGN(p.retiring_epoch, OptU64(row, "retiring_epoch", what));
  CS_ASSIGN(p.registered_epoch, OptU64(row, "active_epoch_no", what));
  CS_ASSIGN(p.live_stake, OptU64(row, "live_stake", what));
  CS_ASSIGN(p.active_stake, OptU64(row, "active_stake", what));
  CS_ASSIGN(p.live_pledge, OptU64(row, "live_pledge", what));
  return p;
}

// delegated_drep: CIP-129 drep1… id, or the cardano-db-sync view names of the two predefined
// DReps ("drep_always_abstain", "drep_always_no_confidence").
absl::StatusOr<std::optional<policy::DRepChoice>> DecodeDRep(const Json* d,
                                                             absl::string_view what) {
  if (d == nullptr) return std::optional<policy::DRepChoice>();
  CS_ASSIGN(std::string s, ReadStr(*d, what));
  policy::DRepChoice c;
  if (s == "drep_always_abstain") {
    c.kind = policy::DRepChoice::Kind::kAbstain;
  } else if (s == "drep_always_no_confidence") {
    c.kind = policy::DRepChoice::Kind::kNoConfidence;
  } else {
    auto id = chain::ParseDRepId(s);
    if (!id.ok()) return Malformed(what, "expected a drep1… id or a predefined DRep");
    c.kind = policy::DRepChoice::Kind::kDRep;
    c.drep = *id;
  }
  return std::optional<policy::DRepChoice>(c);
}

absl::StatusOr<RewardAccountSummary> DecodeAccount(const Json& row, absl::string_view what) {
  RewardAccountSummary a;
  CS_ASSIGN(const Json* addr, Member(row, "stake_address", what));
  CS_ASSIGN(std::string text, ReadStr(*addr, absl::StrCat(what, ".stake_address")));
  auto parsed = chain::ParseAddress(text);
  if (!parsed.ok() || parsed->type != chain::AddressType::kReward) {
    return Malformed(absl::StrCat(what, ".stake_address"), "expected a stake address");
  }
  a.credential = parsed->delegation;
  CS_ASSIGN(const Json* status, Member(row, "status", what));
  CS_ASSIGN(std::string st, ReadStr(*status, absl::StrCat(what, ".status")));
  a.registered = st == "registered";
  if (!a.registered) return a;
  CS_ASSIGN(a.rewards, U64At(row, "rewards_available", what));
  CS_ASSIGN(std::optional<uint64_t> deposit, OptU64(row, "deposit", what));
  a.deposit = deposit.value_or(0);
  if (const Json* pool = OptMember(row, "delegated_pool"); pool != nullptr) {
    CS_ASSIGN(chain::Hash28 id, ReadPoolId(*pool, absl::StrCat(what, ".delegated_pool")));
    a.pool = id;
  }
  CS_ASSIGN(a.drep,
            DecodeDRep(OptMember(row, "delegated_drep"), absl::StrCat(what, ".delegated_drep")));
  return a;
}

absl::StatusOr<AddressUtxo> DecodeUtxo(const Json& row, absl::string_view what) {
  AddressUtxo u;
  CS_ASSIGN(const Json* tx, Member(row, "tx_hash", what));
  CS_ASSIGN(u.tx, ReadHash32(*tx, absl::StrCat(what, ".tx_hash")));
  CS_ASSIGN(const Json* ix, Member(row, "tx_index", what));
  CS_ASSIGN(u.index, ReadU32(*ix, absl::StrCat(what, ".tx_index")));
  CS_ASSIGN(const Json* addr, Member(row, "address", what));
  CS_ASSIGN(u.address, ReadStr(*addr, absl::StrCat(what, ".address")));
  CS_ASSIGN(u.lovelace, U64At(row, "value", what));
  const Json* assets = OptMember(row, "asset_list");
  u.has_assets = assets != nullptr && assets->is_array() && !assets->empty();
  return u;
}

template <typename T, typename F>
absl::StatusOr<std::vector<T>> EachRow(const Json& rows, absl::string_view what, F decode) {
  if (!rows.is_array()) return Malformed(what, "expected a list");
  std::vector<T> out;
  for (size_t i = 0; i < rows.size(); ++i) {
    CS_ASSIGN(T item, decode(rows[i], absl::StrCat(what, "[", i, "]")));
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

absl::StatusOr<Json> Rows(absl::string_view text, absl::string_view endpoint) {
  if (text.size() > kMaxResponseBytes) return Malformed(endpoint, "answer is too large");
  CS_ASSIGN(Json j, policy::json::ParseExact(text, endpoint));
  if (!j.is_array()) return Malformed(endpoint, "expected a JSON list of rows");
  return j;
}

absl::StatusOr<TipRow> DecodeTip(const Json& rows) {
  CS_ASSIGN(const Json* row, FirstRow(rows, "tip"));
  TipRow t;
  CS_ASSIGN(const Json* hash, Member(*row, "hash", "tip"));
  CS_ASSIGN(t.tip.hash, ReadHash32(*hash, "tip.hash"));
  CS_ASSIGN(t.tip.slot, U64At(*row, "abs_slot", "tip"));
  CS_ASSIGN(t.epoch, U64At(*row, "epoch_no", "tip"));
  CS_ASSIGN(t.tip.height, OptU64(*row, "block_no", "tip"));
  return t;
}

absl::StatusOr<policy::ProtocolParams> DecodeEpochParams(const Json& rows) {
  constexpr absl::string_view w = "epoch_params";
  CS_ASSIGN(const Json* r, FirstRow(rows, w));
  policy::ProtocolParams p;
  CS_ASSIGN(p.k, U64At(*r, "optimal_pool_count", w));
  CS_ASSIGN(p.a0, RatioAt(*r, "influence", w));
  CS_ASSIGN(p.rho, RatioAt(*r, "monetary_expand_rate", w));
  CS_ASSIGN(p.tau, RatioAt(*r, "treasury_growth_rate", w));
  CS_ASSIGN(p.key_deposit, chain::AsLovelace(U64At(*r, "key_deposit", w)));
  CS_ASSIGN(p.min_fee_a, U64At(*r, "min_fee_a", w));
  CS_ASSIGN(p.min_fee_b, chain::AsLovelace(U64At(*r, "min_fee_b", w)));
  CS_ASSIGN(p.coins_per_utxo_byte, U64At(*r, "coins_per_utxo_size", w));
  CS_ASSIGN(p.max_tx_size, U64At(*r, "max_tx_size", w));
  CS_ASSIGN(p.protocol_major, U64At(*r, "protocol_major", w));
  return p;
}

absl::StatusOr<std::vector<PoolListRow>> DecodePoolList(const Json& rows) {
  return EachRow<PoolListRow>(
      rows, "pool_list",
      [](const Json& row, absl::string_view what) -> absl::StatusOr<PoolListRow> {
        PoolListRow r;
        CS_ASSIGN(const Json* id, Member(row, "pool_id_bech32", what));
        CS_ASSIGN(r.id, ReadPoolId(*id, absl::StrCat(what, ".pool_id_bech32")));
        r.status = StrOr(row, "pool_status");
        return r;
      });
}

absl::StatusOr<std::vector<StakePool>> DecodePoolInfo(const Json& rows) {
  return EachRow<StakePool>(rows, "pool_info", DecodePool);
}

absl::StatusOr<std::vector<policy::EpochBlocks>> DecodePoolHistory(const Json& rows,
                                                                   uint64_t blocks_per_epoch) {
  return EachRow<policy::EpochBlocks>(
      rows, "pool_history",
      [blocks_per_epoch](const Json& row,
                         absl::string_view what) -> absl::StatusOr<policy::EpochBlocks> {
        policy::EpochBlocks b;
        CS_ASSIGN(b.epoch, U64At(row, "epoch_no", what));
        CS_ASSIGN(b.made, U64At(row, "block_cnt", what));
        CS_ASSIGN(policy::Ratio pct, RatioAt(row, "active_stake_pct", what));
        // expected = pct / 100 × blocks_per_epoch, exact and reduced in 128 bits.
        policy::u128 num = static_cast<policy::u128>(pct.num) * blocks_per_epoch;
        policy::u128 den = static_cast<policy::u128>(pct.den) * 100;
        policy::u128 a = num, c = den;
        while (c != 0) {
          policy::u128 t = a % c;
          a = c;
          c = t;
        }
        if (a > 1) {
          num /= a;
          den /= a;
        }
        if (num > UINT64_MAX || den > UINT64_MAX) {
          return Malformed(absl::StrCat(what, ".active_stake_pct"), "too precise to use exactly");
        }
        b.expected = policy::Ratio::Of(static_cast<uint64_t>(num), static_cast<uint64_t>(den));
        return b;
      });
}

absl::StatusOr<std::vector<RewardAccountSummary>> DecodeAccountInfo(const Json& rows) {
  return EachRow<RewardAccountSummary>(rows, "account_info", DecodeAccount);
}

absl::StatusOr<std::vector<AddressUtxo>> DecodeAddressUtxos(const Json& rows) {
  return EachRow<AddressUtxo>(rows, "address_utxos", DecodeUtxo);
}

absl::StatusOr<TreasuryAndReserves> DecodeTotals(const Json& rows) {
  CS_ASSIGN(const Json* r, FirstRow(rows, "totals"));
  TreasuryAndReserves t;
  CS_ASSIGN(t.treasury, U64At(*r, "treasury", "totals"));
  CS_ASSIGN(t.reserves, U64At(*r, "reserves", "totals"));
  return t;
}

absl::StatusOr<chain::Hash32> DecodeSubmit(absl::string_view body) {
  CS_ASSIGN(Json j, policy::json::ParseExact(body, "submittx"));
  return ReadHash32(j, "submittx");
}

absl::StatusOr<std::vector<TxStatus>> DecodeTxStatus(const Json& rows) {
  return EachRow<TxStatus>(rows, "tx_status",
                           [](const Json& row, absl::string_view what) -> absl::StatusOr<TxStatus> {
                             TxStatus s;
                             CS_ASSIGN(const Json* tx, Member(row, "tx_hash", what));
                             CS_ASSIGN(s.tx, ReadHash32(*tx, absl::StrCat(what, ".tx_hash")));
                             CS_ASSIGN(s.confirmations, OptU64(row, "num_confirmations", what));
                             return s;
                           });
}

}  // namespace stakeward::chainsource::koios
