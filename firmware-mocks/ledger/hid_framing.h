// Ledger USB HID framing (specs/ledger.md §1.2): 64-byte reports `channel(2) tag(1)=0x05 seq(2)
// payload(59)`; a message is `u16be length || bytes`, cut across reports, zero-padded.
#ifndef STAKEWARD_FIRMWARE_MOCKS_LEDGER_HID_FRAMING_H_
#define STAKEWARD_FIRMWARE_MOCKS_LEDGER_HID_FRAMING_H_

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "chain/bytes.h"

namespace stakeward::mocks::ledger {

inline constexpr size_t kHidReportSize = 64;
inline constexpr uint8_t kHidTagApdu = 0x05;

using HidReport = std::array<uint8_t, kHidReportSize>;

// Cuts a message (an APDU host->device, or data||SW device->host) into reports on `channel`.
std::vector<HidReport> FrameMessage(uint16_t channel, chain::ByteView message);

// Reassembles one message from consecutive reports. Feed reports in order; Add() returns the
// message once complete. Errors (INVALID_ARGUMENT) on a bad tag, channel change or sequence gap.
class HidReassembler {
 public:
  absl::StatusOr<std::optional<chain::Bytes>> Add(const HidReport& report);
  uint16_t channel() const { return channel_; }
  void Reset();

 private:
  bool started_ = false;
  uint16_t channel_ = 0;
  uint16_t next_seq_ = 0;
  size_t expected_ = 0;
  chain::Bytes buf_;
};

}  // namespace stakeward::mocks::ledger

#endif  // STAKEWARD_FIRMWARE_MOCKS_LEDGER_HID_FRAMING_H_
