#include "chainsource/ogmios_decode.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "chainsource/macros.h"

namespace stakeward::chainsource::ogmios {
namespace {

// Value<AdaOnly>: {"ada": {"lovelace": n}} (cardano.json).
absl::StatusOr<uint64_t> Lovelace(const Json& value, absl::string_view what) {
  CS_ASSIGN(const Json* ada, Member(value, "ada", what));
  CS_ASSIGN(const Json* l, Member(*ada, "lovelace", absl::StrCat(what, ".ada")));
  return ReadU64(*l, absl::StrCat(what, ".ada.lovelace"));
}

absl::StatusOr<uint64_t> LovelaceAt(const Json& obj, absl::string_view key,
                                    absl::string_view what) {
  CS_ASSIGN(const Json* v, Member(obj, key, what));
  return Lovelace(*v, absl::StrCat(what, ".", key));
}

absl::StatusOr<std::optional<uint64_t>> OptLovelace(const Json& obj, absl::string_view key,
                                                    absl::string_view what) {
  const Json* v = OptMember(obj, key);
  if (v == nullptr) return std::optional<uint64_t>();
  CS_ASSIGN(uint64_t l, Lovelace(*v, absl::StrCat(what, ".", key)));
  return std::optional<uint64_t>(l);
}

absl::StatusOr<uint64_t> U64At(const Json& obj, absl::string_view key, absl::string_view what) {
  CS_ASSIGN(const Json* v, Member(obj, key, what));
  return ReadU64(*v, absl::StrCat(what, ".", key));
}

// {"bytes": n} (NumberOfBytes).
absl::StatusOr<uint64_t> BytesAt(const Json& obj, absl::string_view key, absl::string_view what) {
  CS_ASSIGN(const Json* v, Member(obj, key, what));
  return U64At(*v, "bytes", absl::StrCat(what, ".", key));
}

absl::StatusOr<policy::Ratio> RatioAt(const Json& obj, absl::string_view key,
                                      absl::string_view what) {
  CS_ASSIGN(const Json* v, Member(obj, key, what));
  return ReadRatio(*v, absl::StrCat(what, ".", key));
}

std::string StrOr(const Json& obj, absl::string_view key) {
  const Json* v = OptMember(obj, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

// Relay<ByAddress> / Relay<ByName> (cardano.json Relay).
absl::StatusOr<std::string> DecodeRelay(const Json& r, absl::string_view what) {
  CS_ASSIGN(const Json* type, Member(r, "type", what));
  CS_ASSIGN(std::string t, ReadStr(*type, absl::StrCat(what, ".type")));
  std::optional<uint64_t> port;
  if (const Json* p = OptMember(r, "port"); p != nullptr) {
    CS_ASSIGN(uint64_t v, ReadU64(*p, absl::StrCat(what, ".port")));
    if (v > 65535) return Malformed(absl::StrCat(what, ".port"), "out of range");
    port = v;
  }
  if (t == "hostname") {
    CS_ASSIGN(const Json* h, Member(r, "hostname", what));
    CS_ASSIGN(std::string host, ReadStr(*h, absl::StrCat(what, ".hostname")));
    return RelayText("", "", host, "", port);
  }
  if (t == "ipAddress") return RelayText(StrOr(r, "ipv4"), StrOr(r, "ipv6"), "", "", port);
  return Malformed(absl::StrCat(what, ".type"), "expected hostname or ipAddress");
}

absl::StatusOr<StakePool> DecodeStakePool(const Json& v, absl::string_view what) {
  StakePool p;
  CS_ASSIGN(const Json* id, Member(v, "id", what));
  CS_ASSIGN(p.id, ReadPoolId(*id, absl::StrCat(what, ".id")));
  CS_ASSIGN(const Json* vrf, Member(v, "vrfVerificationKeyHash", what));
  CS_ASSIGN(p.vrf, ReadHash32(*vrf, absl::StrCat(what, ".vrfVerificationKeyHash")));
  CS_ASSIGN(p.pledge, LovelaceAt(v, "pledge", what));
  CS_ASSIGN(p.cost, LovelaceAt(v, "cost", what));
  CS_ASSIGN(p.margin, RatioAt(v, "margin", what));
  if (const Json* ra = OptMember(v, "rewardAccount"); ra != nullptr) {
    CS_ASSIGN(p.reward_account, ReadStr(*ra, absl::StrCat(what, ".rewardAccount")));
  }
  CS_ASSIGN(const Json* owners, Member(v, "owners", what));
  if (!owners->is_array()) return Malformed(absl::StrCat(what, ".owners"), "expected a list");
  for (const Json& o : *owners) {
    CS_ASSIGN(chain::Hash28 h, ReadHash28(o, absl::StrCat(what, ".owners[]")));
    p.owners.push_back(h);
  }
  CS_ASSIGN(const Json* relays, Member(v, "relays", what));
  if (!relays->is_array()) return Malformed(absl::StrCat(what, ".relays"), "expected a list");
  for (const Json& r : *relays) {
    CS_ASSIGN(std::string text, DecodeRelay(r, absl::StrCat(what, ".relays[]")));
    p.relays.push_back(std::move(text));
  }
  if (const Json* m = OptMember(v, "metadata"); m != nullptr) {
    CS_ASSIGN(const Json* url, Member(*m, "url", absl::StrCat(what, ".metadata")));
    CS_ASSIGN(p.metadata_url, ReadStr(*url, absl::StrCat(what, ".metadata.url")));
  }
  CS_ASSIGN(p.live_stake, OptLovelace(v, "stake", what));
  return p;
}

absl::StatusOr<std::optional<policy::DRepChoice>> DecodeDRep(const Json* d,
                                                             absl::string_view what) {
  if (d == nullptr) return std::optional<policy::DRepChoice>();
  CS_ASSIGN(const Json* type, Member(*d, "type", what));
  CS_ASSIGN(std::string t, ReadStr(*type, absl::StrCat(what, ".type")));
  policy::DRepChoice c;
  if (t == "abstain") {
    c.kind = policy::DRepChoice::Kind::kAbstain;
  } else if (t == "noConfidence") {
    c.kind = policy::DRepChoice::Kind::kNoConfidence;
  } else if (t == "registered") {
    c.kind = policy::DRepChoice::Kind::kDRep;
    CS_ASSIGN(const Json* id, Member(*d, "id", what));
    CS_ASSIGN(c.drep.hash, ReadHash28(*id, absl::StrCat(what, ".id")));
    c.drep.kind = StrOr(*d, "from") == "script" ? chain::Credential::Kind::kScriptHash
                                                : chain::Credential::Kind::kKeyHash;
  } else {
    return Malformed(absl::StrCat(what, ".type"), "expected abstain, noConfidence or registered");
  }
  return std::optional<policy::DRepChoice>(c);
}

absl::StatusOr<RewardAccountSummary> DecodeSummary(const Json& v, absl::string_view what) {
  RewardAccountSummary a;
  a.registered = true;
  CS_ASSIGN(const Json* cred, Member(v, "credential", what));
  CS_ASSIGN(a.credential.hash, ReadHash28(*cred, absl::StrCat(what, ".credential")));
  CS_ASSIGN(const Json* from, Member(v, "from", what));
  CS_ASSIGN(std::string f, ReadStr(*from, absl::StrCat(what, ".from")));
  if (f == "script") {
    a.credential.kind = chain::Credential::Kind::kScriptHash;
  } else if (f == "verificationKey") {
    a.credential.kind = chain::Credential::Kind::kKeyHash;
  } else {
    return Malformed(absl::StrCat(what, ".from"), "expected script or verificationKey");
  }
  CS_ASSIGN(a.rewards, LovelaceAt(v, "rewards", what));
  CS_ASSIGN(a.deposit, LovelaceAt(v, "deposit", what));
  if (const Json* sp = OptMember(v, "stakePool"); sp != nullptr) {
    CS_ASSIGN(const Json* id, Member(*sp, "id", absl::StrCat(what, ".stakePool")));
    CS_ASSIGN(chain::Hash28 pool, ReadPoolId(*id, absl::StrCat(what, ".stakePool.id")));
    a.pool = pool;
  }
  CS_ASSIGN(a.drep, DecodeDRep(OptMember(v, "delegateRepresentative"),
                               absl::StrCat(what, ".delegateRepresentative")));
  return a;
}

absl::StatusOr<AddressUtxo> DecodeOutput(const Json& v, absl::string_view what) {
  AddressUtxo u;
  CS_ASSIGN(const Json* tx, Member(v, "transaction", what));
  CS_ASSIGN(const Json* txid, Member(*tx, "id", absl::StrCat(what, ".transaction")));
  CS_ASSIGN(u.tx, ReadHash32(*txid, absl::StrCat(what, ".transaction.id")));
  CS_ASSIGN(const Json* ix, Member(v, "index", what));
  CS_ASSIGN(u.index, ReadU32(*ix, absl::StrCat(what, ".index")));
  CS_ASSIGN(const Json* addr, Member(v, "address", what));
  CS_ASSIGN(u.address, ReadStr(*addr, absl::StrCat(what, ".address")));
  CS_ASSIGN(const Json* value, Member(v, "value", what));
  CS_ASSIGN(u.lovelace, Lovelace(*value, absl::StrCat(what, ".value")));
  u.has_assets = value->size() > 1;
  return u;
}

template <typename T, typename F>
absl::StatusOr<std::vector<T>> EachValue(const Json& result, absl::string_view what, F decode) {
  if (!result.is_object() && !result.is_array())
    return Malformed(what, "expected an object or a list");
  std::vector<T> out;
  out.reserve(result.size());
  size_t i = 0;
  for (const Json& v : result) {
    CS_ASSIGN(T item, decode(v, absl::StrCat(what, "[", i++, "]")));
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

std::string Request(absl::string_view method, const nlohmann::json& params, uint64_t id) {
  nlohmann::json j = {{"jsonrpc", "2.0"}, {"method", std::string(method)}};
  if (!params.is_null()) j["params"] = params;
  j["id"] = id;
  return j.dump();
}

absl::StatusOr<Json> Unwrap(absl::string_view text, absl::string_view method,
                            std::optional<uint64_t> id) {
  if (text.size() > kMaxResponseBytes) return Malformed(method, "answer is too large");
  CS_ASSIGN(Json j, policy::json::ParseExact(text, absl::StrCat(method, " answer")));
  if (!j.is_object()) return Malformed(method, "answer is not a JSON object");
  const Json* rpc = OptMember(j, "jsonrpc");
  if (rpc == nullptr || !rpc->is_string() || *rpc != "2.0")
    return Malformed(method, "answer is not JSON-RPC 2.0");
  if (const Json* m = OptMember(j, "method");
      m != nullptr && (!m->is_string() || *m != std::string(method))) {
    return Malformed(method, "answer is for another method");
  }
  if (const Json* got = OptMember(j, "id"); id.has_value() && got != nullptr) {
    if (!got->is_string() || *got != std::to_string(*id))
      return Malformed(method, "answer carries another request id");
  }
  if (const Json* err = OptMember(j, "error"); err != nullptr) return ErrorStatus(*err, method);
  auto it = j.find("result");
  if (it == j.end()) return Malformed(method, "answer has neither result nor error");
  return std::move(*it);
}

absl::StatusOr<Tip> DecodeTip(const Json& result) {
  if (result.is_string() && result == "origin") {
    return absl::UnavailableError(
        "chain tip: the node is at the origin (still syncing); try again later");
  }
  Tip t;
  CS_ASSIGN(t.slot, U64At(result, "slot", "tip"));
  CS_ASSIGN(const Json* id, Member(result, "id", "tip"));
  CS_ASSIGN(t.hash, ReadHash32(*id, "tip.id"));
  if (const Json* h = OptMember(result, "height"); h != nullptr) {
    CS_ASSIGN(uint64_t height, ReadU64(*h, "tip.height"));
    t.height = height;
  }
  return t;
}

absl::StatusOr<uint64_t> DecodeBlockHeight(const Json& result) {
  if (result.is_string() && result == "origin") return uint64_t{0};
  return ReadU64(result, "blockHeight");
}

absl::StatusOr<uint64_t> DecodeEpoch(const Json& result) { return ReadU64(result, "epoch"); }

// Field names: cardano.json ProtocolParameters (Ogmios v6.14).
absl::StatusOr<policy::ProtocolParams> DecodeProtocolParameters(const Json& r) {
  constexpr absl::string_view w = "protocolParameters";
  policy::ProtocolParams p;
  CS_ASSIGN(p.k, U64At(r, "desiredNumberOfStakePools", w));
  CS_ASSIGN(p.a0, RatioAt(r, "stakePoolPledgeInfluence", w));
  CS_ASSIGN(p.rho, RatioAt(r, "monetaryExpansion", w));
  CS_ASSIGN(p.tau, RatioAt(r, "treasuryExpansion", w));
  CS_ASSIGN(p.key_deposit, chain::AsLovelace(LovelaceAt(r, "stakeCredentialDeposit", w)));
  CS_ASSIGN(p.min_fee_a, U64At(r, "minFeeCoefficient", w));
  CS_ASSIGN(p.min_fee_b, chain::AsLovelace(LovelaceAt(r, "minFeeConstant", w)));
  CS_ASSIGN(p.coins_per_utxo_byte, U64At(r, "minUtxoDepositCoefficient", w));
  CS_ASSIGN(p.max_tx_size, BytesAt(r, "maxTransactionSize", w));
  CS_ASSIGN(const Json* version, Member(r, "version", w));
  CS_ASSIGN(p.protocol_major, U64At(*version, "major", "protocolParameters.version"));
  return p;
}

absl::StatusOr<std::vector<StakePool>> DecodeStakePools(const Json& result) {
  if (!result.is_object()) return Malformed("stakePools", "expected an object keyed by pool id");
  return EachValue<StakePool>(result, "stakePools", DecodeStakePool);
}

absl::StatusOr<std::vector<RelativeStake>> DecodeLiveStakeDistribution(const Json& result) {
  if (!result.is_object())
    return Malformed("liveStakeDistribution", "expected an object keyed by pool id");
  std::vector<RelativeStake> out;
  for (const auto& [key, v] : result.items()) {
    std::string w = absl::StrCat("liveStakeDistribution.", key.substr(0, 64));
    RelativeStake s;
    auto id = chain::ParsePoolId(key);
    if (!id.ok()) return Malformed(w, "expected a pool id");
    s.pool = *id;
    CS_ASSIGN(const Json* stake, Member(v, "stake", w));
    if (!stake->is_string()) return Malformed(absl::StrCat(w, ".stake"), "expected a ratio");
    std::string text = stake->get<std::string>();
    s.negative = !text.empty() && text[0] == '-';
    CS_ASSIGN(s.share,
              policy::ParseRatio(s.negative ? text.substr(1) : text, absl::StrCat(w, ".stake")));
    out.push_back(s);
  }
  return out;
}

absl::StatusOr<Performances> DecodeStakePoolsPerformances(const Json& r) {
  constexpr absl::string_view w = "stakePoolsPerformances";
  Performances out;
  CS_ASSIGN(out.total_stake, OptLovelace(r, "totalStakeInEpoch", w));
  CS_ASSIGN(out.active_stake, OptLovelace(r, "activeStakeInEpoch", w));
  CS_ASSIGN(const Json* pools, Member(r, "stakePools", w));
  CS_ASSIGN(out.pools,
            EachValue<PoolPerformance>(
                *pools, "stakePoolsPerformances.stakePools",
                [](const Json& v, absl::string_view what) -> absl::StatusOr<PoolPerformance> {
                  PoolPerformance p;
                  CS_ASSIGN(const Json* id, Member(v, "id", what));
                  CS_ASSIGN(p.pool, ReadPoolId(*id, absl::StrCat(what, ".id")));
                  CS_ASSIGN(p.active_stake, OptLovelace(v, "stake", what));
                  CS_ASSIGN(p.owner_stake, OptLovelace(v, "ownerStake", what));
                  CS_ASSIGN(const Json* perf, Member(v, "approximatePerformance", what));
                  if (!perf->is_string())
                    return Malformed(absl::StrCat(what, ".approximatePerformance"),
                                     "expected a number");
                  p.approximate_performance = perf->get<std::string>();
                  return p;
                }));
  return out;
}

absl::StatusOr<std::vector<RewardAccountSummary>> DecodeRewardAccountSummaries(const Json& result) {
  return EachValue<RewardAccountSummary>(result, "rewardAccountSummaries", DecodeSummary);
}

absl::StatusOr<std::vector<AddressUtxo>> DecodeUtxo(const Json& result) {
  if (!result.is_array()) return Malformed("utxo", "expected a list");
  return EachValue<AddressUtxo>(result, "utxo", DecodeOutput);
}

absl::StatusOr<TreasuryAndReserves> DecodeTreasuryAndReserves(const Json& r) {
  TreasuryAndReserves t;
  CS_ASSIGN(t.treasury, LovelaceAt(r, "treasury", "treasuryAndReserves"));
  CS_ASSIGN(t.reserves, LovelaceAt(r, "reserves", "treasuryAndReserves"));
  return t;
}

absl::StatusOr<chain::Hash32> DecodeSubmitResult(const Json& r) {
  CS_ASSIGN(const Json* tx, Member(r, "transaction", "submitTransaction"));
  CS_ASSIGN(const Json* id, Member(*tx, "id", "submitTransaction.transaction"));
  return ReadHash32(*id, "submitTransaction.transaction.id");
}

}  // namespace stakeward::chainsource::ogmios
