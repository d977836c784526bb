// The mock-ledger executable: READY line, working ports, clean exit on SIGTERM.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "firmware-mocks/common/socket_util.h"
#include "gtest/gtest.h"
#include "tests/common/wait_child.h"
#include "tests/unit/mock_ledger/test_host.h"

namespace stakeward::mocks::ledger {
namespace {

TEST(ExecutableTest, ReadyLineAndSigterm) {
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  const std::string bin = std::string(STAKEWARD_BIN_DIR) + "/mock-ledger";
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::close(out[0]);
    ::execl(bin.c_str(), bin.c_str(), "--apdu-port", "0", "--control-port", "0", "--app",
            "ethereum", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  UniqueFd read_end(out[0]);
  // Never leave the child running, whatever assertion fails below.
  struct Reaper {
    pid_t pid;
    ~Reaper() {
      if (pid > 0 && ::waitpid(pid, nullptr, WNOHANG) == 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, nullptr, 0);
      }
    }
  } reaper{pid};
  absl::StatusOr<std::string> line = ReadLine(read_end.get(), 512, absl::Now() + absl::Seconds(10));
  ASSERT_TRUE(line.ok()) << line.status();
  // Parsed by hand (std::regex trips GCC 12's -Wmaybe-uninitialized under ASan).
  unsigned apdu = 0, control = 0;
  char tail = 0;
  ASSERT_EQ(std::sscanf(line->c_str(), "READY tcp:127.0.0.1:%u control:127.0.0.1:%u%c", &apdu,
                        &control, &tail),
            2)
      << *line;
  ASSERT_TRUE(apdu > 0 && apdu < 65536 && control > 0 && control < 65536) << *line;
  const uint16_t apdu_port = static_cast<uint16_t>(apdu);
  const uint16_t control_port = static_cast<uint16_t>(control);

  absl::StatusOr<testing::SpeculosClient> c = testing::SpeculosClient::Connect(apdu_port);
  ASSERT_TRUE(c.ok());
  absl::StatusOr<chain::Bytes> cfg = c->ExchangeHex("e006000000");
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(chain::HexEncode(chain::ByteView(cfg->data() + cfg->size() - 2, 2)), "9000");
  absl::StatusOr<UniqueFd> ctl = ConnectTcp(control_port);
  ASSERT_TRUE(ctl.ok());
  ASSERT_TRUE(WriteAll(ctl->get(), chain::View(std::string("ping\n"))).ok());
  absl::StatusOr<std::string> pong = ReadLine(ctl->get(), 64, absl::Now() + absl::Seconds(5));
  ASSERT_TRUE(pong.ok());
  EXPECT_EQ(*pong, "OK pong");

  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  int status = 0;
  const pid_t done = stakeward::testing::WaitChild(pid, 10000, &status) ? pid : 0;
  ASSERT_NE(done, 0) << "mock-ledger did not exit on SIGTERM";
  reaper.pid = 0;
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace stakeward::mocks::ledger
