// Trezor Ethereum flows: address and EIP-1559 signing (trezor.md §6).
#include "absl/strings/str_cat.h"
#include "devices/trezor/apps.h"
#include "proto/trezor/messages_ethereum.pb.h"

namespace stakeward::devices::trezor {

namespace pbe = hw::trezor::messages::ethereum;
using chain::Bytes;

namespace {
// Big-endian without leading zeros, and zero as NO bytes. The firmware RLP-encodes the bytes it
// receives as they are (core/src/apps/ethereum/sign_tx_eip1559.py `_start_digest` passes
// msg.nonce / msg.value / fees straight to rlp.write), so a 0x00 byte would be hashed as
// RLP "00" instead of the canonical "80" for zero. trezorlib sends
// `int_to_big_endian(0) == b""` (python/src/trezorlib/ethereum.py).
std::string Minimal(const chain::evm::U256& v) {
  Bytes b = v.MinimalBigEndian();
  return std::string(b.begin(), b.end());
}
// Calldata chunks the device asks for are at most 1024 bytes (trezor.md §6).
constexpr size_t kChunk = 1024;
}  // namespace

pbe::EthereumSignTxEIP1559 MakeEip1559Request(const chain::Path& path,
                                              const chain::evm::Eip1559Tx& tx) {
  pbe::EthereumSignTxEIP1559 req;
  for (uint32_t i : path.indexes) req.add_address_n(i);
  req.set_nonce(Minimal(tx.nonce));
  req.set_max_gas_fee(Minimal(tx.max_fee_per_gas));
  req.set_max_priority_fee(Minimal(tx.max_priority_fee_per_gas));
  req.set_gas_limit(Minimal(tx.gas_limit));
  if (tx.to) req.set_to("0x" + chain::HexEncode(chain::View(*tx.to)));
  req.set_value(Minimal(tx.value));
  size_t first = std::min(tx.data.size(), kChunk);
  if (first > 0) req.set_data_initial_chunk(std::string(tx.data.begin(), tx.data.begin() + first));
  req.set_data_length(static_cast<uint32_t>(tx.data.size()));
  req.set_chain_id(tx.chain_id);
  return req;
}

absl::StatusOr<chain::evm::Address> EthereumGetAddress(Client& c, const chain::Path& path,
                                                       bool show) {
  pbe::EthereumGetAddress req;
  for (uint32_t i : path.indexes) req.add_address_n(i);
  req.set_show_display(show);
  auto r = c.Exchange<pbe::EthereumAddress>(req);
  if (!r.ok()) return r.status();
  auto a = chain::evm::ParseAddress(r->address());
  if (!a.ok())
    return absl::DataLossError(absl::StrCat("Trezor: bad address \"", r->address(), "\""));
  return *a;
}

absl::StatusOr<chain::evm::EvmSignature> EthereumSignEip1559(Client& c, const chain::Path& path,
                                                             const chain::evm::Eip1559Tx& tx) {
  if (!tx.access_list_rlp.empty() && tx.access_list_rlp != Bytes{0xc0}) {
    return absl::InvalidArgumentError("access lists are not supported for Trezor signing");
  }
  pbe::EthereumSignTxEIP1559 req = MakeEip1559Request(path, tx);
  size_t first = std::min(tx.data.size(), kChunk);
  size_t sent = first;
  auto r = c.Exchange<pbe::EthereumTxRequest>(req);
  while (r.ok() && r->has_data_length() && r->data_length() > 0) {
    size_t want = r->data_length();
    if (want > kChunk || want > tx.data.size() - sent) {
      return absl::DataLossError("Trezor: device asked for calldata beyond the transaction");
    }
    pbe::EthereumTxAck ack;
    ack.set_data_chunk(std::string(tx.data.begin() + sent, tx.data.begin() + sent + want));
    sent += want;
    r = c.Exchange<pbe::EthereumTxRequest>(ack);
  }
  if (!r.ok()) return r.status();
  if (!r->has_signature_v() || r->signature_r().size() != 32 || r->signature_s().size() != 32 ||
      r->signature_v() > 1) {
    return absl::DataLossError("Trezor: malformed EIP-1559 signature");
  }
  chain::evm::EvmSignature sig;
  sig.y_parity = static_cast<uint8_t>(r->signature_v());
  std::copy(r->signature_r().begin(), r->signature_r().end(), sig.r.begin());
  std::copy(r->signature_s().begin(), r->signature_s().end(), sig.s.begin());
  return sig;
}

}  // namespace stakeward::devices::trezor
