#include "chainsource/koios_source.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "chainsource/macros.h"

namespace stakeward::chainsource {
namespace {

constexpr size_t kPageRows = 1000;  // PostgREST page size of the public Koios instances
constexpr size_t kBatch = 500;      // ids per POST body

std::string Trim(absl::string_view body) {
  std::string s(body.substr(0, 300));
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return s;
}

absl::Status HttpError(const std::string& path, const HttpResponse& r) {
  if (r.status == 429) {
    return absl::UnavailableError(
        absl::StrCat("Koios ", path, ": rate limited (HTTP 429); retry later or use an API token"));
  }
  if (r.status >= 500)
    return absl::UnavailableError(absl::StrCat("Koios ", path, ": server error HTTP ", r.status));
  return absl::FailedPreconditionError(
      absl::StrCat("Koios ", path, ": HTTP ", r.status, " (", Trim(r.body), ")"));
}

}  // namespace

absl::StatusOr<std::unique_ptr<KoiosSource>> KoiosSource::Create(std::string base_url,
                                                                 KoiosOptions options) {
  if (!absl::StartsWith(base_url, "http://") && !absl::StartsWith(base_url, "https://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected an http(s):// Koios URL, got ", base_url));
  }
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  return std::unique_ptr<KoiosSource>(new KoiosSource(std::move(base_url), std::move(options)));
}

absl::StatusOr<Json> KoiosSource::Fetch(const std::string& path, const std::string& json_body,
                                        absl::Time deadline) {
  absl::Duration left = deadline - absl::Now();
  if (left <= absl::ZeroDuration())
    return absl::DeadlineExceededError(absl::StrCat("Koios ", path, ": deadline passed"));
  HttpRequest req;
  req.url = base_ + path;
  if (!json_body.empty()) {
    req.method = "POST";
    req.body = json_body;
  }
  if (!options_.bearer_token.empty())
    req.headers.push_back("Authorization: Bearer " + options_.bearer_token);
  CS_ASSIGN(HttpResponse r, HttpFetch(req, left, koios::kMaxResponseBytes));
  if (r.status != 200) return HttpError(path, r);
  return koios::Rows(r.body, path);
}

absl::StatusOr<Tip> KoiosSource::QueryTip(absl::Duration deadline) {
  CS_ASSIGN(Json rows, Fetch("/tip", "", absl::Now() + deadline));
  CS_ASSIGN(koios::TipRow t, koios::DecodeTip(rows));
  return t.tip;
}

absl::StatusOr<uint64_t> KoiosSource::QueryEpoch(absl::Duration deadline) {
  CS_ASSIGN(Json rows, Fetch("/tip", "", absl::Now() + deadline));
  CS_ASSIGN(koios::TipRow t, koios::DecodeTip(rows));
  return t.epoch;
}

absl::StatusOr<policy::ProtocolParams> KoiosSource::QueryProtocolParameters(
    absl::Duration deadline) {
  absl::Time end = absl::Now() + deadline;
  CS_ASSIGN(uint64_t epoch, QueryEpoch(end - absl::Now()));
  CS_ASSIGN(Json rows, Fetch(absl::StrCat("/epoch_params?_epoch_no=", epoch), "", end));
  return koios::DecodeEpochParams(rows);
}

absl::StatusOr<std::vector<StakePool>> KoiosSource::QueryStakePools(absl::Duration deadline) {
  absl::Time end = absl::Now() + deadline;
  std::vector<chain::Hash28> ids;
  for (size_t offset = 0;; offset += kPageRows) {
    CS_ASSIGN(Json rows,
              Fetch(absl::StrCat("/pool_list?offset=", offset, "&limit=", kPageRows), "", end));
    CS_ASSIGN(std::vector<koios::PoolListRow> page, koios::DecodePoolList(rows));
    for (const auto& r : page) {
      if (r.status != "retired") ids.push_back(r.id);
    }
    if (page.size() < kPageRows) break;
  }
  std::vector<StakePool> pools;
  for (size_t i = 0; i < ids.size(); i += kBatch) {
    nlohmann::json body = {{"_pool_bech32_ids", nlohmann::json::array()}};
    for (size_t k = i; k < std::min(ids.size(), i + kBatch); ++k) {
      body["_pool_bech32_ids"].push_back(chain::PoolIdBech32(ids[k]));
    }
    CS_ASSIGN(Json rows, Fetch("/pool_info", body.dump(), end));
    CS_ASSIGN(std::vector<StakePool> batch, koios::DecodePoolInfo(rows));
    pools.insert(pools.end(), batch.begin(), batch.end());
  }
  return pools;
}

absl::StatusOr<std::vector<RelativeStake>> KoiosSource::QueryLiveStakeDistribution(absl::Duration) {
  return absl::UnimplementedError(
      "Koios has no live stake distribution query; pool_info carries live_stake");
}

