// A re-balance plan: plan = f(policy, snapshot, history), pure and deterministic (design §5).
// It lists every pool's verdict and score, the target per pool and the slot holding it, and the
// ordered actions grouped into transactions, each with its amount and reason.
//
// Invariants (checked by CheckPlanAgainstPolicy and the tests): the slots' stake is conserved
// exactly (transfers only move lovelace between our slot addresses; deposits and fees are paid
// from the treasury UTxOs, refunds return there); no cap is exceeded by a target; stake moved this
// epoch stays within the churn cap except for evacuations of retiring or saturated pools;
// ApplyPlan followed by MakePlan yields no actions once the targets are reached.
#ifndef STAKEWARD_POLICY_PLAN_H_
#define STAKEWARD_POLICY_PLAN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chain/bytes.h"
#include "chain/lovelace.h"
#include "policy/gates.h"
#include "policy/policy.h"
#include "policy/ratio.h"
#include "policy/snapshot.h"

namespace stakeward::policy {

enum class ActionType : uint8_t {
  kRegister = 0,      // cert 7 with the key deposit
  kDelegatePool = 1,  // cert 2
  kDelegateDRep = 2,  // cert 9
  kTransfer = 3,      // output from one slot address to another
  kWithdraw = 4,      // full reward withdrawal (before deregistering)
  kDeregister = 5,    // cert 8 with the refund
};
absl::string_view ActionName(ActionType t);

struct Action {
  ActionType type = ActionType::kTransfer;
  uint32_t slot = 0;                  // the slot acted on (transfer: source)
  uint32_t to_slot = 0;               // transfer destination
  std::optional<chain::Hash28> pool;  // kDelegatePool
  std::optional<DRepChoice> drep;     // kDelegateDRep
  chain::Lovelace amount;             // deposit, refund, transferred or withdrawn; stake re-pointed
  uint32_t tx = 0;                    // index of the transaction it belongs to
  std::string reason;
};

struct PlanTx {
  uint32_t certificates = 0;
  uint32_t outputs = 0;
  uint32_t withdrawals = 0;
  uint64_t estimated_size = 0;    // bytes, with M vkey witnesses and the scripts
  chain::Lovelace estimated_fee;  // min_fee_a * size + min_fee_b
};

// Fields ordered to pack: a 100k-pool plan holds one per pool.
struct PoolDecision {
  chain::Hash28 id{};
  bool selected = false;    // has a target > 0
  bool evacuation = false;  // retiring or saturated: moved regardless of the churn cap
  std::string group;
  Verdict verdict;               // gates, then the group accumulator
  u128 score = 0;                // rank score (0 when denied)
  uint64_t current = 0;          // our delegation now
  uint64_t target = 0;           // what the allocation wants
  uint64_t after = 0;            // what this plan reaches (churn cap)
  std::optional<uint32_t> slot;  // slot holding it after the plan
  // Why in, out, capped or moved, without the denial: for a denied pool only what follows it
  // ("; leaving gradually ..."), since the denial repeats the verdict's messages. Read the whole
  // text with DecisionReason.
  std::string reason_tail;
};

// The decision's reason as plans show and hash it: "denied: <deny messages>" for a denied pool,
// then reason_tail.
std::string DecisionReason(const PoolDecision& d);
// The same appended to `out` (the plan hash writes one per pool into one buffer).
void AppendDecisionReason(const PoolDecision& d, std::string& out);

struct SlotOutcome {
  uint32_t index = 0;
  std::optional<chain::Hash28> pool_before, pool_after;
  chain::Lovelace before, after;
  bool registered_after = false;
};

struct Plan {
  chain::Hash32 policy_hash{};
  chain::Hash32 snapshot_hash{};
  uint64_t epoch = 0;
  uint64_t total_stake = 0;
  uint64_t churn_budget = 0;        // lovelace that may move without evacuation
  uint64_t moved = 0;               // stake moved counted against the budget
  uint64_t moved_exempt = 0;        // stake moved off retiring or saturated pools
  chain::Lovelace deposits;         // paid from the treasury
  chain::Lovelace refunds;          // returned to the treasury
  chain::Lovelace fee_estimate;     // sum over transactions
  std::vector<PoolDecision> pools;  // every pool of the snapshot, by id
  std::vector<SlotOutcome> slots;   // every slot touched or in use, by index
  std::vector<Action> actions;      // in execution order
  std::vector<PlanTx> txs;
  std::vector<DroppedPool> dropped;  // pools we leave this epoch (feed into the next history)
  std::vector<std::string> notes;

