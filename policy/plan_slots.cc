// Slot assignment, actions and transaction grouping for MakePlan.
#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "chain/check.h"
#include "chain/lovelace.h"
#include "chain/status_macros.h"
#include "policy/ada_text.h"
#include "policy/plan_internal.h"

namespace stakeward::policy::internal {
namespace {

std::string PoolName(const chain::Hash28& id) { return chain::PoolIdBech32(id); }

struct SlotWork {
  uint32_t index = 0;
  bool exists = false;  // in the snapshot
  bool registered = false;
  std::optional<chain::Hash28> pool;
  std::optional<DRepChoice> drep;
  chain::Lovelace balance;
  chain::Lovelace rewards;
  size_t utxo_count = 0;
  chain::Lovelace held_deposit;  // what deregistration refunds (Snapshot::HeldDeposit)
  // After the plan:
  bool assigned = false;  // holds a pool after the plan
  std::optional<chain::Hash28> pool_after;
  chain::Lovelace balance_after;  // the allocation's target for its pool
  bool register_now = false;
  bool repoint = false;
  bool deregister = false;
};

// Transaction size model (bytes): see PlanTx. Numbers are upper estimates of the CBOR sizes of
// Conway items (specs/cardano.md §1): a certificate with a script credential and a pool id or
// deposit ≤ 64, a base-address ADA-only output ≤ 70, an input 38, a withdrawal 40, a vkey
// witness 101, a native script atLeast-M-of-N ≤ 4 + 32·N; plus 300 for the body frame, fee, TTL,
// metadata (proposal, plan and policy hash) and a treasury input and change output paying fees.
constexpr uint64_t kTxFrame = 300 + 38 + 70;
constexpr uint64_t kCertBytes = 64;
constexpr uint64_t kOutputBytes = 70;
constexpr uint64_t kInputBytes = 38;
constexpr uint64_t kWithdrawalBytes = 40;
constexpr uint64_t kVkeyWitnessBytes = 101;
constexpr uint32_t kMaxCertsPerTx = 25;

// A group of actions that must share a transaction.
struct Unit {
  std::vector<Action> actions;
  uint32_t certs = 0, outputs = 0, inputs = 0, withdrawals = 0;
  std::set<uint32_t> stake_scripts;  // slots whose stake script must be in the witness set
  bool spends = false;               // needs the payment script
};

class TxPacker {
 public:
  TxPacker(const Policy& policy, const Snapshot& snap, Plan& plan)
      : policy_(policy), snap_(snap), plan_(plan) {
    script_bytes_ = 4 + 32 * policy.signers.size();
  }
  void Add(Unit u) {
    if (u.actions.empty()) return;
    if (open_ && !Fits(u)) Flush();
    if (!open_) {
      cur_ = Unit{};
      open_ = true;
    }
    Merge(cur_, u);
  }
  void Flush() {
    if (!open_) return;
    PlanTx tx;
    tx.certificates = cur_.certs;
    tx.outputs = cur_.outputs;
    tx.withdrawals = cur_.withdrawals;
    tx.estimated_size = Size(cur_);
    // An estimate: saturates rather than wraps, so absurd fee parameters fail the treasury check.
    const u128 fee = static_cast<u128>(snap_.params.min_fee_a) * tx.estimated_size +
                     snap_.params.min_fee_b.value();
    tx.estimated_fee = chain::Lovelace(fee > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(fee));
    const uint32_t index = static_cast<uint32_t>(plan_.txs.size());
    for (Action& a : cur_.actions) {
      a.tx = index;
      plan_.actions.push_back(std::move(a));
    }
    plan_.fee_estimate = chain::CheckedAdd(plan_.fee_estimate, tx.estimated_fee)
                             .value_or(chain::Lovelace(UINT64_MAX));
    plan_.txs.push_back(tx);
    open_ = false;
  }

