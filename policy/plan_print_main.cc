// plan-print POLICY SNAPSHOT: the plan JSON (every pool) that MakePlan makes of a policy YAML and
// a snapshot JSON. Links the policy engine alone, so scripts/check-release-plans.sh can build it
// with the Release flags in seconds and compare its output byte for byte with the sanitizer
// build's (issue 12: optimisation or undefined behaviour must never change a plan).
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "policy/plan.h"
#include "policy/policy.h"
#include "policy/snapshot.h"

namespace {

bool Slurp(const char* path, std::string& out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  out = ss.str();
  return true;
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "plan-print: %s\n", what.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return Fail("usage: plan-print POLICY.yaml SNAPSHOT.json");
  std::string policy_text, snapshot_text;
  if (!Slurp(argv[1], policy_text)) return Fail(std::string("cannot read ") + argv[1]);
  if (!Slurp(argv[2], snapshot_text)) return Fail(std::string("cannot read ") + argv[2]);
  auto policy = stakeward::policy::LoadPolicy(policy_text);
  if (!policy.ok()) return Fail(std::string(policy.status().message()));
  auto snapshot = stakeward::policy::LoadSnapshot(snapshot_text);
  if (!snapshot.ok()) return Fail(std::string(snapshot.status().message()));
  auto plan = stakeward::policy::MakePlan(*policy, *snapshot, stakeward::policy::PlanHistory{});
  if (!plan.ok()) return Fail("no plan: " + std::string(plan.status().message()));
  std::printf("%s\n", stakeward::policy::PlanToJson(*plan, /*include_all_pools=*/true).c_str());
  return 0;
}
