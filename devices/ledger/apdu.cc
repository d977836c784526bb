#include "devices/ledger/apdu.h"

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "devices/framing/ledger_hid.h"
#include "devices/framing/speculos.h"

namespace stakeward::devices::ledger {

absl::StatusOr<chain::Bytes> SerializeApdu(const Apdu& apdu) {
  if (apdu.data.size() > 255) {
    return absl::InvalidArgumentError(
        absl::StrCat("APDU data of ", apdu.data.size(), " bytes exceeds 255"));
  }
  chain::Bytes out = {apdu.cla, apdu.ins, apdu.p1, apdu.p2, static_cast<uint8_t>(apdu.data.size())};
  out.insert(out.end(), apdu.data.begin(), apdu.data.end());
  return out;
}

absl::StatusOr<ApduResponse> ParseApduResponse(chain::ByteView raw) {
  if (raw.size() < 2) return absl::DataLossError("Ledger: response shorter than a status word");
  ApduResponse r;
  r.data.assign(raw.begin(), raw.end() - 2);
  r.sw = static_cast<uint16_t>(raw[raw.size() - 2] << 8 | raw[raw.size() - 1]);
  return r;
}

ApduChannel::ApduChannel(std::unique_ptr<Transport> transport) : transport_(std::move(transport)) {
  absl::BitGen gen;
  hid_channel_ = absl::Uniform<uint16_t>(gen, 1, 0xffff);
}

absl::StatusOr<chain::Bytes> ApduChannel::ExchangeRaw(chain::ByteView apdu, absl::Time deadline) {
  if (transport_->kind() == Transport::Kind::kStream) {
    absl::Status w = transport_->Write(chain::View(framing::SpeculosFrame(apdu)), deadline);
    if (!w.ok()) return w;
    framing::SpeculosReassembler r;
    while (!r.done()) {
      auto chunk = transport_->Read(deadline);
      if (!chunk.ok()) return chunk.status();
      if (absl::Status s = r.Add(chain::View(*chunk)); !s.ok()) return s;
    }
    return r.Take();
  }
  for (const auto& report : framing::LedgerHidFrame(hid_channel_, apdu)) {
    absl::Status w = transport_->Write(chain::ByteView(report.data(), report.size()), deadline);
    if (!w.ok()) return w;
  }
  framing::LedgerHidReassembler r(hid_channel_);
  while (!r.done()) {
    auto report = transport_->Read(deadline);
    if (!report.ok()) return report.status();
    if (absl::Status s = r.Add(chain::View(*report)); !s.ok()) return s;
  }
  return r.Take();
}

absl::StatusOr<ApduResponse> ApduChannel::Exchange(const Apdu& apdu, absl::Time deadline) {
  if (broken_) {
    return absl::UnavailableError(absl::StrCat(
        transport_->uri(), ": the connection was lost in an earlier exchange; reconnect"));
  }
  auto raw = SerializeApdu(apdu);
  if (!raw.ok()) return raw.status();
  ++stats_.exchanges;
  stats_.bytes_sent += raw->size();
  auto reply = ExchangeRaw(chain::View(*raw), deadline);
  if (!reply.ok()) {
    broken_ = true;
    return reply.status();
  }
  stats_.bytes_received += reply->size();
  auto parsed = ParseApduResponse(chain::View(*reply));
  if (!parsed.ok()) broken_ = true;
  return parsed;
}

}  // namespace stakeward::devices::ledger
