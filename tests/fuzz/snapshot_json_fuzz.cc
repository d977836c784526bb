// libFuzzer target for the snapshot JSON loader and the small documents read next to it
// (policy/snapshot.h): LoadSnapshot, ApplyGroupsFile, LoadHistory, ParseDRepChoice.
// Invariant: a snapshot that loads writes back to JSON that loads to the same SnapshotHash.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "chain/check.h"
#include "policy/snapshot.h"

namespace policy = stakeward::policy;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto s = policy::LoadSnapshot(text); s.ok()) {
    auto again = policy::LoadSnapshot(policy::SnapshotToJson(*s));
    SW_CHECK(again.ok());
    SW_CHECK(policy::SnapshotHash(*again) == policy::SnapshotHash(*s));
    policy::Snapshot copy = *s;
    (void)policy::ApplyGroupsFile(text, copy);
  }
  (void)policy::LoadHistory(text);
  (void)policy::ParseDRepChoice(text);
  return 0;
}
