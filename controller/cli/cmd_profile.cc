// `stakeward profile show`: the client settings in force before any flag (client profile file,
// STAKEWARD_* variables, built-in defaults) and where each one comes from.
#include <cstdio>
#include <memory>

#include "CLI/CLI.hpp"
#include "controller/cli/command.h"
#include "controller/client/api_client_flags.h"
#include "controller/client/client_profile.h"
#include "nlohmann/json.hpp"

namespace stakeward::cli {
namespace {

using controller::ClientDefaults;

std::string Value(const ClientDefaults& d, const std::string& setting) {
  const controller::ClientOptions& o = d.options;
  if (setting == "server") return o.server;
  if (setting == "dev_role") return o.dev_role;
  if (setting == "timeout_s") return std::to_string(o.timeout_s);
  if (setting == "tls.cert") return o.tls_cert;
  if (setting == "tls.key") return o.tls_key;
  if (setting == "tls.ca") return o.tls_ca;
  return o.tls_server_name;  // tls.server_name
}

void Show(bool json) {
  const absl::StatusOr<ClientDefaults>& d = controller::ProcessClientDefaults();
  if (!d.ok()) ThrowStatus(d.status());
  const char* order[] = {"server",          "tls.cert",  "tls.key", "tls.ca",
                         "tls.server_name", "timeout_s", "dev_role"};
  if (json) {
    nlohmann::json out;
    out["profile"] = d->profile.empty() ? nlohmann::json(nullptr) : nlohmann::json(d->profile);
    for (const char* s : order) {
      out["settings"][s] = {{"value", Value(*d, s)}, {"from", d->source.at(s)}};
    }
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  std::printf("profile: %s\n", d->profile.empty() ? "none read" : d->profile.c_str());
  for (const char* s : order) {
    const std::string v = Value(*d, s);
    std::printf("%-16s %-40s (%s)\n", s, v.empty() ? "-" : v.c_str(), d->source.at(s).c_str());
  }
}

RegisterCommands reg([](CLI::App& app) {
  CLI::App* p = controller::GetOrAddSubcommand(
      app, "profile", "Client settings from the profile file and STAKEWARD_* variables");
  auto json = std::make_shared<bool>(false);
  CLI::App* show = p->add_subcommand(
      "show",
      "Show the client settings in force before flags, and where each comes from "
      "(flags > STAKEWARD_* > profile > default). Exit codes: 0 ok, 2 bad profile or variable.");
  show->add_flag("--json", *json, "machine-readable output");
  show->callback([json] { Show(*json); });
});

}  // namespace
}  // namespace stakeward::cli
