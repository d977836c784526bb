// The whole Ledger mock in-process: device, Speculos TCP server, optional HID Unix socket,
// control channel, user model, fault injector and screen log. Used by the mock-ledger
// executable and directly by tests.
#ifndef STAKEWARD_FIRMWARE_MOCKS_LEDGER_LEDGER_MOCK_H_
#define STAKEWARD_FIRMWARE_MOCKS_LEDGER_LEDGER_MOCK_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "firmware-mocks/common/control_server.h"
#include "firmware-mocks/common/fault_injector.h"
#include "firmware-mocks/common/screen_log.h"
#include "firmware-mocks/common/stream_server.h"
#include "firmware-mocks/common/user_model.h"
#include "firmware-mocks/ledger/keyring.h"
#include "firmware-mocks/ledger/ledger_device.h"

namespace stakeward::mocks::ledger {

struct LedgerMockOptions {
  std::string mnemonic = std::string(kSpeculosDefaultMnemonic);
  uint16_t apdu_port = 0;                 // 0 = free port
  std::optional<std::string> hid_socket;  // Unix socket path for HID reports
  std::optional<uint16_t> control_port;   // nullopt = no control channel; 0 = free port
  std::optional<std::string> screen_log;
  AppKind app = AppKind::kCardano;
  std::string user = "approve";  // approve | reject:<step>
  uint32_t delay_ms = 0;
  bool blind_signing = false;  // the Ethereum app's "Blind signing" setting (off when fresh)
  bool locked = false;         // start on the PIN screen (0x5515 to everything)
  bool expert_mode = false;    // the Cardano app's expert mode (off when fresh)
  Malice malice = Malice::kNone;
};

class LedgerMock {
 public:
  explicit LedgerMock(LedgerMockOptions options);
  ~LedgerMock();  // Stop()
  LedgerMock(const LedgerMock&) = delete;
  LedgerMock& operator=(const LedgerMock&) = delete;

  absl::Status Start();
  void Stop();

  uint16_t apdu_port() const;
  uint16_t control_port() const;
  // "tcp:127.0.0.1:<port>" and, with a HID socket, "hidsock:<path>".
  std::vector<std::string> DeviceUris() const;

  LedgerDevice& device() { return *device_; }
  UserModel& user() { return user_; }
  FaultInjector& faults() { return faults_; }
  ScreenLog& screens() { return screens_; }
  // The control protocol, in-process (same replies as over TCP).
  std::vector<std::string> Control(std::string_view line);

 private:
  std::optional<std::vector<std::string>> Extension(const std::vector<std::string>& args);

  LedgerMockOptions options_;
  UserModel user_;
  FaultInjector faults_;
  ScreenLog screens_;
  std::unique_ptr<LedgerDevice> device_;
  std::unique_ptr<StreamServer> apdu_server_;
  std::unique_ptr<StreamServer> hid_server_;
  std::unique_ptr<ControlServer> control_;
};

}  // namespace stakeward::mocks::ledger

#endif  // STAKEWARD_FIRMWARE_MOCKS_LEDGER_LEDGER_MOCK_H_
