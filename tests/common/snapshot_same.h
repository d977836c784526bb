// Whether two readings of a snapshot agree: both refused with the same status, or both loaded to
// snapshots that write the same JSON (SnapshotToJson writes every field, the source included).
// Used to check LoadSnapshot's fast path against the general reader.
#ifndef STAKEWARD_TESTS_COMMON_SNAPSHOT_SAME_H_
#define STAKEWARD_TESTS_COMMON_SNAPSHOT_SAME_H_

#include "absl/status/statusor.h"
#include "policy/snapshot.h"

namespace stakeward::testing {

inline bool SameSnapshot(const policy::Snapshot& a, const policy::Snapshot& b) {
  return policy::SnapshotToJson(a) == policy::SnapshotToJson(b) &&
         policy::SnapshotHash(a) == policy::SnapshotHash(b);
}

inline bool SameSnapshotResult(const absl::StatusOr<policy::Snapshot>& a,
                               const absl::StatusOr<policy::Snapshot>& b) {
  if (a.ok() != b.ok()) return false;
  return a.ok() ? SameSnapshot(*a, *b) : a.status() == b.status();
}

}  // namespace stakeward::testing

#endif  // STAKEWARD_TESTS_COMMON_SNAPSHOT_SAME_H_
