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

// 0x9000 is OK; everything else maps to CANCELLED (user refused), FAILED_PRECONDITION (locked,
// wrong app, policy refusal), INVALID_ARGUMENT (the app rejected the data) or INTERNAL.
absl::Status TranslateStatusWord(uint16_t sw, LedgerApp app, absl::string_view operation);

// Cardano app status words, ledger.md §4.11; generic ones §3; Ethereum §6.2.
inline constexpr uint16_t kSwOk = 0x9000;
inline constexpr uint16_t kSwCardanoRejectedByUser = 0x6e09;
inline constexpr uint16_t kSwCardanoRejectedByPolicy = 0x6e10;
inline constexpr uint16_t kSwCardanoLocked = 0x6e11;
inline constexpr uint16_t kSwLocked = 0x5515;
inline constexpr uint16_t kSwClaNotSupported = 0x6e00;
inline constexpr uint16_t kSwEthRejected = 0x6985;

}  // namespace stakeward::devices::ledger

#endif  // STAKEWARD_DEVICES_LEDGER_ERRORS_H_
