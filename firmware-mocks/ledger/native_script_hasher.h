// DERIVE_NATIVE_SCRIPT_HASH (INS 0x12) state: the script arrives depth-first, one APDU per node
// (specs/ledger.md §4.7; doc/ins_derive_native_script_hash.md); the hash is
// blake2b-224(0x00 || script CBOR) (CIP-1854 / Cardano native scripts).
#ifndef STAKEWARD_FIRMWARE_MOCKS_LEDGER_NATIVE_SCRIPT_HASHER_H_
#define STAKEWARD_FIRMWARE_MOCKS_LEDGER_NATIVE_SCRIPT_HASHER_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "chain/bytes.h"
#include "firmware-mocks/ledger/apdu.h"
#include "firmware-mocks/ledger/keyring.h"

namespace stakeward::mocks::ledger::cardano {

inline constexpr size_t kMaxScriptDepth = 10;

class NativeScriptHasher {
 public:
  // P1 0x01: u8 type (1 all, 2 any, 3 n-of-k), u32be count, [u32be required].
  uint16_t StartComplex(Reader& r);
  // P1 0x02: u8 type (0 pubkey: u8 ref 1=path|2=hash; 4/5: u64be slot).
  uint16_t AddSimple(Reader& r, Keyring& keys);
  // P1 0x03 once the whole script has arrived.
  bool complete() const { return root_.has_value(); }
  const chain::Bytes& script_cbor() const { return *root_; }

 private:
  struct Frame {
    uint8_t type;
    uint32_t count;
    uint32_t required;
    std::vector<chain::Bytes> children;
  };
  void Finish(chain::Bytes node);

  std::vector<Frame> stack_;
  std::optional<chain::Bytes> root_;
};

}  // namespace stakeward::mocks::ledger::cardano

#endif  // STAKEWARD_FIRMWARE_MOCKS_LEDGER_NATIVE_SCRIPT_HASHER_H_
