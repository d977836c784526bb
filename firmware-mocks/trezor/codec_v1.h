// Trezor protocol v1 ("codec v1") framing over 64-byte packets, as the Core firmware and the
// emulator's UDP transport speak it (specs/trezor.md §1.1):
//   first packet:  '?' '#' '#' | type (BE16) | length (BE32) | 55 payload bytes
//   continuation:  '?' | 63 payload bytes
// Pure byte functions; no I/O.
#ifndef STAKEWARD_FIRMWARE_MOCKS_TREZOR_CODEC_V1_H_
#define STAKEWARD_FIRMWARE_MOCKS_TREZOR_CODEC_V1_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "chain/bytes.h"

namespace stakeward::mocks::trezor {

inline constexpr size_t kPacketSize = 64;
inline constexpr size_t kFirstPayload = 55;
inline constexpr size_t kContinuationPayload = 63;
// The mock refuses to buffer more than this per message (the real device is bounded by its RAM).
inline constexpr uint32_t kMaxMessageSize = 1u << 20;

using Packet = std::array<uint8_t, kPacketSize>;

// One protobuf message with its MessageType id.
struct WireMessage {
  uint16_t type = 0;
  chain::Bytes payload;
};

// Splits a message into zero-padded 64-byte packets.
std::vector<Packet> EncodePackets(uint16_t type, chain::ByteView payload);

// Reassembles host->device packets into messages.
class Reassembler {
 public:
  // Feeds one packet (datagram). Returns a complete message, nullopt if more packets are needed,
  // or INVALID_ARGUMENT for a bad magic / oversized message (the partial message is dropped).
  absl::StatusOr<std::optional<WireMessage>> Feed(chain::ByteView packet);
  void Reset();
  bool in_progress() const { return in_progress_; }

 private:
  bool in_progress_ = false;
  uint16_t type_ = 0;
  uint32_t expected_ = 0;
  chain::Bytes buffer_;
};

}  // namespace stakeward::mocks::trezor

#endif  // STAKEWARD_FIRMWARE_MOCKS_TREZOR_CODEC_V1_H_
