// Eligibility gates (design §4). Each gate is a pure function of the policy and one pool returning
// a verdict with reasons; verdicts combine with fixed precedence deny > warn > allow. The one
// cross-pool rule (at most G pools per operator group) lives in GroupAccumulator, fed in rank
// order.
#ifndef STAKEWARD_POLICY_GATES_H_
#define STAKEWARD_POLICY_GATES_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "policy/policy.h"
#include "policy/reward_model.h"
#include "policy/snapshot.h"

namespace stakeward::policy {

enum class Level : uint8_t { kAllow = 0, kWarn = 1, kDeny = 2 };
absl::string_view LevelName(Level l);

struct Reason {
  // Short code: "retiring", "margin", ... Always a string literal (a gate's fixed name), so 100k
  // denied pools do not each carry a copy.
  std::string_view gate;
  Level level = Level::kAllow;
  std::string message;
};

struct Verdict {
  Level level = Level::kAllow;
  std::vector<Reason> reasons;  // deny and warn reasons (allow verdicts carry none)

  static Verdict Allow() { return {}; }
  // `gate` must be a string literal (see Reason::gate).
  static Verdict Make(Level l, std::string_view gate, std::string message);
  void Merge(const Verdict& other);  // keeps the stronger level and all reasons
  void Merge(Verdict&& other);       // the same, moving the reasons
  bool denied() const { return level == Level::kDeny; }
};

// Everything a single-pool gate may look at besides the pool itself.
struct GateContext {
  uint64_t epoch = 0;
  uint64_t saturation = 0;                // Z
  uint64_t ours_in_pool = 0;              // our current delegation to this pool
  std::optional<uint64_t> dropped_epoch;  // from plan history (latest drop)
  // ApparentPerformance of this pool when the caller has it already (the planner needs it for
  // scoring too); null = computed by the gate.
  const Performance* performance = nullptr;
};

Verdict GateRetiring(const Gates& g, const Pool& p, const GateContext& c);
Verdict GateMargin(const Gates& g, const Pool& p);
Verdict GateFixedCost(const Gates& g, const Pool& p);
Verdict GatePledge(const Gates& g, const Pool& p);
Verdict GatePerformance(const Gates& g, const Pool& p, const GateContext& c);
Verdict GateAge(const Gates& g, const Pool& p, const GateContext& c);
Verdict GateLists(const Gates& g, const Pool& p);
Verdict GateSaturation(const Allocation& a, const Pool& p, const GateContext& c);
Verdict GateReentry(const Churn& churn, const GateContext& c);

// All single-pool gates, merged.
Verdict EvaluatePool(const Policy& policy, const Pool& pool, const GateContext& c);

// Admits at most `max_per_group` pools per operator group, in the order they are offered.
class GroupAccumulator {
 public:
  explicit GroupAccumulator(uint64_t max_per_group) : max_(max_per_group) {}
  // `group` is the pool's group index (Candidate::group, AssignGroupIds).
  Verdict Admit(const Pool& pool, uint32_t group);
  // Admit without the denial's verdict (the planner re-ranks several times and words only the
  // final round's denials, with Denial).
  bool TryAdmit(uint32_t group);
  Verdict Denial(const Pool& pool) const;

 private:
  uint64_t max_;
  std::vector<uint64_t> count_;  // by group index
};

}  // namespace stakeward::policy

#endif  // STAKEWARD_POLICY_GATES_H_
