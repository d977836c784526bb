// `stakeward policy addresses FILE [--slots N] [--json]`: the bridge's own addresses, derived from
// the policy alone (no device, no controller), so an operator can check them before funding:
// the payment script and the treasury address the builders use, and per slot the stake script,
// base address and reward address, each script also in cardano-cli's simple-script JSON.
#include <cstdio>
#include <string>

#include "CLI/CLI.hpp"
#include "chain/address.h"
#include "chain/bytes.h"
#include "chain/native_script.h"
#include "controller/cli/command.h"
#include "controller/client/api_client_flags.h"
#include "controller/model/bounded_read.h"
#include "nlohmann/json.hpp"
#include "policy/policy.h"
#include "policy/slot_scripts.h"

namespace stakeward::cli {
namespace {

// cardano-cli's simple-script JSON (cardano-node doc/reference/simple-scripts.md): "sig" with
// "keyHash", "all"/"any" with "scripts", "atLeast" with "required" and "scripts", "after" and
// "before" with "slot".
nlohmann::json ScriptJson(const chain::NativeScript& s) {
  using T = chain::NativeScript::Type;
  nlohmann::json children = nlohmann::json::array();
  for (const chain::NativeScript& c : s.scripts) children.push_back(ScriptJson(c));
  switch (s.type) {
    case T::kSig:
      return {{"type", "sig"}, {"keyHash", chain::HexEncode(s.key_hash)}};
    case T::kAll:
      return {{"type", "all"}, {"scripts", children}};
    case T::kAny:
      return {{"type", "any"}, {"scripts", children}};
    case T::kAtLeast:
      return {{"type", "atLeast"}, {"required", s.required}, {"scripts", children}};
    case T::kInvalidBefore:
      return {{"type", "after"}, {"slot", s.slot}};
    case T::kInvalidHereafter:
      return {{"type", "before"}, {"slot", s.slot}};
  }
  return nullptr;
}

[[noreturn]] void Fail(const absl::Status& s) {
  throw CLI::RuntimeError(std::string(s.message()), kExitInvalidInput);
}

void Run(const std::string& file, uint32_t slots, bool json) {
  absl::StatusOr<std::string> text =
      controller::ReadBoundedFile(file, controller::InputKind::kPolicy);
  if (!text.ok()) Fail(text.status());
  absl::StatusOr<policy::Policy> pol = policy::LoadPolicy(*text);
  if (!pol.ok())
    Fail(absl::InvalidArgumentError(file + ": " + std::string(pol.status().message())));
  if (slots == 0 || slots > pol->max_slots) {
    Fail(absl::InvalidArgumentError("--slots must be 1 to the policy's max_slots (" +
                                    std::to_string(pol->max_slots) + ")"));
  }
  absl::StatusOr<chain::NativeScript> pay = policy::PaymentScript(*pol);
  if (!pay.ok()) Fail(pay.status());
  const chain::Credential pc{chain::Credential::Kind::kScriptHash, chain::NativeScriptHash(*pay)};
  bool treasury_from_policy = false;
  absl::StatusOr<chain::Address> treasury_addr =
      policy::TreasuryAddress(*pol, &treasury_from_policy);
  if (!treasury_addr.ok()) Fail(treasury_addr.status());
  const std::string treasury = treasury_addr->ToBech32();
  absl::StatusOr<std::vector<policy::SlotAddresses>> derived = policy::DeriveSlots(*pol, 0, slots);
  if (!derived.ok()) Fail(derived.status());
  nlohmann::json out = {{"policy_hash", chain::HexEncode(policy::PolicyHash(*pol))},
                        {"payment_script_hash", chain::HexEncode(pc.hash)},
                        {"payment_script", ScriptJson(*pay)},
                        {"treasury_address", treasury},
                        {"treasury_is_policy_address", treasury_from_policy},
                        {"slots", nlohmann::json::array()}};
  for (const policy::SlotAddresses& s : *derived) {
    out["slots"].push_back({{"slot", s.slot},
                            {"stake_script_hash", chain::HexEncode(s.stake_credential.hash)},
                            {"base_address", s.base_address},
                            {"reward_address", s.reward_address},
                            {"stake_script", ScriptJson(s.stake_script)}});
  }
  if (json) {
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  std::printf("policy hash          %s\n", out["policy_hash"].get<std::string>().c_str());
  std::printf("payment script hash  %s  (%llu of %zu signers)\n",
              out["payment_script_hash"].get<std::string>().c_str(),
              static_cast<unsigned long long>(pol->threshold), pol->signers.size());
  std::printf("treasury             %s%s\n", treasury.c_str(),
              treasury_from_policy ? ""
                                   : "  (the payment script's enterprise address: the "
                                     "policy's treasury_address is not controlled by it)");
  for (const policy::SlotAddresses& s : *derived) {
    std::printf("slot %-3u  %s\n          %s  stake script %s\n", s.slot, s.base_address.c_str(),
                s.reward_address.c_str(), chain::HexEncode(s.stake_credential.hash).c_str());
  }
}

RegisterCommands reg([](CLI::App& app) {
  CLI::App* policy = controller::GetOrAddSubcommand(app, "policy", "Delegation policy documents");
  auto* c = policy->add_subcommand(
      "addresses", "The bridge's addresses and scripts for a policy (treasury, slots), offline");
  auto file = std::make_shared<std::string>();
  auto slots = std::make_shared<uint32_t>(4);
  auto json = std::make_shared<bool>(false);
  c->add_option("FILE", *file, "policy YAML")->required();
  c->add_option("--slots", *slots, "how many slots, from 0")->capture_default_str();
  c->add_flag("--json", *json, "JSON with cardano-cli simple-script JSON for every script");
  c->callback([file, slots, json] { Run(*file, *slots, *json); });
});

}  // namespace
}  // namespace stakeward::cli
