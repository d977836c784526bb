// `stakeward policy check FILE [--approvals FILE]`: validates a policy document, prints its hash
// (blake2b-256 of the canonical encoding), the approval tx id signers sign, a readable summary and,
// with --approvals, whether the policy is in force (M valid signatures by distinct signers).
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/str_split.h"
#include "chain/bytes.h"
#include "controller/cli/command.h"
#include "controller/model/bounded_read.h"
#include "nlohmann/json.hpp"
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
  bool json = false;
};

// --json: the same facts as one object (the summary's lines as a list).
void PrintJson(const policy::Policy& pol, const chain::Hash32& hash,
               const std::optional<policy::ApprovalVerdict>& v) {
  nlohmann::ordered_json j{{"policy_hash", chain::HexEncode(hash)},
                           {"approval_tx_id", chain::HexEncode(policy::ApprovalTxId(hash))},
                           {"approval_key_path", "m/1854'/1815'/0'/0/0"},
                           {"threshold", pol.threshold}};
  nlohmann::ordered_json signers = nlohmann::ordered_json::array();
  for (const auto& s : pol.signers) signers.push_back(s.name);
  j["signers"] = std::move(signers);
  nlohmann::ordered_json summary = nlohmann::ordered_json::array();
  for (absl::string_view line : absl::StrSplit(policy::PolicySummary(pol), '\n')) {
    if (!line.empty()) summary.push_back(std::string(line));
  }
  j["summary"] = std::move(summary);
  if (v) {
    j["approvals"] = {{"valid", v->valid},
                      {"required", pol.threshold},
                      {"in_force", v->in_force},
                      {"signed", v->valid_signers},
                      {"problems", v->problems}};
  }
  std::printf("%s\n", j.dump(2).c_str());
}

void Check(const Options& o) {
  auto policy = policy::LoadPolicy(ReadOrThrow(o.file, controller::InputKind::kPolicy));
  if (!policy.ok()) {
    throw CLI::RuntimeError(o.file + ": " + std::string(policy.status().message()),
                            kExitInvalidInput);
  }
  const chain::Hash32 hash = policy::PolicyHash(*policy);
  if (o.json) {
    std::optional<policy::ApprovalVerdict> v;
    if (!o.approvals.empty()) {
      auto approvals =
          policy::ParseApprovals(ReadOrThrow(o.approvals, controller::InputKind::kApprovals));
      if (!approvals.ok()) {
        throw CLI::RuntimeError(o.approvals + ": " + std::string(approvals.status().message()),
                                kExitInvalidInput);
      }
      v = policy::VerifyApprovals(*policy, *approvals);
    }
    PrintJson(*policy, hash, v);
    if (v && !v->in_force) throw CLI::RuntimeError("policy is not approved", kExitDenied);
    return;
  }
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
  check->add_flag("--json", opts->json, "the same facts as JSON");
  check->callback([opts] { Check(*opts); });
});

}  // namespace
}  // namespace stakeward::cli
