// The two snapshot readers behind LoadSnapshot, exposed for the tests and the fuzz target that
// hold them to the same results.
#ifndef STAKEWARD_POLICY_SNAPSHOT_INTERNAL_H_
#define STAKEWARD_POLICY_SNAPSHOT_INTERNAL_H_

#include <array>
#include <optional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "policy/json_doc.h"
#include "policy/snapshot.h"

namespace stakeward::policy::snapshot_internal {

inline constexpr size_t kMaxPools = 1000000;
inline constexpr size_t kMaxListItems = 10000;  // owners, relays, blocks, UTxOs of one entry

// The members of a pool, in the order both readers index them.
enum PoolMember {
  kId,
  kVrf,
  kPledge,
  kLivePledge,
  kMargin,
  kFixedCost,
  kOwners,
  kRelays,
  kMetadataUrl,
  kRetiringEpoch,
  kRegisteredEpoch,
  kLiveStake,
  kActiveStake,
  kBlocks,
  kGroup,
  kTicker,
  kPoolMembers
};
inline constexpr std::array<absl::string_view, kPoolMembers> kPoolMemberNames = {
    "id",           "vrf",    "pledge",       "live_pledge",    "margin",           "fixed_cost",
    "owners",       "relays", "metadata_url", "retiring_epoch", "registered_epoch", "live_stake",
    "active_stake", "blocks", "group",        "ticker"};

// The general reader: any document, and every error message with its precedence. `max_nodes`
// (json::Doc::Parse's limit) is lowered by tests only.
absl::StatusOr<Snapshot> LoadSnapshotGeneral(absl::string_view text,
                                             size_t max_nodes = json::Doc::kMaxNodes);

// Reads a parsed snapshot document into `s`, without NormalizeSnapshot.
absl::Status ReadSnapshotDoc(const json::Node& root, Snapshot& s);

// The fast path (snapshot_fast.cc): the pools, the bulk of a snapshot, read straight from the
// On-Demand stream into Pools, the rest through ReadSnapshotDoc. Returns the same Snapshot the
// general reader would, or nullopt for anything it does not take (any error included, and pools
// with members it does not know), which LoadSnapshot then hands to the general reader.
std::optional<Snapshot> LoadSnapshotFast(absl::string_view text,
                                         size_t max_nodes = json::Doc::kMaxNodes);

}  // namespace stakeward::policy::snapshot_internal

#endif  // STAKEWARD_POLICY_SNAPSHOT_INTERNAL_H_
