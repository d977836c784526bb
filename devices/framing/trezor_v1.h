// Trezor protocol v1 ("codec v1") framing (trezor.md §1.1): first packet '?' '#' '#' +
// u16be type + u32be length + 55 payload bytes; continuations '?' + 63 bytes; zero padded.
// Pure functions.
#ifndef STAKEWARD_DEVICES_FRAMING_TREZOR_V1_H_
#define STAKEWARD_DEVICES_FRAMING_TREZOR_V1_H_

#include <array>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "chain/bytes.h"

namespace stakeward::devices::framing {

using TrezorPacket = std::array<uint8_t, 64>;

std::vector<TrezorPacket> TrezorV1Frame(uint16_t type, chain::ByteView payload);

// No protocol maximum exists; Stakeward's replies are small, so anything above this is refused
// before allocating (untrusted length).
inline constexpr uint32_t kTrezorMaxMessage = 64 * 1024;

class TrezorV1Reassembler {
 public:
  // DATA_LOSS on a bad magic, a bad size or an oversized length.
  absl::Status Add(chain::ByteView packet);
  bool done() const { return started_ && payload_.size() == length_; }
  uint16_t type() const { return type_; }
  chain::Bytes TakePayload();  // only after done()

 private:
  bool started_ = false;
  uint16_t type_ = 0;
  uint32_t length_ = 0;
  chain::Bytes payload_;
};

}  // namespace stakeward::devices::framing

#endif  // STAKEWARD_DEVICES_FRAMING_TREZOR_V1_H_
