#include "devices/framing/trezor_v1.h"

#include "absl/strings/str_cat.h"
#include "chain/check.h"

namespace stakeward::devices::framing {

std::vector<TrezorPacket> TrezorV1Frame(uint16_t type, chain::ByteView payload) {
  SW_CHECK(payload.size() <= 0xffffffffu);
  std::vector<TrezorPacket> out;
  TrezorPacket first{};
  uint32_t len = static_cast<uint32_t>(payload.size());
  first[0] = '?';
  first[1] = '#';
  first[2] = '#';
  first[3] = static_cast<uint8_t>(type >> 8);
  first[4] = static_cast<uint8_t>(type);
  first[5] = static_cast<uint8_t>(len >> 24);
  first[6] = static_cast<uint8_t>(len >> 16);
  first[7] = static_cast<uint8_t>(len >> 8);
  first[8] = static_cast<uint8_t>(len);
  size_t n = std::min<size_t>(payload.size(), 55);
  std::copy(payload.begin(), payload.begin() + n, first.begin() + 9);
  out.push_back(first);
  for (size_t off = n; off < payload.size(); off += 63) {
    TrezorPacket p{};
    p[0] = '?';
    size_t m = std::min<size_t>(payload.size() - off, 63);
    std::copy(payload.begin() + off, payload.begin() + off + m, p.begin() + 1);
    out.push_back(p);
  }
  return out;
}

absl::Status TrezorV1Reassembler::Add(chain::ByteView packet) {
  if (packet.size() != 64) {
    return absl::DataLossError(
        absl::StrCat("Trezor: packet of ", packet.size(), " bytes, expected 64"));
  }
  if (done()) return absl::DataLossError("Trezor: packet after the end of the message");
  size_t off;
  if (!started_) {
    if (packet[0] != '?' || packet[1] != '#' || packet[2] != '#') {
      return absl::DataLossError("Trezor: first packet without the \"?##\" magic");
    }
    type_ = static_cast<uint16_t>(packet[3] << 8 | packet[4]);
    length_ = static_cast<uint32_t>(packet[5]) << 24 | static_cast<uint32_t>(packet[6]) << 16 |
              static_cast<uint32_t>(packet[7]) << 8 | packet[8];
    if (length_ > kTrezorMaxMessage) {
      return absl::DataLossError(absl::StrCat("Trezor: message announces ", length_, " bytes"));
    }
    started_ = true;
    payload_.reserve(length_);
    off = 9;
  } else {
    if (packet[0] != '?') return absl::DataLossError("Trezor: continuation without '?'");
    off = 1;
  }
  // Cut at the announced length: the firmware may leave stale bytes in the padding.
  size_t n = std::min<size_t>(length_ - payload_.size(), 64 - off);
  payload_.insert(payload_.end(), packet.begin() + off, packet.begin() + off + n);
  return absl::OkStatus();
}

chain::Bytes TrezorV1Reassembler::TakePayload() {
  SW_CHECK(done());
  return std::move(payload_);
}

}  // namespace stakeward::devices::framing
