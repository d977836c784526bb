// Speculos raw-APDU TCP framing (ledger.md §2): request u32be N || APDU; response
// u32be M || data[M] || SW1 SW2 (M excludes the status word). Pure functions.
#ifndef STAKEWARD_DEVICES_FRAMING_SPECULOS_H_
#define STAKEWARD_DEVICES_FRAMING_SPECULOS_H_

#include <cstdint>

#include "absl/status/status.h"
#include "chain/bytes.h"

namespace stakeward::devices::framing {

chain::Bytes SpeculosFrame(chain::ByteView apdu);

// Accumulates stream bytes until one response is complete; the result is data || SW.
class SpeculosReassembler {
 public:
  // DATA_LOSS when the announced length is impossible or bytes arrive after the response.
  absl::Status Add(chain::ByteView bytes);
  bool done() const;
  chain::Bytes Take();  // only after done()

 private:
  chain::Bytes buf_;
};

// Largest response data a Ledger app can produce (short APDUs): anything above is corruption.
inline constexpr uint32_t kSpeculosMaxResponse = 1024;

}  // namespace stakeward::devices::framing

#endif  // STAKEWARD_DEVICES_FRAMING_SPECULOS_H_
