// mock-trezor: the Trezor firmware emulator executable (the shared mock executable contract:
// flags --mnemonic, --port, --control-port, --screen-log, --user, --delay-ms; prints one READY
// line; exits cleanly on SIGTERM/SIGINT).
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
  app.add_option("--mnemonic", options.mnemonic, "BIP39 mnemonic of the emulated device");
  app.add_option("--port", options.port, "emulator UDP port (0 = free port)")->default_val(21324);
  app.add_option("--control-port", options.control_port, "control channel TCP port (0 = free)");
  app.add_option("--screen-log", options.screen_log_path, "append screen lines to this file");
  app.add_option("--user", options.user, "approve | reject:<step>");
  app.add_option("--delay-ms", options.delay_ms, "user think time per screen");
  CLI11_PARSE(app, argc, argv);

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
