// The chain snapshot that planning reads (design §5): pools, protocol parameters, supply, epoch,
// our slots and the treasury UTxOs. It is untrusted input: LoadSnapshot validates everything and
// SnapshotHash pins exactly what a plan was computed from.
//
// Stakeward snapshot JSON (schema 1). Amounts are integers (lovelace); ratios are "n/d", decimal
// text or numbers, always parsed exactly. Pool ids are pool1… bech32 or 56 hex digits.
// {
//   "schema": 1, "network": "testnet"|"mainnet", "epoch": 510, "slot": 130000000,
//   "protocol": {"k": 500, "a0": "3/10", "rho": "3/1000", "tau": "1/5", "key_deposit": 2000000,
//                "min_fee_a": 44, "min_fee_b": 155381, "coins_per_utxo_byte": 4310,
//                "max_tx_size": 16384, "protocol_major": 10},
//   "supply": {"circulating": 37000000000000000, "reserves": 8000000000000000},
//   "pools": [{"id": "pool1…", "vrf": "<64 hex>", "pledge": n, "live_pledge": n, "margin": "1/100",
//              "fixed_cost": n, "owners": ["<56 hex>"], "relays": ["relay.example:3001"],
//              "metadata_url": "…", "retiring_epoch": null|e, "registered_epoch": e|null,
//              "live_stake": n, "active_stake": n,
//              "blocks": [{"epoch": e, "made": n, "expected": "n/d"}]|null, "group": "name"|null}],
//   "slots": [{"index": 0, "registered": true, "pool": "pool1…"|null,
//              "drep": "abstain"|"no-confidence"|"drep1…"|null, "balance": n, "rewards": n,
//              "utxos": [{"tx": "<64 hex>", "index": 0, "lovelace": n}], "address": "addr…"}],
//   "treasury_utxos": [{"tx": "<64 hex>", "index": 0, "lovelace": n}],
//   "source": {"from": "ogmios ws://…", "tip": {"slot": n, "hash": "<64 hex>", "height": n}}
//   (optional)
// }
// registered_epoch and blocks null (or absent) mean the source did not know them; the age and
// performance gates then apply the policy's gates.when_missing rules (default deny).
// A pool's live_stake includes our slots' delegation to it. When a slot lists UTxOs, its balance
// must equal their sum. Pools without a group get one derived from shared owners or relays.
#ifndef STAKEWARD_POLICY_SNAPSHOT_H_
#define STAKEWARD_POLICY_SNAPSHOT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chain/address.h"
#include "chain/bytes.h"
#include "chain/lovelace.h"
#include "policy/policy.h"
#include "policy/ratio.h"

