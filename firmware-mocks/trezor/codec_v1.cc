#include "firmware-mocks/trezor/codec_v1.h"

#include <algorithm>

#include "absl/status/status.h"

namespace stakeward::mocks::trezor {

std::vector<Packet> EncodePackets(uint16_t type, chain::ByteView payload) {
  std::vector<Packet> packets;
  Packet first{};
  first[0] = '?';
  first[1] = '#';
  first[2] = '#';
  first[3] = static_cast<uint8_t>(type >> 8);
  first[4] = static_cast<uint8_t>(type);
  const uint32_t len = static_cast<uint32_t>(payload.size());
  first[5] = static_cast<uint8_t>(len >> 24);
  first[6] = static_cast<uint8_t>(len >> 16);
  first[7] = static_cast<uint8_t>(len >> 8);
  first[8] = static_cast<uint8_t>(len);
  size_t n = std::min(payload.size(), kFirstPayload);
  std::copy_n(payload.begin(), n, first.begin() + 9);
  packets.push_back(first);
  size_t pos = n;
  while (pos < payload.size()) {
    Packet cont{};
    cont[0] = '?';
    n = std::min(payload.size() - pos, kContinuationPayload);
    std::copy_n(payload.begin() + pos, n, cont.begin() + 1);
    packets.push_back(cont);
    pos += n;
  }
  return packets;
}

void Reassembler::Reset() {
  in_progress_ = false;
  type_ = 0;
  expected_ = 0;
  buffer_.clear();
}

absl::StatusOr<std::optional<WireMessage>> Reassembler::Feed(chain::ByteView packet) {
  if (!in_progress_) {
    if (packet.size() < 9 || packet[0] != '?' || packet[1] != '#' || packet[2] != '#') {
      return absl::InvalidArgumentError("Invalid magic");
    }
    type_ = static_cast<uint16_t>((packet[3] << 8) | packet[4]);
    expected_ = (uint32_t{packet[5]} << 24) | (uint32_t{packet[6]} << 16) |
                (uint32_t{packet[7]} << 8) | uint32_t{packet[8]};
    if (expected_ > kMaxMessageSize) {
      Reset();
      return absl::InvalidArgumentError("Message too large");
    }
    buffer_.clear();
    buffer_.reserve(expected_);
    const size_t n = std::min<size_t>(expected_, packet.size() - 9);
    buffer_.insert(buffer_.end(), packet.begin() + 9, packet.begin() + 9 + n);
    in_progress_ = true;
  } else {
    if (packet.empty() || packet[0] != '?') {
      Reset();
      return absl::InvalidArgumentError("Invalid magic");
    }
    const size_t n = std::min<size_t>(expected_ - buffer_.size(), packet.size() - 1);
    buffer_.insert(buffer_.end(), packet.begin() + 1, packet.begin() + 1 + n);
  }
  if (buffer_.size() < expected_) return std::optional<WireMessage>();
  WireMessage msg{type_, std::move(buffer_)};
  Reset();
  return std::optional<WireMessage>(std::move(msg));
}

}  // namespace stakeward::mocks::trezor
