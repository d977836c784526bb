// Internal to SIGN_TX: the per-output sub-machine state (P1 0x03, P2 0x30..0x33).
#ifndef STAKEWARD_FIRMWARE_MOCKS_LEDGER_CARDANO_SIGN_TX_OUTPUT_H_
#define STAKEWARD_FIRMWARE_MOCKS_LEDGER_CARDANO_SIGN_TX_OUTPUT_H_

#include <cstdint>

#include "chain/bytes.h"
#include "firmware-mocks/ledger/cardano_sign_tx.h"

namespace stakeward::mocks::ledger::cardano {

// Output P2 codes (ledgerjs-hw-app-cardano signTx.ts `enum P2` for outputs).
inline constexpr uint8_t kP2OutputBasic = 0x30;
inline constexpr uint8_t kP2OutputAssetGroup = 0x31;
inline constexpr uint8_t kP2OutputToken = 0x32;
inline constexpr uint8_t kP2OutputConfirm = 0x33;
inline constexpr uint8_t kP2OutputLast = 0x37;  // ref-script continuation

// Destination limits (src/signTxOutput.c: MAX_ADDRESS_SIZE; token names are at most 32 bytes).
inline constexpr uint32_t kMaxAddressSize = 128;
inline constexpr uint32_t kMaxAssetNameSize = 32;

struct SignTxMachine::OutputState {
  enum class Sub { kBasic, kAssets, kConfirm } sub = Sub::kBasic;
  uint32_t groups_total = 0;
  uint32_t groups_done = 0;
  uint32_t tokens_total = 0;  // of the current group
  uint32_t tokens_done = 0;
  chain::Bytes last_policy_key;
  chain::Bytes last_name_key;
  chain::Bytes current_policy;
  bool shown = false;  // third-party and unusual change outputs are shown and confirmed
};

}  // namespace stakeward::mocks::ledger::cardano

#endif  // STAKEWARD_FIRMWARE_MOCKS_LEDGER_CARDANO_SIGN_TX_OUTPUT_H_
