// Starts a mock hardware-wallet executable from STAKEWARD_BIN_DIR with free ports, waits for its
// READY line, talks to its control channel, and stops it (SIGTERM, then SIGKILL).
#ifndef STAKEWARD_TESTS_INTEGRATION_DEVICES_MOCK_PROCESS_H_
#define STAKEWARD_TESTS_INTEGRATION_DEVICES_MOCK_PROCESS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace stakeward::devices::testing {

class MockProcess {
 public:
  MockProcess() = default;
  ~MockProcess() { Stop(); }
  MockProcess(const MockProcess&) = delete;
  MockProcess& operator=(const MockProcess&) = delete;

  // Runs STAKEWARD_BIN_DIR/<executable> <args>; waits (bounded) for "READY <uris> control:...".
  absl::Status Start(const std::string& executable, const std::vector<std::string>& args);
  void Stop();

  // The first device URI with this scheme ("tcp", "hidsock", "udp").
  absl::StatusOr<std::string> Uri(const std::string& scheme) const;
  // One control command; returns the reply lines (first "OK ..." / "ERR ..."; for `screens`
  // also the n screen lines that follow "OK <n>").
  absl::StatusOr<std::vector<std::string>> Control(const std::string& line);
  // Control() that must answer OK.
  absl::Status ControlOk(const std::string& line);

 private:
  int pid_ = -1;
  std::vector<std::string> uris_;
  uint16_t control_port_ = 0;
};

}  // namespace stakeward::devices::testing

#endif  // STAKEWARD_TESTS_INTEGRATION_DEVICES_MOCK_PROCESS_H_
