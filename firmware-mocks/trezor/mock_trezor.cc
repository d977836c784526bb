#include "firmware-mocks/trezor/mock_trezor.h"

#include <utility>

namespace stakeward::mocks::trezor {

MockTrezor::MockTrezor(MockTrezorOptions options) : options_(std::move(options)) {}

MockTrezor::~MockTrezor() { Stop(); }

absl::Status MockTrezor::Start() {
  if (auto s = user_.Configure(options_.user); !s.ok()) return s;
  user_.SetDelayMs(options_.delay_ms);
  if (!options_.screen_log_path.empty()) {
    if (auto s = screens_.OpenFile(options_.screen_log_path); !s.ok()) return s;
  }
  DeviceConfig config;
  config.mnemonic = options_.mnemonic;
  config.pin = options_.pin;
  config.passphrase = options_.passphrase;
  config.model_one = options_.model_one;
  config.malice = options_.malice;
  auto device = TrezorDevice::Create(config, &user_, &screens_);
  if (!device.ok()) return device.status();
  device_ = std::move(*device);
  udp_ = std::make_unique<UdpServer>(device_.get(), &faults_);
  if (auto s = udp_->Start(options_.port); !s.ok()) {
    udp_.reset();
    return s;
  }
  if (options_.control) {
    control_ = std::make_unique<ControlServer>(&user_, &faults_, &screens_);
    if (auto s = control_->Start(options_.control_port); !s.ok()) {
      Stop();
      return s;
    }
  }
  return absl::OkStatus();
}

void MockTrezor::Stop() {
  if (control_) control_->Stop();
  if (udp_) udp_->Stop();
  control_.reset();
  udp_.reset();
}

uint16_t MockTrezor::port() const { return udp_ ? udp_->port() : 0; }
uint16_t MockTrezor::control_port() const { return control_ ? control_->port() : 0; }

}  // namespace stakeward::mocks::trezor
