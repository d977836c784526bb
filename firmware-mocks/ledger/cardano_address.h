// Shelley addresses the device derives from address parameters (DERIVE_ADDRESS and change
// outputs), and how addresses are shown on screen.
#ifndef STAKEWARD_FIRMWARE_MOCKS_LEDGER_CARDANO_ADDRESS_H_
#define STAKEWARD_FIRMWARE_MOCKS_LEDGER_CARDANO_ADDRESS_H_

#include <cstdint>
#include <string>

#include "chain/bytes.h"
#include "firmware-mocks/ledger/cardano_wire.h"
#include "firmware-mocks/ledger/keyring.h"

namespace stakeward::mocks::ledger::cardano {

struct DerivedAddress {
  uint16_t sw = 0x9000;  // kSwInvalidData / kSwRejectedByPolicy on failure
  chain::Bytes bytes;
};

// Builds the address bytes. Validation as src/addressUtilsShelley.c: the staking choice must fit
// the address type (else invalid data); paths must be key paths of the right role (else policy).
// Byron (type 0x08) derivation is not emulated (policy refusal).
DerivedAddress DeriveAddress(Keyring& keys, const AddressParams& params);

// bech32 for Shelley addresses ("addr"/"addr_test", "stake"/"stake_test"), hex otherwise.
std::string AddressForDisplay(chain::ByteView address);

}  // namespace stakeward::mocks::ledger::cardano

#endif  // STAKEWARD_FIRMWARE_MOCKS_LEDGER_CARDANO_ADDRESS_H_
