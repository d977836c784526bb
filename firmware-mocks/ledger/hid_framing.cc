#include "firmware-mocks/ledger/hid_framing.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace stakeward::mocks::ledger {

std::vector<HidReport> FrameMessage(uint16_t channel, chain::ByteView message) {
  chain::Bytes stream;
  stream.reserve(message.size() + 2);
  stream.push_back(static_cast<uint8_t>(message.size() >> 8));
  stream.push_back(static_cast<uint8_t>(message.size() & 0xff));
  stream.insert(stream.end(), message.begin(), message.end());
  std::vector<HidReport> out;
  size_t pos = 0;
  uint16_t seq = 0;
  do {
    HidReport r{};
    r[0] = static_cast<uint8_t>(channel >> 8);
    r[1] = static_cast<uint8_t>(channel & 0xff);
    r[2] = kHidTagApdu;
    r[3] = static_cast<uint8_t>(seq >> 8);
    r[4] = static_cast<uint8_t>(seq & 0xff);
    size_t n = std::min(stream.size() - pos, kHidReportSize - 5);
    std::copy(stream.begin() + pos, stream.begin() + pos + n, r.begin() + 5);
    pos += n;
    ++seq;
    out.push_back(r);
  } while (pos < stream.size());
  return out;
}

void HidReassembler::Reset() {
  started_ = false;
  next_seq_ = 0;
  expected_ = 0;
  buf_.clear();
}

absl::StatusOr<std::optional<chain::Bytes>> HidReassembler::Add(const HidReport& report) {
  uint16_t channel = static_cast<uint16_t>(report[0] << 8 | report[1]);
  uint16_t seq = static_cast<uint16_t>(report[3] << 8 | report[4]);
  if (report[2] != kHidTagApdu) {
    Reset();
    return absl::InvalidArgumentError(absl::StrCat("bad HID tag ", report[2]));
  }
  if (seq != next_seq_) {
    Reset();
    return absl::InvalidArgumentError(absl::StrCat("bad HID sequence ", seq));
  }
  size_t payload_at = 5;
  if (!started_) {
    started_ = true;
    channel_ = channel;
    expected_ = static_cast<size_t>(report[5] << 8 | report[6]);
    payload_at = 7;
  } else if (channel != channel_) {
    Reset();
    return absl::InvalidArgumentError("HID channel changed inside a message");
  }
  ++next_seq_;
  size_t n = std::min(expected_ - buf_.size(), kHidReportSize - payload_at);
  buf_.insert(buf_.end(), report.begin() + payload_at, report.begin() + payload_at + n);
  if (buf_.size() < expected_) return std::optional<chain::Bytes>();
  chain::Bytes msg = std::move(buf_);
  uint16_t keep_channel = channel_;
  Reset();
  channel_ = keep_channel;
  return std::optional<chain::Bytes>(std::move(msg));
}

}  // namespace stakeward::mocks::ledger
