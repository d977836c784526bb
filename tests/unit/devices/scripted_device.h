// Test doubles for the transport layer: a device that replays a recorded exchange and checks
// every host message byte for byte (Ledger APDUs over Speculos framing; Trezor protobuf messages
// over codec-v1 packets).
#ifndef STAKEWARD_TESTS_UNIT_DEVICES_SCRIPTED_DEVICE_H_
#define STAKEWARD_TESTS_UNIT_DEVICES_SCRIPTED_DEVICE_H_

#include <deque>
#include <string>
#include <vector>

#include "chain/bytes.h"
#include "devices/framing/speculos.h"
#include "devices/framing/trezor_v1.h"
#include "devices/transport/transport.h"
#include "gtest/gtest.h"

namespace stakeward::devices::testing {

inline chain::Bytes Hex(std::string_view h) {
  auto b = chain::HexDecode(h);
  EXPECT_TRUE(b.ok()) << h;
  return b.ok() ? *b : chain::Bytes{};
}

// Ledger over the Speculos framing: each step is (expected APDU hex, reply hex = data || SW).
class ScriptedLedger : public Transport {
 public:
  struct Step {
    std::string apdu_hex;
    std::string reply_hex;
  };
  explicit ScriptedLedger(std::vector<Step> steps) : steps_(steps.begin(), steps.end()) {}
  Kind kind() const override { return Kind::kStream; }
  std::string uri() const override { return "tcp:scripted"; }
  absl::Status Write(chain::ByteView chunk, absl::Time) override {
    if (steps_.empty()) {
      ADD_FAILURE() << "unexpected APDU " << chain::HexEncode(chunk);
      return absl::UnavailableError("script finished");
    }
    Step s = steps_.front();
    steps_.pop_front();
    EXPECT_EQ(chain::HexEncode(chunk),
              chain::HexEncode(framing::SpeculosFrame(chain::View(Hex(s.apdu_hex)))));
    chain::Bytes reply = Hex(s.reply_hex);
    uint32_t m = static_cast<uint32_t>(reply.size() - 2);
    pending_ = {static_cast<uint8_t>(m >> 24), static_cast<uint8_t>(m >> 16),
                static_cast<uint8_t>(m >> 8), static_cast<uint8_t>(m)};
    pending_.insert(pending_.end(), reply.begin(), reply.end());
    return absl::OkStatus();
  }
  absl::StatusOr<chain::Bytes> Read(absl::Time) override {
    if (pending_.empty()) return absl::DeadlineExceededError("no reply scripted");
    // Deliver in two pieces to exercise reassembly.
    size_t half = pending_.size() / 2 + 1;
    chain::Bytes out(pending_.begin(), pending_.begin() + std::min(half, pending_.size()));
    pending_.erase(pending_.begin(), pending_.begin() + out.size());
    return out;
  }
  bool finished() const { return steps_.empty(); }

 private:
  std::deque<Step> steps_;
  chain::Bytes pending_;
};

// Trezor over codec-v1 packets: each step is an expected host message and the device's reply.
class ScriptedTrezor : public Transport {
 public:
  struct Message {
    uint16_t type = 0;
    std::string payload_hex;
  };
  struct Step {
    Message host;
    Message device;
  };
  explicit ScriptedTrezor(std::vector<Step> steps) : steps_(steps.begin(), steps.end()) {}
  Kind kind() const override { return Kind::kReports; }
  std::string uri() const override { return "udp:scripted"; }
  absl::Status Write(chain::ByteView chunk, absl::Time) override {
    absl::Status s = in_.Add(chunk);
    EXPECT_TRUE(s.ok()) << s;
    if (!in_.done()) return absl::OkStatus();
    uint16_t type = in_.type();
    std::string payload = chain::HexEncode(chain::View(in_.TakePayload()));
    in_ = framing::TrezorV1Reassembler();
    if (steps_.empty()) {
      ADD_FAILURE() << "unexpected message type " << type << " " << payload;
      return absl::UnavailableError("script finished");
    }
    Step st = steps_.front();
    steps_.pop_front();
    EXPECT_EQ(type, st.host.type);
    EXPECT_EQ(payload, st.host.payload_hex) << "host message type " << type;
    for (const auto& p :
         framing::TrezorV1Frame(st.device.type, chain::View(Hex(st.device.payload_hex)))) {
      out_.emplace_back(p.begin(), p.end());
    }
    return absl::OkStatus();
  }
  absl::StatusOr<chain::Bytes> Read(absl::Time) override {
    if (out_.empty()) return absl::DeadlineExceededError("no reply scripted");
    chain::Bytes p = out_.front();
    out_.pop_front();
    return p;
  }
  bool finished() const { return steps_.empty(); }

 private:
  std::deque<Step> steps_;
  framing::TrezorV1Reassembler in_;
  std::deque<chain::Bytes> out_;
};

}  // namespace stakeward::devices::testing

#endif  // STAKEWARD_TESTS_UNIT_DEVICES_SCRIPTED_DEVICE_H_
