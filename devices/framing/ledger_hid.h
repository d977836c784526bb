// Ledger USB HID framing (ledger.md §1.2): 64-byte reports, header = channel (u16be), tag 0x05,
// sequence (u16be, from 0); the first frame of a message carries a u16be length. Pure functions.
#ifndef STAKEWARD_DEVICES_FRAMING_LEDGER_HID_H_
#define STAKEWARD_DEVICES_FRAMING_LEDGER_HID_H_

#include <array>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "chain/bytes.h"

namespace stakeward::devices::framing {

inline constexpr size_t kHidReportSize = 64;
inline constexpr uint8_t kLedgerTagApdu = 0x05;
using HidReport = std::array<uint8_t, kHidReportSize>;

// Cuts `message` (an APDU, or a response) into zero-padded reports. The message must be shorter
// than 65536 bytes (checked).
std::vector<HidReport> LedgerHidFrame(uint16_t channel, chain::ByteView message);

// Reassembles one message from reports in arrival order. Every report is checked: size, channel,
// tag, sequence. A mismatch is DATA_LOSS and the reassembler must not be fed again.
class LedgerHidReassembler {
 public:
  explicit LedgerHidReassembler(uint16_t channel) : channel_(channel) {}
  // OK when the report was accepted; done() tells whether the message is complete.
  absl::Status Add(chain::ByteView report);
  bool done() const { return expected_ >= 0 && data_.size() >= static_cast<size_t>(expected_); }
  // The message (truncated to the announced length). Only after done().
  chain::Bytes Take();

 private:
  uint16_t channel_;
  uint16_t next_sequence_ = 0;
  int32_t expected_ = -1;
  chain::Bytes data_;
};

}  // namespace stakeward::devices::framing

#endif  // STAKEWARD_DEVICES_FRAMING_LEDGER_HID_H_