 private:
  static void Merge(Unit& into, const Unit& u) {
    into.actions.insert(into.actions.end(), u.actions.begin(), u.actions.end());
    into.certs += u.certs;
    into.outputs += u.outputs;
    into.inputs += u.inputs;
    into.withdrawals += u.withdrawals;
    into.stake_scripts.insert(u.stake_scripts.begin(), u.stake_scripts.end());
    into.spends = into.spends || u.spends;
  }
  uint64_t Size(const Unit& u) const { return Size(u, u.stake_scripts.size()); }
  uint64_t Size(const Unit& u, size_t stake_scripts) const {
    uint64_t scripts = stake_scripts + 1;  // the payment script always (treasury input)
    return kTxFrame + kVkeyWitnessBytes * policy_.threshold + script_bytes_ * scripts +
           kCertBytes * u.certs + kOutputBytes * u.outputs + kInputBytes * u.inputs +
           kWithdrawalBytes * u.withdrawals;
  }
  // Whether the open transaction still fits with `u` merged in; counts only, no copy.
  bool Fits(const Unit& u) const {
    Unit counts;
    counts.certs = cur_.certs + u.certs;
    counts.outputs = cur_.outputs + u.outputs;
    counts.inputs = cur_.inputs + u.inputs;
    counts.withdrawals = cur_.withdrawals + u.withdrawals;
    size_t scripts = cur_.stake_scripts.size();
    for (uint32_t s : u.stake_scripts) scripts += cur_.stake_scripts.count(s) == 0;
    return counts.certs <= kMaxCertsPerTx && Size(counts, scripts) <= Limit();
  }
  uint64_t Limit() const {
    return snap_.params.max_tx_size > 512 ? snap_.params.max_tx_size - 512
                                          : snap_.params.max_tx_size;
  }

