#include "devices/ledger/cardano_app.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "devices/ledger/errors.h"

namespace stakeward::devices::ledger {

namespace cw = cardano_wire;
using chain::Bytes;

std::string CardanoAppVersion::ToString() const {
  return absl::StrFormat("%d.%d.%d", major, minor, patch);
}

absl::StatusOr<Bytes> CardanoApp::Call(uint8_t ins, uint8_t p1, uint8_t p2, Bytes data,
                                       absl::string_view operation, int expected_len) {
  Apdu apdu{cw::kCla, ins, p1, p2, std::move(data)};
  auto r = ch_->Exchange(apdu, absl::Now() + timeout_);
  if (!r.ok()) return r.status();
  if (absl::Status s = TranslateStatusWord(r->sw, LedgerApp::kCardano, operation); !s.ok()) {
    return s;
  }
  // Replies have fixed lengths (ledger.md §5): anything else is not a Cardano app speaking.
  if (expected_len >= 0 && r->data.size() != static_cast<size_t>(expected_len)) {
    return absl::DataLossError(absl::StrCat("Ledger ", operation, ": reply of ", r->data.size(),
                                            " bytes, expected ", expected_len));
  }
  return std::move(r->data);
}

absl::StatusOr<CardanoAppVersion> CardanoApp::GetVersion() {
  auto r = ch_->Exchange(Apdu{cw::kCla, cw::kInsGetVersion, 0, 0, {}}, absl::Now() + timeout_);
  // An abandoned earlier call (e.g. after a disconnect) makes the app answer the first APDU of a
  // new call with 0x6e04 and go back to idle; ledgerjs retries once as well (ledger.md §4.1).
  if (r.ok() && r->sw == 0x6e04) {
    r = ch_->Exchange(Apdu{cw::kCla, cw::kInsGetVersion, 0, 0, {}}, absl::Now() + timeout_);
  }
  if (!r.ok()) return r.status();
  if (auto s = TranslateStatusWord(r->sw, LedgerApp::kCardano, "get version"); !s.ok()) return s;
  if (r->data.size() != 4) {
    return absl::DataLossError(
        absl::StrCat("Ledger get version: reply of ", r->data.size(), " bytes, expected 4"));
  }
  return CardanoAppVersion{r->data[0], r->data[1], r->data[2], r->data[3]};
}

absl::StatusOr<std::string> CardanoApp::GetSerial() {
  auto d = Call(cw::kInsGetSerial, 0, 0, {}, "get serial", 7);
  if (!d.ok()) return d.status();
  return chain::HexEncode(chain::View(*d));
}

absl::StatusOr<std::vector<chain::XPub>> CardanoApp::GetExtendedPublicKeys(
    const std::vector<chain::Path>& paths) {
  std::vector<chain::XPub> out;
  for (size_t i = 0; i < paths.size(); ++i) {
    auto data =
        cw::EncodeGetExtPublicKey(paths[i], static_cast<uint32_t>(paths.size() - 1 - i), i == 0);
    if (!data.ok()) return data.status();
    auto d = Call(cw::kInsGetExtPublicKey, i == 0 ? 0x00 : 0x01, 0, std::move(*data),
                  "get public key", 64);
    if (!d.ok()) return d.status();
    auto xpub = chain::XPub::Parse(chain::View(*d));
    if (!xpub.ok()) return absl::DataLossError("Ledger get public key: malformed key");
    out.push_back(*xpub);
  }
  return out;
}

absl::Status CardanoApp::ShowAddress(const cw::AddressParams& params) {
  auto data = cw::EncodeAddressParams(params);
  if (!data.ok()) return data.status();
  return Call(cw::kInsDeriveAddress, 0x02, 0, std::move(*data), "show address", 0).status();
}

absl::StatusOr<Bytes> CardanoApp::DeriveAddress(const cw::AddressParams& params) {
  auto data = cw::EncodeAddressParams(params);
  if (!data.ok()) return data.status();
  return Call(cw::kInsDeriveAddress, 0x01, 0, std::move(*data), "derive address", -1);
}

absl::StatusOr<CardanoSignResult> CardanoApp::SignTx(
    const CardanoTxRequest& req, const std::function<void(std::string_view)>& progress) {
  // Stage order is the row order of ledger.md §4.8, not P1 order.
  auto step = [&](uint8_t p1, uint8_t p2, absl::StatusOr<Bytes> data) -> absl::Status {
    if (!data.ok()) return data.status();
    return Call(cw::kInsSignTx, p1, p2, std::move(*data), "sign transaction", 0).status();
  };
  if (progress) progress("Review the transaction on your Ledger and confirm each screen…");
  if (auto s = step(cw::kP1Init, 0, cw::EncodeInit(req)); !s.ok()) return s;
  if (req.aux_data_hash) {
    if (auto s = step(cw::kP1AuxData, 0, cw::EncodeAuxDataHash(*req.aux_data_hash)); !s.ok())
      return s;
  }
  for (const auto& in : req.inputs) {
    if (auto s = step(cw::kP1Inputs, 0, cw::EncodeInput(in)); !s.ok()) return s;
  }
  for (const auto& out : req.outputs) {
    if (auto s = step(cw::kP1Outputs, cw::kP2OutputBasic, cw::EncodeOutputBasic(out)); !s.ok())
      return s;
    if (auto s = step(cw::kP1Outputs, cw::kP2OutputConfirm, Bytes{}); !s.ok()) return s;
  }
  if (auto s = step(cw::kP1Fee, 0, cw::EncodeU64(req.fee)); !s.ok()) return s;
  if (req.ttl) {
    if (auto s = step(cw::kP1Ttl, 0, cw::EncodeU64(*req.ttl)); !s.ok()) return s;
  }
  for (const auto& c : req.certificates) {
    if (auto s = step(cw::kP1Certificates, 0, cw::EncodeCertificate(c)); !s.ok()) return s;
  }
  for (const auto& w : req.withdrawals) {
    if (auto s = step(cw::kP1Withdrawals, 0, cw::EncodeWithdrawal(w)); !s.ok()) return s;
  }
  if (req.validity_start) {
    if (auto s = step(cw::kP1ValidityStart, 0, cw::EncodeU64(*req.validity_start)); !s.ok())
      return s;
  }
  for (const auto& rs : req.required_signers) {
    if (auto s = step(cw::kP1RequiredSigners, 0, cw::EncodeRequiredSigner(rs)); !s.ok()) return s;
  }
  if (progress) progress("Confirm signing on your Ledger…");
  auto hash = Call(cw::kInsSignTx, cw::kP1Confirm, 0, {}, "sign transaction (confirm)", 32);
  if (!hash.ok()) return hash.status();
  CardanoSignResult result;
  std::copy(hash->begin(), hash->end(), result.tx_hash.begin());
  for (const auto& path : req.witness_paths) {
    if (progress)
      progress(
          absl::StrCat("Confirm the witness for ", chain::FormatPath(path), " on your Ledger…"));
    auto p = cw::EncodePath(path);
    if (!p.ok()) return p.status();
    auto sig =
        Call(cw::kInsSignTx, cw::kP1Witnesses, 0, std::move(*p), "sign transaction (witness)", 64);
    if (!sig.ok()) return sig.status();
    DeviceWitness w;
    w.path = path;
    std::copy(sig->begin(), sig->end(), w.signature.begin());
    result.witnesses.push_back(w);
  }
  return result;
}

}  // namespace stakeward::devices::ledger
