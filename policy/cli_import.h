// Importers for cardano-cli query outputs (specs/cardano.md §5.3) into a Snapshot. Every
// historical field spelling listed there is accepted. Numbers, including decimal margins and
// pledge influence, are parsed exactly. Errors are INVALID_ARGUMENT naming the item.
//
// Typical order: ImportProtocolParameters, ImportStakePools (defines the registered pools),
// ImportPoolState, ImportStakeSnapshot, then per slot ImportStakeAddressInfo and ImportUtxo, and
// ImportUtxo for the treasury; finally NormalizeSnapshot. Live pledge is not in these outputs: it
// is set to the declared pledge unless the Stakeward JSON provides it; pool age and blocks
// made/expected come only from Stakeward JSON (db-sync or an indexer): imported pools have them
// unknown, and the age and performance gates apply the policy's when_missing rules.
#ifndef STAKEWARD_POLICY_CLI_IMPORT_H_
#define STAKEWARD_POLICY_CLI_IMPORT_H_

#include <cstdint>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "policy/snapshot.h"

namespace stakeward::policy {

// `query protocol-parameters`: stakePoolTargetNum, poolPledgeInfluence, monetaryExpansion,
// treasuryCut, stakeAddressDeposit, txFeePerByte, txFeeFixed, utxoCostPerByte (or the Alonzo
// utxoCostPerWord / 8), maxTxSize, protocolVersion.major; also the ledger names nOpt, a0, rho,
// tau, keyDeposit, minFeeA, minFeeB, coinsPerUTxOByte.
absl::Status ImportProtocolParameters(absl::string_view json, Snapshot& s);

// `query stake-pools`: a JSON array of pool ids, or one id per line. Creates every listed pool
// (keeping data already present) and removes pools that are no longer listed.
absl::Status ImportStakePools(absl::string_view text, Snapshot& s);

// `query pool-state` / `pool-params`: {"<pool hex>": {"poolParams": {...}, "futurePoolParams": …,
// "retiring": e|null}}; inner keys publicKey|poolId, vrf, pledge, cost, margin,
// rewardAccount|accountAddress, owners, relays, metadata.
absl::Status ImportPoolState(absl::string_view json, Snapshot& s);

// `query stake-snapshot`: {"pools": {"<hex>": {"stakeMark", "stakeSet", "stakeGo"}}, "total": …};
// also the single-pool form {"poolStakeMark", "poolStakeSet", …} with `single_pool` given.
absl::Status ImportStakeSnapshot(absl::string_view json, Snapshot& s,
                                 std::optional<chain::Hash28> single_pool = std::nullopt);

// `query stake-address-info` of slot `slot`: [] when unregistered; otherwise address,
// stakeDelegation (bech32 string, {"stakePoolBech32", "stakePoolHex"} or null; older "delegation"),
// voteDelegation (null, "alwaysAbstain", "alwaysNoConfidence", "keyHash-<hex>", "scriptHash-<hex>",
// {"keyHash"|"scriptHash": hex, …}, or a drep1… id), rewardAccountBalance.
absl::Status ImportStakeAddressInfo(absl::string_view json, uint32_t slot, Snapshot& s);

// `query utxo --output-json` for slot `slot` (or the treasury when slot is nullopt): replaces that
// holder's UTxOs and balance. Outputs carrying native tokens are rejected.
absl::Status ImportUtxo(absl::string_view json, std::optional<uint32_t> slot, Snapshot& s);

}  // namespace stakeward::policy

#endif  // STAKEWARD_POLICY_CLI_IMPORT_H_
