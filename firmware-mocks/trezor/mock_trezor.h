// mock-trezor in-process: the emulated device on a UDP port plus the shared control channel.
// Usable from tests (Start/Stop, bound ports, direct access to the user model, faults and
// screen log) and wrapped by mock_trezor_main.cc.
#ifndef STAKEWARD_FIRMWARE_MOCKS_TREZOR_MOCK_TREZOR_H_
#define STAKEWARD_FIRMWARE_MOCKS_TREZOR_MOCK_TREZOR_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "firmware-mocks/common/control_server.h"
#include "firmware-mocks/common/fault_injector.h"
#include "firmware-mocks/common/screen_log.h"
#include "firmware-mocks/common/user_model.h"
#include "firmware-mocks/trezor/device.h"
#include "firmware-mocks/trezor/udp_server.h"

namespace stakeward::mocks::trezor {

struct MockTrezorOptions {
  std::string mnemonic = kDefaultMnemonic;
  uint16_t port = 0;             // emulator UDP port; 0 = free port
  uint16_t control_port = 0;     // 0 = free port
  bool control = true;           // start the control channel
  std::string screen_log_path;   // optional file
  std::string user = "approve";  // approve | reject:<step>
  uint32_t delay_ms = 0;
  std::string pin;                        // non-empty: PIN-protected, starts locked
  std::optional<std::string> passphrase;  // set: passphrase protection (typed on the device)
  bool model_one = false;                 // emulate a Trezor One (no Cardano, host PIN matrix)
  Malice malice = Malice::kNone;
};

class MockTrezor {
 public:
  explicit MockTrezor(MockTrezorOptions options);
  ~MockTrezor();
  MockTrezor(const MockTrezor&) = delete;
  MockTrezor& operator=(const MockTrezor&) = delete;

  absl::Status Start();
  void Stop();

  uint16_t port() const;
  uint16_t control_port() const;
  UserModel& user() { return user_; }
  FaultInjector& faults() { return faults_; }
  ScreenLog& screens() { return screens_; }

 private:
  MockTrezorOptions options_;
  UserModel user_;
  FaultInjector faults_;
  ScreenLog screens_;
  std::unique_ptr<TrezorDevice> device_;
  std::unique_ptr<UdpServer> udp_;
  std::unique_ptr<ControlServer> control_;
};

}  // namespace stakeward::mocks::trezor

#endif  // STAKEWARD_FIRMWARE_MOCKS_TREZOR_MOCK_TREZOR_H_
