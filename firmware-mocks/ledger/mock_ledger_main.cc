// mock-ledger: the Ledger firmware emulator as a process (contract: flags, READY line, control
// channel; see firmware-mocks/ledger/ledger_mock.h).
#include <cstdio>
#include <string>

#include "CLI/CLI.hpp"
#include "firmware-mocks/common/ready.h"
#include "firmware-mocks/ledger/ledger_mock.h"

int main(int argc, char** argv) {
  namespace ml = stakeward::mocks::ledger;
  stakeward::mocks::BlockTerminationSignals();

  ml::LedgerMockOptions opts;
  opts.apdu_port = 9999;  // Speculos default (specs/ledger.md §2)
  std::string hid_socket, screen_log, app = "cardano";
  int control_port = 0;

  CLI::App cli{"Ledger hardware wallet emulator (Cardano and Ethereum apps)"};
  cli.set_version_flag("--version",
                       "mock-ledger " STAKEWARD_VERSION " (commit " STAKEWARD_COMMIT ")");
  cli.add_option("--mnemonic", opts.mnemonic, "BIP39 mnemonic (default: the Speculos seed)");
  cli.add_option("--apdu-port", opts.apdu_port, "Speculos raw-APDU TCP port (0 = free port)");
  cli.add_option("--hid-socket", hid_socket, "Unix socket carrying 64-byte Ledger HID reports");
  cli.add_option("--control-port", control_port, "control channel TCP port (0 = free port)")
      ->check(CLI::Range(0, 65535));
  cli.add_option("--screen-log", screen_log, "append one line per device screen to this file");
  cli.add_option("--app", app, "open app; dashboard = no app open (APDUs get 0x6E01)")
      ->check(CLI::IsMember({"cardano", "ethereum", "dashboard"}));
  cli.add_flag("--blind-signing", opts.blind_signing,
               "turn on the Ethereum app's Blind signing setting (off by default, like a fresh "
               "app: calldata is refused with 0x6A80)");
  cli.add_flag("--locked", opts.locked,
               "start locked (PIN screen): every APDU gets 0x5515 until `unlock` on the control "
               "channel");
  cli.add_flag("--expert-mode", opts.expert_mode,
               "turn on the Cardano app's expert mode (off by default): TTL, validity start, "
               "auxiliary data hash, withdrawals and required signers are then shown");
  std::string malicious = "none";
  cli.add_option("--malicious", malicious, stakeward::mocks::kMaliceHelp);
  cli.add_option("--user", opts.user, "approve | reject:<step>");
  cli.add_option("--delay-ms", opts.delay_ms, "delay before every user decision");
  CLI11_PARSE(cli, argc, argv);

  if (!hid_socket.empty()) opts.hid_socket = hid_socket;
  if (!screen_log.empty()) opts.screen_log = screen_log;
  opts.control_port = static_cast<uint16_t>(control_port);
  opts.app = *ml::ParseAppKind(app);
  auto malice = stakeward::mocks::ParseMalice(malicious);
  if (!malice.ok()) {
    std::fprintf(stderr, "mock-ledger: %s\n", std::string(malice.status().message()).c_str());
    return 2;
  }
  opts.malice = *malice;

  ml::LedgerMock mock(std::move(opts));
  if (absl::Status s = mock.Start(); !s.ok()) {
    std::fprintf(stderr, "mock-ledger: %s\n", std::string(s.message()).c_str());
    return 1;
  }
  stakeward::mocks::PrintReadyLine(mock.DeviceUris(), mock.control_port());
  stakeward::mocks::WaitForTerminationSignal();
  mock.Stop();
  return 0;
}
