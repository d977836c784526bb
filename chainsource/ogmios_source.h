// ChainSource over Ogmios v6 (JSON-RPC 2.0 over WebSocket, CardanoSolutions/ogmios v6.14).
// Pool age and blocks made/expected are not offered by Ogmios: those fields stay empty.
#ifndef STAKEWARD_CHAINSOURCE_OGMIOS_SOURCE_H_
#define STAKEWARD_CHAINSOURCE_OGMIOS_SOURCE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "chainsource/chain_source.h"
#include "chainsource/websocket_rpc.h"
#include "nlohmann/json.hpp"

namespace stakeward::chainsource {

class OgmiosSource : public ChainSource {
 public:
  // `url` is ws://HOST:PORT; nothing is connected until the first query.
  static absl::StatusOr<std::unique_ptr<OgmiosSource>> Create(const std::string& url);

  std::string Describe() const override { return "ogmios " + url_; }
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
  // queryLedgerState/utxo by outputReferences; confirmations stay nullopt.
  absl::StatusOr<std::vector<TxSighting>> ObserveTransactions(absl::Span<const WatchedTx> txs,
                                                              absl::Duration deadline) override;

 private:
  OgmiosSource(std::string url, WsUrl parsed);
  absl::StatusOr<nlohmann::json> Call(absl::string_view method, const nlohmann::json& params,
                                      absl::Duration deadline);

  std::string url_;
  WebSocketRpc rpc_;
  uint64_t next_id_ = 1;
};

}  // namespace stakeward::chainsource

#endif  // STAKEWARD_CHAINSOURCE_OGMIOS_SOURCE_H_