  const Policy& policy_;
  const Snapshot& snap_;
  Plan& plan_;
  uint64_t script_bytes_ = 0;
  bool open_ = false;
  Unit cur_;
};

}  // namespace

absl::Status AssignSlotsAndActions(const Policy& policy, const Snapshot& snap,
                                   const std::vector<PoolAfter>& pools, Plan& plan) {
  std::map<uint32_t, SlotWork> slots;
  std::map<chain::Hash28, std::vector<uint32_t>> by_pool;
  for (const SlotState& s : snap.slots) {
    SlotWork w;
    w.index = s.index;
    w.exists = true;
    w.registered = s.registered;
    w.pool = s.pool;
    w.drep = s.drep;
    w.balance = s.balance;
    w.rewards = s.rewards;
    w.utxo_count = std::max<size_t>(1, s.utxos.size());
    w.held_deposit = snap.HeldDeposit(s);
    slots[s.index] = w;
    if (s.pool.has_value()) by_pool[*s.pool].push_back(s.index);
  }
  // 1. Keep a slot on its pool while the pool stays (the largest, then lowest index).
  std::vector<const PoolAfter*> newcomers;
  for (const PoolAfter& p : pools) {
    if (p.after == 0) continue;
    auto it = by_pool.find(p.id);
    if (it == by_pool.end()) {
      newcomers.push_back(&p);
      continue;
    }
    uint32_t keep = it->second.front();
    for (uint32_t i : it->second) {
      if (slots[i].balance > slots[keep].balance) keep = i;
    }
    SlotWork& w = slots[keep];
    w.assigned = true;
    w.pool_after = p.id;
    w.balance_after = chain::Lovelace(p.after);
  }
  std::sort(newcomers.begin(), newcomers.end(), [](const PoolAfter* a, const PoolAfter* b) {
    if (a->rank != b->rank) return a->rank < b->rank;
    return a->id < b->id;
  });
  // 2. Newcomers take freed registered slots (re-point), then unregistered known slots, then new
  //    indexes below max_slots.
  std::vector<uint32_t> free_reg, free_unreg;
  for (auto& [i, w] : slots) {
    if (w.assigned) continue;
    (w.registered ? free_reg : free_unreg).push_back(i);
  }
  size_t next_reg = 0, next_unreg = 0;
  uint32_t next_new = 0;
  for (const PoolAfter* p : newcomers) {
    uint32_t idx;
    if (next_reg < free_reg.size()) {
      idx = free_reg[next_reg++];
      slots[idx].repoint = true;
    } else if (next_unreg < free_unreg.size()) {
      idx = free_unreg[next_unreg++];
      slots[idx].register_now = true;
    } else {
      while (slots.count(next_new)) ++next_new;
      if (next_new >= policy.max_slots) {
        return absl::FailedPreconditionError(absl::StrCat("the plan needs more than max_slots (",
                                                          policy.max_slots, ") stake slots"));
      }
      idx = next_new;
      SlotWork w;
      w.index = idx;
      w.register_now = true;
      w.utxo_count = 0;
      slots[idx] = w;
    }
    SlotWork& w = slots[idx];
    w.assigned = true;
    w.pool_after = p->id;
    w.balance_after = chain::Lovelace(p->after);
  }
  // 3. Slots left without a pool are emptied, their rewards withdrawn, and deregistered.
  for (auto& [i, w] : slots) {
    if (!w.assigned && w.registered) w.deregister = true;
  }
  const chain::Lovelace deposit = snap.params.key_deposit;
  TxPacker packer(policy, snap, plan);
  // Phase A: certificates per slot (7, 2, 9), kept together in one transaction.
  for (auto& [i, w] : slots) {
    if (!w.assigned) continue;
    Unit u;
    if (w.register_now) {
      Action a;
      a.type = ActionType::kRegister;
      a.slot = i;
      a.amount = deposit;
      a.reason = absl::StrCat("register slot ", i, " for new pool ", PoolName(*w.pool_after),
                              " (deposit ", Ada(deposit), " from the treasury)");
      u.actions.push_back(a);
      ++u.certs;
      SW_ASSIGN_OR_RETURN(plan.deposits, chain::AddLovelace(plan.deposits, deposit, "deposits"));
    }
    if (w.register_now || w.repoint || w.pool != w.pool_after) {
      Action a;
      a.type = ActionType::kDelegatePool;
      a.slot = i;
      a.pool = w.pool_after;
      a.amount = w.balance_after;
      a.reason = w.pool.has_value()
                     ? absl::StrCat("re-point slot ", i, " from ", PoolName(*w.pool),
                                    " (leaving) to ", PoolName(*w.pool_after))
                     : absl::StrCat("delegate slot ", i, " to ", PoolName(*w.pool_after));
      u.actions.push_back(a);
      ++u.certs;
    }
    const bool registered_after = w.registered || w.register_now;
    if (registered_after && (!w.drep.has_value() || !(*w.drep == policy.drep) || w.register_now)) {
      Action a;
      a.type = ActionType::kDelegateDRep;
      a.slot = i;
      a.drep = policy.drep;
      a.amount = w.balance_after;
      a.reason = absl::StrCat("vote delegation to ", DRepChoiceText(policy.drep),
                              " (withdrawals need a DRep from protocol 10)");
      u.actions.push_back(a);
      ++u.certs;
    }
    if (u.certs > 0) u.stake_scripts.insert(i);
    packer.Add(std::move(u));
  }
  // Phase B: transfers between slot addresses, grouped by source (a source's UTxOs are spent once).
  std::vector<std::pair<uint32_t, chain::Lovelace>> sinks;
  for (auto& [i, w] : slots) {
    if (w.balance_after > w.balance) sinks.push_back({i, w.balance_after - w.balance});
  }
  size_t sink = 0;
  for (auto& [i, w] : slots) {
    if (w.balance <= w.balance_after) continue;
    chain::Lovelace out = w.balance - w.balance_after;
    Unit u;
    u.inputs = static_cast<uint32_t>(w.utxo_count);
    u.spends = true;
    if (w.balance_after > chain::Lovelace()) ++u.outputs;  // change back to the source slot
    while (out > chain::Lovelace()) {
      SW_CHECK(sink < sinks.size());
      chain::Lovelace amt = std::min(out, sinks[sink].second);
      Action a;
      a.type = ActionType::kTransfer;
      a.slot = i;
      a.to_slot = sinks[sink].first;
      a.amount = amt;
      const SlotWork& dst = slots[a.to_slot];
      a.reason =
          absl::StrCat("move ", Ada(amt), " from slot ", i,
                       w.pool.has_value() ? absl::StrCat(" (", PoolName(*w.pool), ")") : " (idle)",
                       " to slot ", a.to_slot, " (", PoolName(*dst.pool_after), ")");
      u.actions.push_back(a);
      ++u.outputs;
      out -= amt;
      sinks[sink].second -= amt;
      if (sinks[sink].second == chain::Lovelace()) ++sink;
      if (u.outputs >= 100) {  // keep one source's transfers within a transaction's size
        Unit first = std::move(u);
        packer.Add(std::move(first));
        u = Unit{};
        u.spends = true;
      }
    }
    packer.Add(std::move(u));
  }
  // Phase C: withdraw every reward balance in full, then deregister (refund to the treasury).
  for (auto& [i, w] : slots) {
    if (!w.deregister) continue;
    Unit u;
    if (w.rewards > chain::Lovelace()) {
      Action a;
      a.type = ActionType::kWithdraw;
      a.slot = i;
      a.amount = w.rewards;
      a.reason = absl::StrCat("withdraw the rewards of slot ", i, " in full before deregistering");
      u.actions.push_back(a);
      ++u.withdrawals;
    }
    Action a;
    a.type = ActionType::kDeregister;
    a.slot = i;
    a.amount = w.held_deposit;
    a.reason = absl::StrCat("slot ", i, " no longer holds a pool: deregister, refund ",
                            Ada(w.held_deposit), " to the treasury");
    u.actions.push_back(a);
    ++u.certs;
    ++u.outputs;  // refund and withdrawn rewards to the treasury
    u.stake_scripts.insert(i);
    SW_ASSIGN_OR_RETURN(plan.refunds, chain::AddLovelace(plan.refunds, w.held_deposit, "refunds"));
    packer.Add(std::move(u));
  }
  packer.Flush();
  // Slot outcomes and pool → slot.
  std::map<chain::Hash28, uint32_t> slot_of;
  for (auto& [i, w] : slots) {
    const bool touched = w.assigned || w.deregister || w.balance != w.balance_after || w.exists;
    if (!touched) continue;
    SlotOutcome o;
    o.index = i;
    o.pool_before = w.pool;
    o.pool_after = w.pool_after;
    o.before = w.balance;
    o.after = w.balance_after;
    o.registered_after = (w.registered || w.register_now) && !w.deregister;
    plan.slots.push_back(o);
    if (w.pool_after.has_value()) slot_of[*w.pool_after] = i;
  }
  for (PoolDecision& d : plan.pools) {
    if (auto it = slot_of.find(d.id); it != slot_of.end()) d.slot = it->second;
  }
  if (!plan.actions.empty()) {
    chain::Lovelace treasury;
    for (const Utxo& u : snap.treasury) {
      treasury = chain::CheckedAdd(treasury, u.lovelace).value_or(chain::Lovelace(UINT64_MAX));
    }
    const chain::Lovelace need =
        chain::CheckedAdd(plan.deposits, plan.fee_estimate).value_or(chain::Lovelace(UINT64_MAX));
    if (treasury < need) {
      return absl::FailedPreconditionError(absl::StrCat("treasury UTxOs hold ", Ada(treasury),
                                                        " but the plan needs ", Ada(need),
                                                        " for deposits and fees"));
    }
  }
  return absl::OkStatus();
}

}  // namespace stakeward::policy::internal
