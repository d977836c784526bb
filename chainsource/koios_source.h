// ChainSource over the Koios REST API v1 (cardano-community/koios-artifacts koiosapi-mainnet.yaml),
// e.g. https://api.koios.rest/api/v1, https://preprod.koios.rest/api/v1. No node needed. Live
// stake, pool age (active_epoch_no), live pledge, retirement and blocks made come from Koios;
// the live stake distribution query is not offered (UNIMPLEMENTED; pool_info has live_stake).
#ifndef STAKEWARD_CHAINSOURCE_KOIOS_SOURCE_H_
#define STAKEWARD_CHAINSOURCE_KOIOS_SOURCE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "chainsource/chain_source.h"
#include "chainsource/http_client.h"
#include "chainsource/koios_decode.h"

namespace stakeward::chainsource {

struct KoiosOptions {
  // Slots per epoch × active slot coefficient (Shelley genesis epochLength 432000 ×
  // activeSlotsCoeff 0.05 on mainnet and preprod; preview has epochLength 86400 → 4320).
  uint64_t blocks_per_epoch = 21600;
  size_t history_epochs = 6;  // pool_history rows kept per pool (most recent)
  std::string bearer_token;   // optional Koios API token
};

class KoiosSource : public ChainSource {
 public:
  // `base_url` is http(s)://…/api/v1 (no trailing slash needed).
  static absl::StatusOr<std::unique_ptr<KoiosSource>> Create(std::string base_url,
                                                             KoiosOptions options = {});

  std::string Describe() const override { return "koios " + base_; }
  absl::StatusOr<Tip> QueryTip(absl::Duration deadline) override;
  absl::StatusOr<uint64_t> QueryEpoch(absl::Duration deadline) override;
  absl::StatusOr<policy::ProtocolParams> QueryProtocolParameters(absl::Duration deadline) override;
  absl::StatusOr<std::vector<StakePool>> QueryStakePools(absl::Duration deadline) override;
  absl::StatusOr<std::vector<RelativeStake>> QueryLiveStakeDistribution(
      absl::Duration deadline) override;
  absl::StatusOr<std::vector<PoolPerformance>> QueryPoolPerformances(
      absl::Span<const chain::Hash28> pools, absl::Duration deadline) override;
  absl::StatusOr<std::vector<RewardAccountSummary>> QueryRewardAccounts(
      chain::Network network, absl::Span<const chain::Credential> credentials,
      absl::Duration deadline) override;
  absl::StatusOr<std::vector<AddressUtxo>> QueryUtxos(absl::Span<const std::string> addresses,
                                                      absl::Duration deadline) override;
  absl::StatusOr<TreasuryAndReserves> QueryTreasuryAndReserves(absl::Duration deadline) override;
  absl::StatusOr<chain::Hash32> SubmitTransaction(chain::ByteView tx_cbor,
                                                  absl::Duration deadline) override;

  // tx_status: on chain when Koios counts confirmations for it.
  absl::StatusOr<std::vector<TxSighting>> ObserveTransactions(absl::Span<const WatchedTx> txs,
                                                              absl::Duration deadline) override;
  // Confirmations of each transaction (tx_status); nullopt when not on chain.
  absl::StatusOr<std::vector<koios::TxStatus>> TxStatus(absl::Span<const chain::Hash32> txs,
                                                        absl::Duration deadline);

 private:
  KoiosSource(std::string base, KoiosOptions options)
      : base_(std::move(base)), options_(std::move(options)) {}
  // GET (body empty) or POST JSON; returns the parsed rows of a 200 answer.
  absl::StatusOr<Json> Fetch(const std::string& path, const std::string& json_body,
                             absl::Time deadline);

  std::string base_;
  KoiosOptions options_;
};

}  // namespace stakeward::chainsource

#endif  // STAKEWARD_CHAINSOURCE_KOIOS_SOURCE_H_
