// The mock-trezor executable: READY line, liveness over UDP, control channel, clean SIGTERM.
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "firmware-mocks/common/socket_util.h"
#include "gtest/gtest.h"
#include "tests/common/wait_child.h"
#include "tests/unit/mock_trezor/test_host.h"

extern char** environ;

namespace stakeward::mocks::trezor::testing {
namespace {

// Reads one line from a pipe (socket_util's readers use recv(), which needs a socket).
absl::StatusOr<std::string> ReadPipeLine(int fd, absl::Time deadline) {
  std::string line;
  while (line.size() < 1024) {
    pollfd pfd{fd, POLLIN, 0};
    const int64_t left = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (left <= 0 || ::poll(&pfd, 1, static_cast<int>(left)) <= 0) {
      return absl::DeadlineExceededError("no READY line");
    }
    char c = 0;
    if (::read(fd, &c, 1) != 1) return absl::UnavailableError("pipe closed");
    if (c == '\n') return line;
    line.push_back(c);
  }
  return absl::OutOfRangeError("line too long");
}

TEST(MockTrezorExecutable, PrintsReadyServesAndExitsOnSigterm) {
  const std::string bin = std::string(STAKEWARD_BIN_DIR) + "/mock-trezor";
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  std::vector<std::string> args = {bin, "--port", "0", "--control-port", "0"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, bin.c_str(), &actions, nullptr, argv.data(), environ), 0) << bin;
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  UniqueFd read_end(out[0]);

  auto line = ReadPipeLine(read_end.get(), absl::Now() + absl::Seconds(10));
  ASSERT_TRUE(line.ok()) << line.status();
  // READY udp:127.0.0.1:<port> control:127.0.0.1:<port>
  std::vector<std::string> parts = absl::StrSplit(*line, ' ');
  ASSERT_EQ(parts.size(), 3u) << *line;
  EXPECT_EQ(parts[0], "READY");
  ASSERT_EQ(parts[1].rfind("udp:127.0.0.1:", 0), 0u) << *line;
  ASSERT_EQ(parts[2].rfind("control:127.0.0.1:", 0), 0u) << *line;
  uint32_t udp_port = 0, control_port = 0;
  ASSERT_TRUE(absl::SimpleAtoi(parts[1].substr(14), &udp_port));
  ASSERT_TRUE(absl::SimpleAtoi(parts[2].substr(18), &control_port));

  auto host = UdpHost::Connect(static_cast<uint16_t>(udp_port));
  ASSERT_TRUE(host.ok());
  EXPECT_TRUE(host->Ping());
  auto features = host->Call(55, chain::ByteView());
  ASSERT_TRUE(features.ok()) << features.status();
  EXPECT_EQ(features->type, 17);
  auto ctl = ConnectTcp(static_cast<uint16_t>(control_port));
  ASSERT_TRUE(ctl.ok());
  ASSERT_TRUE(WriteAll(ctl->get(), chain::View(std::string_view("ping\n"))).ok());
  auto pong = ReadLine(ctl->get(), 100, absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(pong.ok());
  EXPECT_EQ(*pong, "OK pong");

  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  int status = 0;
  const pid_t done = stakeward::testing::WaitChild(pid, 10000, &status) ? pid : 0;
  if (done == 0) ::kill(pid, SIGKILL);
  ASSERT_EQ(done, pid) << "mock-trezor did not exit on SIGTERM";
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace stakeward::mocks::trezor::testing
