// A minimal Trezor host for the mock's tests: codec-v1 packets over UDP with deadlines, and the
// ButtonRequest -> ButtonAck loop. Independent of devices/ so the mock is tested on its own.
#ifndef STAKEWARD_TESTS_UNIT_MOCK_TREZOR_TEST_HOST_H_
#define STAKEWARD_TESTS_UNIT_MOCK_TREZOR_TEST_HOST_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chain/bytes.h"
#include "firmware-mocks/common/socket_util.h"
#include "firmware-mocks/trezor/codec_v1.h"
#include "google/protobuf/message_lite.h"

namespace stakeward::mocks::trezor::testing {

class UdpHost {
 public:
  static absl::StatusOr<UdpHost> Connect(uint16_t port);

  absl::Status Send(uint16_t type, chain::ByteView payload);
  // Reads packets until one message is complete. DEADLINE_EXCEEDED on timeout,
  // DATA_LOSS for a packet that breaks the framing.
  absl::StatusOr<WireMessage> Receive(absl::Duration timeout = absl::Seconds(5));
  // Sends, then acknowledges every ButtonRequest until another message arrives.
  absl::StatusOr<WireMessage> Call(uint16_t type, chain::ByteView payload,
                                   absl::Duration timeout = absl::Seconds(5),
                                   int* button_requests = nullptr);
  absl::StatusOr<WireMessage> Call(uint16_t type, const google::protobuf::MessageLite& msg,
                                   int* button_requests = nullptr);
  // PINGPING -> PONGPONG.
  bool Ping(absl::Duration timeout = absl::Seconds(2));
  // Sends raw bytes as one datagram.
  absl::Status SendRaw(chain::ByteView datagram);
  // Discards queued datagrams.
  void Drain();

 private:
  explicit UdpHost(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
};

// Hex of a protobuf message's serialization.
std::string PayloadHex(const WireMessage& m);

}  // namespace stakeward::mocks::trezor::testing

#endif  // STAKEWARD_TESTS_UNIT_MOCK_TREZOR_TEST_HOST_H_
