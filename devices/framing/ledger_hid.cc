#include "devices/framing/ledger_hid.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "chain/check.h"

namespace stakeward::devices::framing {

std::vector<HidReport> LedgerHidFrame(uint16_t channel, chain::ByteView message) {
  SW_CHECK(message.size() < 0x10000);
  // Payload stream = u16be length || message, cut into 59-byte pieces after the 5-byte header.
  chain::Bytes stream;
  stream.reserve(message.size() + 2);
  stream.push_back(static_cast<uint8_t>(message.size() >> 8));
  stream.push_back(static_cast<uint8_t>(message.size()));
  stream.insert(stream.end(), message.begin(), message.end());
  std::vector<HidReport> out;
  size_t off = 0;
  uint16_t seq = 0;
  do {
    HidReport r{};
    r[0] = static_cast<uint8_t>(channel >> 8);
    r[1] = static_cast<uint8_t>(channel);
    r[2] = kLedgerTagApdu;
    r[3] = static_cast<uint8_t>(seq >> 8);
    r[4] = static_cast<uint8_t>(seq);
    size_t n = std::min(stream.size() - off, kHidReportSize - 5);
    std::copy(stream.begin() + off, stream.begin() + off + n, r.begin() + 5);
    off += n;
    ++seq;
    out.push_back(r);
  } while (off < stream.size());
  return out;
}

absl::Status LedgerHidReassembler::Add(chain::ByteView report) {
  if (report.size() != kHidReportSize) {
    return absl::DataLossError(
        absl::StrCat("Ledger HID: report of ", report.size(), " bytes, expected 64"));
  }
  uint16_t channel = static_cast<uint16_t>(report[0] << 8 | report[1]);
  uint16_t seq = static_cast<uint16_t>(report[3] << 8 | report[4]);
  if (channel != channel_) {
    return absl::DataLossError(
        absl::StrFormat("Ledger HID: reply on channel 0x%04x, expected 0x%04x (InvalidChannel)",
                        channel, channel_));
  }
  if (report[2] != kLedgerTagApdu) {
    return absl::DataLossError(
        absl::StrFormat("Ledger HID: tag 0x%02x, expected 0x05 (InvalidTag)", report[2]));
  }
  if (seq != next_sequence_) {
    return absl::DataLossError(absl::StrFormat(
        "Ledger HID: sequence %d, expected %d (InvalidSequence)", seq, next_sequence_));
  }
  if (done()) return absl::DataLossError("Ledger HID: report after the end of the message");
  size_t off = 5;
  if (seq == 0) {
    expected_ = report[5] << 8 | report[6];
    off = 7;
  }
  ++next_sequence_;
  size_t want = static_cast<size_t>(expected_) - data_.size();
  size_t n = std::min(want, kHidReportSize - off);
  data_.insert(data_.end(), report.begin() + off, report.begin() + off + n);
  return absl::OkStatus();
}

chain::Bytes LedgerHidReassembler::Take() {
  SW_CHECK(done());
  return std::move(data_);
}

}  // namespace stakeward::devices::framing
