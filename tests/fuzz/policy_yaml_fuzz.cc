// libFuzzer target for the policy YAML loader (policy/policy.h LoadPolicy). A policy that loads is
// encoded, hashed and summarized without crashing.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "policy/policy.h"

namespace policy = stakeward::policy;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto p = policy::LoadPolicy(absl::string_view(reinterpret_cast<const char*>(data), size));
  if (!p.ok()) return 0;
  (void)policy::PolicyHash(*p);
  (void)policy::PolicySummary(*p);
  return 0;
}
