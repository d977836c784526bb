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

absl::StatusOr<Transaction> DecodeTransaction(ByteView data) {
  if (data.size() > tx_internal::kMaxTxBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("transaction of ", data.size(), " bytes is larger than any valid one"));
  }
  auto doc = cbor::Decode(data, tx_internal::TxLimits());
  if (!doc.ok()) return doc.status();
  const cbor::Item& item = doc->root();
  if (!item.IsArray() || item.children.size() != 4) {
    return Bad(item, "transaction must be [body, witness set, is_valid, auxiliary data]");
  }
  const auto& c = item.children;
  Transaction tx;
  auto body = tx_internal::BodyFromItemForTx(data, c[0]);
  if (!body.ok()) return body.status();
  tx.body = std::move(*body);
  const ByteView body_bytes = cbor::Span(data, c[0]);
  tx.body_bytes.assign(body_bytes.begin(), body_bytes.end());
  auto ws = tx_internal::WitnessSetFromItem(data, c[1]);
  if (!ws.ok()) return ws.status();
  tx.witnesses = std::move(*ws);
  if (!c[2].IsBool()) return Bad(c[2], "is_valid must be a boolean");
  tx.is_valid = c[2].arg == 21;
  if (!c[3].IsNull()) {
    if (auto s = tx_internal::CheckAuxDataShape(c[3]); !s.ok()) return s;
    const ByteView aux = cbor::Span(data, c[3]);
    tx.aux_data = Bytes(aux.begin(), aux.end());
  }
  return tx;
}

Hash32 TxId(ByteView body_bytes) { return Blake2b256(body_bytes); }

}  // namespace stakeward::chain
