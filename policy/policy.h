// The DAO's delegation policy (design §4): a YAML document, schema version 1, validated field by
// field (errors name the field and its line), normalized, canonically encoded and hashed.
//
// Canonical encoding: a CBOR array (chain/cbor.h Writer, definite lengths, shortest heads) of the
// normalized fields in the fixed order of EncodePolicy in policy_encode.cc; ratios as [num, den]
// reduced, optional values as null, lists in document order (deny/allow lists sorted, duplicates
// removed). PolicyHash = blake2b-256 of that encoding. Two YAML texts that differ only in layout,
// comments, key order or number spelling ("0.05" vs "1/20") have the same hash.
#ifndef STAKEWARD_POLICY_POLICY_H_
#define STAKEWARD_POLICY_POLICY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chain/address.h"
#include "chain/bytes.h"
#include "chain/keys.h"
#include "policy/ratio.h"

namespace stakeward::policy {

enum class DeviceKind : uint8_t { kLedger = 0, kTrezor = 1 };
enum class Strategy : uint8_t { kEqual = 0, kScoreWeighted = 1, kMaxRewards = 2 };
// What a gate decides for a pool whose evidence the snapshot lacks (a chain source that cannot see
// pool age or blocks made): missing data is a decision the policy states, never a silent pass.
enum class WhenMissing : uint8_t { kDeny = 0, kWarn = 1, kAllow = 2 };

struct Signer {
  std::string name;
  chain::XPub account_xpub;  // CIP-1854 account key m/1854'/1815'/0'
  DeviceKind device = DeviceKind::kLedger;
};

struct Gates {
  uint64_t retiring_within_epochs = 2;  // deny pools retiring within R epochs
  Ratio max_margin = Ratio::One();
  uint64_t max_fixed_cost = UINT64_MAX;
  uint64_t min_pledge = 0;                // declared pledge must be at least this
  bool require_pledge_met = true;         // live pledge >= declared pledge
  Ratio min_performance = Ratio::Zero();  // blocks made / expected over the window
  uint64_t performance_window_epochs = 5;
  uint64_t min_age_epochs = 0;
  std::vector<chain::Hash28> deny;   // sorted, unique
  std::vector<chain::Hash28> allow;  // sorted, unique
  bool allow_only = false;           // only pools on the allow list are eligible
  uint64_t max_pools_per_group = UINT64_MAX;
  WhenMissing age_when_missing = WhenMissing::kDeny;          // registered_epoch unknown
  WhenMissing performance_when_missing = WhenMissing::kDeny;  // blocks made/expected unknown
  WhenMissing pledge_when_missing = WhenMissing::kDeny;       // live pledge unknown (pledge met?)
};

// Scores multiply the expected member return per lovelace by
// (return_weight + performance_weight * perf + pledge_weight * min(1, pledge / saturation)) /
// 10000.
struct Scoring {
  uint64_t return_weight_bps = 10000;
  uint64_t performance_weight_bps = 0;
  uint64_t pledge_weight_bps = 0;
};

struct Allocation {
  Strategy strategy = Strategy::kMaxRewards;
  uint64_t min_pools = 1;
  uint64_t max_pools = 50;
  uint64_t max_pool_share_bps = 10000;      // of our stake, per pool
  uint64_t saturation_headroom_bps = 9500;  // pool stake after us <= this share of saturation
  uint64_t max_group_share_bps = 10000;     // of our stake, per operator group
  uint64_t min_per_pool = 0;                // lovelace
};

struct Churn {
  uint64_t max_moved_bps_per_epoch = 10000;  // of our stake
  uint64_t hysteresis_bps = 0;  // a newcomer must beat an incumbent's score by this much
  uint64_t reentry_delay_epochs = 0;
};

struct DRepChoice {
  enum class Kind : uint8_t { kAbstain = 0, kNoConfidence = 1, kDRep = 2 };
  Kind kind = Kind::kAbstain;
  chain::Credential drep;  // kDRep
  bool operator==(const DRepChoice&) const = default;
};

struct RewardRouting {
  uint64_t commission_bps = 0;
  std::string treasury_address;  // bech32, on the policy's network
  std::string bridge_address;    // bech32, on the policy's network
  std::string bridge_magic;      // metadata label 87, e.g. "devnet.cardano-evm.c1"
  uint64_t l2_chain_id = 0;      // 2001 mainnet, 200101 devnet
  std::string contract_address;  // 0x + 40 hex, lower-cased
  uint64_t roi = 100;            // accreditToPool(_roi), 1..100
  std::string operator_path;     // m/44'/60'/0'/0/i
  uint64_t bridge_min_lovelace = 0;
  // The operator's L2 account (metadata label 88, the deposit's sender): "0x" + 40 lower-case hex.
  // Pinned by the approved policy so a controller cannot redirect the bridged rewards. Empty in
  // documents written before the field existed; reward rounds refuse such a policy.
  std::string operator_l2_address;
};

struct Policy {
  uint64_t version = 1;
  chain::Network network = chain::Network::kTestnet;
  uint64_t protocol_magic = 0;
  std::vector<Signer> signers;
  uint64_t threshold = 1;
  uint64_t max_slots = 100;
  Gates gates;
  Scoring scoring;
  Allocation allocation;
  Churn churn;
  DRepChoice drep;
  RewardRouting rewards;
};

// Parses and validates a policy document. Errors are INVALID_ARGUMENT "line L: field: problem".
absl::StatusOr<Policy> LoadPolicy(absl::string_view yaml_text);

// Canonical CBOR of the normalized policy, and its blake2b-256.
chain::Bytes EncodePolicy(const Policy& policy);
chain::Hash32 PolicyHash(const Policy& policy);

absl::string_view StrategyName(Strategy s);
absl::string_view DeviceKindName(DeviceKind d);
absl::string_view WhenMissingName(WhenMissing w);  // "deny", "warn", "allow"
std::string DRepChoiceText(const DRepChoice& d);   // "abstain", "no-confidence" or the drep1… id

// A short human-readable summary (network, signers, threshold, gates, allocation, routing).
std::string PolicySummary(const Policy& policy);

}  // namespace stakeward::policy

#endif  // STAKEWARD_POLICY_POLICY_H_
