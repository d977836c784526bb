#include "firmware-mocks/common/fault_injector.h"

#include "absl/strings/str_cat.h"

namespace stakeward::mocks {

absl::StatusOr<Fault> ParseFault(std::string_view name) {
  if (name == "none") return Fault::kNone;
  if (name == "drop") return Fault::kDrop;
  if (name == "corrupt") return Fault::kCorrupt;
  if (name == "truncate") return Fault::kTruncate;
  if (name == "disconnect") return Fault::kDisconnect;
  if (name == "wrong-channel") return Fault::kWrongChannel;
  return absl::InvalidArgumentError(absl::StrCat("unknown fault '", std::string(name), "'"));
}

std::string_view FaultName(Fault f) {
  switch (f) {
    case Fault::kNone:
      return "none";
    case Fault::kDrop:
      return "drop";
    case Fault::kCorrupt:
      return "corrupt";
    case Fault::kTruncate:
      return "truncate";
    case Fault::kDisconnect:
      return "disconnect";
    case Fault::kWrongChannel:
      return "wrong-channel";
  }
  return "none";
}

void FaultInjector::Arm(Fault fault, uint32_t after) {
  absl::MutexLock lock(&mu_);
  armed_ = fault;
  skip_ = after;
}

void FaultInjector::Disarm() { Arm(Fault::kNone, 0); }

Fault FaultInjector::NextFrame() {
  absl::MutexLock lock(&mu_);
  if (armed_ == Fault::kNone) return Fault::kNone;
  if (skip_ > 0) {
    --skip_;
    return Fault::kNone;
  }
  Fault f = armed_;
  armed_ = Fault::kNone;
  ++fired_;
  return f;
}

uint32_t FaultInjector::fired() const {
  absl::MutexLock lock(&mu_);
  return fired_;
}

void FaultInjector::Corrupt(chain::Bytes& frame) {
  for (size_t i = 0; i < frame.size() && i < 8; ++i) frame[i] ^= 0xA5;
  if (!frame.empty()) frame.back() ^= 0x5A;
}

void FaultInjector::Truncate(chain::Bytes& frame) { frame.resize(frame.size() / 2); }

}  // namespace stakeward::mocks
