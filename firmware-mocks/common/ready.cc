#include "firmware-mocks/common/ready.h"

#include <signal.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "chain/check.h"

namespace stakeward::mocks {

std::string FormatReadyLine(const std::vector<std::string>& device_uris, uint16_t control_port) {
  std::string line = "READY";
  for (const std::string& uri : device_uris) absl::StrAppend(&line, " ", uri);
  absl::StrAppend(&line, " control:127.0.0.1:", control_port);
  return line;
}

void PrintReadyLine(const std::vector<std::string>& device_uris, uint16_t control_port) {
  std::string line = FormatReadyLine(device_uris, control_port);
  std::fprintf(stdout, "%s\n", line.c_str());
  std::fflush(stdout);
}

namespace {
sigset_t TerminationSet() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}
}  // namespace

void BlockTerminationSignals() {
  sigset_t set = TerminationSet();
  sigaddset(&set, SIGPIPE);
  SW_CHECK(pthread_sigmask(SIG_BLOCK, &set, nullptr) == 0);
}

int WaitForTerminationSignal() {
  sigset_t set = TerminationSet();
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  return sig;
}

std::string TcpUri(uint16_t port) { return absl::StrCat("tcp:127.0.0.1:", port); }
std::string UdpUri(uint16_t port) { return absl::StrCat("udp:127.0.0.1:", port); }

}  // namespace stakeward::mocks
