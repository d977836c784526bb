// `stakeward sign`: signs a Cardano transaction on a hardware wallet and writes one cardano-cli
// key-witness file per path (TextEnvelope "TxWitness ConwayEra", cborHex = [vkey, signature]).
// Nothing is written unless the device's body hash matches and every signature verifies.
#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "chain/cbor.h"
#include "chain/text_envelope.h"
#include "chain/tx.h"
#include "controller/cli/command.h"
#include "controller/model/bounded_read.h"
#include "devices/signer/select.h"
#include "devices/signer/signer.h"

namespace stakeward::cli {
namespace {

// Failures map through the CLI's one exit-code table (exit_codes.h).
[[noreturn]] void Fail(const absl::Status& s) { ThrowStatus(s); }

struct Options {
  std::string device;
  std::string tx_file;
  std::string mode = "multisig";
  std::vector<std::string> paths;
  std::string out_dir = ".";
  uint32_t testnet_magic = devices::kPreprodProtocolMagic;
  std::string derivation;
  int timeout_s = 180;
  std::vector<std::string> account_xpubs;
  bool passphrase_on_host = false;
};

absl::StatusOr<chain::Transaction> LoadTx(const std::string& path) {
  absl::StatusOr<std::string> content =
      controller::ReadBoundedFile(path, controller::InputKind::kTransaction);
  if (!content.ok()) return content.status();
  std::string trimmed = *content;
  trimmed.erase(std::remove_if(trimmed.begin(), trimmed.end(),
                               [](unsigned char c) { return std::isspace(c); }),
                trimmed.end());
  chain::Bytes cbor;
  if (!trimmed.empty() && trimmed[0] == '{') {
    auto te = chain::ParseTextEnvelopeOfType(
        *content, {chain::kTeTx, chain::kTeUnwitnessedTx, chain::kTeWitnessedTx});
    if (!te.ok()) return te.status();
    cbor = std::move(te->cbor);
  } else if (auto hex = chain::HexDecode(trimmed); hex.ok() && !trimmed.empty()) {
    cbor = std::move(*hex);
  } else {
    cbor.assign(content->begin(), content->end());
  }
  auto tx = chain::DecodeTransaction(chain::View(cbor));
  if (!tx.ok()) return absl::InvalidArgumentError(absl::StrCat(path, ": ", tx.status().message()));
  return tx;
}

std::string PathSlug(const chain::Path& p) {
  std::string s = chain::FormatPath(p).substr(2);  // drop "m/"
  return absl::StrReplaceAll(s, {{"'", "H"}, {"/", "_"}});
}

void Run(const Options& o) {
  devices::SigningMode mode;
  if (o.mode == "multisig")
    mode = devices::SigningMode::kMultisig;
  else if (o.mode == "ordinary")
    mode = devices::SigningMode::kOrdinary;
  else
    Fail(absl::InvalidArgumentError("--mode must be multisig or ordinary"));
  std::vector<chain::Path> paths;
  for (const auto& p : o.paths) {
    auto parsed = chain::ParsePath(p);
    if (!parsed.ok())
      Fail(absl::InvalidArgumentError(absl::StrCat("--path ", p, ": ", parsed.status().message())));
    paths.push_back(*parsed);
  }
  auto tx = LoadTx(o.tx_file);
  if (!tx.ok()) Fail(tx.status());
  auto net = devices::InferNetwork(*tx, o.testnet_magic);
  if (!net.ok()) Fail(net.status());
  std::error_code ec;
  std::filesystem::create_directories(o.out_dir, ec);
  if (ec)
    Fail(absl::InvalidArgumentError(absl::StrCat("cannot create ", o.out_dir, ": ", ec.message())));

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
  for (const auto& spec : o.account_xpubs) {
    auto a = devices::ParseAccountXPub(spec);
    if (!a.ok()) Fail(a.status());
    so.account_xpubs.push_back(*a);
  }
  if (o.passphrase_on_host) {
    std::string line;
    std::getline(std::cin, line);
    so.trezor_passphrase_on_host = line;
    sodium_memzero(line.data(), line.size());
  }
  auto signer = devices::OpenSelected(o.device, so);
  if (!signer.ok()) Fail(signer.status());
  // What the device will not show: print it before the user confirms there.
  for (const auto& line : devices::HiddenFromDevice((*signer)->Info().vendor, *tx, mode)) {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fprintf(stderr, "Signing transaction %s on %s (%s)\n",
               chain::HexEncode(chain::TxId(*tx)).c_str(), (*signer)->Info().model.c_str(),
               (*signer)->Info().uri.c_str());
  const devices::ExchangeStats before = (*signer)->stats();
  auto witnesses = (*signer)->SignCardanoTx(*tx, mode, paths, *net);
  if (!witnesses.ok()) Fail(witnesses.status());
  const devices::ExchangeStats after = (*signer)->stats();
  std::fprintf(stderr, "Device exchanges for signing: %llu, bytes sent %llu, bytes received %llu\n",
               static_cast<unsigned long long>(after.exchanges - before.exchanges),
               static_cast<unsigned long long>(after.bytes_sent - before.bytes_sent),
               static_cast<unsigned long long>(after.bytes_received - before.bytes_received));

  // Paths were de-duplicated in order by the signer; map witnesses back to their paths.
  std::vector<chain::Path> unique;
  for (const auto& p : paths) {
    if (std::find(unique.begin(), unique.end(), p) == unique.end()) unique.push_back(p);
  }
  for (size_t i = 0; i < witnesses->size(); ++i) {
    const auto& w = (*witnesses)[i];
    chain::cbor::Writer cw;
    cw.ArrayHeader(2).Bytes(chain::View(w.vkey)).Bytes(chain::View(w.signature));
    chain::TextEnvelope te{std::string(chain::kTeTxWitness), "Key Witness ShelleyEra", cw.Take()};
    std::filesystem::path file = std::filesystem::path(o.out_dir) /
                                 absl::StrCat(chain::HexEncode(chain::TxId(*tx)).substr(0, 16), ".",
                                              PathSlug(unique[i]), ".witness");
    std::ofstream f(file, std::ios::trunc);
    if (!(f << chain::WriteTextEnvelope(te))) {
      Fail(absl::InvalidArgumentError(absl::StrCat("cannot write ", file.string())));
    }
    std::printf("%s\n", file.string().c_str());
  }
}

RegisterCommands reg([](CLI::App& app) {
  auto* cmd = app.add_subcommand("sign", "Sign a Cardano transaction on a hardware wallet");
  auto o = std::make_shared<Options>();
  cmd->add_option("--device", o->device,
                  "Device URI, serial:<serial> or fingerprint:<8 hex> (default: the only one)");
  cmd->add_option("--tx", o->tx_file, "Transaction (cardano-cli TextEnvelope, hex or CBOR)")
      ->required();
  cmd->add_option("--mode", o->mode, "multisig | ordinary")->capture_default_str();
  cmd->add_option("--path", o->paths, "Witness path, e.g. m/1854'/1815'/0'/2/0 (repeatable)")
      ->required();
  cmd->add_option("--out-dir", o->out_dir, "Where to write the witness files")
      ->capture_default_str();
  cmd->add_option("--testnet-magic", o->testnet_magic, "Protocol magic for a testnet transaction")
      ->capture_default_str();
  cmd->add_option("--derivation", o->derivation, "Trezor: icarus | icarus-trezor | ledger");
  cmd->add_option("--timeout-s", o->timeout_s, "How long to wait for the device")
      ->capture_default_str();
  cmd->add_option("--account-xpub", o->account_xpubs,
                  "<account path>=<xpub> from the policy, e.g. m/1854'/1815'/0'=acct_shared_xvk1…: "
                  "witness keys are derived from it instead of exported by the device "
                  "(repeatable)");
  cmd->add_flag("--passphrase-on-host", o->passphrase_on_host,
                "Trezor: read the passphrase from stdin instead of typing it on the device "
                "(refused for multisig 1854' keys)");
  cmd->callback([o] { Run(*o); });
});

}  // namespace
}  // namespace stakeward::cli
