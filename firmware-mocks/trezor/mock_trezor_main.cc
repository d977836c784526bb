// mock-trezor: the Trezor firmware emulator executable (the shared mock executable contract:
// flags --mnemonic, --port, --control-port, --screen-log, --user, --delay-ms; prints one READY
// line; exits cleanly on SIGTERM/SIGINT). Device state: --pin, --passphrase, --model,
// --malicious.
#include <cstdio>
#include <string>

#include "CLI/CLI.hpp"
#include "firmware-mocks/common/ready.h"
#include "firmware-mocks/trezor/mock_trezor.h"

int main(int argc, char** argv) {
  namespace tz = stakeward::mocks::trezor;
  stakeward::mocks::BlockTerminationSignals();
  tz::MockTrezorOptions options;
  CLI::App app{"mock-trezor: Trezor Model T firmware emulator (UDP, protocol v1)"};
  app.set_version_flag("--version",
                       "mock-trezor " STAKEWARD_VERSION " (commit " STAKEWARD_COMMIT ")");
  app.add_option("--mnemonic", options.mnemonic, "BIP39 mnemonic of the emulated device");
  app.add_option("--port", options.port, "emulator UDP port (0 = free port)")->default_val(21324);
  app.add_option("--control-port", options.control_port, "control channel TCP port (0 = free)");
  app.add_option("--screen-log", options.screen_log_path, "append screen lines to this file");
  app.add_option("--user", options.user, "approve | reject:<step>");
  app.add_option("--delay-ms", options.delay_ms, "user think time per screen");
  std::string passphrase, malicious = "none";
  app.add_option("--pin", options.pin,
                 "PIN-protect the device: it starts locked and the user enters this PIN on the "
                 "device (user step \"pin\"); with --model 1 the host must send it (PinMatrixAck)");
  auto* pass = app.add_option("--passphrase", passphrase,
                              "enable passphrase protection; the user types this passphrase on "
                              "the device (user step \"passphrase\") unless the host sends one");
  std::string model = "T";
  app.add_option("--model", model, "T (Model T, default) | 1 (Trezor One: no Cardano app)")
      ->check(CLI::IsMember({"T", "1"}));
  app.add_option("--malicious", malicious, stakeward::mocks::kMaliceHelp);
  CLI11_PARSE(app, argc, argv);
  if (pass->count() > 0) options.passphrase = passphrase;
  options.model_one = model == "1";
  auto malice = stakeward::mocks::ParseMalice(malicious);
  if (!malice.ok()) {
    std::fprintf(stderr, "mock-trezor: %s\n", std::string(malice.status().message()).c_str());
    return 2;
  }
  options.malice = *malice;

  tz::MockTrezor mock(options);
  if (auto s = mock.Start(); !s.ok()) {
    std::fprintf(stderr, "mock-trezor: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  stakeward::mocks::PrintReadyLine({stakeward::mocks::UdpUri(mock.port())}, mock.control_port());
  stakeward::mocks::WaitForTerminationSignal();
  mock.Stop();
  return 0;
}
