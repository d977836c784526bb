// Pure JSON decoding for Ogmios v6 JSON-RPC 2.0 (CardanoSolutions/ogmios v6.14,
// docs/static/ogmios.json and cardano.json). No I/O: OgmiosSource sends the text built by
// Request() and hands every answer to Unwrap() and then to the decoder of its method.
#ifndef STAKEWARD_CHAINSOURCE_OGMIOS_DECODE_H_
#define STAKEWARD_CHAINSOURCE_OGMIOS_DECODE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainsource/chain_source.h"
#include "chainsource/json_read.h"

namespace stakeward::chainsource::ogmios {

// Largest answer accepted (the whole-ledger stake pool list on mainnet is a few MB).
inline constexpr size_t kMaxResponseBytes = 64u << 20;

// {"jsonrpc": "2.0", "method": method, "params": params (omitted when null), "id": id}.
std::string Request(absl::string_view method, const nlohmann::json& params, uint64_t id);

// Checks the envelope of an answer to `method` (and `id` when the answer carries one) and returns
// its "result". A JSON-RPC "error" becomes a Status via ErrorStatus().
absl::StatusOr<Json> Unwrap(absl::string_view text, absl::string_view method,
                            std::optional<uint64_t> id);

// Maps an Ogmios error object to a Status whose message tells the operator what to do.
absl::Status ErrorStatus(const Json& error, absl::string_view method);
// The advice sentence for a submitTransaction error code; empty for unknown codes.
absl::string_view SubmitAdvice(int64_t code);

absl::StatusOr<Tip> DecodeTip(const Json& result);  // queryNetwork/tip, queryLedgerState/tip
absl::StatusOr<uint64_t> DecodeBlockHeight(const Json& result);
absl::StatusOr<uint64_t> DecodeEpoch(const Json& result);
absl::StatusOr<policy::ProtocolParams> DecodeProtocolParameters(const Json& result);
absl::StatusOr<std::vector<StakePool>> DecodeStakePools(const Json& result);
absl::StatusOr<std::vector<RelativeStake>> DecodeLiveStakeDistribution(const Json& result);

struct Performances {
  std::optional<uint64_t> total_stake;   // totalStakeInEpoch
  std::optional<uint64_t> active_stake;  // activeStakeInEpoch
  std::vector<PoolPerformance> pools;
};
absl::StatusOr<Performances> DecodeStakePoolsPerformances(const Json& result);
absl::StatusOr<std::vector<RewardAccountSummary>> DecodeRewardAccountSummaries(const Json& result);
absl::StatusOr<std::vector<AddressUtxo>> DecodeUtxo(const Json& result);
absl::StatusOr<TreasuryAndReserves> DecodeTreasuryAndReserves(const Json& result);
absl::StatusOr<chain::Hash32> DecodeSubmitResult(const Json& result);

}  // namespace stakeward::chainsource::ogmios

#endif  // STAKEWARD_CHAINSOURCE_OGMIOS_DECODE_H_
