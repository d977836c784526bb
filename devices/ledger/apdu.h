// Ledger APDUs (ledger.md §1.3: CLA INS P1 P2 Lc data, Lc always one byte) and the channel that
// exchanges them over a transport: HID framing for report transports, Speculos framing for TCP.
#ifndef STAKEWARD_DEVICES_LEDGER_APDU_H_
#define STAKEWARD_DEVICES_LEDGER_APDU_H_

#include <cstdint>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chain/bytes.h"
#include "devices/cardano_request.h"
#include "devices/transport/transport.h"

namespace stakeward::devices::ledger {

struct Apdu {
  uint8_t cla = 0;
  uint8_t ins = 0;
  uint8_t p1 = 0;
  uint8_t p2 = 0;
  chain::Bytes data;  // at most 255 bytes
};

// CLA INS P1 P2 Lc data. INVALID_ARGUMENT when data exceeds 255 bytes.
absl::StatusOr<chain::Bytes> SerializeApdu(const Apdu& apdu);

struct ApduResponse {
  chain::Bytes data;  // without the status word
  uint16_t sw = 0;
};
// Splits data || SW1 SW2. DATA_LOSS when shorter than 2 bytes.
absl::StatusOr<ApduResponse> ParseApduResponse(chain::ByteView raw);

class ApduChannel {
 public:
  // A random channel id is used for HID framing (as Ledger's node-hid transport does).
  explicit ApduChannel(std::unique_ptr<Transport> transport);
  // Sends one APDU and waits for its response until `deadline`. Transport and framing failures
  // are returned as is (UNAVAILABLE, DEADLINE_EXCEEDED, DATA_LOSS) and leave the channel broken:
  // every later call fails with UNAVAILABLE until the device is reopened, because a late reply
  // could otherwise be taken for the answer to the next APDU.
  absl::StatusOr<ApduResponse> Exchange(const Apdu& apdu, absl::Time deadline);
  const ExchangeStats& stats() const { return stats_; }
  std::string uri() const { return transport_->uri(); }

 private:
  absl::StatusOr<chain::Bytes> ExchangeRaw(chain::ByteView apdu, absl::Time deadline);

  std::unique_ptr<Transport> transport_;
  uint16_t hid_channel_;
  bool broken_ = false;
  ExchangeStats stats_;
};

}  // namespace stakeward::devices::ledger

#endif  // STAKEWARD_DEVICES_LEDGER_APDU_H_
