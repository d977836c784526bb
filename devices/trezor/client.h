// Typed Trezor protocol-v1 client: protobuf messages framed as codec v1 over a report transport.
// Exchange<Resp>(req) sends one request, acknowledges every ButtonRequest, turns Failure into a
// Status (errors.h) and rejects any reply that is not a Resp.
#ifndef STAKEWARD_DEVICES_TREZOR_CLIENT_H_
#define STAKEWARD_DEVICES_TREZOR_CLIENT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "devices/cardano_request.h"
#include "devices/transport/transport.h"
#include "google/protobuf/message.h"

namespace stakeward::devices::trezor {

// Wire type id of a message, from the MessageType enum of proto/trezor/messages.proto
// ("MessageType_" + message name). -1 if the message has no id.
int TypeIdOf(const google::protobuf::Descriptor* d);
std::string TypeName(uint16_t id);

class Client {
 public:
  using Progress = std::function<void(std::string_view)>;
  // `timeout` bounds each read, including the time the user takes on the device.
  Client(std::unique_ptr<Transport> transport, absl::Duration timeout, Progress progress);

  template <class Resp>
  absl::StatusOr<Resp> Exchange(const google::protobuf::Message& request) {
    auto raw = Call(request);
    if (!raw.ok()) return raw.status();
    Resp resp;
    if (absl::Status s = Decode(*raw, Resp::descriptor(), &resp); !s.ok()) return s;
    return resp;
  }

  // The answer to a PassphraseRequest: nullopt (default) = the user types it on the device
  // (PassphraseAck.on_device); a value = sent from the host. Wiped when replaced or destroyed.
  void SetHostPassphrase(std::optional<std::string> passphrase);
  ~Client();

  const ExchangeStats& stats() const { return stats_; }
  std::string uri() const { return transport_->uri(); }

  struct RawMessage {
    uint16_t type = 0;
    chain::Bytes payload;
  };

 private:
  // Sends the request, then reads replies, answering ButtonRequest (ButtonAck; PIN and
  // passphrase entry on the device are ButtonRequests too) and PassphraseRequest (on device, or
  // the host passphrase) until another message arrives. Failure -> Status. A PinMatrixRequest
  // (host PIN entry, Trezor One) is cancelled: Stakeward takes no PIN on the host.
  absl::StatusOr<RawMessage> Call(const google::protobuf::Message& request);
  absl::Status Send(const google::protobuf::Message& m);
  absl::StatusOr<RawMessage> Receive();
  absl::Status Decode(const RawMessage& raw, const google::protobuf::Descriptor* want,
                      google::protobuf::Message* out);

  std::unique_ptr<Transport> transport_;
  absl::Duration timeout_;
  Progress progress_;
  bool broken_ = false;
  std::optional<std::string> host_passphrase_;
  ExchangeStats stats_;
};

}  // namespace stakeward::devices::trezor

#endif  // STAKEWARD_DEVICES_TREZOR_CLIENT_H_
