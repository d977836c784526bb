// Vendor-neutral description of a Cardano transaction as the hardware wallets stream it: every
// body element in body order, credentials already resolved to a path (ORDINARY) or a hash
// (MULTISIG). Built by the signer layer from a chain::Transaction, consumed by the Ledger and
// Trezor clients. A vocabulary header: no behaviour.
#ifndef STAKEWARD_DEVICES_CARDANO_REQUEST_H_
#define STAKEWARD_DEVICES_CARDANO_REQUEST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chain/bytes.h"
#include "chain/keys.h"
#include "chain/tx.h"

namespace stakeward::devices {

enum class SigningMode { kOrdinary, kMultisig };

struct StakeCredential {
  enum class Kind { kKeyPath, kKeyHash, kScriptHash };
  Kind kind = Kind::kKeyPath;
  chain::Path path;      // kKeyPath
  chain::Hash28 hash{};  // kKeyHash / kScriptHash
};

struct DeviceDRep {
  enum class Kind : uint8_t { kKeyHash = 0, kScriptHash = 1, kAbstain = 2, kNoConfidence = 3 };
  Kind kind = Kind::kAbstain;
  chain::Hash28 hash{};
};

struct DeviceCertificate {
  // Conway certificate tags; only 0, 1, 2, 7, 8, 9 are streamed.
  uint8_t type = 0;
  StakeCredential credential;
  chain::Hash28 pool{};  // 2
  uint64_t coin = 0;     // 7, 8: deposit / refund
  DeviceDRep drep;       // 9
};

struct DeviceWithdrawal {
  StakeCredential credential;
  uint64_t amount = 0;
  chain::Bytes reward_account;  // the 29 raw bytes (for display / Trezor)
};

struct DeviceOutput {
  chain::Bytes address;        // raw bytes, always a third-party address
  std::string address_bech32;  // the same address as Trezor wants it
  uint64_t amount = 0;
  bool map_format = false;  // Babbage map output
};

struct DeviceRequiredSigner {
  bool is_path = false;
  chain::Path path;
  chain::Hash28 hash{};
};

struct CardanoTxRequest {
  SigningMode mode = SigningMode::kMultisig;
  uint8_t network_id = 1;
  uint32_t protocol_magic = 764824073;
  bool tag_cbor_sets = true;
  bool include_network_id = false;  // body key 15 present
  std::vector<chain::TxIn> inputs;
  std::vector<DeviceOutput> outputs;
  uint64_t fee = 0;
  std::optional<uint64_t> ttl;
  std::vector<DeviceCertificate> certificates;
  std::vector<DeviceWithdrawal> withdrawals;  // canonical (body) order
  std::optional<chain::Hash32> aux_data_hash;
  std::optional<uint64_t> validity_start;
  std::vector<DeviceRequiredSigner> required_signers;
  std::vector<chain::Path> witness_paths;  // unique, in the order they are requested
};

struct DeviceWitness {
  chain::Path path;
  std::array<uint8_t, 32> public_key{};  // as the device reported it (Trezor) or empty (Ledger)
  chain::Signature signature{};
};

struct CardanoSignResult {
  chain::Hash32 tx_hash{};
  std::vector<DeviceWitness> witnesses;  // one per witness path, same order
};

// Usage statistics of one client (APDUs / protobuf messages and bytes sent), for measurements.
struct ExchangeStats {
  uint64_t exchanges = 0;
  uint64_t bytes_sent = 0;  // APDU bytes, or protobuf payload bytes
  uint64_t bytes_received = 0;
};

}  // namespace stakeward::devices

#endif  // STAKEWARD_DEVICES_CARDANO_REQUEST_H_
