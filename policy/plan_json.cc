// Plan encoding (canonical CBOR → hash), JSON and the readable table.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "chain/cbor.h"
#include "chain/cbor_hash.h"
#include "chain/hash.h"
#include "chain/lovelace.h"
#include "nlohmann/json.hpp"
#include "policy/ada_text.h"
#include "policy/plan.h"

namespace stakeward::policy {
namespace {

using chain::cbor::Writer;

// The decimal digits of v, written into `buf` from its end. At most two 128-bit divisions (by
// 10^19, for scores beyond 64 bits); the digits themselves come from 64-bit arithmetic. A plan
// writes one score per pool.
std::string_view U128Digits(u128 v, char (&buf)[40]) {
  constexpr uint64_t k1e19 = 10000000000000000000ULL;
  char* const end = buf + sizeof(buf);
  char* p = end;
  for (;;) {
    const bool more = v >= k1e19;
    uint64_t chunk = more ? static_cast<uint64_t>(v % k1e19) : static_cast<uint64_t>(v);
    v = more ? v / k1e19 : 0;
    char* const chunk_end = p;
    do {
      *--p = static_cast<char>('0' + chunk % 10);
      chunk /= 10;
    } while (chunk != 0);
    if (!more) break;
    while (chunk_end - p < 19) *--p = '0';  // inner chunks keep their leading zeros
  }
  return std::string_view(p, static_cast<size_t>(end - p));
}

std::string U128Text(u128 v) {
  char buf[40];
  return std::string(U128Digits(v, buf));
}

void WriteOptHash(Writer& w, const std::optional<chain::Hash28>& h) {
  if (h.has_value()) {
    w.Bytes(chain::View(*h));
  } else {
    w.Null();
  }
}

void WriteDRep(Writer& w, const std::optional<DRepChoice>& d) {
  if (!d.has_value()) {
    w.Null();
  } else if (d->kind == DRepChoice::Kind::kDRep) {
    w.ArrayHeader(2).Uint(static_cast<uint64_t>(d->drep.kind)).Bytes(chain::View(d->drep.hash));
  } else {
    w.ArrayHeader(1).Uint(d->kind == DRepChoice::Kind::kAbstain ? 2 : 3);
  }
}

std::string PoolText(const std::optional<chain::Hash28>& h) {
  return h.has_value() ? chain::PoolIdBech32(*h) : "-";
}

}  // namespace

absl::string_view ActionName(ActionType t) {
  switch (t) {
    case ActionType::kRegister:
      return "register";
    case ActionType::kDelegatePool:
      return "delegate-pool";
    case ActionType::kDelegateDRep:
      return "delegate-drep";
    case ActionType::kTransfer:
      return "transfer";
    case ActionType::kWithdraw:
      return "withdraw";
    case ActionType::kDeregister:
      return "deregister";
  }
  return "?";
}

namespace {

// Field order is part of the hash. `drain(w)` runs after every pool decision, so PlanHash can
// stream the encoding (100k decisions) instead of holding it whole.
template <typename Drain>
void WritePlan(const Plan& p, Writer& w, const Drain& drain) {
  w.ArrayHeader(16).Uint(1);
  w.Bytes(chain::View(p.policy_hash)).Bytes(chain::View(p.snapshot_hash));
  w.Uint(p.epoch).Uint(p.total_stake).Uint(p.churn_budget).Uint(p.moved).Uint(p.moved_exempt);
  w.Uint(p.deposits.value()).Uint(p.refunds.value()).Uint(p.fee_estimate.value());
  w.ArrayHeader(p.pools.size());
  char digits[40];
  std::string reason;  // one buffer for every decision's reason text
  for (const PoolDecision& d : p.pools) {
    w.ArrayHeader(11)
        .Bytes(chain::View(d.id))
        .Text(d.group)
        .Uint(static_cast<uint64_t>(d.verdict.level));
    w.ArrayHeader(d.verdict.reasons.size());
    for (const Reason& r : d.verdict.reasons)
      w.ArrayHeader(3).Text(r.gate).Uint(static_cast<uint64_t>(r.level)).Text(r.message);
    // The score is a decimal string: it may exceed 64 bits.
    w.Text(U128Digits(d.score, digits)).Uint(d.current).Uint(d.target).Uint(d.after);
    if (d.slot.has_value()) {
      w.Uint(*d.slot);
    } else {
      w.Null();
    }
    reason.clear();
    AppendDecisionReason(d, reason);
    w.Bool(d.evacuation).Text(reason);
    drain(w);
  }
  w.ArrayHeader(p.slots.size());
  for (const SlotOutcome& s : p.slots) {
    w.ArrayHeader(6).Uint(s.index);
    WriteOptHash(w, s.pool_before);
    WriteOptHash(w, s.pool_after);
    w.Uint(s.before.value()).Uint(s.after.value()).Bool(s.registered_after);
  }
  w.ArrayHeader(p.actions.size());
  for (const Action& a : p.actions) {
    w.ArrayHeader(8).Uint(static_cast<uint64_t>(a.type)).Uint(a.slot).Uint(a.to_slot);
    WriteOptHash(w, a.pool);
    WriteDRep(w, a.drep);
    w.Uint(a.amount.value()).Uint(a.tx).Text(a.reason);
  }
  w.ArrayHeader(p.txs.size());
  for (const PlanTx& t : p.txs) {
    w.ArrayHeader(5)
        .Uint(t.certificates)
        .Uint(t.outputs)
        .Uint(t.withdrawals)
        .Uint(t.estimated_size)
        .Uint(t.estimated_fee.value());
  }
  w.ArrayHeader(p.dropped.size());
  for (const DroppedPool& d : p.dropped) w.ArrayHeader(2).Bytes(chain::View(d.pool)).Uint(d.epoch);
  w.ArrayHeader(p.notes.size());
  for (const auto& n : p.notes) w.Text(n);
}

}  // namespace

chain::Bytes EncodePlan(const Plan& p) {
  Writer w;
  WritePlan(p, w, [](Writer&) {});
  return w.Take();
}

chain::Hash32 PlanHash(const Plan& plan) {
  return chain::Blake2b256OfEncoding(
      [&](Writer& w, const auto& drain) { WritePlan(plan, w, drain); });
}

std::string PlanToJson(const Plan& p, bool include_all_pools) {
  return PlanToJson(p, include_all_pools, PlanHash(p));
}

std::string PlanToJson(const Plan& p, bool include_all_pools, const chain::Hash32& plan_hash) {
  using J = nlohmann::ordered_json;
  J j;
  j["schema"] = 1;
  j["plan_hash"] = chain::HexEncode(plan_hash);
  j["policy_hash"] = chain::HexEncode(p.policy_hash);
  j["snapshot_hash"] = chain::HexEncode(p.snapshot_hash);
  j["epoch"] = p.epoch;
  j["total_stake"] = p.total_stake;
  j["churn"] = {{"budget", p.churn_budget}, {"moved", p.moved}, {"moved_exempt", p.moved_exempt}};
  j["deposits"] = p.deposits;
  j["refunds"] = p.refunds;
  j["fee_estimate"] = p.fee_estimate;
  J pools = J::array();
  for (const PoolDecision& d : p.pools) {
    if (!include_all_pools && d.current == 0 && d.target == 0 && d.after == 0 &&
        d.verdict.level != Level::kWarn)
      continue;
    J o;
    o["pool"] = chain::PoolIdBech32(d.id);
    o["group"] = d.group;
    o["verdict"] = LevelName(d.verdict.level);
    J reasons = J::array();
    for (const Reason& r : d.verdict.reasons) {
      reasons.push_back(
          {{"gate", std::string(r.gate)}, {"level", LevelName(r.level)}, {"message", r.message}});
    }
    o["reasons"] = std::move(reasons);
    o["score"] = U128Text(d.score);
    o["current"] = d.current;
    o["target"] = d.target;
    o["after"] = d.after;
    o["slot"] = d.slot.has_value() ? J(*d.slot) : J(nullptr);
    o["evacuation"] = d.evacuation;
    o["reason"] = DecisionReason(d);
    pools.push_back(std::move(o));
  }
  j["pools"] = std::move(pools);
  J slots = J::array();
  for (const SlotOutcome& s : p.slots) {
    slots.push_back(
        {{"slot", s.index},
         {"pool_before", s.pool_before.has_value() ? J(PoolText(s.pool_before)) : J(nullptr)},
         {"pool_after", s.pool_after.has_value() ? J(PoolText(s.pool_after)) : J(nullptr)},
         {"before", s.before},
         {"after", s.after},
         {"registered_after", s.registered_after}});
  }
  j["slots"] = std::move(slots);
  J actions = J::array();
  for (const Action& a : p.actions) {
    J o;
    o["tx"] = a.tx;
    o["action"] = ActionName(a.type);
    o["slot"] = a.slot;
    if (a.type == ActionType::kTransfer) o["to_slot"] = a.to_slot;
    if (a.pool.has_value()) o["pool"] = PoolText(a.pool);
    if (a.drep.has_value()) o["drep"] = DRepChoiceText(*a.drep);
    o["amount"] = a.amount;
    o["reason"] = a.reason;
    actions.push_back(std::move(o));
  }
  j["actions"] = std::move(actions);
  J txs = J::array();
  for (const PlanTx& t : p.txs) {
    txs.push_back({{"certificates", t.certificates},
                   {"outputs", t.outputs},
                   {"withdrawals", t.withdrawals},
                   {"estimated_size", t.estimated_size},
                   {"estimated_fee", t.estimated_fee}});
  }
  j["transactions"] = std::move(txs);
  J dropped = J::array();
  for (const DroppedPool& d : p.dropped)
    dropped.push_back({{"pool", chain::PoolIdBech32(d.pool)}, {"epoch", d.epoch}});
  j["history"] = {{"dropped", std::move(dropped)}};
  j["notes"] = p.notes;
  return j.dump(2);
}

namespace {

bool Shown(const PoolDecision& d) { return d.current != 0 || d.target != 0 || d.after != 0; }

}  // namespace

// In full for the pools in the table, counted by gate for the others (a policy that warns on
// missing age would otherwise print dozens of identical lines).
std::string PlanWarnings(const Plan& p) {
  std::string s;
  std::map<std::string, size_t> hidden;
  size_t hidden_pools = 0;
  for (const PoolDecision& d : p.pools) {
    bool counted = false;
    for (const Reason& r : d.verdict.reasons) {
      if (r.level != Level::kWarn) continue;
      if (Shown(d)) {
        absl::StrAppend(&s, "warning: ", chain::PoolIdBech32(d.id), " ", std::string(r.gate), ": ",
                        r.message, "\n");
        continue;
      }
      ++hidden[std::string(r.gate)];
      if (!counted) ++hidden_pools;
      counted = true;
    }
  }
  if (hidden_pools == 0) return s;
  std::vector<std::string> parts;
  for (const auto& [gate, n] : hidden) parts.push_back(absl::StrCat(gate, " x", n));
  absl::StrAppend(&s, "warning: ", hidden_pools, " other pools carry warnings (",
                  absl::StrJoin(parts, ", "), "); see the JSON for each\n");
  return s;
}

std::string PlanToTable(const Plan& p) {
  std::string s;
  absl::StrAppend(&s, "plan     ", chain::HexEncode(PlanHash(p)), "\npolicy   ",
                  chain::HexEncode(p.policy_hash), "\nsnapshot ", chain::HexEncode(p.snapshot_hash),
                  "\nepoch    ", p.epoch, "   our stake ", Ada(p.total_stake), "\nchurn    moved ",
                  Ada(p.moved), " of ", Ada(p.churn_budget), " allowed; evacuated ",
                  Ada(p.moved_exempt), "\ndeposits ", Ada(p.deposits), "  refunds ", Ada(p.refunds),
                  "  fees (estimate) ", Ada(p.fee_estimate), "\n\n");
  absl::StrAppend(&s, absl::StrFormat("%-58s %5s %22s %22s %22s  %s\n", "pool", "slot", "current",
                                      "target", "after", "reason"));
  size_t hidden = 0;
  for (const PoolDecision& d : p.pools) {
    if (!Shown(d)) {
      ++hidden;
      continue;
    }
    absl::StrAppend(
        &s, absl::StrFormat("%-58s %5s %22s %22s %22s  %s\n", chain::PoolIdBech32(d.id),
                            d.slot.has_value() ? absl::StrCat(*d.slot) : "-", Ada(d.current),
                            Ada(d.target), Ada(d.after), DecisionReason(d)));
  }
  absl::StrAppend(&s, "(", hidden,
                  " other pools not held and not selected; see the JSON for their verdicts)\n");
  absl::StrAppend(&s, PlanWarnings(p));
  absl::StrAppend(&s, "\n");
  absl::StrAppend(&s, absl::StrFormat("%3s %-14s %5s %7s %22s  %s\n", "tx", "action", "slot", "to",
                                      "amount", "reason"));
  for (const Action& a : p.actions) {
    absl::StrAppend(
        &s, absl::StrFormat("%3d %-14s %5d %7s %22s  %s\n", a.tx, ActionName(a.type), a.slot,
                            a.type == ActionType::kTransfer ? absl::StrCat(a.to_slot) : "",
                            Ada(a.amount), a.reason));
  }
  if (p.actions.empty())
    absl::StrAppend(&s, "(no actions: the delegation already matches the policy)\n");
  for (size_t i = 0; i < p.txs.size(); ++i) {
    const PlanTx& t = p.txs[i];
    absl::StrAppend(&s, "tx ", i, ": ", t.certificates, " certificates, ", t.outputs, " outputs, ",
                    t.withdrawals, " withdrawals, ~", t.estimated_size, " bytes, fee ~",
                    Ada(t.estimated_fee), "\n");
  }
  for (const auto& n : p.notes) absl::StrAppend(&s, "note: ", n, "\n");
  return s;
}

}  // namespace stakeward::policy
