#include "firmware-mocks/ledger/ledger_mock.h"

#include "absl/strings/str_cat.h"
#include "firmware-mocks/common/ready.h"
#include "firmware-mocks/ledger/transports.h"

namespace stakeward::mocks::ledger {

LedgerMock::LedgerMock(LedgerMockOptions options) : options_(std::move(options)) {}

LedgerMock::~LedgerMock() { Stop(); }

absl::Status LedgerMock::Start() {
  if (absl::Status s = user_.Configure(options_.user); !s.ok()) return s;
  user_.SetDelayMs(options_.delay_ms);
  if (options_.screen_log.has_value()) {
    if (absl::Status s = screens_.OpenFile(*options_.screen_log); !s.ok()) return s;
  }
  absl::StatusOr<Keyring> keys = Keyring::FromMnemonic(options_.mnemonic);
  if (!keys.ok()) return keys.status();
  eth::EthOptions eth_options;
  eth_options.blind_signing = options_.blind_signing;
  device_ = std::make_unique<LedgerDevice>(*std::move(keys), &user_, &screens_, options_.app,
                                           eth_options, options_.malice, options_.expert_mode);
  device_->SetLocked(options_.locked);
  control_ = std::make_unique<ControlServer>(
      &user_, &faults_, &screens_,
      [this](const std::vector<std::string>& args) { return Extension(args); });
  apdu_server_ = std::make_unique<StreamServer>([this](int fd, const std::atomic<bool>& stopping) {
    ServeSpeculos(fd, stopping, *device_, faults_);
  });
  if (absl::Status s = apdu_server_->StartTcp(options_.apdu_port); !s.ok()) return s;
  if (options_.hid_socket.has_value()) {
    hid_server_ = std::make_unique<StreamServer>([this](int fd, const std::atomic<bool>& stopping) {
      ServeHidSocket(fd, stopping, *device_, faults_);
    });
    if (absl::Status s = hid_server_->StartUnix(*options_.hid_socket); !s.ok()) return s;
  }
  if (options_.control_port.has_value()) {
    if (absl::Status s = control_->Start(*options_.control_port); !s.ok()) return s;
  }
  return absl::OkStatus();
}

void LedgerMock::Stop() {
  if (control_) control_->Stop();
  if (hid_server_) hid_server_->Stop();
  if (apdu_server_) apdu_server_->Stop();
}

uint16_t LedgerMock::apdu_port() const { return apdu_server_ ? apdu_server_->port() : 0; }
uint16_t LedgerMock::control_port() const { return control_ ? control_->port() : 0; }

std::vector<std::string> LedgerMock::DeviceUris() const {
  std::vector<std::string> uris = {TcpUri(apdu_port())};
  if (options_.hid_socket.has_value())
    uris.push_back(absl::StrCat("hidsock:", *options_.hid_socket));
  return uris;
}

std::vector<std::string> LedgerMock::Control(std::string_view line) {
  return control_->Execute(line);
}

std::optional<std::vector<std::string>> LedgerMock::Extension(
    const std::vector<std::string>& args) {
  if (args[0] == "app") {
    absl::StatusOr<AppKind> app =
        args.size() == 2 ? ParseAppKind(args[1]) : absl::InvalidArgumentError("usage");
    if (!app.ok()) return std::vector<std::string>{"ERR usage: app cardano|ethereum|dashboard"};
    device_->OpenApp(*app);
    return std::vector<std::string>{absl::StrCat("OK app ", std::string(AppKindName(*app)))};
  }
  if (args[0] == "lock" || args[0] == "unlock") {
    if (args.size() != 1) return std::vector<std::string>{"ERR usage: lock | unlock"};
    device_->SetLocked(args[0] == "lock");
    return std::vector<std::string>{absl::StrCat("OK ", args[0], "ed")};
  }
  if (args[0] == "blind-signing") {
    if (args.size() != 2 || (args[1] != "on" && args[1] != "off")) {
      return std::vector<std::string>{"ERR usage: blind-signing on|off"};
    }
    device_->SetBlindSigning(args[1] == "on");
    return std::vector<std::string>{absl::StrCat("OK blind-signing ", args[1])};
  }
  if (args[0] == "stats") {
    if (args.size() == 2 && args[1] == "reset") {
      device_->ResetStats();
      return std::vector<std::string>{"OK stats reset"};
    }
    if (args.size() != 1) return std::vector<std::string>{"ERR usage: stats | stats reset"};
    ExchangeStats s = device_->stats();
    return std::vector<std::string>{absl::StrCat(
        "OK exchanges=", s.exchanges, " bytes_in=", s.bytes_in, " bytes_out=", s.bytes_out)};
  }
  return std::nullopt;
}

}  // namespace stakeward::mocks::ledger
