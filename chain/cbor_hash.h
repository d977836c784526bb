// Blake2b-256 of a long CBOR encoding without holding it whole (snapshots and plans of 100k
// pools encode to tens of MB).
#ifndef STAKEWARD_CHAIN_CBOR_HASH_H_
#define STAKEWARD_CHAIN_CBOR_HASH_H_

#include "chain/cbor.h"
#include "chain/hash.h"

namespace stakeward::chain {

// `write(w, drain)` writes the encoding into `w` and calls `drain(w)` between items; whenever 64
// KiB have accumulated they are hashed and dropped. The hash equals Blake2b256 of the whole
// encoding.
template <typename Write>
Hash32 Blake2b256OfEncoding(const Write& write) {
  constexpr size_t kPiece = 64 * 1024;
  Blake2b256Stream h;
  cbor::Writer w;
  w.Reserve(kPiece + 4096);
  write(w, [&](cbor::Writer& part) {
    if (part.size() < kPiece) return;
    h.Update(View(part.data()));
    part.Clear();
  });
  h.Update(View(w.data()));
  return h.Finish();
}

}  // namespace stakeward::chain

#endif  // STAKEWARD_CHAIN_CBOR_HASH_H_
