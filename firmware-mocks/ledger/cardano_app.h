// The Ledger Cardano app ("Cardano ADA", CLA 0xD7) as the mock runs it: APDU header checks,
// multi-APDU call tracking (ERR_STILL_IN_CALL), GET_VERSION, GET_SERIAL, GET_EXT_PUBLIC_KEY,
// DERIVE_ADDRESS, DERIVE_NATIVE_SCRIPT_HASH and SIGN_TX (specs/ledger.md §4;
// vacuumlabs/ledger-app-cardano-shelley src/main.c, src/handlers.c).
#ifndef STAKEWARD_FIRMWARE_MOCKS_LEDGER_CARDANO_APP_H_
#define STAKEWARD_FIRMWARE_MOCKS_LEDGER_CARDANO_APP_H_

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "chain/bytes.h"
#include "firmware-mocks/ledger/apdu.h"
#include "firmware-mocks/ledger/cardano_sign_tx.h"
#include "firmware-mocks/ledger/native_script_hasher.h"

namespace stakeward::mocks::ledger::cardano {

// The emulated app version: 7.1.3 (the release specs/ledger.md §0.1 documents), no flags.
inline constexpr std::array<uint8_t, 4> kAppVersion = {7, 1, 3, 0};

inline constexpr uint8_t kInsGetVersion = 0x00;
inline constexpr uint8_t kInsGetSerial = 0x01;
inline constexpr uint8_t kInsGetExtPublicKey = 0x10;
inline constexpr uint8_t kInsDeriveAddress = 0x11;
inline constexpr uint8_t kInsDeriveNativeScriptHash = 0x12;
inline constexpr uint8_t kInsSignTx = 0x21;

class CardanoApp {
 public:
  explicit CardanoApp(SignTxEnv env);
  ~CardanoApp();

  // One raw APDU in, one reply out.
  Reply Handle(chain::ByteView raw);
  // Back to idle (app closed or switched).
  void Reset();

 private:
  Reply Dispatch(const Apdu& a, bool first);
  Reply GetVersion(const Apdu& a);
  Reply GetSerial(const Apdu& a);
  Reply GetExtPublicKey(const Apdu& a, bool first);
  Reply DeriveAddressIns(const Apdu& a);
  Reply NativeScriptHash(const Apdu& a, bool first);
  Reply SignTx(const Apdu& a, bool first);

  SignTxEnv env_;
  uint8_t current_ins_ = 0;
  bool in_call_ = false;
  bool call_done_ = false;  // set by a handler when its call ends normally
  uint32_t keys_remaining_ = 0;
  std::unique_ptr<SignTxMachine> sign_tx_;
  std::unique_ptr<NativeScriptHasher> script_;
};

}  // namespace stakeward::mocks::ledger::cardano

#endif  // STAKEWARD_FIRMWARE_MOCKS_LEDGER_CARDANO_APP_H_
