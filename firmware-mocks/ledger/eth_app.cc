#include "firmware-mocks/ledger/eth_app.h"

#include "absl/strings/str_cat.h"
#include "chain/evm.h"
#include "chain/hash.h"

namespace stakeward::mocks::ledger::eth {
namespace {

namespace evm = chain::evm;

// Total encoded length of the RLP list starting at data[offset], if its header is complete.
// nullopt: header not complete yet; 0: not a list (invalid).
std::optional<size_t> RlpListTotal(const chain::Bytes& data, size_t offset) {
  if (data.size() <= offset) return std::nullopt;
  const uint8_t h = data[offset];
  if (h < 0xc0) return 0;
  if (h <= 0xf7) return offset + 1 + (h - 0xc0);
  const size_t len_of_len = h - 0xf7;
  if (len_of_len > 4) return 0;
  if (data.size() < offset + 1 + len_of_len) return std::nullopt;
  size_t len = 0;
  for (size_t i = 0; i < len_of_len; ++i) len = (len << 8) | data[offset + 1 + i];
  return offset + 1 + len_of_len + len;
}

uint64_t BeToU64(const chain::Bytes& b, size_t max_bytes) {
  uint64_t v = 0;
  for (size_t i = 0; i < b.size() && i < max_bytes; ++i) v = (v << 8) | b[i];
  return v;
}

}  // namespace

void EthApp::Reset() {
  signing_ = false;
  path_ = {};
  tx_.clear();
  tx_total_.reset();
}

Reply EthApp::Handle(chain::ByteView raw) {
  std::optional<Apdu> a = ParseApdu(raw);
  if (!a.has_value()) {
    Reset();
    return Reply::Sw(kSwWrongLength);
  }
  if (a->cla != kCla) return Reply::Sw(kSwClaNotSupported);
  switch (a->ins) {
    case kInsGetAppConfiguration:
      if (a->p1 != 0 || a->p2 != 0) return Reply::Sw(kSwIncorrectP1P2);
      return Reply::Ok(
          chain::Bytes{static_cast<uint8_t>(kFlagExternalTokenNeeded |
                                            (options_.blind_signing ? kFlagDataAllowed : 0)),
                       kAppVersion[0], kAppVersion[1], kAppVersion[2]});
    case kInsGetAddress:
      return GetAddress(*a);
    case kInsSignTx:
      return SignTx(*a);
    default:
      return Reply::Sw(kSwInsNotSupported);
  }
}

Reply EthApp::GetAddress(const Apdu& a) {
  if (a.p1 > 1 || a.p2 > 1) return Reply::Sw(kSwIncorrectP1P2);
  Reader r(chain::View(a.data));
  chain::Path path;
  if (!r.Path(kMaxPathElements, &path)) return Reply::Sw(kSwIncorrectData);
  uint64_t chain_id = 0;
  if (r.remaining() == 8) r.U64(&chain_id);
  if (!r.AtEnd()) return Reply::Sw(kSwIncorrectData);
  chain::Path reported = path;
  // Malicious mode: public key and address of the next index (consistent with each other).
  if (options_.malice == Malice::kWrongPubkey && !reported.indexes.empty()) {
    ++reported.indexes.back();
  }
  absl::StatusOr<chain::evm::Secp256k1Key> key = keys_->EthKey(reported);
  if (!key.ok()) return Reply::Sw(kSwIncorrectData);
  // The app returns the address as 40 ASCII hex characters with the EIP-55 checksum casing.
  std::string address = evm::ToChecksumAddress(key->EthAddress()).substr(2);
  if (a.p1 == 1) {
    screens_->Add(absl::StrCat("Verify address 0x", address));
    if (!user_->Decide(kStepAddress)) return Reply::Sw(kSwConditionsNotSatisfied);
  }
  std::array<uint8_t, 65> pub = key->UncompressedPublicKey();
  chain::Bytes out = {65};
  out.insert(out.end(), pub.begin(), pub.end());
  out.push_back(40);
  out.insert(out.end(), address.begin(), address.end());
  if (a.p2 == 1) out.insert(out.end(), key->chain_code().begin(), key->chain_code().end());
  return Reply::Ok(std::move(out));
}

Reply EthApp::SignTx(const Apdu& a) {
  // P1 0x00 first chunk (path || tx bytes), 0x80 following chunks; P2 0x00 sign at the end.
  if ((a.p1 != 0x00 && a.p1 != 0x80) || a.p2 != 0x00) {
    Reset();
    return Reply::Sw(kSwIncorrectP1P2);
  }
  Reader r(chain::View(a.data));
  if (a.p1 == 0x00) {
    Reset();
    if (!r.Path(kMaxPathElements, &path_) || path_.indexes.empty()) {
      Reset();
      return Reply::Sw(kSwIncorrectData);
    }
    signing_ = true;
  } else if (!signing_) {
    return Reply::Sw(kSwConditionsNotSatisfied);
  }
  chain::Bytes chunk = r.Rest();
  if (tx_.size() + chunk.size() > kMaxTxSize) {
    Reset();
    return Reply::Sw(kSwIncorrectData);
  }
  tx_.insert(tx_.end(), chunk.begin(), chunk.end());
  if (!tx_total_.has_value() && !tx_.empty()) {
    // A first byte <= 0x7f is the EIP-2718 type; legacy transactions start with the list header.
    if (tx_[0] <= 0x7f && tx_[0] != 0x01 && tx_[0] != 0x02) {
      Reset();
      return Reply::Sw(kSwTxTypeNotSupported);
    }
    std::optional<size_t> total = RlpListTotal(tx_, tx_[0] <= 0x7f ? 1 : 0);
    if (total.has_value() && *total == 0) {
      Reset();
      return Reply::Sw(kSwIncorrectData);
    }
    tx_total_ = total;
  }
  if (!tx_total_.has_value() || tx_.size() < *tx_total_) return Reply::Ok();
  if (tx_.size() > *tx_total_) {
    Reset();
    return Reply::Sw(kSwIncorrectData);
  }
  Reply reply = FinishSignTx();
  Reset();
  return reply;
}

Reply EthApp::FinishSignTx() {
  const bool typed = tx_[0] <= 0x7f;
  chain::ByteView payload = typed ? chain::ByteView(tx_).subspan(1) : chain::ByteView(tx_);
  absl::StatusOr<evm::rlp::Item> item = evm::rlp::Decode(payload);
  if (!item.ok() || !item->is_list) return Reply::Sw(kSwIncorrectData);
  const auto& f = item->items;
  // Field positions: EIP-1559 [chainId, nonce, tip, maxFee, gas, to, value, data, access],
  // EIP-2930 [chainId, nonce, gasPrice, gas, to, value, data, access],
  // legacy [nonce, gasPrice, gas, to, value, data(, chainId, 0, 0)].
  size_t to_at, value_at, data_at;
  std::optional<size_t> chain_at;
  if (typed && tx_[0] == 0x02) {
    if (f.size() != 9) return Reply::Sw(kSwIncorrectData);
    to_at = 5, value_at = 6, data_at = 7, chain_at = 0;
  } else if (typed) {
    if (f.size() != 8) return Reply::Sw(kSwIncorrectData);
    to_at = 4, value_at = 5, data_at = 6, chain_at = 0;
  } else {
    if (f.size() != 6 && f.size() != 9) return Reply::Sw(kSwIncorrectData);
    to_at = 3, value_at = 4, data_at = 5;
    if (f.size() == 9) chain_at = 6;
  }
  for (size_t i : {to_at, value_at, data_at}) {
    if (f[i].is_list) return Reply::Sw(kSwIncorrectData);
  }
  absl::StatusOr<evm::U256> value = evm::U256::FromBigEndian(chain::View(f[value_at].bytes));
  if (!value.ok()) return Reply::Sw(kSwIncorrectData);
  std::string to = "contract creation";
  if (f[to_at].bytes.size() == 20) {
    evm::Address addr{};
    std::copy(f[to_at].bytes.begin(), f[to_at].bytes.end(), addr.begin());
    to = evm::ToChecksumAddress(addr);
  } else if (!f[to_at].bytes.empty()) {
    return Reply::Sw(kSwIncorrectData);
  }
  const bool has_data = !f[data_at].bytes.empty();
  if (has_data && !options_.blind_signing) {
    // src/features/sign_tx/logic_sign_tx.c: calldata without a plugin and with dataAllowed off
    // shows ui_error_blind_signing ("Blind signing must be enabled in settings",
    // src/nbgl/ui_blind_signing.c) and the APDU fails with SWO_INCORRECT_DATA (0x6A80). The
    // real app refuses on the chunk where the data field starts; the mock buffers the whole
    // transaction and refuses on the chunk that completes it.
    screens_->Add("Blind signing must be enabled in settings");
    return Reply::Sw(kSwIncorrectData);
  }
  const uint64_t chain_id = chain_at.has_value() ? BeToU64(f[*chain_at].bytes, 8) : 0;
  // With data and blind signing on, the review starts with the blind-signing warning
  // (src/nbgl/ui_approve_tx.c sets BLIND_SIGNING_WARN for a blind-signed transaction).
  if (has_data) screens_->Add("Blind signing warning: the transaction data cannot be clear-signed");
  screens_->Add("Review transaction");
  screens_->Add(absl::StrCat("Amount ", value->ToDecimal(), " wei"));
  screens_->Add(absl::StrCat("To ", to));
  if (chain_at.has_value()) screens_->Add(absl::StrCat("Network chain id ", chain_id));
  screens_->Add("Accept and send?");
  if (!user_->Decide(kStepEthSign)) return Reply::Sw(kSwConditionsNotSatisfied);

  chain::Path key_path = path_;
  chain::Hash32 digest = chain::Keccak256(chain::View(tx_));
  if (options_.malice == Malice::kOtherKey) ++key_path.indexes.back();  // malicious mode
  if (options_.malice == Malice::kOtherBody) digest[0] ^= 0x01;         // malicious mode
  absl::StatusOr<evm::Secp256k1Key> key = keys_->EthKey(key_path);
  if (!key.ok()) return Reply::Sw(kSwIncorrectData);
  evm::EvmSignature sig = evm::SignHash(*key, digest);
  uint8_t v;
  if (typed) {
    v = sig.y_parity;  // typed transactions: raw y-parity
  } else if (chain_at.has_value()) {
    // The app uses at most the first 4 bytes of the chain id and returns the low byte of
    // chainId*2 + 35 + parity (specs/ledger.md §6.2).
    const uint64_t id32 = BeToU64(f[*chain_at].bytes, 4);
    v = static_cast<uint8_t>((id32 * 2 + 35 + sig.y_parity) & 0xff);
  } else {
    v = static_cast<uint8_t>(27 + sig.y_parity);
  }
  chain::Bytes out = {v};
  out.insert(out.end(), sig.r.begin(), sig.r.end());
  out.insert(out.end(), sig.s.begin(), sig.s.end());
  return Reply::Ok(std::move(out));
}

}  // namespace stakeward::mocks::ledger::eth
