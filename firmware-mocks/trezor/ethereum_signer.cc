#include "firmware-mocks/trezor/ethereum_signer.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "chain/hash.h"

namespace stakeward::mocks::trezor {
namespace {

namespace em = hw::trezor::messages::ethereum;
using chain::evm::U256;
using hw::trezor::messages::common::ButtonRequest;

constexpr uint32_t kHardened = 0x80000000u;
constexpr uint32_t kMaxChunk = 1024;  // sign_tx.py: data is streamed in chunks of <= 1024 B
constexpr size_t kMaxFeeBytes = 30;   // sign_tx_eip1559.py "Fee overflow" check

chain::ByteView StrView(const std::string& s) { return chain::View(std::string_view(s)); }

absl::StatusOr<U256> Integer(const std::string& be, const char* name) {
  auto v = U256::FromBigEndian(StrView(be));
  if (!v.ok()) return DataError(absl::StrCat("Invalid ", name));
  return *v;
}

// The digest the firmware signs: 0x02 || rlp([chain_id, nonce, max_priority_fee, max_gas_fee,
// gas_limit, to, value, data, access_list]) where every byte field is RLP-encoded exactly as it
// arrived, leading zero bytes included (core/src/apps/ethereum/sign_tx_eip1559.py `_start_digest`
// / `_finish_digest`; core/src/trezor/crypto/rlp.py `write`). Only chain_id is an integer.
chain::Bytes RawUnsignedTx(const em::EthereumSignTxEIP1559& msg, const chain::Bytes& data,
                           const chain::Bytes& access_list_rlp, const chain::Bytes& to) {
  namespace rlp = chain::evm::rlp;
  std::vector<chain::Bytes> fields = {
      rlp::EncodeUint(U256::FromUint64(msg.chain_id())),
      rlp::EncodeBytes(StrView(msg.nonce())),
      rlp::EncodeBytes(StrView(msg.max_priority_fee())),
      rlp::EncodeBytes(StrView(msg.max_gas_fee())),
      rlp::EncodeBytes(StrView(msg.gas_limit())),
      rlp::EncodeBytes(chain::View(to)),
      rlp::EncodeBytes(StrView(msg.value())),
      rlp::EncodeBytes(chain::View(data)),
      access_list_rlp.empty() ? rlp::EncodeList({}) : access_list_rlp,
  };
  chain::Bytes out = {0x02};
  chain::Bytes list = rlp::EncodeList(fields);
  out.insert(out.end(), list.begin(), list.end());
  return out;
}

absl::StatusOr<chain::evm::Secp256k1Key> DeriveKey(
    const google::protobuf::RepeatedField<uint32_t>& address_n,
    const chain::evm::Secp256k1Key& master) {
  std::vector<uint32_t> path(address_n.begin(), address_n.end());
  if (auto s = ValidateEthereumPath(path); !s.ok()) return s;
  auto key = master.DerivePath(chain::Path{path});
  if (!key.ok()) return FirmwareError("key derivation failed");
  return *key;
}

}  // namespace

absl::Status ValidateEthereumPath(const std::vector<uint32_t>& path) {
  const bool ok = path.size() >= 3 && path.size() <= 5 && path[0] == (44 | kHardened) &&
                  (path[1] == (60 | kHardened) || path[1] == (1 | kHardened)) &&
                  (path[2] & kHardened) != 0;
  if (!ok) return DataError("Forbidden key path");
  return absl::OkStatus();
}

absl::StatusOr<Reply> EthereumGetAddress(const em::EthereumGetAddress& msg,
                                         const chain::evm::Secp256k1Key& master) {
  auto key = DeriveKey(msg.address_n(), master);
  if (!key.ok()) return key.status();
  em::EthereumAddress out;
  out.set_address(chain::evm::ToChecksumAddress(key->EthAddress()));
  std::vector<Screen> screens;
  if (msg.show_display()) {
    screens.push_back({"address", ButtonRequest::ButtonRequest_Address,
                       absl::StrCat("Ethereum address ", out.address())});
  }
  return MakeReply(hw::trezor::messages::MessageType_EthereumAddress, out, std::move(screens));
}

absl::StatusOr<std::pair<std::unique_ptr<EthereumSigner>, Reply>> EthereumSigner::Start(
    const em::EthereumSignTxEIP1559& msg, const chain::evm::Secp256k1Key& master, Malice malice) {
  // sign_tx_eip1559.py `check` and sign_tx.py `check_common_fields`.
  if (msg.max_gas_fee().size() + msg.gas_limit().size() > kMaxFeeBytes ||
      msg.max_priority_fee().size() + msg.gas_limit().size() > kMaxFeeBytes) {
    return DataError("Fee overflow");
  }
  if (msg.data_length() > 0 && msg.data_initial_chunk().empty()) {
    return DataError("Data length provided, but no initial chunk");
  }
  if (msg.data_initial_chunk().size() > msg.data_length() ||
      msg.data_initial_chunk().size() > kMaxChunk) {
    return DataError("Invalid size of initial chunk");
  }
  if (msg.to().size() != 0 && msg.to().size() != 40 && msg.to().size() != 42) {
    return DataError("Invalid recipient address");
  }
  if (msg.to().empty() && msg.data_length() == 0) {
    return DataError("Contract deployment without data");
  }
  if (msg.chain_id() == 0) return DataError("Chain ID out of bounds");

  std::unique_ptr<EthereumSigner> s(new EthereumSigner());
  s->msg_ = msg;
  s->malice_ = malice;
  auto key = DeriveKey(msg.address_n(), master);
  if (!key.ok()) return key.status();
  s->key_ = *key;
  if (malice == Malice::kOtherKey) {
    // Malicious mode: the key of the next address index signs.
    std::vector<uint32_t> other(msg.address_n().begin(), msg.address_n().end());
    ++other.back();
    auto k = master.DerivePath(chain::Path{other});
    if (!k.ok()) return FirmwareError("key derivation failed");
    s->key_ = *k;
  }
  chain::evm::Eip1559Tx& tx = s->tx_;
  tx.chain_id = msg.chain_id();
  auto nonce = Integer(msg.nonce(), "nonce");
  auto max_fee = Integer(msg.max_gas_fee(), "max gas fee");
  auto prio = Integer(msg.max_priority_fee(), "max priority fee");
  auto gas = Integer(msg.gas_limit(), "gas limit");
  auto value = Integer(msg.value(), "value");
  for (const auto* v : {&nonce, &max_fee, &prio, &gas, &value}) {
    if (!v->ok()) return v->status();
  }
  tx.nonce = *nonce;
  tx.max_fee_per_gas = *max_fee;
  tx.max_priority_fee_per_gas = *prio;
  tx.gas_limit = *gas;
  tx.value = *value;
  if (!msg.to().empty()) {
    std::string to = msg.to();
    if (to.size() == 40) to = "0x" + to;
    auto addr = chain::evm::ParseAddress(to);
    if (!addr.ok()) return DataError("Invalid recipient address");
    tx.to = *addr;
  }
  if (msg.access_list_size() > 0) {
    std::vector<chain::Bytes> entries;
    for (const auto& item : msg.access_list()) {
      auto addr = chain::evm::ParseAddress(item.address());
      if (!addr.ok()) return DataError("Invalid access list address");
      std::vector<chain::Bytes> keys;
      for (const std::string& k : item.storage_keys()) {
        keys.push_back(chain::evm::rlp::EncodeBytes(StrView(k)));
      }
      entries.push_back(chain::evm::rlp::EncodeList(
          {chain::evm::rlp::EncodeBytes(chain::View(*addr)), chain::evm::rlp::EncodeList(keys)}));
    }
    tx.access_list_rlp = chain::evm::rlp::EncodeList(entries);
  }
  tx.data.assign(msg.data_initial_chunk().begin(), msg.data_initial_chunk().end());
  Reply first = s->Next();
  return std::make_pair(std::move(s), std::move(first));
}

bool EthereumSigner::Expects(uint16_t type) const {
  return !done_ && requested_ > 0 && type == hw::trezor::messages::MessageType_EthereumTxAck;
}

absl::StatusOr<Reply> EthereumSigner::Handle(const WireMessage& wire) {
  if (!Expects(wire.type)) return UnexpectedMessage();
  auto ack = ParseMessage<em::EthereumTxAck>(wire);
  if (!ack.ok()) return ack.status();
  if (ack->data_chunk().size() != requested_) return DataError("Data length mismatch");
  tx_.data.insert(tx_.data.end(), ack->data_chunk().begin(), ack->data_chunk().end());
  return Next();
}

Reply EthereumSigner::Next() {
  em::EthereumTxRequest req;
  const size_t left = msg_.data_length() - tx_.data.size();
  if (left > 0) {
    requested_ = static_cast<uint32_t>(std::min<size_t>(left, kMaxChunk));
    req.set_data_length(requested_);
    return MakeReply(hw::trezor::messages::MessageType_EthereumTxRequest, req);
  }
  requested_ = 0;
  done_ = true;
  chain::Bytes to_bytes;
  if (tx_.to) to_bytes.assign(tx_.to->begin(), tx_.to->end());
  // Not tx_ re-encoded: the firmware hashes the raw field bytes (see RawUnsignedTx).
  chain::Hash32 digest =
      chain::Keccak256(chain::View(RawUnsignedTx(msg_, tx_.data, tx_.access_list_rlp, to_bytes)));
  if (malice_ == Malice::kOtherBody) {
    chain::evm::Eip1559Tx other = tx_;  // malicious mode: another transaction (nonce + 1)
    other.nonce = other.nonce.CheckedAdd(U256::FromUint64(1)).value_or(U256());
    digest = chain::evm::SigningHash(other);
  }
  const chain::evm::EvmSignature sig = chain::evm::SignHash(key_, digest);
  req.set_signature_v(sig.y_parity);
  req.set_signature_r(std::string(sig.r.begin(), sig.r.end()));
  req.set_signature_s(std::string(sig.s.begin(), sig.s.end()));
  const std::string to = tx_.to ? chain::evm::ToChecksumAddress(*tx_.to) : "new contract";
  std::vector<Screen> screens = {
      {"eth_sign", ButtonRequest::ButtonRequest_ConfirmOutput,
       absl::StrCat("Send ", tx_.value.ToDecimal(), " wei to ", to, " (chain ", tx_.chain_id, ")")},
      {"eth_sign", ButtonRequest::ButtonRequest_SignTx,
       absl::StrCat("Max fee per gas ", tx_.max_fee_per_gas.ToDecimal(), " wei, priority ",
                    tx_.max_priority_fee_per_gas.ToDecimal(), " wei, gas limit ",
                    tx_.gas_limit.ToDecimal(), ", data ", tx_.data.size(), " bytes")},
  };
  return MakeReply(hw::trezor::messages::MessageType_EthereumTxRequest, req, std::move(screens));
}

}  // namespace stakeward::mocks::trezor
