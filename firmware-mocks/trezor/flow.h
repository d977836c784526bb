// What a request handler answers: the screens the device shows first (each one a ButtonRequest
// that the host must ButtonAck and the simulated user must approve), then one final message.
// Multi-message workflows (Cardano and Ethereum signing) implement Flow.
#ifndef STAKEWARD_FIRMWARE_MOCKS_TREZOR_FLOW_H_
#define STAKEWARD_FIRMWARE_MOCKS_TREZOR_FLOW_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "firmware-mocks/trezor/codec_v1.h"
#include "firmware-mocks/trezor/failures.h"
#include "google/protobuf/message_lite.h"
#include "proto/trezor/messages.pb.h"
#include "proto/trezor/messages_common.pb.h"

namespace stakeward::mocks::trezor {

using ButtonRequestType = hw::trezor::messages::common::ButtonRequest::ButtonRequestType;
using hw::trezor::messages::MessageType;

struct Screen {
  std::string step;  // the user-model step (control protocol `user reject <step>`)
  ButtonRequestType code = hw::trezor::messages::common::ButtonRequest::ButtonRequest_Other;
  std::string text;  // the screen-log line
};

struct Reply {
  std::vector<Screen> screens;
  WireMessage message;
};

template <typename M>
Reply MakeReply(MessageType type, const M& msg, std::vector<Screen> screens = {}) {
  Reply r;
  r.screens = std::move(screens);
  r.message.type = static_cast<uint16_t>(type);
  const std::string bytes = msg.SerializeAsString();
  r.message.payload.assign(bytes.begin(), bytes.end());
  return r;
}

// Parses a payload; proto2 required fields must be present (the firmware decoder refuses a
// message without them).
template <typename M>
absl::StatusOr<M> ParseMessage(const WireMessage& wire) {
  M msg;
  if (!msg.ParsePartialFromArray(wire.payload.data(), static_cast<int>(wire.payload.size()))) {
    return DataError("Failed to decode message");
  }
  if (!msg.IsInitialized()) return DataError("Missing required field");
  return msg;
}

class Flow {
 public:
  virtual ~Flow() = default;
  // Whether `type` is the message the flow waits for next. Any other message aborts the flow
  // and is handled as a fresh request, as the firmware's wire loop does.
  virtual bool Expects(uint16_t type) const = 0;
  virtual absl::StatusOr<Reply> Handle(const WireMessage& msg) = 0;
  virtual bool done() const = 0;
};

}  // namespace stakeward::mocks::trezor

#endif  // STAKEWARD_FIRMWARE_MOCKS_TREZOR_FLOW_H_
