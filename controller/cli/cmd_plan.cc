// `stakeward plan --policy P --snapshot S [--history H] [--groups G] [--out plan.json]`: computes
// the re-balance plan (a pure function of policy, snapshot and history), prints a readable table
// and writes the plan JSON with its hash.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "CLI/CLI.hpp"
#include "controller/cli/command.h"
#include "controller/model/bounded_read.h"
#include "policy/plan.h"
#include "policy/policy.h"
#include "policy/snapshot.h"

namespace stakeward::cli {
namespace {

// Bounded by the input-limits table before anything is read.
std::string ReadOrThrow(const std::string& path, controller::InputKind kind) {
  absl::StatusOr<std::string> text = controller::ReadBoundedFile(path, kind);
  if (!text.ok()) throw CLI::RuntimeError(std::string(text.status().message()), kExitInvalidInput);
  return *std::move(text);
}

struct Options {
  std::string policy, snapshot, history, groups, out;
  bool held_only = false;
};

void Plan(const Options& o) {
  auto policy = policy::LoadPolicy(ReadOrThrow(o.policy, controller::InputKind::kPolicy));
  if (!policy.ok())
    throw CLI::RuntimeError(o.policy + ": " + std::string(policy.status().message()),
                            kExitInvalidInput);
  auto snap = policy::LoadSnapshot(ReadOrThrow(o.snapshot, controller::InputKind::kSnapshot));
  if (!snap.ok())
    throw CLI::RuntimeError(o.snapshot + ": " + std::string(snap.status().message()),
                            kExitInvalidInput);
  if (!o.groups.empty()) {
    absl::Status st =
        policy::ApplyGroupsFile(ReadOrThrow(o.groups, controller::InputKind::kTextList), *snap);
    if (!st.ok())
      throw CLI::RuntimeError(o.groups + ": " + std::string(st.message()), kExitInvalidInput);
  }
  policy::PlanHistory history;
  if (!o.history.empty()) {
    auto h = policy::LoadHistory(ReadOrThrow(o.history, controller::InputKind::kSnapshot));
    if (!h.ok())
      throw CLI::RuntimeError(o.history + ": " + std::string(h.status().message()),
                              kExitInvalidInput);
    history = *h;
  }
  auto plan = policy::MakePlan(*policy, *snap, history);
  if (!plan.ok()) {
    const bool bad_input = plan.status().code() == absl::StatusCode::kInvalidArgument;
    throw CLI::RuntimeError("no plan: " + std::string(plan.status().message()),
                            bad_input ? kExitInvalidInput : kExitDenied);
  }
  std::printf("%s", policy::PlanToTable(*plan).c_str());
  if (!o.out.empty()) {
    std::ofstream out(o.out, std::ios::binary | std::ios::trunc);
    out << policy::PlanToJson(*plan, !o.held_only) << "\n";
    if (!out) throw CLI::RuntimeError("cannot write " + o.out, kExitInternal);
    std::printf("plan written to %s\n", o.out.c_str());
  }
}

RegisterCommands reg([](CLI::App& app) {
  auto* cmd =
      app.add_subcommand("plan", "Compute the re-balance plan for a policy and a chain snapshot");
  auto opts = std::make_shared<Options>();
  cmd->add_option("--policy", opts->policy, "policy YAML")->required();
  cmd->add_option("--snapshot", opts->snapshot, "Stakeward snapshot JSON")->required();
  cmd->add_option("--history", opts->history,
                  "plan history JSON {\"dropped\": [{\"pool\", \"epoch\"}]}");
  cmd->add_option("--groups", opts->groups, "operator groups file (<pool id> <group> per line)");
  cmd->add_option("--out", opts->out, "write the plan JSON here");
  cmd->add_flag("--held-only", opts->held_only,
                "list only held, selected or warned pools in the JSON (default: every pool with "
                "its verdict)");
  cmd->callback([opts] { Plan(*opts); });
});

}  // namespace
}  // namespace stakeward::cli
