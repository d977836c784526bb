// Minimum fee and minimum UTxO.
// Fee: txFeePerByte * size + txFeeFixed (cardano-ledger
// eras/alonzo/impl/src/Cardano/Ledger/Alonzo/Tx.hs alonzoMinFeeTx; no scripts executed and no
// reference scripts here). Min UTxO: (160 + size of the serialized output) * coinsPerUTxOByte
// (cardano-ledger eras/babbage/impl/src/Cardano/Ledger/Babbage/TxOut.hs babbageMinUTxOValue,
// constantOverhead).
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "chain/lovelace.h"
#include "chain/tx.h"

namespace stakeward::chain {

size_t FinalTxSize(const Transaction& tx, size_t vkey_witnesses,
                   const std::vector<NativeScript>& scripts) {
  // Every vkey witness encodes to the same size whatever its bytes, so zero-filled ones give the
  // exact final size.
  Transaction final_tx;
  final_tx.body_bytes = tx.body_bytes;
  final_tx.is_valid = tx.is_valid;
  final_tx.aux_data = tx.aux_data;
  final_tx.witnesses.other_fields = tx.witnesses.other_fields;
  final_tx.witnesses.set_tags = tx.witnesses.set_tags;
  final_tx.witnesses.vkeys.assign(vkey_witnesses, VkeyWitness{});
  final_tx.witnesses.scripts = scripts;
  return EncodeTransaction(final_tx).size();
}

absl::StatusOr<Lovelace> MinFee(const Transaction& tx, size_t vkey_witnesses,
                                const std::vector<NativeScript>& scripts, const FeeParams& p) {
  const size_t size = FinalTxSize(tx, vkey_witnesses, scripts);
  if (size > p.max_tx_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("transaction of ", size, " bytes exceeds the maximum of ", p.max_tx_size));
  }
  auto per_byte = CheckedMul(p.min_fee_a, size);
  if (!per_byte) return absl::InvalidArgumentError("fee overflows");
  return AddLovelace(Lovelace(*per_byte), p.min_fee_b, "fee");
}

absl::StatusOr<Lovelace> MinUtxo(const TxOut& out, const FeeParams& p) {
  const uint64_t size = EncodeTxOut(out).size();
  auto r = CheckedMul(160 + size, p.coins_per_utxo_byte);
  if (!r) return absl::InvalidArgumentError("minimum UTxO overflows");
  return Lovelace(*r);
}

absl::StatusOr<Lovelace> MinFeeForBody(const TxBody& body, const std::optional<Bytes>& aux_data,
                                       size_t vkey_witnesses,
                                       const std::vector<NativeScript>& scripts,
                                       const FeeParams& p) {
  // The fee is part of the body, so its own encoding length changes the size: raise the fee
  // until it covers the size it produces. The fee's head grows at most 4 times, so this ends.
  TxBody b = body;
  b.fee = Lovelace(0);
  for (int round = 0; round < 8; ++round) {
    Transaction tx = MakeTransaction(b, WitnessSet{}, aux_data);
    auto fee = MinFee(tx, vkey_witnesses, scripts, p);
    if (!fee.ok()) return fee.status();
    if (*fee <= b.fee) return b.fee;
    b.fee = *fee;
  }
  return absl::InternalError("minimum fee did not converge");
}

}  // namespace stakeward::chain
