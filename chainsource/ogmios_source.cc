#include "chainsource/ogmios_source.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "chainsource/macros.h"
#include "chainsource/ogmios_decode.h"

namespace stakeward::chainsource {

absl::StatusOr<std::unique_ptr<OgmiosSource>> OgmiosSource::Create(const std::string& url) {
  CS_ASSIGN(WsUrl parsed, ParseWsUrl(url));
  return std::unique_ptr<OgmiosSource>(new OgmiosSource(url, std::move(parsed)));
}

OgmiosSource::OgmiosSource(std::string url, WsUrl parsed)
    : url_(std::move(url)), rpc_(std::move(parsed), ogmios::kMaxResponseBytes) {}

absl::StatusOr<nlohmann::json> OgmiosSource::Call(absl::string_view method,
                                                  const nlohmann::json& params,
                                                  absl::Duration deadline) {
  uint64_t id = next_id_++;
  CS_ASSIGN(std::string answer, rpc_.Call(ogmios::Request(method, params, id), deadline));
  return ogmios::Unwrap(answer, method, id);
}

absl::StatusOr<Tip> OgmiosSource::QueryTip(absl::Duration deadline) {
  absl::Time end = absl::Now() + deadline;
  CS_ASSIGN(Json r, Call("queryNetwork/tip", nullptr, deadline));
  CS_ASSIGN(Tip tip, ogmios::DecodeTip(r));
  CS_ASSIGN(Json h, Call("queryNetwork/blockHeight", nullptr, end - absl::Now()));
  CS_ASSIGN(uint64_t height, ogmios::DecodeBlockHeight(h));
  tip.height = height;
  return tip;
}

absl::StatusOr<uint64_t> OgmiosSource::QueryEpoch(absl::Duration deadline) {
  CS_ASSIGN(Json r, Call("queryLedgerState/epoch", nullptr, deadline));
  return ogmios::DecodeEpoch(r);
}

absl::StatusOr<policy::ProtocolParams> OgmiosSource::QueryProtocolParameters(
    absl::Duration deadline) {
  CS_ASSIGN(Json r, Call("queryLedgerState/protocolParameters", nullptr, deadline));
  return ogmios::DecodeProtocolParameters(r);
}

absl::StatusOr<std::vector<StakePool>> OgmiosSource::QueryStakePools(absl::Duration deadline) {
  CS_ASSIGN(Json r, Call("queryLedgerState/stakePools", {{"includeStake", true}}, deadline));
  CS_ASSIGN(std::vector<StakePool> pools, ogmios::DecodeStakePools(r));
  // With includeStake Ogmios reports the pool's voting stake, not its live delegation; live stake
  // comes from liveStakeDistribution instead (snapshot_builder.h).
  for (StakePool& p : pools) p.live_stake.reset();
  return pools;
}

absl::StatusOr<std::vector<RelativeStake>> OgmiosSource::QueryLiveStakeDistribution(
    absl::Duration deadline) {
  CS_ASSIGN(Json r, Call("queryLedgerState/liveStakeDistribution", nullptr, deadline));
  return ogmios::DecodeLiveStakeDistribution(r);
}

absl::StatusOr<std::vector<PoolPerformance>> OgmiosSource::QueryPoolPerformances(
    absl::Span<const chain::Hash28> pools, absl::Duration deadline) {
  // The request takes no params (ogmios.json QueryLedgerStateStakePoolsPerformances has
  // additionalProperties false without "params"; Ogmios v6.14 answers -32600 to any): it answers
  // for every pool, and the pools asked about are picked here.
  CS_ASSIGN(Json r, Call("queryLedgerState/stakePoolsPerformances", nullptr, deadline));
  CS_ASSIGN(ogmios::Performances perf, ogmios::DecodeStakePoolsPerformances(r));
  if (pools.empty()) return std::move(perf.pools);
  std::set<chain::Hash28> wanted(pools.begin(), pools.end());
  std::vector<PoolPerformance> out;
  for (PoolPerformance& p : perf.pools) {
    if (wanted.count(p.pool) > 0) out.push_back(std::move(p));
  }
  return out;
}

absl::StatusOr<std::vector<RewardAccountSummary>> OgmiosSource::QueryRewardAccounts(
    chain::Network network, absl::Span<const chain::Credential> credentials,
    absl::Duration deadline) {
  // params {"keys": [hex], "scripts": [hex]} (ogmios.json QueryLedgerStateRewardAccountSummaries).
  nlohmann::json keys = nlohmann::json::array(), scripts = nlohmann::json::array();
  for (const auto& c : credentials) {
    (c.kind == chain::Credential::Kind::kScriptHash ? scripts : keys)
        .push_back(chain::HexEncode(c.hash));
  }
  CS_ASSIGN(Json r, Call("queryLedgerState/rewardAccountSummaries",
                         {{"keys", keys}, {"scripts", scripts}}, deadline));
  CS_ASSIGN(std::vector<RewardAccountSummary> found, ogmios::DecodeRewardAccountSummaries(r));
  std::vector<RewardAccountSummary> out;
  for (const auto& c : credentials) {
    RewardAccountSummary s;
    s.credential = c;
    for (const auto& f : found) {
      if (f.credential == c) s = f;
    }
    out.push_back(s);
  }
  return out;
}

absl::StatusOr<std::vector<AddressUtxo>> OgmiosSource::QueryUtxos(
    absl::Span<const std::string> addresses, absl::Duration deadline) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& a : addresses) list.push_back(a);
  CS_ASSIGN(Json r, Call("queryLedgerState/utxo", {{"addresses", list}}, deadline));
  return ogmios::DecodeUtxo(r);
}

