// Pure JSON decoding of Koios v1 answers (cardano-community/koios-artifacts,
// specs/results/koiosapi-mainnet.yaml: tip, epoch_params, pool_list, pool_info, pool_history,
// account_info, address_utxos, totals, submittx, tx_status). Koios answers are JSON arrays of rows.
#ifndef STAKEWARD_CHAINSOURCE_KOIOS_DECODE_H_
#define STAKEWARD_CHAINSOURCE_KOIOS_DECODE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chainsource/chain_source.h"
#include "chainsource/json_read.h"

namespace stakeward::chainsource::koios {

inline constexpr size_t kMaxResponseBytes = 64u << 20;

// Parses an answer: a JSON array of rows (INVALID_ARGUMENT otherwise).
absl::StatusOr<Json> Rows(absl::string_view text, absl::string_view endpoint);

struct TipRow {
  Tip tip;
  uint64_t epoch = 0;
};
absl::StatusOr<TipRow> DecodeTip(const Json& rows);
absl::StatusOr<policy::ProtocolParams> DecodeEpochParams(const Json& rows);

struct PoolListRow {
  chain::Hash28 id{};
  std::string status;  // registered | retiring | retired
};
absl::StatusOr<std::vector<PoolListRow>> DecodePoolList(const Json& rows);
absl::StatusOr<std::vector<StakePool>> DecodePoolInfo(const Json& rows);

// Blocks made per epoch from pool_history; expected = active_stake_pct / 100 × slots_per_epoch ×
// active slot coefficient, given as `blocks_per_epoch` (epochLength × activeSlotsCoeff).
absl::StatusOr<std::vector<policy::EpochBlocks>> DecodePoolHistory(const Json& rows,
                                                                   uint64_t blocks_per_epoch);

absl::StatusOr<std::vector<RewardAccountSummary>> DecodeAccountInfo(const Json& rows);
absl::StatusOr<std::vector<AddressUtxo>> DecodeAddressUtxos(const Json& rows);
absl::StatusOr<TreasuryAndReserves> DecodeTotals(const Json& rows);
// submittx answers 202 with the transaction id as a JSON string.
absl::StatusOr<chain::Hash32> DecodeSubmit(absl::string_view body);

struct TxStatus {
  chain::Hash32 tx{};
  std::optional<uint64_t> confirmations;  // null: not on chain (yet)
};
absl::StatusOr<std::vector<TxStatus>> DecodeTxStatus(const Json& rows);

}  // namespace stakeward::chainsource::koios

#endif  // STAKEWARD_CHAINSOURCE_KOIOS_DECODE_H_