namespace stakeward::policy {

struct EpochBlocks {
  uint64_t epoch = 0;
  uint64_t made = 0;
  Ratio expected;
};

struct Pool {
  chain::Hash28 id{};
  chain::Hash32 vrf{};
  uint64_t pledge = 0;
  uint64_t live_pledge = 0;
  // False when the source does not say what the owners hold (cardano-cli pool params, an Ogmios
  // node without the owners' stake): the pledge-met gate then applies the policy's
  // gates.when_missing.pledge rule, and live_pledge holds the declared pledge for the reward
  // estimate. Hashed and written to JSON as null.
  bool live_pledge_known = true;
  Ratio margin;
  uint64_t fixed_cost = 0;
  std::vector<chain::Hash28> owners;  // sorted
  std::vector<std::string> relays;    // sorted
  std::string metadata_url;
  // Self-declared in the pool's off-chain metadata (CIP-6), so only a display aid for people: the
  // pool id is the identity. "" when the source has none; otherwise IsCip6Ticker holds.
  std::string ticker;
  std::optional<uint64_t> retiring_epoch;
  // Unknown when the source cannot see it (Ogmios, cardano-cli): JSON null or absent, CBOR null.
  std::optional<uint64_t> registered_epoch;
  uint64_t live_stake = 0;
  uint64_t active_stake = 0;
  std::vector<EpochBlocks> blocks;  // sorted by epoch
  // False when the source has no block history (JSON "blocks" null or absent, CBOR null): the
  // performance gate then applies the policy's when_missing rule instead of judging `blocks`.
  bool blocks_known = true;
  std::string group;  // operator group; never empty after loading
};

struct Utxo {
  chain::Hash32 tx{};
  uint32_t index = 0;
  chain::Lovelace lovelace;
};

struct SlotState {
  uint32_t index = 0;
  bool registered = false;
  std::optional<chain::Hash28> pool;
  std::optional<DRepChoice> drep;
  chain::Lovelace balance;
  chain::Lovelace rewards;
  std::vector<Utxo> utxos;
  std::string
      address;  // optional base address (bech32); when set, MakePlan checks it is slot index's
  // The deposit the registered stake credential holds, which is what deregistration refunds (it
  // can differ from today's key_deposit parameter). Unknown: the parameter is assumed.
  std::optional<chain::Lovelace> deposit;
};

struct ProtocolParams {
  uint64_t k = 500;                // nOpt
  Ratio a0 = Ratio::Of(3, 10);     // pledge influence
  Ratio rho = Ratio::Of(3, 1000);  // monetary expansion
  Ratio tau = Ratio::Of(1, 5);     // treasury cut
  chain::Lovelace key_deposit{2000000};
  uint64_t min_fee_a = 44;  // lovelace per byte: a rate
  chain::Lovelace min_fee_b{155381};
  uint64_t coins_per_utxo_byte = 4310;
  uint64_t max_tx_size = 16384;
  uint64_t protocol_major = 10;
};

// Where a snapshot came from (chainsource/): the chain source and its tip. Informational only:
// it is written to and read from the JSON ("source": {"from": …, "tip": {"slot", "hash",
// "height"}}) but is not part of EncodeSnapshot / SnapshotHash, so the same chain state read from
// different sources has the same hash.
struct SnapshotOrigin {
  std::string source;  // e.g. "ogmios ws://127.0.0.1:1337", "koios https://…", "cardano-cli DIR"
  uint64_t tip_slot = 0;
  std::optional<chain::Hash32> tip_hash;
  std::optional<uint64_t> tip_height;
};

struct Snapshot {
  chain::Network network = chain::Network::kTestnet;
  uint64_t epoch = 0;
  uint64_t slot = 0;
  ProtocolParams params;
  uint64_t circulating = 0;  // total stake for saturation: saturation point = circulating / k
  uint64_t reserves = 0;
  std::vector<Pool> pools;       // sorted by id, unique
  std::vector<SlotState> slots;  // sorted by index, unique
  std::vector<Utxo> treasury;
  std::optional<SnapshotOrigin> origin;  // optional "source" member; not hashed

  const Pool* FindPool(const chain::Hash28& id) const;  // binary search
  uint64_t SaturationPoint() const { return params.k == 0 ? 0 : circulating / params.k; }
  // What deregistering `slot` refunds: its recorded deposit, else the key_deposit parameter.
  chain::Lovelace HeldDeposit(const SlotState& slot) const {
    return slot.deposit.value_or(params.key_deposit);
  }
};

absl::StatusOr<Snapshot> LoadSnapshot(absl::string_view json_text);
// CIP-6 metadata schema: a ticker is 3 to 5 characters from A-Z and 0-9. Nothing else reaches a
// signer's screen (no look-alike letters, no terminal escapes).
bool IsCip6Ticker(absl::string_view ticker);
// Sorts, fills derived groups and checks cross-references; LoadSnapshot and the importers call it.
absl::Status NormalizeSnapshot(Snapshot& s);
std::string SnapshotToJson(const Snapshot& s);  // schema 1, pretty-printed
chain::Bytes EncodeSnapshot(const Snapshot& s);
chain::Hash32 SnapshotHash(const Snapshot& s);

// Operator groups file: one "<pool id> <group name>" per line; '#' starts a comment.
absl::Status ApplyGroupsFile(absl::string_view text, Snapshot& s);

// Plan history: pools dropped recently (re-entry delay). JSON {"dropped": [{"pool": id, "epoch":
// e}]}.
struct DroppedPool {
  chain::Hash28 pool{};
  uint64_t epoch = 0;
};
struct PlanHistory {
  std::vector<DroppedPool> dropped;
};
absl::StatusOr<PlanHistory> LoadHistory(absl::string_view json_text);

// Parses "abstain" / "no-confidence" / drep id (as in the policy's `drep`).
absl::StatusOr<DRepChoice> ParseDRepChoice(absl::string_view text);

}  // namespace stakeward::policy

#endif  // STAKEWARD_POLICY_SNAPSHOT_H_
