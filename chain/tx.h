// Conway transactions: body, witness set, auxiliary data; canonical (CIP-21) encoding, strict
// decoding that keeps the original body bytes, the transaction id and the size-exact minimum fee.
#ifndef STAKEWARD_CHAIN_TX_H_
#define STAKEWARD_CHAIN_TX_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "chain/address.h"
#include "chain/bytes.h"
#include "chain/cbor.h"
#include "chain/certificate.h"
#include "chain/lovelace.h"
#include "chain/native_script.h"

namespace stakeward::chain {

struct TxIn {
  Hash32 tx_id{};
  uint32_t index = 0;  // .size 2 on the wire: at most 65535
  auto operator<=>(const TxIn&) const = default;
};

struct TxOut {
  Bytes address;  // raw address bytes
  Lovelace coin;
  Bytes multiasset;       // encoded multiasset map; empty when ADA-only
  bool map_form = false;  // post-Alonzo {0: addr, 1: value, ...}
  Bytes datum_option;     // encoded, map form key 2 (or legacy datum hash); empty if none
  Bytes script_ref;       // encoded, map form key 3; empty if none
};

struct Withdrawal {
  Bytes reward_account;  // 29 bytes: header 0xE0/0xE1/0xF0/0xF1 || hash
  Lovelace coin;
};

struct TxBody {
  std::vector<TxIn> inputs;                // key 0
  std::vector<TxOut> outputs;              // key 1
  Lovelace fee;                            // key 2
  std::optional<uint64_t> ttl;             // key 3
  std::vector<Certificate> certificates;   // key 4
  std::vector<Withdrawal> withdrawals;     // key 5 (encoded in canonical key order)
  std::optional<Hash32> aux_data_hash;     // key 7
  std::optional<uint64_t> validity_start;  // key 8
  std::vector<Hash28> required_signers;    // key 14
  std::optional<uint8_t> network_id;       // key 15
  // Fields Stakeward does not model (mint, collateral, votes, treasury, ...), as encoded, by key.
  std::map<uint64_t, Bytes> other_fields;
  bool set_tags = true;  // emit tag 258 on sets (CIP-21: all or none)
};

struct VkeyWitness {
  std::array<uint8_t, 32> vkey{};
  std::array<uint8_t, 64> signature{};
  bool operator==(const VkeyWitness&) const = default;
};

struct WitnessSet {
  std::vector<VkeyWitness> vkeys;          // key 0
  std::vector<NativeScript> scripts;       // key 1
  std::map<uint64_t, Bytes> other_fields;  // bootstrap, plutus, ... as encoded
  bool set_tags = true;
};

// Metadata values (transaction_metadatum): int, bytes (<=64), text (<=64), list, map.
struct Metadatum {
  enum class Kind : uint8_t { kInt, kBytes, kText, kList, kMap };
  Kind kind = Kind::kInt;
  int64_t int_value = 0;  // values beyond int64 are rejected
  Bytes bytes;
  std::string text;
  std::vector<Metadatum> list;
  std::vector<std::pair<Metadatum, Metadatum>> map;

  // Out of line: the type contains containers of itself, which clang with libstdc++ cannot
  // instantiate inline while the class is incomplete.
  Metadatum();
  ~Metadatum();
  Metadatum(const Metadatum&);
  Metadatum(Metadatum&&) noexcept;
  Metadatum& operator=(const Metadatum&);
  Metadatum& operator=(Metadatum&&) noexcept;

  static Metadatum Int(int64_t v);
  static Metadatum Text(std::string s);  // caller keeps it <= 64 bytes (checked at encode)
  static Metadatum Blob(Bytes b);
};
using Metadata = std::map<uint64_t, Metadatum>;

// Encodes metadata as Shelley-style bare map (the form hardware wallets hash).
absl::StatusOr<Bytes> EncodeAuxData(const Metadata& metadata);
absl::StatusOr<Metadata> DecodeAuxDataMetadata(ByteView aux_data_cbor);

struct Transaction {
  TxBody body;
  Bytes body_bytes;  // exactly what is hashed and transmitted
  WitnessSet witnesses;
  bool is_valid = true;
  std::optional<Bytes> aux_data;  // encoded auxiliary data, as transmitted
};

// Canonical body encoding (CIP-21): keys ascending, sets tagged 258 when set_tags.
Bytes EncodeBody(const TxBody& body);
absl::StatusOr<TxBody> DecodeBody(ByteView body_cbor);
Bytes EncodeWitnessSet(const WitnessSet& ws);
absl::StatusOr<WitnessSet> DecodeWitnessSet(ByteView cbor);

// Builds a Transaction whose body_bytes are EncodeBody(body).
Transaction MakeTransaction(TxBody body, WitnessSet witnesses, std::optional<Bytes> aux_data);
// [body_bytes, witness set, is_valid, aux/null]; the body bytes are never re-encoded.
Bytes EncodeTransaction(const Transaction& tx);
// Strict decode: limits, no trailing bytes, duplicate keys rejected; keeps the body bytes.
absl::StatusOr<Transaction> DecodeTransaction(ByteView cbor);

// blake2b-256 of the body bytes.
Hash32 TxId(ByteView body_bytes);
inline Hash32 TxId(const Transaction& tx) { return TxId(View(tx.body_bytes)); }

// Checks CIP-21 rules a hardware wallet enforces on a body (canonical encoding, counts, no
// key 6 or 20, no certificates 10..13, consistent tag 258 use). Returns the first violation.
absl::Status CheckHardwareWalletCompatible(ByteView body_cbor);

struct FeeParams {
  uint64_t min_fee_a = 44;     // txFeePerByte
  Lovelace min_fee_b{155381};  // txFeeFixed
  uint64_t coins_per_utxo_byte = 4310;
  Lovelace key_deposit{2000000};
  uint64_t max_tx_size = 16384;
};

// Size in bytes of the full transaction once it carries `vkey_witnesses` witnesses and the given
// native scripts (exact: dummy 32/64-byte witnesses have the final encoding size).
size_t FinalTxSize(const Transaction& tx, size_t vkey_witnesses,
                   const std::vector<NativeScript>& scripts);
// min_fee_a * size + min_fee_b for that final size.
absl::StatusOr<Lovelace> MinFee(const Transaction& tx, size_t vkey_witnesses,
                                const std::vector<NativeScript>& scripts, const FeeParams& p);
// (160 + serialized output size) * coins_per_utxo_byte (Babbage and later).
absl::StatusOr<Lovelace> MinUtxo(const TxOut& out, const FeeParams& p);
Bytes EncodeTxOut(const TxOut& out);
// The smallest fee that covers the transaction built from `body` (its fee field replaced) with
// the given auxiliary data, `vkey_witnesses` vkey witnesses and the native scripts: the fee's own
// encoded length is part of the size, so this iterates to a fixed point.
absl::StatusOr<Lovelace> MinFeeForBody(const TxBody& body, const std::optional<Bytes>& aux_data,
                                       size_t vkey_witnesses,
                                       const std::vector<NativeScript>& scripts,
                                       const FeeParams& p);

}  // namespace stakeward::chain

#endif  // STAKEWARD_CHAIN_TX_H_
