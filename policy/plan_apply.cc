// ApplyPlan, plan checks and the reward split.
#include <map>

#include "absl/strings/str_cat.h"
#include "chain/lovelace.h"
#include "policy/allocate.h"
#include "policy/bps.h"
#include "policy/plan.h"

namespace stakeward::policy {
namespace {

absl::Status Bad(size_t i, absl::string_view msg) {
  return absl::InvalidArgumentError(absl::StrCat("plan action ", i, ": ", msg));
}

}  // namespace

absl::StatusOr<Snapshot> ApplyPlan(const Snapshot& snapshot, const Plan& plan) {
  Snapshot s = snapshot;
  std::map<uint32_t, SlotState> slots;
  for (const SlotState& sl : s.slots) slots[sl.index] = sl;
  std::map<chain::Hash28, Pool*> pools;
  for (Pool& p : s.pools) pools[p.id] = &p;
  auto move_stake = [&](const std::optional<chain::Hash28>& from,
                        const std::optional<chain::Hash28>& to, uint64_t amount) -> bool {
    if (from.has_value()) {
      Pool* p = pools[*from];
      if (p == nullptr || p->live_stake < amount) return false;
      p->live_stake -= amount;
    }
    if (to.has_value()) {
      Pool* p = pools[*to];
      if (p == nullptr) return false;
      auto t = chain::CheckedAdd(p->live_stake, amount);
      if (!t) return false;
      p->live_stake = *t;
    }
    return true;
  };
  for (size_t i = 0; i < plan.actions.size(); ++i) {
    const Action& a = plan.actions[i];
    switch (a.type) {
      case ActionType::kRegister: {
        SlotState& sl = slots[a.slot];
        sl.index = a.slot;
        if (sl.registered) return Bad(i, "slot already registered");
        sl.registered = true;
        break;
      }
      case ActionType::kDelegatePool: {
        auto it = slots.find(a.slot);
        if (it == slots.end() || !it->second.registered || !a.pool.has_value())
          return Bad(i, "slot not registered");
        if (pools.find(*a.pool) == pools.end()) return Bad(i, "unknown pool");
        if (!move_stake(it->second.pool, a.pool, it->second.balance.value()))
          return Bad(i, "inconsistent pool stake");
        it->second.pool = a.pool;
        break;
      }
      case ActionType::kDelegateDRep: {
        auto it = slots.find(a.slot);
        if (it == slots.end() || !it->second.registered || !a.drep.has_value())
          return Bad(i, "slot not registered");
        it->second.drep = a.drep;
        break;
      }
      case ActionType::kTransfer: {
        auto from = slots.find(a.slot);
        const chain::Lovelace amount = a.amount;
        if (from == slots.end() || from->second.balance < amount || a.slot == a.to_slot) {
          return Bad(i, "transfer exceeds the source balance");
        }
        SlotState& to = slots[a.to_slot];
        to.index = a.to_slot;
        if (!move_stake(from->second.pool, to.pool, a.amount.value()))
          return Bad(i, "inconsistent pool stake");
        from->second.balance -= amount;  // checked above
        auto t = chain::CheckedAdd(to.balance, amount);
        if (!t) return Bad(i, "balance overflow");
        to.balance = *t;
        from->second.utxos.clear();
        to.utxos.clear();
        break;
      }
      case ActionType::kWithdraw: {
        auto it = slots.find(a.slot);
        if (it == slots.end() || it->second.rewards != a.amount)
          return Bad(i, "withdrawal must take the whole balance");
        it->second.rewards = chain::Lovelace(0);
        break;
      }
      case ActionType::kDeregister: {
        auto it = slots.find(a.slot);
        if (it == slots.end() || !it->second.registered) return Bad(i, "slot not registered");
        if (it->second.rewards != chain::Lovelace(0))
          return Bad(i, "rewards must be withdrawn before deregistering");
        if (!move_stake(it->second.pool, std::nullopt, it->second.balance.value()))
          return Bad(i, "inconsistent pool stake");
        it->second.registered = false;
        it->second.pool.reset();
        it->second.drep.reset();
        break;
      }
    }
  }
  s.slots.clear();
  for (auto& [i, sl] : slots) s.slots.push_back(sl);
  absl::Status st = NormalizeSnapshot(s);
  if (!st.ok()) return st;
  return s;
}

absl::Status CheckPlanInvariants(const Policy& policy, const Snapshot& snap, const Plan& plan) {
  auto broken = [](absl::string_view what) {
    return absl::InternalError(absl::StrCat("plan invariant broken: ", what));
  };
  uint64_t total = 0;
  for (const SlotState& s : snap.slots) total += s.balance.value();  // bounded: NormalizeSnapshot
  if (plan.total_stake != total) return broken("total stake");
  u128 sum_target = 0, sum_after = 0;
  uint64_t count = 0;
  std::map<std::string, u128> group_sum;
  const uint64_t sat_limit =
      BpsOf(snap.SaturationPoint(), policy.allocation.saturation_headroom_bps);
  const uint64_t share_cap = BpsOf(total, policy.allocation.max_pool_share_bps);
  const uint64_t group_cap = GroupCap(policy, total);
  if (plan.pools.size() != snap.pools.size()) return broken("pool list");
  for (size_t i = 0; i < plan.pools.size(); ++i) {
    const PoolDecision& d = plan.pools[i];
    const Pool& p = snap.pools[i];
    if (d.id != p.id) return broken("pool order");
    sum_target += d.target;
    sum_after += d.after;
    if (d.target == 0) continue;
    if (d.verdict.denied())
      return broken(absl::StrCat("denied pool ", chain::PoolIdBech32(d.id), " has a target"));
    ++count;
    if (d.target > share_cap) return broken("per-pool share");
    const uint64_t others = p.live_stake - d.current;
    if (static_cast<u128>(others) + d.target > sat_limit) return broken("saturation headroom");
    if (d.target < policy.allocation.min_per_pool && total >= policy.allocation.min_per_pool) {
      return broken("minimum per pool");
    }
    group_sum[p.group] += d.target;
  }
  if (total > 0 && sum_target != total) return broken("targets do not sum to our stake");
  if (sum_after != total) return broken("lovelace not conserved");
  if (count > policy.allocation.max_pools || count > policy.max_slots) return broken("pool count");
  for (const auto& [g, v] : group_sum) {
    if (v > group_cap) return broken(absl::StrCat("group cap of '", g, "'"));
  }
  if (plan.moved > plan.churn_budget) return broken("churn cap");
  uint64_t moved = 0;
  for (const PoolDecision& d : plan.pools) {
    if (!d.evacuation && d.current > d.after) moved += d.current - d.after;
  }
  if (moved > plan.churn_budget) return broken("churn cap (recounted)");
  u128 slot_after = 0;
  for (const SlotOutcome& s : plan.slots) slot_after += s.after.value();
  if (slot_after != total) return broken("slot balances not conserved");
  return absl::OkStatus();
}

absl::Status CheckPlanAgainstPolicy(const Policy& policy, const Snapshot& snapshot,
                                    const PlanHistory& history, const Plan& plan) {
  if (plan.policy_hash != PolicyHash(policy)) {
    return absl::PermissionDeniedError("plan was made for a different policy");
  }
  const chain::Hash32 snapshot_hash = SnapshotHash(snapshot);
  if (plan.snapshot_hash != snapshot_hash) {
    return absl::PermissionDeniedError("plan was made from a different snapshot");
  }
  auto again = MakePlan(policy, snapshot, history, snapshot_hash);
  if (!again.ok())
    return absl::PermissionDeniedError(
        absl::StrCat("policy yields no plan: ", again.status().message()));
  if (PlanHash(*again) != PlanHash(plan)) {
    return absl::PermissionDeniedError(
        "plan differs from the one the policy yields for this snapshot");
  }
  absl::Status inv = CheckPlanInvariants(policy, snapshot, plan);
  if (!inv.ok()) return absl::PermissionDeniedError(inv.message());
  return absl::OkStatus();
}

absl::StatusOr<RewardSplit> SplitRewards(const Policy& policy, const Snapshot& snapshot) {
  RewardSplit r;
  for (const SlotState& s : snapshot.slots) {
    if (s.rewards == chain::Lovelace(0)) continue;
    auto t = chain::AddLovelace(r.total, s.rewards, "reward total");
    if (!t.ok()) return t.status();
    r.total = *t;
    r.commission += SlotCommission(s.rewards, policy.rewards.commission_bps);  // <= total
    r.withdrawals.push_back({s.index, s.rewards});
  }
  r.bridge = r.total - r.commission;
  r.defer = r.bridge < chain::Lovelace(policy.rewards.bridge_min_lovelace);
  return r;
}

}  // namespace stakeward::policy
