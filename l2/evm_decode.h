// Decoding of EVM JSON-RPC answers (Ethereum execution API: quantities and data are "0x" hex
// strings). Pure and untrusted-input safe: every error is INVALID_ARGUMENT naming the field.
#ifndef STAKEWARD_L2_EVM_DECODE_H_
#define STAKEWARD_L2_EVM_DECODE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "chain/bytes.h"
#include "chain/evm.h"
#include "nlohmann/json.hpp"

namespace stakeward::l2 {

using Json = nlohmann::json;
using chain::evm::Address;
using chain::evm::U256;

// A JSON-RPC 2.0 answer: exactly one of `result` and an error (code, message, optional data).
struct RpcAnswer {
  Json result;
  bool is_error = false;
  int64_t error_code = 0;
  std::string error_message;
  std::string error_data;  // hex revert data or text, when the node gives it
};
absl::StatusOr<RpcAnswer> DecodeAnswer(absl::string_view body, int64_t expected_id);

absl::StatusOr<U256> Quantity(const Json& j, absl::string_view what);  // "0x" + 1..64 hex digits
absl::StatusOr<uint64_t> Quantity64(const Json& j, absl::string_view what);
absl::StatusOr<chain::Bytes> Data(const Json& j, absl::string_view what);  // "0x" + even hex
absl::StatusOr<chain::Hash32> Hash(const Json& j, absl::string_view what);
absl::StatusOr<Address> AddressOf(const Json& j, absl::string_view what);

struct Log {
  Address address{};
  std::vector<chain::Hash32> topics;
  chain::Bytes data;
  uint64_t block_number = 0;
  chain::Hash32 tx_hash{};
  uint64_t log_index = 0;
  bool removed = false;  // dropped by a reorg
};
absl::StatusOr<Log> DecodeLog(const Json& j, absl::string_view what);
absl::StatusOr<std::vector<Log>> DecodeLogs(const Json& j);

struct Receipt {
  chain::Hash32 tx_hash{};
  uint64_t block_number = 0;
  chain::Hash32 block_hash{};
  bool success = false;  // status 0x1
  uint64_t gas_used = 0;
  U256 effective_gas_price;
  std::optional<Address> contract_address;
  std::vector<Log> logs;
};
// null (not mined yet) decodes to nullopt.
absl::StatusOr<std::optional<Receipt>> DecodeReceipt(const Json& j);

// eth_feeHistory: the base fee of the block after the newest one (its last baseFeePerGas).
absl::StatusOr<U256> NextBaseFee(const Json& fee_history);

}  // namespace stakeward::l2

#endif  // STAKEWARD_L2_EVM_DECODE_H_
