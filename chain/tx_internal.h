// Helpers shared by the tx_*.cc files (not part of the public chain/ interface).
#ifndef STAKEWARD_CHAIN_TX_INTERNAL_H_
#define STAKEWARD_CHAIN_TX_INTERNAL_H_

#include <algorithm>
#include <array>
#include <optional>
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

// DecodeTransaction's fast path (tx_fast.cc): fills a fresh `tx` and returns true when `data` is
// a canonical transaction of the shapes Stakeward builds and everything in it is valid; false
// (`tx` then half filled) leaves the verdict to the general decoder.
bool FastTransactionInto(ByteView data, Transaction& tx);
// The general decoder alone (the reference the fast path is checked against).
absl::StatusOr<Transaction> DecodeTransactionGeneral(ByteView data);

// The index of the first element equal to an earlier one. Small sets compare pairwise; large ones
// sort indexes (a body may hold thousands of inputs).
template <typename T>
std::optional<size_t> FirstRepeat(const std::vector<T>& v) {
  if (v.size() <= 16) {
    for (size_t i = 1; i < v.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (v[j] == v[i]) return i;
      }
    }
    return std::nullopt;
  }
  std::vector<uint32_t> order(v.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  // Stable: within a run of equal elements the earliest comes first and the rest repeat it.
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return v[a] < v[b]; });
  std::optional<size_t> first;
  for (size_t k = 1; k < order.size(); ++k) {
    if (v[order[k]] == v[order[k - 1]] && (!first || order[k] < *first)) first = order[k];
  }
  return first;
}

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
