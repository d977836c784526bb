// libFuzzer target for the snapshot JSON loader and the small documents read next to it
// (policy/snapshot.h): LoadSnapshot, ApplyGroupsFile, LoadHistory, ParseDRepChoice.
// Invariants: a snapshot that loads writes back to JSON that loads to the same SnapshotHash; a
// document json::Doc (policy/json_doc.h) accepts is one nlohmann accepts too; what the fast path
// (policy/snapshot_fast.cc) reads, the general reader reads to the same snapshot.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "chain/check.h"
#include "nlohmann/json.hpp"
#include "policy/json_doc.h"
#include "policy/snapshot.h"
#include "policy/snapshot_internal.h"
#include "tests/common/snapshot_same.h"

namespace policy = stakeward::policy;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Input: snapshot JSON, then optionally a NUL byte and an operator groups file for it.
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  const absl::string_view text = input.substr(0, nul);
  if (auto fast = policy::snapshot_internal::LoadSnapshotFast(text); fast.has_value()) {
    auto general = policy::snapshot_internal::LoadSnapshotGeneral(text);
    SW_CHECK(general.ok() && stakeward::testing::SameSnapshot(*fast, *general));
  }
  if (auto s = policy::LoadSnapshot(text); s.ok()) {
    auto again = policy::LoadSnapshot(policy::SnapshotToJson(*s));
    SW_CHECK(again.ok());
    SW_CHECK(policy::SnapshotHash(*again) == policy::SnapshotHash(*s));
    if (nul != absl::string_view::npos) (void)policy::ApplyGroupsFile(input.substr(nul + 1), *s);
  }
  // Differential: every document the fast reader accepts is valid JSON for nlohmann as well. The
  // one allowed difference: nlohmann refuses a number beyond double's range (out_of_range.406),
  // which JSON's grammar allows and json::Doc keeps as text.
  if (policy::json::Doc::Parse(text, "fuzz").ok()) {
    try {
      (void)nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::out_of_range& e) {
      SW_CHECK(e.id == 406);
    } catch (const nlohmann::json::parse_error&) {
      SW_CHECK(false);
    }
  }
  (void)policy::LoadHistory(text);
  (void)policy::ParseDRepChoice(text);
  return 0;
}
