// `stakeward policy check FILE [--approvals FILE]`: validates a policy document, prints its hash
// (blake2b-256 of the canonical encoding), the approval tx id signers sign, a readable summary and,
// with --approvals, whether the policy is in force (M valid signatures by distinct signers).
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "CLI/CLI.hpp"
#include "chain/bytes.h"
#include "controller/cli/command.h"
#include "controller/model/bounded_read.h"
#include "policy/approval.h"
#include "policy/policy.h"

namespace stakeward::cli {
namespace {

// Bounded by the input-limits table before anything is read.
std::string ReadOrThrow(const std::string& path, controller::InputKind kind) {
  absl::StatusOr<std::string> text = controller::ReadBoundedFile(path, kind);
  if (!text.ok()) throw CLI::RuntimeError(std::string(text.status().message()), kExitInvalidInput);
  return *std::move(text);
}

struct Options {
  std::string file;
  std::string approvals;
};

void Check(const Options& o) {
  auto policy = policy::LoadPolicy(ReadOrThrow(o.file, controller::InputKind::kPolicy));
  if (!policy.ok()) {
    throw CLI::RuntimeError(o.file + ": " + std::string(policy.status().message()),
                            kExitInvalidInput);
  }
  const chain::Hash32 hash = policy::PolicyHash(*policy);
  std::printf("policy hash:      %s\n", chain::HexEncode(hash).c_str());
  std::printf("approval tx id:   %s  (signed with m/1854'/1815'/0'/0/0)\n",
              chain::HexEncode(policy::ApprovalTxId(hash)).c_str());
  std::printf("%s", policy::PolicySummary(*policy).c_str());
  if (o.approvals.empty()) return;
  auto approvals =
      policy::ParseApprovals(ReadOrThrow(o.approvals, controller::InputKind::kApprovals));
  if (!approvals.ok()) {
    throw CLI::RuntimeError(o.approvals + ": " + std::string(approvals.status().message()),
                            kExitInvalidInput);
  }
  policy::ApprovalVerdict v = policy::VerifyApprovals(*policy, *approvals);
  std::printf(
      "approvals:        %llu of %llu required: %s\n", static_cast<unsigned long long>(v.valid),
      static_cast<unsigned long long>(policy->threshold), v.in_force ? "IN FORCE" : "NOT in force");
  for (const auto& s : v.valid_signers) std::printf("  signed: %s\n", s.c_str());
  for (const auto& p : v.problems) std::printf("  problem: %s\n", p.c_str());
  if (!v.in_force) throw CLI::RuntimeError("policy is not approved", kExitDenied);
}

RegisterCommands reg([](CLI::App& app) {
  // Other files (cmd_policy_sign.cc) add subcommands under "policy" too: get it or add it.
  CLI::App* policy = nullptr;
  try {
    policy = app.get_subcommand("policy");
  } catch (const CLI::OptionNotFound&) {
    policy = app.add_subcommand("policy", "Delegation policy documents");
    policy->require_subcommand(1);
  }
  auto* check = policy->add_subcommand(
      "check", "Validate a policy, print its hash, summary and approval status");
  auto opts = std::make_shared<Options>();
  check->add_option("FILE", opts->file, "policy YAML")->required();
  check->add_option("--approvals", opts->approvals, "JSON list of {signer, vkey, signature}");
  check->callback([opts] { Check(*opts); });
});

}  // namespace
}  // namespace stakeward::cli
