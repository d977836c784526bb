// EVM JSON-RPC client over HTTP(S) (libcurl through chainsource/http_client.h): the calls the L2
// deposit needs — chain id, nonces, fee suggestion, gas estimate, raw transaction submission,
// receipts, logs, balances and eth_call. Every call has a deadline; node errors are translated by
// TranslateNodeError; malformed answers are INVALID_ARGUMENT, transport failures UNAVAILABLE or
// DEADLINE_EXCEEDED.
#ifndef STAKEWARD_L2_EVM_RPC_H_
#define STAKEWARD_L2_EVM_RPC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "l2/evm_decode.h"

namespace stakeward::l2 {

struct CallRequest {
  std::optional<Address> from;
  Address to{};
  U256 value;
  chain::Bytes data;
};

struct LogFilter {
  Address address{};
  std::vector<std::optional<chain::Hash32>> topics;  // position by position; nullopt = any
  uint64_t from_block = 0;
  std::optional<uint64_t> to_block;  // nullopt = latest
};

// Operator caps for the fee suggestion (wei per gas).
struct FeeCaps {
  U256 max_fee_per_gas;
  U256 max_priority_fee_per_gas;
};
struct FeeSuggestion {
  U256 next_base_fee;
  U256 max_priority_fee_per_gas;
  U256 max_fee_per_gas;  // 2 × next base fee + priority, capped
};
// Pure: FAILED_PRECONDITION when the cap cannot cover the next block's base fee plus the tip.
absl::StatusOr<FeeSuggestion> SuggestFees(const U256& next_base_fee, const U256& node_priority,
                                          const FeeCaps& caps);

class EvmRpc {
 public:
  // `url` is http:// or https://; `per_call` bounds every call.
  static absl::StatusOr<EvmRpc> Create(std::string url, absl::Duration per_call);

  absl::StatusOr<uint64_t> ChainId();
  // FAILED_PRECONDITION naming both ids when the node serves another chain.
  absl::Status CheckChainId(uint64_t expected);
  absl::StatusOr<uint64_t> BlockNumber();
  absl::StatusOr<uint64_t> Nonce(const Address& account, bool pending);
  absl::StatusOr<U256> Balance(const Address& account);
  absl::StatusOr<FeeSuggestion> Fees(const FeeCaps& caps);
  absl::StatusOr<uint64_t> EstimateGas(const CallRequest& call);
  absl::StatusOr<chain::Bytes> Call(const CallRequest& call);
  // eth_call of a view function returning one uint256 (`signature` like "totalSupply()"), with
  // at most one uint256 argument; FAILED_PRECONDITION when the answer is not one 32-byte word
  // (not the contract the caller thinks it is).
  absl::StatusOr<U256> CallUint(const Address& contract, const std::string& signature,
                                std::optional<U256> arg = std::nullopt);
  // The node's transaction hash, checked against keccak256(raw).
  absl::StatusOr<chain::Hash32> SendRawTransaction(chain::ByteView raw);
  absl::StatusOr<std::optional<Receipt>> GetReceipt(const chain::Hash32& tx);
  absl::StatusOr<std::vector<Log>> GetLogs(const LogFilter& filter);
  // eth_getRawTransactionByHash: the signed transaction, checked against keccak256(raw) = tx;
  // nullopt when the node does not know it.
  absl::StatusOr<std::optional<chain::Bytes>> GetRawTransaction(const chain::Hash32& tx);
  const std::string& url() const { return url_; }

 private:
  EvmRpc(std::string url, absl::Duration per_call) : url_(std::move(url)), per_call_(per_call) {}
  absl::StatusOr<Json> Invoke(const char* method, Json params);

  std::string url_;
  absl::Duration per_call_;
  int64_t next_id_ = 1;
};

}  // namespace stakeward::l2

#endif  // STAKEWARD_L2_EVM_RPC_H_
