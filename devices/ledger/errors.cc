#include "devices/ledger/errors.h"

#include "absl/strings/str_format.h"

namespace stakeward::devices::ledger {

absl::Status BlindSigningDisabled(absl::string_view operation, std::string_view raw) {
  return absl::FailedPreconditionError(absl::StrFormat(
      "Ledger %s: the Ethereum app refuses transactions with contract data while Blind signing "
      "is off: enable Blind signing in the Ethereum app's settings on your Ledger, then retry "
      "(%s)",
      operation, raw));
}

absl::Status TranslateStatusWord(uint16_t sw, LedgerApp app, absl::string_view operation,
                                 SwContext context) {
  if (sw == kSwOk) return absl::OkStatus();
  auto msg = [&](absl::string_view what) {
    return absl::StrFormat("Ledger %s: %s (SW 0x%04x)", operation, what, sw);
  };
  const char* open_app =
      app == LedgerApp::kCardano
          ? "the Cardano app is not open: open the \"Cardano ADA\" app on your Ledger (it is on "
            "the dashboard or in another app) and retry"
          : "the Ethereum app is not open: open the \"Ethereum\" app on your Ledger (it is on "
            "the dashboard or in another app) and retry";
  // Generic status words (ledger.md §3), valid whatever app is open.
  switch (sw) {
    case kSwLocked:  // LOCKED_DEVICE: the OS answers it while the PIN screen is up
      return absl::FailedPreconditionError(
          msg("the Ledger is locked: unlock it with your PIN on the device and retry"));
    case 0x5501:
      return absl::CancelledError(msg("refused on the device"));
    case kSwClaNotSupported:  // another app is open (its CLA_NOT_SUPPORTED)
    // The dashboard: no app open (ledger.md §3, third-party lists). The Cardano app also uses
    // 0x6E01 for a malformed APDU header, which this host never sends (apdu.cc sets Lc itself).
    case kSwDashboard:
    case 0x6d02:
    // The Ledger settings screen (issue 11 report; not in public LedgerHQ sources).
    case 0x6901:
      return absl::FailedPreconditionError(msg(open_app));
    default:
      break;
  }
  if (app == LedgerApp::kCardano) {
    switch (sw) {  // ledger.md §4.11
      case kSwCardanoRejectedByUser:
        return absl::CancelledError(msg("rejected by the user on the device"));
      case kSwCardanoRejectedByPolicy:
        return absl::FailedPreconditionError(
            msg("refused by the Cardano app's security policy (path or signing mode not allowed)"));
      case kSwCardanoLocked:
        return absl::FailedPreconditionError(msg("the device is locked: enter your PIN and retry"));
      case 0x6e02:
        return absl::FailedPreconditionError(msg("wrong app: open the \"Cardano ADA\" app"));
      case 0x6e03:
      case 0x6e05:
        return absl::FailedPreconditionError(
            msg("the Cardano app does not support this request: update it to 7.0.0 or newer"));
      case 0x6e04:
        return absl::UnavailableError(msg("the app was still in another call; retry"));
      case 0x6e06:
        return absl::InternalError(msg("request out of order for the app's state machine"));
      case 0x6e07:
      case 0x6e08:
      case 0x6e12:
        return absl::InvalidArgumentError(msg("the app rejected the request data"));
      default:
        break;
    }
  } else {
    switch (sw) {   // ledger.md §6.2
      case 0x6e02:  // the Cardano app's "bad CLA" (ledger.md §4.11): Cardano is open instead
        return absl::FailedPreconditionError(
            msg("wrong app: open the \"Ethereum\" app on the Ledger"));
      case kSwEthRejected:
        return absl::CancelledError(msg("rejected by the user on the device"));
      case kSwEthIncorrectData:
        // logic_sign_tx.c: calldata with dataAllowed off fails with SWO_INCORRECT_DATA.
        if (context.eth_tx_has_calldata) {
          return BlindSigningDisabled(operation, absl::StrFormat("SW 0x%04x", sw));
        }
        return absl::InvalidArgumentError(msg("the Ethereum app rejected the transaction data"));
      case 0x6983:
      case 0x6501:
        return absl::InvalidArgumentError(msg("the Ethereum app rejected the transaction data"));
      case 0x6b00:
      case 0x6d00:
      case 0x911c:
        return absl::FailedPreconditionError(
            msg("the Ethereum app does not support this request: update the app"));
      case 0x6982:
        return absl::FailedPreconditionError(
            msg("security status not satisfied: unlock the device / enable blind signing"));
      default:
        break;
    }
  }
  if ((sw & 0xff00) == 0x6f00 || (sw & 0xff00) == 0x6800) {
    return absl::InternalError(msg("internal error in the device app"));
  }
  return absl::UnknownError(msg("unexpected status word"));
}

}  // namespace stakeward::devices::ledger
