// Client of the Ledger "Cardano ADA" app (CLA 0xD7), typed per instruction.
#ifndef STAKEWARD_DEVICES_LEDGER_CARDANO_APP_H_
#define STAKEWARD_DEVICES_LEDGER_CARDANO_APP_H_

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chain/keys.h"
#include "devices/cardano_request.h"
#include "devices/ledger/apdu.h"
#include "devices/ledger/cardano_wire.h"

namespace stakeward::devices::ledger {

struct CardanoAppVersion {
  uint8_t major = 0, minor = 0, patch = 0;
  uint8_t flags = 0;  // 0x01 DEVEL, 0x04 APP_XS (ledger.md §4.4)
  bool AtLeast(int ma, int mi, int pa = 0) const {
    return std::tie(major, minor, patch) >= std::tuple<uint8_t, uint8_t, uint8_t>(ma, mi, pa);
  }
  std::string ToString() const;
};

// Oldest app able to sign Stakeward's Conway transactions (certificates 7/8/9, tag 258 option):
// ledger.md §4.12.
inline constexpr CardanoAppVersion kMinCardanoSignVersion{7, 0, 0, 0};

class CardanoApp {
 public:
  // `timeout` bounds every APDU, including the time the user takes on the device.
  CardanoApp(ApduChannel* channel, absl::Duration timeout) : ch_(channel), timeout_(timeout) {}

  absl::StatusOr<CardanoAppVersion> GetVersion();
  absl::StatusOr<std::string> GetSerial();  // 7 bytes as hex
  // One batched call (first APDU P1=0 carries the remaining count, then P1=1 per key).
  absl::StatusOr<std::vector<chain::XPub>> GetExtendedPublicKeys(
      const std::vector<chain::Path>& paths);
  // DERIVE_ADDRESS with P1=0x02: the device shows the address and the user confirms.
  absl::Status ShowAddress(const cardano_wire::AddressParams& params);
  absl::StatusOr<chain::Bytes> DeriveAddress(const cardano_wire::AddressParams& params);
  // Streams the whole SIGN_TX call. `progress` is told when the user must act.
  absl::StatusOr<CardanoSignResult> SignTx(const CardanoTxRequest& req,
                                           const std::function<void(std::string_view)>& progress);

 private:
  absl::StatusOr<chain::Bytes> Call(uint8_t ins, uint8_t p1, uint8_t p2, chain::Bytes data,
                                    absl::string_view operation, int expected_len);

  ApduChannel* ch_;
  absl::Duration timeout_;
};

}  // namespace stakeward::devices::ledger

#endif  // STAKEWARD_DEVICES_LEDGER_CARDANO_APP_H_
