// The one place where Ledger status words become absl::Status codes. The raw status word is kept
// in the message ("SW 0x6e09").
#ifndef STAKEWARD_DEVICES_LEDGER_ERRORS_H_
#define STAKEWARD_DEVICES_LEDGER_ERRORS_H_

#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace stakeward::devices::ledger {

enum class LedgerApp { kCardano, kEthereum };

// What the host was doing when the status word came back, where the same word means different
// things (the Ethereum app answers 0x6A80 to calldata when blind signing is off).
struct SwContext {
  bool eth_tx_has_calldata = false;
};

// 0x9000 is OK; everything else maps to CANCELLED (user refused), FAILED_PRECONDITION (locked,
// dashboard / wrong app, policy refusal, a setting to change), INVALID_ARGUMENT (the app rejected
// the data) or INTERNAL. The message says what to do on the device and keeps the raw word.
absl::Status TranslateStatusWord(uint16_t sw, LedgerApp app, absl::string_view operation,
                                 SwContext context = {});

// The Ethereum app's "Blind signing" setting is off and the transaction carries calldata; also
// what the host reports before sending when GET_APP_CONFIGURATION shows the flag off.
absl::Status BlindSigningDisabled(absl::string_view operation, std::string_view raw);

// Cardano app status words, ledger.md §4.11; generic ones §3; Ethereum §6.2.
inline constexpr uint16_t kSwOk = 0x9000;
inline constexpr uint16_t kSwCardanoRejectedByUser = 0x6e09;
inline constexpr uint16_t kSwCardanoRejectedByPolicy = 0x6e10;
inline constexpr uint16_t kSwCardanoLocked = 0x6e11;
inline constexpr uint16_t kSwLocked = 0x5515;
inline constexpr uint16_t kSwClaNotSupported = 0x6e00;
inline constexpr uint16_t kSwEthRejected = 0x6985;
inline constexpr uint16_t kSwDashboard = 0x6e01;  // no app open (ledger.md §3, third-party)
inline constexpr uint16_t kSwEthIncorrectData = 0x6a80;
// GET_APP_CONFIGURATION flag APP_FLAG_DATA_ALLOWED (app-ethereum src/apdu_constants.h).
inline constexpr uint8_t kEthFlagBlindSigning = 0x01;

}  // namespace stakeward::devices::ledger

#endif  // STAKEWARD_DEVICES_LEDGER_ERRORS_H_
