#include "controller/daemon/parsed_cache.h"

namespace stakeward::controller {

template <typename T>
std::shared_ptr<const T> ParsedCache::Find(Lru<T>& lru, const chain::Hash32& hash) {
  for (auto it = lru.begin(); it != lru.end(); ++it) {
    if (it->first == hash) {
      lru.splice(lru.begin(), lru, it);  // most recently used first
      return lru.front().second;
    }
  }
  return nullptr;
}

template <typename T>
void ParsedCache::Put(Lru<T>& lru, const chain::Hash32& hash, std::shared_ptr<const T> v) {
  for (auto it = lru.begin(); it != lru.end(); ++it) {
    if (it->first == hash) {
      lru.erase(it);
      break;
    }
  }
  lru.emplace_front(hash, std::move(v));
  while (lru.size() > capacity_) lru.pop_back();
}

absl::StatusOr<std::shared_ptr<const policy::Snapshot>> ParsedCache::GetSnapshot(
    const chain::Hash32& hash, const std::string& document) {
  {
    absl::MutexLock l(&mu_);
    if (std::shared_ptr<const policy::Snapshot> hit = Find(snapshots_, hash)) return hit;
  }
  // Parsed outside the lock: concurrent misses on one hash may parse twice, never block others.
  absl::StatusOr<policy::Snapshot> s = policy::LoadSnapshot(document);
  if (!s.ok()) return absl::DataLossError("stored snapshot no longer parses");
  if (policy::SnapshotHash(*s) != hash) return absl::DataLossError("stored snapshot hash mismatch");
  auto shared = std::make_shared<const policy::Snapshot>(std::move(*s));
  absl::MutexLock l(&mu_);
  Put(snapshots_, hash, shared);
  return shared;
}

absl::StatusOr<std::shared_ptr<const policy::Policy>> ParsedCache::GetPolicy(
    const chain::Hash32& hash, const std::string& document) {
  {
    absl::MutexLock l(&mu_);
    if (std::shared_ptr<const policy::Policy> hit = Find(policies_, hash)) return hit;
  }
  absl::StatusOr<policy::Policy> p = policy::LoadPolicy(document);
  if (!p.ok()) return absl::DataLossError("stored policy no longer parses");
  if (policy::PolicyHash(*p) != hash) return absl::DataLossError("stored policy hash mismatch");
  auto shared = std::make_shared<const policy::Policy>(std::move(*p));
  absl::MutexLock l(&mu_);
  Put(policies_, hash, shared);
  return shared;
}

std::shared_ptr<const policy::Snapshot> ParsedCache::PeekSnapshot(const chain::Hash32& hash) {
  absl::MutexLock l(&mu_);
  return Find(snapshots_, hash);
}

void ParsedCache::PutSnapshot(const chain::Hash32& hash,
                              std::shared_ptr<const policy::Snapshot> s) {
  absl::MutexLock l(&mu_);
  Put(snapshots_, hash, std::move(s));
}

void ParsedCache::PutPolicy(const chain::Hash32& hash, std::shared_ptr<const policy::Policy> p) {
  absl::MutexLock l(&mu_);
  Put(policies_, hash, std::move(p));
}

namespace {

// One key for the pair: blake2b-256 of both hashes (plans live in their own list, so a key can
// never meet a document hash).
chain::Hash32 PlanKey(const chain::Hash32& policy_hash, const chain::Hash32& snapshot_hash) {
  chain::Bytes both(policy_hash.begin(), policy_hash.end());
  both.insert(both.end(), snapshot_hash.begin(), snapshot_hash.end());
  return chain::Blake2b256(chain::View(both));
}

}  // namespace

std::shared_ptr<const PlannedRound> ParsedCache::PeekPlan(const chain::Hash32& policy_hash,
                                                          const chain::Hash32& snapshot_hash) {
  const chain::Hash32 key = PlanKey(policy_hash, snapshot_hash);
  absl::MutexLock l(&mu_);
  return Find(plans_, key);
}

void ParsedCache::PutPlan(const chain::Hash32& policy_hash, const chain::Hash32& snapshot_hash,
                          std::shared_ptr<const PlannedRound> plan) {
  const chain::Hash32 key = PlanKey(policy_hash, snapshot_hash);
  absl::MutexLock l(&mu_);
  Put(plans_, key, std::move(plan));
}

ParsedCache& ParsedCache::Global() {
  static ParsedCache* cache = new ParsedCache();
  return *cache;
}

}  // namespace stakeward::controller
