#include "tests/integration/devices/mock_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "tests/common/wait_child.h"

namespace stakeward::devices::testing {
namespace {

// Guards against a hung mock, not expectations of speed: the READY line comes as soon as the mock
// listens and a crash ends the wait at once (EOF); under a loaded CI machine with sanitizers a
// start once took longer than the 10 s this used to allow.
constexpr absl::Duration kReadyWait = absl::Seconds(120);
constexpr absl::Duration kControlWait = absl::Seconds(60);

// Reads one line from fd before the deadline.
absl::StatusOr<std::string> ReadLine(int fd, absl::Time deadline) {
  std::string line;
  for (;;) {
    int ms =
        static_cast<int>(std::max<int64_t>(0, absl::ToInt64Milliseconds(deadline - absl::Now())));
    pollfd p{fd, POLLIN, 0};
    int r = ::poll(&p, 1, ms);
    if (r == 0)
      return absl::DeadlineExceededError(absl::StrCat("no line in time; got \"", line, "\""));
    if (r < 0) {
      if (errno == EINTR) continue;
      return absl::InternalError("poll");
    }
    char c;
    ssize_t n = ::read(fd, &c, 1);
    if (n <= 0) return absl::UnavailableError(absl::StrCat("stream closed; got \"", line, "\""));
    if (c == '\n') return line;
    if (c != '\r') line.push_back(c);
  }
}

}  // namespace

absl::Status MockProcess::Start(const std::string& executable,
                                const std::vector<std::string>& args) {
  std::string path = absl::StrCat(STAKEWARD_BIN_DIR, "/", executable);
  if (::access(path.c_str(), X_OK) != 0) {
    return absl::NotFoundError(absl::StrCat(path, " is not built"));
  }
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return absl::InternalError("pipe");
  pid_t pid = ::fork();
  if (pid < 0) return absl::InternalError("fork");
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    std::vector<char*> argv;
    argv.push_back(path.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(path.c_str(), argv.data());
    _exit(127);
  }
  ::close(out[1]);
  pid_ = pid;
  auto line = ReadLine(out[0], absl::Now() + kReadyWait);
  ::close(out[0]);
  if (!line.ok()) return line.status();
  std::vector<std::string> tokens = absl::StrSplit(*line, ' ', absl::SkipEmpty());
  if (tokens.empty() || tokens[0] != "READY") {
    return absl::InternalError(absl::StrCat("unexpected first line: ", *line));
  }
  for (size_t i = 1; i < tokens.size(); ++i) {
    if (tokens[i].rfind("control:", 0) == 0) {
      uint32_t port = 0;
      std::string hp = tokens[i].substr(8);
      if (!absl::SimpleAtoi(hp.substr(hp.rfind(':') + 1), &port)) {
        return absl::InternalError(absl::StrCat("bad control endpoint ", tokens[i]));
      }
      control_port_ = static_cast<uint16_t>(port);
    } else {
      uris_.push_back(tokens[i]);
    }
  }
  if (control_port_ == 0) return absl::InternalError("no control port in READY line");
  // Readiness: the control channel answers.
  return ControlOk("ping");
}

void MockProcess::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  if (!stakeward::testing::WaitChild(pid_, 5000, &status)) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
  }
  pid_ = -1;
}

absl::StatusOr<std::string> MockProcess::Uri(const std::string& scheme) const {
  for (const auto& u : uris_) {
    if (u.rfind(scheme + ":", 0) == 0) return u;
  }
  return absl::NotFoundError(absl::StrCat("the mock offers no ", scheme, ": URI"));
}

absl::StatusOr<std::vector<std::string>> MockProcess::Control(const std::string& line) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(control_port_);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    ::close(fd);
    return absl::UnavailableError("control channel refused");
  }
  std::string msg = line + "\n";
  if (::send(fd, msg.data(), msg.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(msg.size())) {
    ::close(fd);
    return absl::UnavailableError("control send");
  }
  std::vector<std::string> out;
  absl::Time deadline = absl::Now() + kControlWait;
  auto first = ReadLine(fd, deadline);
  if (!first.ok()) {
    ::close(fd);
    return first.status();
  }
  out.push_back(*first);
  // `screens` answers "OK <n>" followed by n lines (control_server.h).
  if (line == "screens" && first->rfind("OK ", 0) == 0) {
    int n = 0;
    if (!absl::SimpleAtoi(first->substr(3), &n) || n < 0) {
      ::close(fd);
      return absl::DataLossError(absl::StrCat("bad screens reply: ", *first));
    }
    for (int i = 0; i < n; ++i) {
      auto next = ReadLine(fd, deadline);
      if (!next.ok()) {
        ::close(fd);
        return next.status();
      }
      out.push_back(*next);
    }
  }
  ::close(fd);
  return out;
}

absl::Status MockProcess::ControlOk(const std::string& line) {
  auto r = Control(line);
  if (!r.ok()) return r.status();
  if (r->empty() || (*r)[0].rfind("OK", 0) != 0) {
    return absl::InternalError(absl::StrCat("control \"", line, "\": ", r->empty() ? "" : (*r)[0]));
  }
  return absl::OkStatus();
}

}  // namespace stakeward::devices::testing
