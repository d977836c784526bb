// Parsed policies and snapshots, kept by their content hash. Both are stored as text and both
// hashes are over the parsed, canonical form, so a parse verified against its hash can be reused by
// every later RPC naming that hash: a dry run over a 3,000-pool snapshot otherwise spends about 90%
// of its time re-parsing the same JSON (bench/README.md). Small and bounded (least recently used
// entries go first); thread-safe; entries are immutable and shared.
#ifndef STAKEWARD_CONTROLLER_DAEMON_PARSED_CACHE_H_
#define STAKEWARD_CONTROLLER_DAEMON_PARSED_CACHE_H_

#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "chain/hash.h"
#include "policy/plan.h"
#include "policy/policy.h"
#include "policy/snapshot.h"

namespace stakeward::controller {

// A plan with what is derived from it. MakePlan is a pure function of the policy and the
// snapshot (same inputs, bit-identical plan), so one computed plan serves every later dry run or
// proposal over the same pair.
struct PlannedRound {
  policy::Plan plan;
  chain::Hash32 plan_hash{};
  std::string dry_run_json;  // PlanToJson without the untouched pools, as DryRunPlan returns it
};

class ParsedCache {
 public:
  explicit ParsedCache(size_t capacity = 4) : capacity_(capacity) {}

  // The parsed document whose hash is `hash`: from the cache, or parsed from `document` and
  // checked against `hash` (DATA_LOSS when the stored text no longer parses or hashes to it).
  absl::StatusOr<std::shared_ptr<const policy::Snapshot>> GetSnapshot(const chain::Hash32& hash,
                                                                      const std::string& document);
  absl::StatusOr<std::shared_ptr<const policy::Policy>> GetPolicy(const chain::Hash32& hash,
                                                                  const std::string& document);
  // The cached snapshot, or null: lets a caller skip reading the stored document.
  std::shared_ptr<const policy::Snapshot> PeekSnapshot(const chain::Hash32& hash);
  // Seeds the cache with a snapshot just parsed and hashed (e.g. by PushSnapshot).
  void PutSnapshot(const chain::Hash32& hash, std::shared_ptr<const policy::Snapshot> s);
  // The same for a policy (ProposePolicy).
  void PutPolicy(const chain::Hash32& hash, std::shared_ptr<const policy::Policy> p);

  // The plan of (policy, snapshot), or null; PutPlan records one computed from exactly them.
  std::shared_ptr<const PlannedRound> PeekPlan(const chain::Hash32& policy_hash,
                                               const chain::Hash32& snapshot_hash);
  void PutPlan(const chain::Hash32& policy_hash, const chain::Hash32& snapshot_hash,
               std::shared_ptr<const PlannedRound> plan);

  // The process-wide instance (content-addressed, so sharing it between controllers is safe).
  static ParsedCache& Global();

 private:
  template <typename T>
  using Lru = std::list<std::pair<chain::Hash32, std::shared_ptr<const T>>>;
  template <typename T>
  std::shared_ptr<const T> Find(Lru<T>& lru, const chain::Hash32& hash)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  template <typename T>
  void Put(Lru<T>& lru, const chain::Hash32& hash, std::shared_ptr<const T> v)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  size_t capacity_;
  absl::Mutex mu_;
  Lru<policy::Snapshot> snapshots_ ABSL_GUARDED_BY(mu_);
  Lru<policy::Policy> policies_ ABSL_GUARDED_BY(mu_);
  Lru<PlannedRound> plans_ ABSL_GUARDED_BY(mu_);  // keyed by PlanKey(policy, snapshot)
};

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_PARSED_CACHE_H_
