// SIGN_TX outputs: basic data, asset groups, tokens and the per-output confirm.
#include "firmware-mocks/ledger/cardano_sign_tx_output.h"

#include "absl/strings/str_cat.h"
#include "chain/cbor.h"
#include "firmware-mocks/ledger/cardano_address.h"

namespace stakeward::mocks::ledger::cardano {

Reply SignTxMachine::HandleOutput(const Apdu& a) {
  if (a.p2 < kP2OutputBasic || a.p2 > kP2OutputLast) return Fail(kSwInvalidP1P2);
  if (!output_) output_ = std::make_unique<OutputState>();
  Reader r(chain::View(a.data));
  using Sub = OutputState::Sub;
  switch (a.p2) {
    case kP2OutputBasic:
      if (output_->sub != Sub::kBasic) return Fail(kSwInvalidState);
      return HandleOutputBasic(r);
    case kP2OutputAssetGroup:
      if (output_->sub != Sub::kAssets || output_->tokens_done != output_->tokens_total) {
        return Fail(kSwInvalidState);
      }
      return HandleAssetGroup(r);
    case kP2OutputToken:
      if (output_->sub != Sub::kAssets || output_->tokens_done >= output_->tokens_total) {
        return Fail(kSwInvalidState);
      }
      return HandleToken(r);
    case kP2OutputConfirm:
      if (!a.data.empty()) return Fail(kSwInvalidData);
      if (output_->sub != Sub::kConfirm) return Fail(kSwInvalidState);
      return HandleOutputConfirm();
    default:
      // Datum and reference-script chunks: only valid after their INIT flags, which this
      // emulation refuses, so they are always out of order.
      return Fail(kSwInvalidState);
  }
}

Reply SignTxMachine::HandleOutputBasic(Reader& r) {
  uint8_t format = 0, dest = 0;
  if (!r.U8(&format) || format > 1 || !r.U8(&dest)) return Fail(kSwInvalidData);
  chain::Bytes address;
  bool change = false;
  if (dest == 0x01) {  // THIRD_PARTY: u32be length, raw address
    uint32_t len = 0;
    if (!r.U32(&len) || len == 0 || len > kMaxAddressSize || !r.Take(len, &address)) {
      return Fail(kSwInvalidData);
    }
  } else if (dest == 0x02) {  // DEVICE_OWNED: address params
    AddressParams params;
    if (!ReadAddressParams(r, &params)) return Fail(kSwInvalidData);
    // MULTISIG outputs must be plain addresses (securityPolicy.c
    // policyForSignTxOutputAddressParams).
    if (mode_ == kModeMultisig) return Fail(kSwRejectedByPolicy);
    DerivedAddress derived = DeriveAddress(*env_.keys, params);
    if (derived.sw != kSwOk) return Fail(derived.sw);
    if (params.network_id != network_id_) return Fail(kSwRejectedByPolicy);
    if (!UseAccount(params.spending_path)) return Fail(kSwRejectedByPolicy);
    address = std::move(derived.bytes);
    change = true;
    output_->shown = ClassifyPath(params.spending_path).unusual || params.staking_choice != 0x22;
  } else {
    return Fail(kSwInvalidData);
  }
  uint64_t amount = 0;
  uint32_t groups = 0;
  bool has_datum = false, has_script = false;
  if (!r.U64(&amount) || !r.U32(&groups) || !ReadIncluded(r, &has_datum) ||
      !ReadIncluded(r, &has_script) || !r.AtEnd()) {
    return Fail(kSwInvalidData);
  }
  if (amount > kMaxLovelaceSupply) return Fail(kSwInvalidData);
  if (has_datum || has_script) return Fail(kSwRejectedByPolicy);  // not emulated
  if (!change) {
    const uint8_t type = address[0] >> 4;
    if (type == 0x0E || type == 0x0F) return Fail(kSwRejectedByPolicy);  // reward address
    if (type > 0x08) return Fail(kSwInvalidData);
    if (type != 0x08 && (address[0] & 0x0f) != network_id_) return Fail(kSwRejectedByPolicy);
    output_->shown = true;
  }
  // securityPolicy.c policyForSignTxOutputAddressBytes: WARN_IF(needsMissingDatumWarning), i.e.
  // a payment-script address (header types 1, 3, 5, 7) without a datum; the warning text is
  // signTxOutput_ui.c's "could be unspendable due to missing datum".
  const uint8_t header_type = static_cast<uint8_t>(address[0] >> 4);
  if (!change && !has_datum && header_type <= 7 && (header_type & 1) == 1) {
    env_.screens->Add("Warning: output could be unspendable due to missing datum");
    if (!Prompt(kStepOutput)) return Fail(kSwRejectedByUser);
  }
  if (output_->shown) {
    env_.screens->Add(absl::StrCat("Send ", ScreenLog::FormatAda(amount), " to ",
                                   AddressForDisplay(chain::View(address))));
  }
  chain::cbor::Writer w;
  if (format == 0) {
    w.ArrayHeader(2).Bytes(chain::View(address));
  } else {
    w.MapHeader(2).Uint(0).Bytes(chain::View(address)).Uint(1);
  }
  if (groups == 0) {
    w.Uint(amount);
  } else {
    w.ArrayHeader(2).Uint(amount).MapHeader(groups);
  }
  Emit(w.data());
  output_->groups_total = groups;
  output_->sub = groups == 0 ? OutputState::Sub::kConfirm : OutputState::Sub::kAssets;
  return Reply::Ok();
}

Reply SignTxMachine::HandleAssetGroup(Reader& r) {
  chain::Hash28 policy{};
  uint32_t tokens = 0;
  if (!r.Fixed(&policy) || !r.U32(&tokens) || !r.AtEnd() || tokens == 0) {
    return Fail(kSwInvalidData);
  }
  chain::cbor::Writer key;
  key.Bytes(chain::View(policy));
  if (!output_->last_policy_key.empty() &&
      !chain::cbor::CanonicalKeyLess(chain::View(output_->last_policy_key),
                                     chain::View(key.data()))) {
    return Fail(kSwInvalidData);  // policies must be sorted canonically, without duplicates
  }
  output_->last_policy_key = key.data();
  output_->last_name_key.clear();
  output_->current_policy.assign(policy.begin(), policy.end());
  output_->tokens_total = tokens;
  output_->tokens_done = 0;
  ++output_->groups_done;
  chain::cbor::Writer w;
  w.Raw(chain::View(key.data())).MapHeader(tokens);
  Emit(w.data());
  return Reply::Ok();
}

Reply SignTxMachine::HandleToken(Reader& r) {
  uint32_t len = 0;
  chain::Bytes name;
  uint64_t amount = 0;
  if (!r.U32(&len) || len > kMaxAssetNameSize || !r.Take(len, &name) || !r.U64(&amount) ||
      !r.AtEnd()) {
    return Fail(kSwInvalidData);
  }
  chain::cbor::Writer key;
  key.Bytes(chain::View(name));
  if (!output_->last_name_key.empty() &&
      !chain::cbor::CanonicalKeyLess(chain::View(output_->last_name_key),
                                     chain::View(key.data()))) {
    return Fail(kSwInvalidData);
  }
  output_->last_name_key = key.data();
  if (output_->shown) {
    env_.screens->Add(absl::StrCat("Token ", chain::HexEncode(chain::View(output_->current_policy)),
                                   ".", chain::HexEncode(chain::View(name)), " amount ", amount));
  }
  chain::cbor::Writer w;
  w.Raw(chain::View(key.data())).Uint(amount);
  Emit(w.data());
  ++output_->tokens_done;
  if (output_->tokens_done == output_->tokens_total &&
      output_->groups_done == output_->groups_total) {
    output_->sub = OutputState::Sub::kConfirm;
  }
  return Reply::Ok();
}

Reply SignTxMachine::HandleOutputConfirm() {
  if (output_->shown && !Prompt(kStepOutput)) return Fail(kSwRejectedByUser);
  output_.reset();
  ++done_in_stage_;
  Advance();
  return Reply::Ok();
}

}  // namespace stakeward::mocks::ledger::cardano