absl::StatusOr<std::vector<PoolPerformance>> KoiosSource::QueryPoolPerformances(
    absl::Span<const chain::Hash28> pools, absl::Duration deadline) {
  absl::Time end = absl::Now() + deadline;
  std::vector<PoolPerformance> out;
  for (const chain::Hash28& id : pools) {
    CS_ASSIGN(Json rows,
              Fetch(absl::StrCat("/pool_history?_pool_bech32=", chain::PoolIdBech32(id)), "", end));
    PoolPerformance p;
    p.pool = id;
    CS_ASSIGN(p.blocks, koios::DecodePoolHistory(rows, options_.blocks_per_epoch));
    std::sort(p.blocks.begin(), p.blocks.end(),
              [](const auto& a, const auto& b) { return a.epoch > b.epoch; });
    if (p.blocks.size() > options_.history_epochs) p.blocks.resize(options_.history_epochs);
    // No rows at all means Koios has no history for the pool: unknown, not "made nothing".
    p.blocks_known = !p.blocks.empty();
    out.push_back(std::move(p));
  }
  return out;
}

absl::StatusOr<std::vector<RewardAccountSummary>> KoiosSource::QueryRewardAccounts(
    chain::Network network, absl::Span<const chain::Credential> credentials,
    absl::Duration deadline) {
  absl::Time end = absl::Now() + deadline;
  std::vector<RewardAccountSummary> found;
  for (size_t i = 0; i < credentials.size(); i += kBatch) {
    nlohmann::json body = {{"_stake_addresses", nlohmann::json::array()}};
    for (size_t k = i; k < std::min(credentials.size(), i + kBatch); ++k) {
      body["_stake_addresses"].push_back(
          chain::Address::Reward(network, credentials[k]).ToBech32());
    }
    CS_ASSIGN(Json rows, Fetch("/account_info", body.dump(), end));
    CS_ASSIGN(std::vector<RewardAccountSummary> batch, koios::DecodeAccountInfo(rows));
    found.insert(found.end(), batch.begin(), batch.end());
  }
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

absl::StatusOr<std::vector<AddressUtxo>> KoiosSource::QueryUtxos(
    absl::Span<const std::string> addresses, absl::Duration deadline) {
  absl::Time end = absl::Now() + deadline;
  std::vector<AddressUtxo> out;
  for (size_t i = 0; i < addresses.size(); i += kBatch) {
    nlohmann::json body = {{"_addresses", nlohmann::json::array()}, {"_extended", true}};
    for (size_t k = i; k < std::min(addresses.size(), i + kBatch); ++k)
      body["_addresses"].push_back(addresses[k]);
    CS_ASSIGN(Json rows, Fetch("/address_utxos", body.dump(), end));
    CS_ASSIGN(std::vector<AddressUtxo> batch, koios::DecodeAddressUtxos(rows));
    out.insert(out.end(), batch.begin(), batch.end());
  }
  return out;
}

absl::StatusOr<TreasuryAndReserves> KoiosSource::QueryTreasuryAndReserves(absl::Duration deadline) {
  absl::Time end = absl::Now() + deadline;
  CS_ASSIGN(uint64_t epoch, QueryEpoch(end - absl::Now()));
  CS_ASSIGN(Json rows, Fetch(absl::StrCat("/totals?_epoch_no=", epoch), "", end));
  return koios::DecodeTotals(rows);
}

absl::StatusOr<chain::Hash32> KoiosSource::SubmitTransaction(chain::ByteView tx_cbor,
                                                             absl::Duration deadline) {
  HttpRequest req;
  req.method = "POST";
  req.url = base_ + "/submittx";
  req.content_type = "application/cbor";
  req.body.assign(reinterpret_cast<const char*>(tx_cbor.data()), tx_cbor.size());
  if (!options_.bearer_token.empty())
    req.headers.push_back("Authorization: Bearer " + options_.bearer_token);
  CS_ASSIGN(HttpResponse r, HttpFetch(req, deadline, 1u << 20));
  if (r.status == 400) {
    return absl::FailedPreconditionError(
        absl::StrCat("Koios submittx: the node rejected the transaction (", Trim(r.body),
                     "); check the error named there, fetch a fresh snapshot and rebuild if inputs "
                     "or parameters changed"));
  }
  if (r.status != 202 && r.status != 200) return HttpError("/submittx", r);
  return koios::DecodeSubmit(r.body);
}

absl::StatusOr<std::vector<koios::TxStatus>> KoiosSource::TxStatus(
    absl::Span<const chain::Hash32> txs, absl::Duration deadline) {
  nlohmann::json body = {{"_tx_hashes", nlohmann::json::array()}};
  for (const auto& t : txs) body["_tx_hashes"].push_back(chain::HexEncode(t));
  CS_ASSIGN(Json rows, Fetch("/tx_status", body.dump(), absl::Now() + deadline));
  return koios::DecodeTxStatus(rows);
}

absl::StatusOr<std::vector<TxSighting>> KoiosSource::ObserveTransactions(
    absl::Span<const WatchedTx> txs, absl::Duration deadline) {
  std::vector<TxSighting> out;
  std::vector<chain::Hash32> ids;
  for (const WatchedTx& t : txs) {
    // tx_status indexes applied transactions: absent means not applied.
    out.push_back(TxSighting{t.id, false, std::nullopt, true});
    ids.push_back(t.id);
  }
  if (ids.empty()) return out;
  CS_ASSIGN(std::vector<koios::TxStatus> st, TxStatus(ids, deadline));
  for (const koios::TxStatus& row : st) {
    for (TxSighting& s : out) {
      if (s.id != row.tx || !row.confirmations) continue;
      s.on_chain = true;
      s.inputs_unspent = false;
      s.confirmations = row.confirmations;
    }
  }
  return out;
}

}  // namespace stakeward::chainsource