absl::StatusOr<TreasuryAndReserves> OgmiosSource::QueryTreasuryAndReserves(
    absl::Duration deadline) {
  CS_ASSIGN(Json r, Call("queryLedgerState/treasuryAndReserves", nullptr, deadline));
  return ogmios::DecodeTreasuryAndReserves(r);
}

absl::StatusOr<chain::Hash32> OgmiosSource::SubmitTransaction(chain::ByteView tx_cbor,
                                                              absl::Duration deadline) {
  CS_ASSIGN(Json r, Call("submitTransaction",
                         {{"transaction", {{"cbor", chain::HexEncode(tx_cbor)}}}}, deadline));
  return ogmios::DecodeSubmitResult(r);
}

absl::StatusOr<std::vector<TxSighting>> OgmiosSource::ObserveTransactions(
    absl::Span<const WatchedTx> txs, absl::Duration deadline) {
  std::vector<TxSighting> out;
  nlohmann::json refs = nlohmann::json::array();
  auto ref = [](const chain::Hash32& tx, uint32_t index) {
    return nlohmann::json{{"transaction", {{"id", chain::HexEncode(tx)}}}, {"index", index}};
  };
  for (const WatchedTx& t : txs) {
    out.push_back(TxSighting{t.id, false, std::nullopt, false});
    for (uint32_t i = 0; i < t.output_count; ++i) refs.push_back(ref(t.id, i));
    for (const chain::TxIn& in : t.inputs) refs.push_back(ref(in.tx_id, in.index));
  }
  if (refs.empty()) return out;
  CS_ASSIGN(Json r, Call("queryLedgerState/utxo", {{"outputReferences", refs}}, deadline));
  CS_ASSIGN(std::vector<AddressUtxo> unspent, ogmios::DecodeUtxo(r));
  std::set<std::pair<chain::Hash32, uint32_t>> live;
  for (const AddressUtxo& u : unspent) live.insert({u.tx, u.index});
  for (size_t i = 0; i < txs.size(); ++i) {
    for (uint32_t o = 0; o < txs[i].output_count; ++o) {
      out[i].on_chain = out[i].on_chain || live.count({txs[i].id, o}) > 0;
    }
    bool all_inputs = !txs[i].inputs.empty();
    for (const chain::TxIn& in : txs[i].inputs) {
      all_inputs = all_inputs && live.count({in.tx_id, in.index}) > 0;
    }
    out[i].inputs_unspent = all_inputs;
  }
  return out;
}

}  // namespace stakeward::chainsource