  bool empty() const { return actions.empty(); }
};

// Errors: INVALID_ARGUMENT when policy and snapshot disagree (network); FAILED_PRECONDITION when
// the policy cannot be satisfied (no capacity, slot limit, treasury short of deposits and fees).
absl::StatusOr<Plan> MakePlan(const Policy& policy, const Snapshot& snapshot,
                              const PlanHistory& history);
// The same, for a snapshot whose hash (SnapshotHash) the caller already holds and has checked,
// e.g. the controller's parse cache, which verifies it on first parse: re-encoding a 100k-pool
// snapshot to hash it costs more than the plan. A wrong hash yields a plan no signer accepts.
absl::StatusOr<Plan> MakePlan(const Policy& policy, const Snapshot& snapshot,
                              const PlanHistory& history, const chain::Hash32& snapshot_hash);

chain::Bytes EncodePlan(const Plan& plan);
chain::Hash32 PlanHash(const Plan& plan);
// JSON with "plan_hash", "policy_hash", "snapshot_hash" and everything above. With
// `include_all_pools` false only selected, current or warned pools are listed (the hash always
// covers every pool).
std::string PlanToJson(const Plan& plan, bool include_all_pools = true);
// The same with the plan's hash already computed (PlanHash encodes every pool).
std::string PlanToJson(const Plan& plan, bool include_all_pools, const chain::Hash32& plan_hash);
// A readable table: per pool target/slot/action/amount/reason, then actions by transaction.
// Every warn-level reason, one "warning: <pool> <gate>: <message>" line each for the pools the
// plan holds or targets, and one line counting the others' by gate; empty when there are none.
// Part of PlanToTable; signers' reviews print it too.
std::string PlanWarnings(const Plan& p);

std::string PlanToTable(const Plan& plan);

// Recomputes the plan and compares hashes, then checks the invariants against the policy.
// PERMISSION_DENIED (with the reason) when the plan breaks the policy or is not the policy's plan.
absl::Status CheckPlanAgainstPolicy(const Policy& policy, const Snapshot& snapshot,
                                    const PlanHistory& history, const Plan& plan);

// The invariants alone: lovelace conserved, per-pool, saturation and group caps, pool count, churn
// budget, denied pools without target. INTERNAL names the broken invariant.
absl::Status CheckPlanInvariants(const Policy& policy, const Snapshot& snapshot, const Plan& plan);

// The snapshot after the plan's actions: registrations, delegations, DRep, balances, rewards and
// pools' live stake. UTxO lists of touched slots are replaced by their balance (UTxO ids are not
// known before submission); treasury UTxOs are left as they are.
absl::StatusOr<Snapshot> ApplyPlan(const Snapshot& snapshot, const Plan& plan);

// Reward split (design §7): commission = the sum over slots of floor(reward * bps / 10000)
// (SlotCommission, as the reward transaction pays it) to the treasury, the rest to the bridge.
// `defer` is true when the bridge part is below the policy's bridge minimum.
struct RewardSplit {
  chain::Lovelace total;
  chain::Lovelace commission;
  chain::Lovelace bridge;
  bool defer = false;
  std::vector<std::pair<uint32_t, chain::Lovelace>> withdrawals;  // (slot, full reward balance)
};
absl::StatusOr<RewardSplit> SplitRewards(const Policy& policy, const Snapshot& snapshot);

}  // namespace stakeward::policy

#endif  // STAKEWARD_POLICY_PLAN_H_
