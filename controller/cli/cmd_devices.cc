// `stakeward devices`: lists attached hardware wallets and the emulator endpoints that answer
// (Trezor 127.0.0.1:21324/udp, Speculos 127.0.0.1:9999/tcp), with model, firmware or app version,
// capabilities and what the user has to fix, if anything.
#include <cstdio>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "controller/cli/command.h"
#include "devices/signer/select.h"
#include "devices/signer/signer.h"
#include "nlohmann/json.hpp"

namespace stakeward::cli {
namespace {

using devices::Vendor;

std::vector<std::string> CapabilityNames(const devices::Capabilities& c) {
  std::vector<std::string> out;
  if (c.cardano) out.push_back("cardano");
  if (c.cardano_conway) out.push_back("conway");
  if (c.cardano_multisig) out.push_back("multisig");
  if (c.required_signers) out.push_back("required-signers");
  if (c.show_address) out.push_back("show-address");
  if (c.ethereum_eip1559) out.push_back("eip1559");
  for (auto d : c.derivations) out.push_back("derivation:" + std::string(chain::DerivationName(d)));
  return out;
}

struct Options {
  bool json = false;
  bool fingerprints = false;
  int probe_ms = 300;
  int timeout_s = 5;
  std::vector<std::string> extra;
};

void Run(const Options& o) {
  std::vector<devices::AttachedDevice> list =
      devices::ListCandidates(absl::Milliseconds(o.probe_ms));
  for (const auto& uri : o.extra) {
    devices::AttachedDevice d;
    d.uri = uri;
    list.push_back(d);
  }
  nlohmann::json out = nlohmann::json::array();
  if (list.empty()) {  // exit 4 (device), so a script can tell "none attached" from a list
    if (o.json) std::printf("[]\n");
    throw CLI::RuntimeError(
        "no hardware wallet found (plug in and unlock a Ledger or Trezor, or start an "
        "emulator; on Linux install devices/udev/51-stakeward-hw.rules)",
        kExitDevice);
  }
  for (const auto& a : list) {
    devices::SignerOptions so;
    so.timeout = absl::Seconds(o.timeout_s);
    so.connect_timeout = absl::Seconds(o.timeout_s);
    nlohmann::json e;
    e["uri"] = a.uri;
    auto s = devices::OpenSigner(a.uri, so);
    if (!s.ok()) {
      e["model"] = a.model;
      e["error"] = std::string(s.status().message());
      if (!a.note.empty()) e["note"] = a.note;
    } else {
      devices::DeviceInfo info = (*s)->Info();
      e["vendor"] = info.vendor == Vendor::kLedger ? "ledger" : "trezor";
      e["model"] = info.model;
      if (!info.firmware.empty()) e["firmware"] = info.firmware;
      if (!info.app.empty()) e["app"] = info.app;
      if (!info.app_version.empty()) e["app_version"] = info.app_version;
      if (!info.serial.empty()) e["serial"] = info.serial;
      e["capabilities"] = CapabilityNames(info.capabilities);
      if (!info.note.empty()) e["note"] = info.note;
      if (o.fingerprints && info.capabilities.cardano) {
        auto fp = devices::KeyFingerprint(**s);
        e["fingerprint"] = fp.ok() ? *fp : std::string(fp.status().message());
      }
    }
    out.push_back(e);
  }
  if (o.json) {
    std::printf("%s\n", out.dump(2).c_str());
    return;
  }
  for (const auto& e : out) {
    std::printf("%s\n", e["uri"].get<std::string>().c_str());
    auto line = [&](const char* label, const char* key) {
      if (e.contains(key)) {
        const auto& v = e[key];
        std::string text = v.is_array() ? absl::StrJoin(v.get<std::vector<std::string>>(), ", ")
                                        : v.get<std::string>();
        std::printf("  %-13s %s\n", label, text.c_str());
      }
    };
    line("model:", "model");
    line("firmware:", "firmware");
    line("app:", "app");
    line("app version:", "app_version");
    line("serial:", "serial");
    line("fingerprint:", "fingerprint");
    line("capabilities:", "capabilities");
    line("note:", "note");
    line("error:", "error");
  }
}

RegisterCommands reg([](CLI::App& app) {
  auto* cmd = app.add_subcommand("devices", "List attached hardware wallets and emulators");
  auto o = std::make_shared<Options>();
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->add_flag("--fingerprints", o->fingerprints,
                "Also read each device's CIP-1854 account key fingerprint");
  cmd->add_option("--probe-timeout-ms", o->probe_ms, "Emulator probe timeout")
      ->capture_default_str();
  cmd->add_option("--timeout-s", o->timeout_s, "Per-device timeout")->capture_default_str();
  cmd->add_option("--device", o->extra, "Also query these device URIs");
  cmd->callback([o] { Run(*o); });
});

}  // namespace
}  // namespace stakeward::cli
