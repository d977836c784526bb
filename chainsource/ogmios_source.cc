#include "chainsource/ogmios_source.h"

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
  nlohmann::json params = nullptr;
  if (!pools.empty()) {
    params = {{"stakePools", nlohmann::json::array()}};
    for (const auto& p : pools) params["stakePools"].push_back({{"id", chain::PoolIdBech32(p)}});
  }
  CS_ASSIGN(Json r, Call("queryLedgerState/stakePoolsPerformances", params, deadline));
  CS_ASSIGN(ogmios::Performances perf, ogmios::DecodeStakePoolsPerformances(r));
  return std::move(perf.pools);
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

}  // namespace stakeward::chainsource
