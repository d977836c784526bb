#include "controller/rewards/deposit.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "chain/bytes.h"
#include "chain/lovelace.h"
#include "controller/rewards/bridge.h"

namespace stakeward::rewards {

namespace evm = chain::evm;

absl::Status CheckOperatorPath(const chain::Path& path) {
  const auto& ix = path.indexes;
  // BIP44 Ethereum account path (coin type 60): m/44'/60'/0'/0/i.
  if (ix.size() != 5 || ix[0] != (44 | chain::kHardened) || ix[1] != (60 | chain::kHardened) ||
      ix[2] != (0 | chain::kHardened) || ix[3] != 0 || (ix[4] & chain::kHardened) != 0) {
    return absl::InvalidArgumentError(absl::StrCat("operator path ", chain::FormatPath(path),
                                                   " is not of the form m/44'/60'/0'/0/i"));
  }
  return absl::OkStatus();
}

absl::StatusOr<evm::Eip1559Tx> BuildDepositTx(const DepositParams& p) {
  if (auto m = MagicForChainId(p.chain_id); !m.ok()) return m.status();
  if (auto s = CheckOperatorPath(p.operator_path); !s.ok()) return s;
  if (p.roi < evm::U256::FromUint64(1) || p.roi > evm::U256::FromUint64(100)) {
    return absl::InvalidArgumentError("_roi must be between 1 and 100");
  }
  if (p.max_priority_fee_per_gas > p.max_fee_per_gas) {
    return absl::InvalidArgumentError("max priority fee per gas exceeds max fee per gas");
  }
  if (p.max_fee_per_gas.IsZero()) {
    return absl::InvalidArgumentError("max fee per gas must be positive");
  }
  // 21000 is the intrinsic gas of any transaction (Ethereum yellow paper G_transaction).
  if (p.gas_limit < evm::U256::FromUint64(21000)) {
    return absl::InvalidArgumentError("gas limit below the intrinsic 21000");
  }
  // Nonces are 64-bit in practice (EIP-2681).
  if (p.nonce > evm::U256::FromUint64(UINT64_MAX - 1)) {
    return absl::InvalidArgumentError("nonce out of range");
  }
  auto net = chain::CheckedSub(p.bridged_lovelace, p.bridge_fee_lovelace);
  if (!net || *net == chain::Lovelace()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bridge fee ", p.bridge_fee_lovelace.value(), " leaves nothing of the bridged ",
        p.bridged_lovelace.value(), " lovelace to deposit"));
  }
  evm::Eip1559Tx tx;
  tx.chain_id = p.chain_id;
  tx.nonce = p.nonce;
  tx.max_priority_fee_per_gas = p.max_priority_fee_per_gas;
  tx.max_fee_per_gas = p.max_fee_per_gas;
  tx.gas_limit = p.gas_limit;
  tx.to = p.contract;
  tx.value = evm::LovelaceToWei(*net);
  tx.data = evm::EncodeAccreditToPool(p.roi);
  return tx;
}

std::string SignedDeposit::RawHex() const { return absl::StrCat("0x", chain::HexEncode(raw)); }
std::string SignedDeposit::TxHashHex() const {
  return absl::StrCat("0x", chain::HexEncode(tx_hash));
}

absl::StatusOr<SignedDeposit> FinalizeDeposit(const evm::Eip1559Tx& tx,
                                              const evm::EvmSignature& sig,
                                              const evm::Address& expected_sender) {
  auto sender = evm::RecoverSender(tx, sig);
  if (!sender.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("deposit signature does not verify: ", sender.status().message()));
  }
  if (*sender != expected_sender) {
    return absl::FailedPreconditionError(
        absl::StrCat("deposit was signed by ", evm::ToChecksumAddress(*sender),
                     ", not by the operator ", evm::ToChecksumAddress(expected_sender)));
  }
  SignedDeposit out;
  out.raw = evm::EncodeSigned(tx, sig);
  out.tx_hash = evm::TxHash(tx, sig);
  // Round trip: what is broadcast must be exactly the transaction that was approved.
  auto decoded = evm::DecodeSigned(chain::View(out.raw));
  if (!decoded.ok() || evm::EncodeUnsigned(decoded->tx) != evm::EncodeUnsigned(tx)) {
    return absl::InternalError("signed deposit does not decode back to the unsigned one");
  }
  return out;
}

}  // namespace stakeward::rewards
