// A throwaway EVM node for tests: the pinned anvil (npm @foundry-rs/anvil-linux-amd64, installed
// by scripts/install-npm.sh) on a free port, stopped by PID; the test contract
// (tests/interop/l2/LiquidStakingPool.sol) compiled by the pinned solc-js and deployed from
// anvil's first dev account. Never linked into a shipped binary.
#ifndef STAKEWARD_TESTS_SUPPORT_ANVIL_NODE_H_
#define STAKEWARD_TESTS_SUPPORT_ANVIL_NODE_H_

#include <sys/types.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "chain/evm.h"
#include "l2/evm_rpc.h"

namespace stakeward::testing {

// anvil's dev accounts derive from this mnemonic (foundry's default); each holds 10000 ETH.
inline constexpr char kAnvilMnemonic[] =
    "test test test test test test test test test test test junk";

// The anvil binary; empty when it is not installed.
std::string AnvilPath();

class AnvilNode {
 public:
  AnvilNode() = default;
  AnvilNode(const AnvilNode&) = delete;
  AnvilNode& operator=(const AnvilNode&) = delete;
  ~AnvilNode() { Stop(); }

  // Starts anvil --chain-id CHAIN_ID --hardfork london --port 0 plus `extra`; returns its URL once
  // it printed "Listening on HOST:PORT" (FAILED_PRECONDITION when missing or it did not start).
  absl::StatusOr<std::string> Start(const std::vector<std::string>& extra = {},
                                    uint64_t chain_id = 200101);
  void Stop();  // SIGTERM by PID, reaped
  const std::string& url() const { return url_; }

  // An anvil_/evm_ method the EVM client does not offer (evm_mine, anvil_setBalance, ...).
  absl::Status Raw(const std::string& method, const std::string& params_json);
  absl::Status Mine(uint64_t blocks = 1);
  absl::Status SetBalance(const chain::evm::Address& a, uint64_t ether);
  absl::Status SetAutomine(bool on);
  absl::Status DropTransaction(const std::string& tx_hash_hex);

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string url_;
  std::thread drain_;
};

// anvil's dev account `index` (m/44'/60'/0'/0/index of kAnvilMnemonic).
chain::evm::Secp256k1Key AnvilAccount(uint32_t index);

// The test contract's creation bytecode from the pinned solc-js (node bytecode.mjs).
absl::StatusOr<chain::Bytes> LiquidStakingPoolBytecode();

// Signs with `key` (pending nonce, fees capped at 1000 gwei), sends, and returns the receipt
// once mined (mines a block itself when automine is off).
absl::StatusOr<l2::Receipt> SendAndWait(AnvilNode& node, l2::EvmRpc& rpc,
                                        const chain::evm::Secp256k1Key& key,
                                        std::optional<chain::evm::Address> to,
                                        const chain::evm::U256& value, const chain::Bytes& data,
                                        uint64_t gas);

// Deploys LiquidStakingPool(operator, epoch) from anvil's account 0; returns its address.
absl::StatusOr<chain::evm::Address> DeployLiquidStakingPool(AnvilNode& node, l2::EvmRpc& rpc,
                                                            const chain::evm::Address& op,
                                                            uint64_t epoch);

// eth_call of a uint256 getter taking one uint256 (accreditedInEpoch, depositsInEpoch) or none.
absl::StatusOr<chain::evm::U256> CallUint(l2::EvmRpc& rpc, const chain::evm::Address& contract,
                                          const std::string& signature,
                                          std::optional<uint64_t> arg = std::nullopt);

}  // namespace stakeward::testing

#endif  // STAKEWARD_TESTS_SUPPORT_ANVIL_NODE_H_
