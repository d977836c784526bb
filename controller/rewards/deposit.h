// The L2 deposit: once the bridge has credited the operator's C1 account, an EIP-1559
// transaction from that account (m/44'/60'/0'/0/i) to the liquid-staking contract calling
// accreditToPool(_roi) with value = (bridged lovelace − bridge fee) × 10^12 wei.
//
// The signer is abstract (a callback), so this module does not depend on device code: the
// controller passes a devices Signer's SignEip1559, tests pass a software key
// (tests/support/software_evm_signer.h).
#ifndef STAKEWARD_CONTROLLER_REWARDS_DEPOSIT_H_
#define STAKEWARD_CONTROLLER_REWARDS_DEPOSIT_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "chain/evm.h"
#include "chain/keys.h"
#include "chain/lovelace.h"

namespace stakeward::rewards {

struct DepositParams {
  uint64_t chain_id = 0;                   // 2001 mainnet, 200101 devnet
  chain::evm::Address contract{};          // liquid-staking contract
  chain::evm::U256 roi;                    // accreditToPool(_roi), 1..100
  chain::evm::Address operator_address{};  // expected sender
  chain::Path operator_path;               // m/44'/60'/0'/0/i
  chain::evm::U256 nonce;
  chain::evm::U256 gas_limit;
  chain::evm::U256 max_fee_per_gas;
  chain::evm::U256 max_priority_fee_per_gas;
  chain::Lovelace bridged_lovelace;     // what the L1 reward transactions sent to the bridge
  chain::Lovelace bridge_fee_lovelace;  // what the bridge keeps (stargate fromADAFeeLovelace)
};

// Validates the parameters and returns the unsigned transaction. INVALID_ARGUMENT for an
// unknown chain id, a path outside m/44'/60'/0'/0/i, _roi outside 1..100, a priority fee above
// the fee cap, a gas limit below 21000, or a bridge fee that leaves nothing to deposit.
absl::StatusOr<chain::evm::Eip1559Tx> BuildDepositTx(const DepositParams& p);

// Checks that an operator path is m/44'/60'/0'/0/i.
absl::Status CheckOperatorPath(const chain::Path& path);

// Signs `tx` with the key at `path`; returns the signature or the signer's error (CANCELLED when
// the user rejected, UNAVAILABLE when the device is gone, ...).
using EvmSignFn = std::function<absl::StatusOr<chain::evm::EvmSignature>(
    const chain::Path& path, const chain::evm::Eip1559Tx& tx)>;

struct SignedDeposit {
  chain::Bytes raw;  // 0x02 || rlp([...]) for eth_sendRawTransaction
  chain::Hash32 tx_hash{};
  std::string RawHex() const;  // "0x…"
  std::string TxHashHex() const;
};

// Post-signature checks: the signature recovers to `expected_sender`, the raw transaction decodes
// back to `tx`. FAILED_PRECONDITION when the signer used another key or returned garbage.
absl::StatusOr<SignedDeposit> FinalizeDeposit(const chain::evm::Eip1559Tx& tx,
                                              const chain::evm::EvmSignature& sig,
                                              const chain::evm::Address& expected_sender);

}  // namespace stakeward::rewards

#endif  // STAKEWARD_CONTROLLER_REWARDS_DEPOSIT_H_
