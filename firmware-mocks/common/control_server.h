// The mocks' control channel: TCP on 127.0.0.1, one text command per line, one reply line
// ("OK ..." or "ERR ..."); `screens` replies "OK <n>" followed by n lines.
//
// Built-in commands: user approve | user reject <step> | delay <ms> |
// fault drop|corrupt|truncate|disconnect|wrong-channel|none [after <n>] | screens |
// screens clear | ping. A mock adds its own (ledger: `app`, `stats`, `lock`, `unlock`,
// `blind-signing on|off`) with an extension handler.
#ifndef STAKEWARD_FIRMWARE_MOCKS_COMMON_CONTROL_SERVER_H_
#define STAKEWARD_FIRMWARE_MOCKS_COMMON_CONTROL_SERVER_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "firmware-mocks/common/fault_injector.h"
#include "firmware-mocks/common/screen_log.h"
#include "firmware-mocks/common/stream_server.h"
#include "firmware-mocks/common/user_model.h"

namespace stakeward::mocks {

class ControlServer {
 public:
  // Gets the whole command line split on spaces (args[0] is the command). Returns the reply
  // lines (first line "OK ..." or "ERR ..."), or nullopt if it does not know the command.
  using Extension =
      std::function<std::optional<std::vector<std::string>>(const std::vector<std::string>& args)>;

  // The pointers must outlive the server.
  ControlServer(UserModel* user, FaultInjector* faults, ScreenLog* screens,
                Extension extension = nullptr);
  ~ControlServer();

  absl::Status Start(uint16_t port);  // 0 = free port
  void Stop();
  uint16_t port() const { return server_.port(); }

  // Executes one command line (also used directly by tests and in-process callers).
  std::vector<std::string> Execute(std::string_view line);

 private:
  void Serve(int fd, const std::atomic<bool>& stopping);

  UserModel* user_;
  FaultInjector* faults_;
  ScreenLog* screens_;
  Extension extension_;
  StreamServer server_;
};

}  // namespace stakeward::mocks

#endif  // STAKEWARD_FIRMWARE_MOCKS_COMMON_CONTROL_SERVER_H_
