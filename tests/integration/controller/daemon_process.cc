#include "tests/integration/controller/daemon_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

namespace stakeward::controller::testing {

bool DaemonProcess::Start(const std::vector<std::string>& args) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return false;
  const std::string bin = std::string(STAKEWARD_BIN_DIR) + "/stakewardd";
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(bin.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ == 0) {
    // Dies with the test process, even when that one crashes before its TearDown kills it.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) _exit(127);
    dup2(out[1], 1);
    const int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) dup2(devnull, 2);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char c;
  while (line.find('\n') == std::string::npos) {
    pollfd p{out[0], POLLIN, 0};
    // A guard against a hung daemon, not a speed expectation: the line comes once it listens,
    // and an exit ends the wait at once (EOF). Sanitizer builds on a loaded CI machine need room.
    constexpr int kReadyWaitMs = 120'000;
    if (poll(&p, 1, kReadyWaitMs) <= 0) break;
    if (read(out[0], &c, 1) != 1) break;
    line.push_back(c);
  }
  close(out[0]);
  const size_t g = line.find("READY grpc:");
  if (g == std::string::npos) {
    Kill();
    return false;
  }
  const size_t colon = line.find(':', line.find("grpc:") + 5);
  port_ = std::atoi(line.c_str() + colon + 1);
  const size_t m = line.find(" metrics:");
  metrics_port_ = m == std::string::npos ? 0 : std::atoi(line.c_str() + m + 9);
  return port_ > 0;
}

void DaemonProcess::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int st;
  waitpid(pid_, &st, 0);
  pid_ = -1;
}

int DaemonProcess::Terminate() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int st = 0;
  waitpid(pid_, &st, 0);
  pid_ = -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

}  // namespace stakeward::controller::testing
