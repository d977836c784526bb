#include "devices/signer/select.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "chain/hash.h"
#include "devices/transport/socket_transports.h"

namespace stakeward::devices {

std::vector<AttachedDevice> ListCandidates(absl::Duration probe_timeout) {
  std::vector<AttachedDevice> out = EnumerateHid();
  for (auto& d : EnumerateWebUsb()) out.push_back(std::move(d));
  if (ProbeTrezorEmulator({"127.0.0.1", 21324}, probe_timeout)) {
    AttachedDevice d;
    d.uri = kTrezorEmulatorUri;
    d.vendor = Vendor::kTrezor;
    d.model = "Trezor emulator";
    out.push_back(d);
  }
  if (ProbeTcp({"127.0.0.1", 9999}, probe_timeout)) {
    AttachedDevice d;
    d.uri = kSpeculosUri;
    d.vendor = Vendor::kLedger;
    d.model = "Ledger emulator (Speculos APDU port)";
    out.push_back(d);
  }
  return out;
}

absl::StatusOr<std::string> KeyFingerprint(Signer& signer) {
  auto path = chain::ParsePath("m/1854'/1815'/0'");
  if (!path.ok()) return path.status();
  auto keys = signer.GetExtendedPublicKeys({*path});
  if (!keys.ok()) return keys.status();
  return chain::HexEncode(chain::KeyHash((*keys)[0].public_key)).substr(0, 8);
}

namespace {
std::string Describe(const std::vector<AttachedDevice>& ds) {
  std::vector<std::string> lines;
  for (const auto& d : ds) {
    lines.push_back(
        absl::StrCat("  ", d.uri, "  ", d.model, d.serial.empty() ? "" : "  serial ", d.serial));
  }
  return absl::StrJoin(lines, "\n");
}
}  // namespace

absl::StatusOr<std::unique_ptr<Signer>> OpenSelected(const std::string& selector,
                                                     const SignerOptions& options) {
  const bool by_serial = absl::StartsWith(selector, "serial:");
  const bool by_fingerprint = absl::StartsWith(selector, "fingerprint:");
  if (!selector.empty() && !by_serial && !by_fingerprint) return OpenSigner(selector, options);

  std::vector<AttachedDevice> candidates = ListCandidates(absl::Milliseconds(300));
  if (candidates.empty()) {
    return absl::NotFoundError(
        "no hardware wallet found: plug in and unlock your Ledger or Trezor (or start an "
        "emulator), then retry; on Linux also check the udev rules "
        "(devices/udev/51-stakeward-hw.rules)");
  }
  if (selector.empty()) {
    if (candidates.size() > 1) {
      return absl::FailedPreconditionError(absl::StrCat(
          "several devices are attached; choose one with --device <uri>, serial:<serial> or "
          "fingerprint:<8 hex>:\n",
          Describe(candidates)));
    }
    return OpenSigner(candidates[0].uri, options);
  }
  const std::string want = absl::AsciiStrToLower(selector.substr(selector.find(':') + 1));
  std::vector<std::unique_ptr<Signer>> matches;
  std::vector<std::string> problems;
  for (const auto& c : candidates) {
    if (by_serial && !c.serial.empty() && absl::AsciiStrToLower(c.serial) != want) continue;
    auto s = OpenSigner(c.uri, options);
    if (!s.ok()) {
      problems.push_back(absl::StrCat(c.uri, ": ", s.status().message()));
      continue;
    }
    bool match = false;
    if (by_serial) {
      match = absl::AsciiStrToLower((*s)->Info().serial) == want ||
              absl::AsciiStrToLower(c.serial) == want;
    } else {
      auto fp = KeyFingerprint(**s);
      if (!fp.ok()) problems.push_back(absl::StrCat(c.uri, ": ", fp.status().message()));
      match = fp.ok() && *fp == want;
    }
    if (match) matches.push_back(std::move(*s));
  }
  if (matches.size() == 1) return std::move(matches[0]);
  if (matches.size() > 1) {
    return absl::FailedPreconditionError(
        absl::StrCat("several devices match ", selector, "; use --device <uri>"));
  }
  return absl::NotFoundError(absl::StrCat("no attached device matches ", selector, "\n",
                                          Describe(candidates), problems.empty() ? "" : "\n",
                                          absl::StrJoin(problems, "\n")));
}

}  // namespace stakeward::devices
