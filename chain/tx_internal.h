// Helpers shared by the tx_*.cc files (not part of the public chain/ interface).
#ifndef STAKEWARD_CHAIN_TX_INTERNAL_H_
#define STAKEWARD_CHAIN_TX_INTERNAL_H_

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chain/cbor.h"
#include "chain/tx.h"

namespace stakeward::chain::tx_internal {

// INVALID_ARGUMENT naming the offending item's byte offset.
absl::Status Bad(const cbor::Item& item, absl::string_view what);

// A Conway set: `#6.258([* a]) / [* a]`. Returns the elements and whether the tag was present.
absl::StatusOr<absl::Span<const cbor::Item>> SetElements(const cbor::Item& item, bool* tagged,
                                                         absl::string_view what);
void WriteSetHeader(cbor::Writer& w, size_t count, bool tagged);

absl::StatusOr<uint64_t> UintOf(const cbor::Item& item, absl::string_view what);
// Decoder limits for whole transactions: lenient key order (the original bytes are kept and
// CheckHardwareWalletCompatible judges canonical form), everything else strict.
cbor::Limits TxLimits();
// Transactions are at most 16 KiB on chain (maxTxSize); anything beyond this is refused unread.
inline constexpr size_t kMaxTxBytes = 1 << 20;

absl::Status TxOutInto(ByteView source, const cbor::Item& item, TxOut& out);  // a fresh `out`
absl::StatusOr<TxIn> TxInFromItem(const cbor::Item& item);
absl::Status CheckAuxDataShape(const cbor::Item& item);
// Fill `body` / `ws` in place (a transaction is decoded without moving its parts around).
absl::Status BodyIntoForTx(ByteView source, const cbor::Item& item, TxBody& body);
absl::Status WitnessSetInto(ByteView source, const cbor::Item& item, WitnessSet& ws);
absl::StatusOr<WitnessSet> WitnessSetFromItem(ByteView source, const cbor::Item& item);

template <size_t N>
absl::StatusOr<std::array<uint8_t, N>> FixedBytesOf(const cbor::Item& item,
                                                    absl::string_view what) {
  if (!item.IsBytes() || item.bytes.size() != N) {
    return Bad(item, std::string(what) + " must be a " + std::to_string(N) + "-byte string");
  }
  std::array<uint8_t, N> out;
  std::copy(item.bytes.begin(), item.bytes.end(), out.begin());
  return out;
}

}  // namespace stakeward::chain::tx_internal

#endif  // STAKEWARD_CHAIN_TX_INTERNAL_H_
