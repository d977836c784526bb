// libFuzzer target for signed and unsigned EIP-1559 transactions, the RLP decoder under them and
// the accreditToPool calldata decoder (chain/evm.h). The decoders are strict (canonical lengths, no
// trailing bytes), so whatever they accept must re-encode to the very same bytes.
#include <cstddef>
#include <cstdint>

#include "chain/check.h"
#include "chain/evm.h"

namespace chain = stakeward::chain;
namespace evm = stakeward::chain::evm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const chain::ByteView raw(data, size);
  if (auto signed_tx = evm::DecodeSigned(raw); signed_tx.ok()) {
    SW_CHECK(evm::EncodeSigned(signed_tx->tx, signed_tx->sig) == chain::Bytes(data, data + size));
    (void)evm::RecoverSender(signed_tx->tx, signed_tx->sig);
    (void)evm::DecodeAccreditToPool(chain::View(signed_tx->tx.data));
  }
  if (auto tx = evm::DecodeUnsigned(raw); tx.ok()) {
    SW_CHECK(evm::EncodeUnsigned(*tx) == chain::Bytes(data, data + size));
  }
  (void)evm::rlp::Decode(raw);
  (void)evm::DecodeAccreditToPool(raw);
  return 0;
}
