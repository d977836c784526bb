// Ethereum on the mock: EthereumGetAddress and the EIP-1559 signing workflow
// (EthereumSignTxEIP1559 -> EthereumTxRequest [-> EthereumTxAck data chunks] -> final
// EthereumTxRequest with v, r, s). Follows trezor-firmware core/src/apps/ethereum/
// sign_tx_eip1559.py and sign_tx.py (specs/trezor.md §6).
#ifndef STAKEWARD_FIRMWARE_MOCKS_TREZOR_ETHEREUM_SIGNER_H_
#define STAKEWARD_FIRMWARE_MOCKS_TREZOR_ETHEREUM_SIGNER_H_

#include <memory>
#include <utility>

#include "absl/status/statusor.h"
#include "chain/bytes.h"
#include "chain/evm.h"
#include "firmware-mocks/common/malice.h"
#include "firmware-mocks/trezor/flow.h"
#include "proto/trezor/messages_ethereum.pb.h"

namespace stakeward::mocks::trezor {

// BIP-44 Ethereum paths the mock accepts: m/44'/60'|1'/... with 3 to 5 elements, the first
// three hardened (DataError "Forbidden key path" otherwise).
absl::Status ValidateEthereumPath(const std::vector<uint32_t>& path);

absl::StatusOr<Reply> EthereumGetAddress(
    const hw::trezor::messages::ethereum::EthereumGetAddress& msg,
    const chain::evm::Secp256k1Key& master);

class EthereumSigner : public Flow {
 public:
  static absl::StatusOr<std::pair<std::unique_ptr<EthereumSigner>, Reply>> Start(
      const hw::trezor::messages::ethereum::EthereumSignTxEIP1559& msg,
      const chain::evm::Secp256k1Key& master, Malice malice = Malice::kNone);

  bool Expects(uint16_t type) const override;
  absl::StatusOr<Reply> Handle(const WireMessage& msg) override;
  bool done() const override { return done_; }

 private:
  EthereumSigner() = default;
  // Asks for the next data chunk, or confirms and signs once all data is in.
  Reply Next();

  hw::trezor::messages::ethereum::EthereumSignTxEIP1559 msg_;
  chain::evm::Secp256k1Key key_;
  chain::evm::Eip1559Tx tx_;
  Malice malice_ = Malice::kNone;
  uint32_t requested_ = 0;
  bool done_ = false;
};

}  // namespace stakeward::mocks::trezor

#endif  // STAKEWARD_FIRMWARE_MOCKS_TREZOR_ETHEREUM_SIGNER_H_
