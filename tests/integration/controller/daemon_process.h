// Runs the real stakewardd binary as a child process (for crash and TLS tests): waits for its
// READY line, stops it with SIGTERM or kills it with SIGKILL.
#ifndef STAKEWARD_TESTS_INTEGRATION_CONTROLLER_DAEMON_PROCESS_H_
#define STAKEWARD_TESTS_INTEGRATION_CONTROLLER_DAEMON_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace stakeward::controller::testing {

class DaemonProcess {
 public:
  // Starts `stakewardd args...`; false if it did not print READY (it exited, or
  // printed nothing for 120 s).
  bool Start(const std::vector<std::string>& args);
  ~DaemonProcess() { Kill(); }
  void Kill();      // SIGKILL, reaped
  int Terminate();  // SIGTERM; returns the exit status (or -1)
  int port() const { return port_; }
  int metrics_port() const { return metrics_port_; }  // 0 unless started with --metrics-listen
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  bool running() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int metrics_port_ = 0;
};

}  // namespace stakeward::controller::testing

#endif  // STAKEWARD_TESTS_INTEGRATION_CONTROLLER_DAEMON_PROCESS_H_
