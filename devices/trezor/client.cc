#include "devices/trezor/client.h"

#include <sodium.h>

#include "absl/strings/str_cat.h"
#include "devices/framing/trezor_v1.h"
#include "devices/trezor/errors.h"
#include "proto/trezor/messages.pb.h"
#include "proto/trezor/messages_common.pb.h"
#include "proto/trezor/messages_management.pb.h"

namespace stakeward::devices::trezor {

namespace pb = hw::trezor::messages;

int TypeIdOf(const google::protobuf::Descriptor* d) {
  pb::MessageType t;
  if (!pb::MessageType_Parse(absl::StrCat("MessageType_", d->name()), &t)) return -1;
  return static_cast<int>(t);
}

std::string TypeName(uint16_t id) {
  if (!pb::MessageType_IsValid(id)) return absl::StrCat("message type ", id);
  std::string n = pb::MessageType_Name(static_cast<pb::MessageType>(id));
  return n.substr(std::string_view("MessageType_").size());
}

Client::Client(std::unique_ptr<Transport> transport, absl::Duration timeout, Progress progress)
    : transport_(std::move(transport)), timeout_(timeout), progress_(std::move(progress)) {}

Client::~Client() { SetHostPassphrase(std::nullopt); }

void Client::SetHostPassphrase(std::optional<std::string> passphrase) {
  if (host_passphrase_ && !host_passphrase_->empty()) {
    sodium_memzero(host_passphrase_->data(), host_passphrase_->size());
  }
  host_passphrase_ = std::move(passphrase);
}

absl::Status Client::Send(const google::protobuf::Message& m) {
  int id = TypeIdOf(m.GetDescriptor());
  if (id < 0) return absl::InternalError(absl::StrCat("no wire id for ", m.GetTypeName()));
  std::string payload;
  if (!m.SerializeToString(&payload)) {
    return absl::InternalError(absl::StrCat("cannot encode ", m.GetTypeName()));
  }
  ++stats_.exchanges;
  stats_.bytes_sent += payload.size();
  for (const auto& packet :
       framing::TrezorV1Frame(static_cast<uint16_t>(id), chain::View(payload))) {
    absl::Status s =
        transport_->Write(chain::ByteView(packet.data(), packet.size()), absl::Now() + timeout_);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<Client::RawMessage> Client::Receive() {
  framing::TrezorV1Reassembler r;
  absl::Time deadline = absl::Now() + timeout_;
  while (!r.done()) {
    auto packet = transport_->Read(deadline);
    if (!packet.ok()) return packet.status();
    if (absl::Status s = r.Add(chain::View(*packet)); !s.ok()) return s;
  }
  RawMessage m;
  m.type = r.type();
  m.payload = r.TakePayload();
  stats_.bytes_received += m.payload.size();
  return m;
}

absl::StatusOr<Client::RawMessage> Client::Call(const google::protobuf::Message& request) {
  if (broken_) {
    return absl::UnavailableError(absl::StrCat(
        transport_->uri(), ": the connection was lost in an earlier exchange; reconnect"));
  }
  // Any transport or framing failure leaves the stream out of step: mark the client broken.
  auto fail = [&](absl::Status s) {
    broken_ = true;
    return s;
  };
  if (absl::Status s = Send(request); !s.ok()) return fail(s);
  for (;;) {
    auto m = Receive();
    if (!m.ok()) return fail(m.status());
    switch (m->type) {
      case pb::MessageType_ButtonRequest: {
        pb::common::ButtonRequest br;
        (void)br.ParseFromArray(m->payload.data(), static_cast<int>(m->payload.size()));
        if (progress_) {
          // core/src/apps/common/request_pin.py and passphrase.py announce on-device entry with
          // these codes (messages-common.proto ButtonRequestType).
          if (br.code() == pb::common::ButtonRequest::ButtonRequest_PinEntry) {
            progress_("Your Trezor is locked: enter your PIN on the Trezor…");
          } else if (br.code() == pb::common::ButtonRequest::ButtonRequest_PassphraseEntry) {
            progress_("Enter your passphrase on the Trezor…");
          } else {
            progress_("Confirm on your Trezor…");
          }
        }
        if (absl::Status s = Send(pb::common::ButtonAck()); !s.ok()) return fail(s);
        continue;
      }
      case pb::MessageType_PassphraseRequest: {
        pb::common::PassphraseAck ack;
        if (host_passphrase_) {
          ack.set_passphrase(*host_passphrase_);
        } else {
          if (progress_) progress_("Enter your passphrase on the Trezor when it asks…");
          ack.set_on_device(true);
        }
        absl::Status s = Send(ack);
        if (ack.has_passphrase())
          sodium_memzero(ack.mutable_passphrase()->data(), ack.passphrase().size());
        if (!s.ok()) return fail(s);
        continue;
      }
      case pb::MessageType_PinMatrixRequest:
        (void)Send(pb::management::Cancel());
        broken_ = true;
        return PinRequestedOnHost();
      case pb::MessageType_Failure: {
        pb::common::Failure f;
        if (!f.ParseFromArray(m->payload.data(), static_cast<int>(m->payload.size()))) {
          return fail(absl::DataLossError("Trezor: malformed Failure message"));
        }
        return TranslateFailure(f.code(), f.message(), request.GetDescriptor()->name());
      }
      default:
        return m;
    }
  }
}

absl::Status Client::Decode(const RawMessage& raw, const google::protobuf::Descriptor* want,
                            google::protobuf::Message* out) {
  int want_id = TypeIdOf(want);
  if (raw.type != want_id) {
    broken_ = true;
    return absl::DataLossError(
        absl::StrCat("Trezor: expected ", want->name(), ", device sent ", TypeName(raw.type)));
  }
  if (!out->ParseFromArray(raw.payload.data(), static_cast<int>(raw.payload.size()))) {
    broken_ = true;
    return absl::DataLossError(absl::StrCat("Trezor: malformed ", want->name(), " message"));
  }
  return absl::OkStatus();
}

}  // namespace stakeward::devices::trezor
