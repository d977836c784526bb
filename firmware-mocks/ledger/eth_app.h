// The Ledger Ethereum app (CLA 0xE0) as far as Stakeward needs it: GET_APP_CONFIGURATION,
// GET_ETH_PUBLIC_ADDRESS and SIGN_TX for legacy, EIP-2930 and EIP-1559 transactions
// (specs/ledger.md §6; LedgerHQ/app-ethereum doc/ethapp.adoc).
#ifndef STAKEWARD_FIRMWARE_MOCKS_LEDGER_ETH_APP_H_
#define STAKEWARD_FIRMWARE_MOCKS_LEDGER_ETH_APP_H_

#include <array>
#include <cstdint>
#include <optional>

#include "chain/bytes.h"
#include "chain/keys.h"
#include "firmware-mocks/common/malice.h"
#include "firmware-mocks/common/screen_log.h"
#include "firmware-mocks/common/user_model.h"
#include "firmware-mocks/ledger/apdu.h"
#include "firmware-mocks/ledger/keyring.h"

namespace stakeward::mocks::ledger::eth {

inline constexpr uint8_t kCla = 0xE0;
inline constexpr uint8_t kInsGetAddress = 0x02;
inline constexpr uint8_t kInsSignTx = 0x04;
inline constexpr uint8_t kInsGetAppConfiguration = 0x06;
// Emulated app version. GET_APP_CONFIGURATION flags (src/apdu_constants.h): 0x01
// APP_FLAG_DATA_ALLOWED (the "Blind signing" setting, N_storage.dataAllowed), 0x02
// APP_FLAG_EXTERNAL_TOKEN_NEEDED (always set,
// src/features/get_app_configuration/cmd_get_app_configuration.c).
inline constexpr std::array<uint8_t, 3> kAppVersion = {1, 13, 0};
inline constexpr uint8_t kFlagDataAllowed = 0x01;
inline constexpr uint8_t kFlagExternalTokenNeeded = 0x02;

struct EthOptions {
  // The app's "Blind signing" setting; off on a freshly installed app, as on the real device.
  bool blind_signing = false;
  Malice malice = Malice::kNone;
};
inline constexpr size_t kMaxPathElements = 10;
// Largest transaction the mock buffers (the real app streams; this bounds memory).
inline constexpr size_t kMaxTxSize = 64 * 1024;

class EthApp {
 public:
  EthApp(Keyring* keys, const UserModel* user, ScreenLog* screens, EthOptions options = {})
      : keys_(keys), user_(user), screens_(screens), options_(options) {}
  void SetBlindSigning(bool on) { options_.blind_signing = on; }

  Reply Handle(chain::ByteView raw);
  void Reset();

 private:
  Reply GetAddress(const Apdu& a);
  Reply SignTx(const Apdu& a);
  Reply FinishSignTx();

  Keyring* keys_;
  const UserModel* user_;
  ScreenLog* screens_;
  EthOptions options_;
  // SIGN_TX in progress.
  bool signing_ = false;
  chain::Path path_;
  chain::Bytes tx_;
  std::optional<size_t> tx_total_;  // known once the RLP list header has arrived
};

}  // namespace stakeward::mocks::ledger::eth

#endif  // STAKEWARD_FIRMWARE_MOCKS_LEDGER_ETH_APP_H_
