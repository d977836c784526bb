#include "devices/ledger/eth_app.h"

#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "devices/ledger/errors.h"

namespace stakeward::devices::ledger {

using chain::Bytes;

inline constexpr uint8_t kEthCla = 0xe0;
inline constexpr uint8_t kEthInsGetAddress = 0x02;
inline constexpr uint8_t kEthInsSignTx = 0x04;
inline constexpr uint8_t kEthInsGetConfig = 0x06;

std::string EthAppConfig::VersionString() const {
  return absl::StrFormat("%d.%d.%d", major, minor, patch);
}

absl::StatusOr<Bytes> EncodeEthPath(const chain::Path& path) {
  if (path.indexes.size() > 10)
    return absl::InvalidArgumentError("Ethereum paths have at most 10 levels");
  Bytes b{static_cast<uint8_t>(path.indexes.size())};
  for (uint32_t i : path.indexes) {
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<uint8_t>(i >> s));
  }
  return b;
}

absl::StatusOr<Bytes> EthApp::Call(uint8_t ins, uint8_t p1, uint8_t p2, Bytes data,
                                   absl::string_view operation, SwContext context) {
  auto r = ch_->Exchange(Apdu{kEthCla, ins, p1, p2, std::move(data)}, absl::Now() + timeout_);
  if (!r.ok()) return r.status();
  if (auto s = TranslateStatusWord(r->sw, LedgerApp::kEthereum, operation, context); !s.ok()) {
    return s;
  }
  return std::move(r->data);
}

absl::StatusOr<EthAppConfig> EthApp::GetConfiguration() {
  auto d = Call(kEthInsGetConfig, 0, 0, {}, "get app configuration");
  if (!d.ok()) return d.status();
  if (d->size() < 4) return absl::DataLossError("Ledger Ethereum: short configuration reply");
  return EthAppConfig{(*d)[0], (*d)[1], (*d)[2], (*d)[3]};
}

absl::StatusOr<EthAddressReply> EthApp::GetAddress(const chain::Path& path, bool show) {
  auto p = EncodeEthPath(path);
  if (!p.ok()) return p.status();
  auto d = Call(kEthInsGetAddress, show ? 1 : 0, 0, std::move(*p), "get address");
  if (!d.ok()) return d.status();
  // u8 65 || pubkey || u8 40 || 40 ASCII hex chars (ledger.md §6.1).
  if (d->size() < 1 + 65 + 1 + 40 || (*d)[0] != 65 || (*d)[1] != 0x04 || (*d)[66] != 40) {
    return absl::DataLossError("Ledger Ethereum: malformed address reply");
  }
  EthAddressReply out;
  std::memcpy(out.public_key.data(), d->data() + 1, 65);
  std::string ascii(reinterpret_cast<const char*>(d->data() + 67), 40);
  auto parsed = chain::HexDecodeFixed<20>(ascii);
  if (!parsed.ok()) return absl::DataLossError("Ledger Ethereum: address is not hex");
  out.address = *parsed;
  if (chain::evm::AddressFromPublicKey(out.public_key) != out.address) {
    return absl::DataLossError("Ledger Ethereum: address does not match the public key");
  }
  return out;
}

absl::StatusOr<std::vector<Apdu>> EthSignApdus(const chain::Path& path, chain::ByteView tx) {
  auto p = EncodeEthPath(path);
  if (!p.ok()) return p.status();
  std::vector<Apdu> out;
  size_t off = 0;
  bool first = true;
  // First chunk: path || tx bytes (P1 0x00); then P1 0x80 chunks; up to 255 data bytes each.
  while (first || off < tx.size()) {
    Apdu a{kEthCla, kEthInsSignTx, static_cast<uint8_t>(first ? 0x00 : 0x80), 0x00, {}};
    if (first) a.data = *p;
    size_t room = 255 - a.data.size();
    size_t n = std::min(room, tx.size() - off);
    a.data.insert(a.data.end(), tx.begin() + off, tx.begin() + off + n);
    off += n;
    first = false;
    out.push_back(std::move(a));
  }
  return out;
}

absl::StatusOr<chain::evm::EvmSignature> EthApp::SignTransaction(const chain::Path& path,
                                                                 chain::ByteView tx,
                                                                 bool has_calldata) {
  auto apdus = EthSignApdus(path, tx);
  if (!apdus.ok()) return apdus.status();
  Bytes last;
  for (auto& a : *apdus) {
    auto d =
        Call(a.ins, a.p1, a.p2, std::move(a.data), "sign transaction", SwContext{has_calldata});
    if (!d.ok()) return d.status();
    last = std::move(*d);
  }
  if (last.size() != 65)
    return absl::DataLossError("Ledger Ethereum: signature reply is not 65 bytes");
  // Typed transactions: v is the bare y-parity (ledger.md §6.2).
  if (last[0] > 1) {
    return absl::DataLossError(
        absl::StrCat("Ledger Ethereum: v = ", last[0], " for a typed transaction"));
  }
  chain::evm::EvmSignature sig;
  sig.y_parity = last[0];
  std::memcpy(sig.r.data(), last.data() + 1, 32);
  std::memcpy(sig.s.data(), last.data() + 33, 32);
  return sig;
}

}  // namespace stakeward::devices::ledger
