// `stakeward keys export`: reads a signer's CIP-1854 (multisig) and CIP-1852 account public keys
// from the device and writes them as JSON — the file a signer sends to the DAO for the policy.
#include <cstdio>
#include <fstream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "chain/address.h"
#include "chain/keys.h"
#include "controller/cli/command.h"
#include "devices/signer/select.h"
#include "devices/signer/signer.h"
#include "nlohmann/json.hpp"

namespace stakeward::cli {
namespace {

// Failures map through the CLI's one exit-code table (exit_codes.h).
[[noreturn]] void Fail(const absl::Status& s) { ThrowStatus(s); }

struct Options {
  std::string device;
  uint32_t account = 0;
  std::string derivation;
  std::string name;
  std::string out;
  int timeout_s = 180;
};

void Run(const Options& o) {
  if (o.account >= chain::kHardened) Fail(absl::InvalidArgumentError("--account is too large"));
  devices::SignerOptions so;
  so.timeout = absl::Seconds(o.timeout_s);
  so.progress = [](std::string_view m) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(m.size()), m.data());
  };
  if (!o.derivation.empty()) {
    auto d = chain::ParseDerivation(o.derivation);
    if (!d.ok())
      Fail(absl::InvalidArgumentError("--derivation must be icarus, icarus-trezor or ledger"));
    so.derivation = *d;
  }
  auto signer = devices::OpenSelected(o.device, so);
  if (!signer.ok()) Fail(signer.status());
  devices::DeviceInfo info = (*signer)->Info();
  chain::Derivation used = so.derivation;
  if (info.vendor == devices::Vendor::kLedger) {
    if (!o.derivation.empty() && so.derivation != chain::Derivation::kLedger) {
      Fail(absl::InvalidArgumentError(
          "a Ledger always derives Cardano keys with the \"ledger\" scheme; drop --derivation"));
    }
    used = chain::Derivation::kLedger;
  }
  const std::string acct = absl::StrCat(o.account, "'");
  auto multisig = chain::ParsePath("m/1854'/1815'/" + acct);
  auto ordinary = chain::ParsePath("m/1852'/1815'/" + acct);
  if (!multisig.ok() || !ordinary.ok()) Fail(absl::InvalidArgumentError("bad account"));
  auto keys = (*signer)->GetExtendedPublicKeys({*multisig, *ordinary});
  if (!keys.ok()) Fail(keys.status());
  auto entry = [](const chain::Path& p, const chain::XPub& x, const char* hrp) {
    auto raw = x.Serialize();
    nlohmann::json j;
    j["path"] = chain::FormatPath(p);
    // CIP-5 prefixes: acct_shared_xvk (CIP-1854 account), acct_xvk (CIP-1852 account).
    j["xpub"] = chain::Bech32Encode(hrp, chain::View(raw));
    j["xpub_hex"] = chain::HexEncode(chain::View(raw));
    return j;
  };
  nlohmann::json out;
  if (!o.name.empty()) out["name"] = o.name;
  out["device"] = info.vendor == devices::Vendor::kLedger ? "ledger" : "trezor";
  out["model"] = info.model;
  out["derivation"] = std::string(chain::DerivationName(used));
  out["account"] = o.account;
  out["fingerprint"] = chain::HexEncode(chain::KeyHash((*keys)[0].public_key)).substr(0, 8);
  out["multisig_account"] = entry(*multisig, (*keys)[0], "acct_shared_xvk");
  out["ordinary_account"] = entry(*ordinary, (*keys)[1], "acct_xvk");
  std::string text = out.dump(2) + "\n";
  if (o.out.empty()) {
    std::fputs(text.c_str(), stdout);
    return;
  }
  std::ofstream f(o.out, std::ios::trunc);
  if (!(f << text)) Fail(absl::InvalidArgumentError(absl::StrCat("cannot write ", o.out)));
  std::fprintf(stderr, "wrote %s\n", o.out.c_str());
}

RegisterCommands reg([](CLI::App& app) {
  auto* keys = app.add_subcommand("keys", "Signer keys");
  keys->require_subcommand(1);
  auto* exp = keys->add_subcommand("export", "Export the account public keys from a device");
  auto o = std::make_shared<Options>();
  exp->add_option("--device", o->device,
                  "Device URI, serial:<serial> or fingerprint:<8 hex> (default: the only one)");
  exp->add_option("--account", o->account, "Account index")->capture_default_str();
  exp->add_option("--derivation", o->derivation, "Trezor: icarus | icarus-trezor | ledger");
  exp->add_option("--name", o->name, "Signer name to record in the file");
  exp->add_option("--out", o->out, "Write to this file instead of stdout");
  exp->add_option("--timeout-s", o->timeout_s, "How long to wait for the device")
      ->capture_default_str();
  exp->callback([o] { Run(*o); });
});

}  // namespace
}  // namespace stakeward::cli
