// Whole transactions: [body, witness set, is_valid, auxiliary data / null] (conway.cddl
// `transaction`), and the transaction id (blake2b-256 of the body bytes as transmitted;
// cardano-ledger libs/cardano-ledger-core/src/Cardano/Ledger/Core.hs, txIdTxBody).
#include "chain/tx.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "chain/hash.h"
#include "chain/tx_internal.h"

namespace stakeward::chain {

using tx_internal::Bad;

Transaction MakeTransaction(TxBody body, WitnessSet witnesses, std::optional<Bytes> aux_data) {
  Transaction tx;
  tx.body_bytes = EncodeBody(body);
  tx.body = std::move(body);
  tx.witnesses = std::move(witnesses);
  tx.aux_data = std::move(aux_data);
  return tx;
}

Bytes EncodeTransaction(const Transaction& tx) {
  cbor::Writer w;
  w.ArrayHeader(4);
  w.Raw(View(tx.body_bytes));
  w.Raw(View(EncodeWitnessSet(tx.witnesses)));
  w.Bool(tx.is_valid);
  if (tx.aux_data) {
    w.Raw(View(*tx.aux_data));
  } else {
    w.Null();
  }
  return w.Take();
}

namespace {

// Fills `tx` from a decoded transaction item.
absl::Status TransactionInto(ByteView data, const cbor::Item& item, Transaction& tx) {
  if (!item.IsArray() || item.children.size() != 4) {
    return Bad(item, "transaction must be [body, witness set, is_valid, auxiliary data]");
  }
  const auto& c = item.children;
  if (absl::Status s = tx_internal::BodyIntoForTx(data, c[0], tx.body); !s.ok()) return s;
  const ByteView body_bytes = cbor::Span(data, c[0]);
  tx.body_bytes.assign(body_bytes.begin(), body_bytes.end());
  if (absl::Status s = tx_internal::WitnessSetInto(data, c[1], tx.witnesses); !s.ok()) return s;
  if (!c[2].IsBool()) return Bad(c[2], "is_valid must be a boolean");
  tx.is_valid = c[2].arg == 21;
  if (!c[3].IsNull()) {
    if (auto s = tx_internal::CheckAuxDataShape(c[3]); !s.ok()) return s;
    const ByteView aux = cbor::Span(data, c[3]);
    tx.aux_data = Bytes(aux.begin(), aux.end());
  }
  return absl::OkStatus();
}

}  // namespace

namespace tx_internal {

absl::StatusOr<Transaction> DecodeTransactionGeneral(ByteView data) {
  // Built in place and every path returns `out` (one object, no move of a Transaction).
  absl::StatusOr<Transaction> out(absl::in_place);
  if (data.size() > tx_internal::kMaxTxBytes) {
    out = absl::InvalidArgumentError(
        absl::StrCat("transaction of ", data.size(), " bytes is larger than any valid one"));
    return out;
  }
  auto doc = cbor::Decode(data, tx_internal::TxLimits());
  if (!doc.ok()) {
    out = doc.status();
  } else if (absl::Status s = TransactionInto(data, doc->root(), *out); !s.ok()) {
    out = std::move(s);
  }
  return out;
}

}  // namespace tx_internal

absl::StatusOr<Transaction> DecodeTransaction(ByteView data) {
  absl::StatusOr<Transaction> out(absl::in_place);
  if (tx_internal::FastTransactionInto(data, *out)) return out;
  return tx_internal::DecodeTransactionGeneral(data);
}

Hash32 TxId(ByteView body_bytes) { return Blake2b256(body_bytes); }

}  // namespace stakeward::chain
