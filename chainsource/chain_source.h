// Typed chain facts and the ChainSource interface (issue 13). Implementations: OgmiosSource
// (JSON-RPC over WebSocket, ogmios_source.h) and KoiosSource (HTTP REST, koios_source.h); the
// cardano-cli query files are read by cli_dir.h. Every call takes a deadline; every error is an
// absl::Status (DEADLINE_EXCEEDED, UNAVAILABLE for transport problems, INVALID_ARGUMENT for a
// malformed answer, FAILED_PRECONDITION for a rejected transaction, UNIMPLEMENTED when a source
// does not offer a fact). Answers are bounded in size by each implementation.
#ifndef STAKEWARD_CHAINSOURCE_CHAIN_SOURCE_H_
#define STAKEWARD_CHAINSOURCE_CHAIN_SOURCE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "chain/address.h"
#include "chain/bytes.h"
#include "chain/tx.h"
#include "policy/policy.h"
#include "policy/ratio.h"
#include "policy/snapshot.h"

namespace stakeward::chainsource {

struct Tip {
  uint64_t slot = 0;
  chain::Hash32 hash{};
  std::optional<uint64_t> height;  // block number, when the source gives it
};

struct StakePool {
  chain::Hash28 id{};
  chain::Hash32 vrf{};
  uint64_t pledge = 0;
  uint64_t cost = 0;
  policy::Ratio margin;
  std::vector<chain::Hash28> owners;
  std::vector<std::string> relays;  // "host:port" or "ip:port"
  std::string metadata_url;
  std::string ticker;  // CIP-6 ticker from the pool's metadata when valid, else ""
  std::string reward_account;
  std::optional<uint64_t> retiring_epoch;
  std::optional<uint64_t> registered_epoch;  // active epoch of the first registration (pool age)
  std::optional<uint64_t> live_stake;
  std::optional<uint64_t> active_stake;
  std::optional<uint64_t> live_pledge;
};

// A pool's share of the total stake (Ogmios liveStakeDistribution). Generated vectors carry
// negative shares, so the sign is kept and rejected only when a snapshot is built.
struct RelativeStake {
  chain::Hash28 pool{};
  bool negative = false;
  policy::Ratio share;
};

struct PoolPerformance {
  chain::Hash28 pool{};
  std::optional<uint64_t> active_stake;
  std::optional<uint64_t> owner_stake;
  std::string approximate_performance;      // decimal text as sent (Ogmios), empty when absent
  std::vector<policy::EpochBlocks> blocks;  // blocks made/expected per epoch, when available
  bool blocks_known = false;                // the source gave a block history (Koios)
};

struct RewardAccountSummary {
  chain::Credential credential;
  bool registered = false;
  uint64_t deposit = 0;
  uint64_t rewards = 0;
  std::optional<chain::Hash28> pool;
  std::optional<policy::DRepChoice> drep;
};

struct AddressUtxo {
  chain::Hash32 tx{};
  uint32_t index = 0;
  std::string address;
  uint64_t lovelace = 0;
  bool has_assets = false;  // native tokens present (Stakeward's holders must not carry any)
};

struct TreasuryAndReserves {
  uint64_t treasury = 0;
  uint64_t reserves = 0;
};

// A submitted transaction to look for: its id and how many outputs it has (a source that answers
// from the UTxO set looks for those outputs).
struct WatchedTx {
  chain::Hash32 id{};
  uint32_t output_count = 0;
  std::vector<chain::TxIn> inputs;
};

// What the chain shows of one watched transaction.
struct TxSighting {
  chain::Hash32 id{};
  bool on_chain = false;
  // Blocks on top of the one holding it, counting that block (Koios tx_status); nullopt when the
  // source cannot say (Ogmios: the caller counts block heights from the first sighting).
  std::optional<uint64_t> confirmations;
  // Every input is unspent: the transaction is certainly not applied (a rolled-back one shows
  // this again). Sources with a transaction index set it to !on_chain.
  bool inputs_unspent = false;
};

class ChainSource {
 public:
  virtual ~ChainSource() = default;

  // "ogmios ws://host:port" or "koios https://…": recorded in snapshots.
  virtual std::string Describe() const = 0;

  virtual absl::StatusOr<Tip> QueryTip(absl::Duration deadline) = 0;
  virtual absl::StatusOr<uint64_t> QueryEpoch(absl::Duration deadline) = 0;
  virtual absl::StatusOr<policy::ProtocolParams> QueryProtocolParameters(
      absl::Duration deadline) = 0;
  // Registered pools with their parameters and, where the source has them, stake and age.
  virtual absl::StatusOr<std::vector<StakePool>> QueryStakePools(absl::Duration deadline) = 0;
  virtual absl::StatusOr<std::vector<RelativeStake>> QueryLiveStakeDistribution(
      absl::Duration deadline) = 0;
  // Performance of `pools` (all pools when empty, if the source can).
  virtual absl::StatusOr<std::vector<PoolPerformance>> QueryPoolPerformances(
      absl::Span<const chain::Hash28> pools, absl::Duration deadline) = 0;
  // One summary per requested credential; unregistered credentials come back with registered=false.
  virtual absl::StatusOr<std::vector<RewardAccountSummary>> QueryRewardAccounts(
      chain::Network network, absl::Span<const chain::Credential> credentials,
      absl::Duration deadline) = 0;
  virtual absl::StatusOr<std::vector<AddressUtxo>> QueryUtxos(
      absl::Span<const std::string> addresses, absl::Duration deadline) = 0;
  virtual absl::StatusOr<TreasuryAndReserves> QueryTreasuryAndReserves(absl::Duration deadline) = 0;
  // Returns the transaction id the chain source computed; a rejection is FAILED_PRECONDITION with
  // a message telling the operator what to do.
  virtual absl::StatusOr<chain::Hash32> SubmitTransaction(chain::ByteView tx_cbor,
                                                          absl::Duration deadline) = 0;
  // One sighting per watched transaction, in order. From the UTxO set (Ogmios) a transaction is
  // on chain while any of its outputs is unspent, so one whose outputs were all spent since reads
  // as absent: only inputs_unspent proves that a transaction is not applied.
  virtual absl::StatusOr<std::vector<TxSighting>> ObserveTransactions(
      absl::Span<const WatchedTx> txs, absl::Duration deadline) = 0;
};

}  // namespace stakeward::chainsource

#endif  // STAKEWARD_CHAINSOURCE_CHAIN_SOURCE_H_
