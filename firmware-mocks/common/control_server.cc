#include "firmware-mocks/common/control_server.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace stakeward::mocks {
namespace {

constexpr size_t kMaxLine = 4096;

std::vector<std::string> One(std::string line) { return {std::move(line)}; }

}  // namespace

ControlServer::ControlServer(UserModel* user, FaultInjector* faults, ScreenLog* screens,
                             Extension extension)
    : user_(user),
      faults_(faults),
      screens_(screens),
      extension_(std::move(extension)),
      server_([this](int fd, const std::atomic<bool>& stopping) { Serve(fd, stopping); }) {}

ControlServer::~ControlServer() { Stop(); }

absl::Status ControlServer::Start(uint16_t port) { return server_.StartTcp(port); }

void ControlServer::Stop() { server_.Stop(); }

std::vector<std::string> ControlServer::Execute(std::string_view line) {
  std::vector<std::string> args =
      absl::StrSplit(absl::string_view(line.data(), line.size()), ' ', absl::SkipEmpty());
  if (args.empty()) return One("ERR empty command");
  const std::string& cmd = args[0];
  if (cmd == "ping" && args.size() == 1) return One("OK pong");
  if (cmd == "user") {
    if (args.size() == 2 && args[1] == "approve") {
      user_->Approve();
      return One("OK user approve");
    }
    if (args.size() == 3 && args[1] == "reject") {
      user_->RejectAt(args[2]);
      return One(absl::StrCat("OK user reject ", args[2]));
    }
    return One("ERR usage: user approve | user reject <step>");
  }
  if (cmd == "delay") {
    uint32_t ms = 0;
    if (args.size() != 2 || !absl::SimpleAtoi(args[1], &ms) || ms > 600000) {
      return One("ERR usage: delay <ms> (at most 600000)");
    }
    user_->SetDelayMs(ms);
    return One(absl::StrCat("OK delay ", ms));
  }
  if (cmd == "fault") {
    uint32_t after = 0;
    bool shape_ok = args.size() == 2 ||
                    (args.size() == 4 && args[2] == "after" && absl::SimpleAtoi(args[3], &after));
    absl::StatusOr<Fault> f =
        args.size() >= 2 ? ParseFault(args[1]) : absl::InvalidArgumentError("missing fault");
    if (!shape_ok || !f.ok()) {
      return One(
          "ERR usage: fault drop|corrupt|truncate|disconnect|wrong-channel|none [after <n>]");
    }
    faults_->Arm(*f, after);
    return One(absl::StrCat("OK fault ", std::string(FaultName(*f)), " after ", after));
  }
  if (cmd == "screens") {
    if (args.size() == 2 && args[1] == "clear") {
      screens_->Clear();
      return One("OK screens clear");
    }
    if (args.size() != 1) return One("ERR usage: screens | screens clear");
    std::vector<std::string> lines = screens_->Lines();
    std::vector<std::string> out;
    out.reserve(lines.size() + 1);
    out.push_back(absl::StrCat("OK ", lines.size()));
    for (std::string& l : lines) out.push_back(std::move(l));
    return out;
  }
  if (extension_) {
    std::optional<std::vector<std::string>> r = extension_(args);
    if (r.has_value()) return *std::move(r);
  }
  return One(absl::StrCat("ERR unknown command '", cmd, "'"));
}

void ControlServer::Serve(int fd, const std::atomic<bool>& stopping) {
  while (!stopping) {
    absl::StatusOr<std::string> line = ReadLine(fd, kMaxLine, absl::InfiniteFuture());
    if (!line.ok()) return;
    std::string reply;
    for (const std::string& l : Execute(*line)) absl::StrAppend(&reply, l, "\n");
    if (!WriteAll(fd, chain::View(reply)).ok()) return;
  }
}

}  // namespace stakeward::mocks
