#include "firmware-mocks/ledger/cardano_app.h"

#include "absl/strings/str_cat.h"
#include "chain/hash.h"
#include "firmware-mocks/ledger/cardano_address.h"

namespace stakeward::mocks::ledger::cardano {
namespace {

// GET_EXT_PUBLIC_KEY batch limit (src/getPublicKeys.h MAX_PUBLIC_KEYS).
constexpr uint32_t kMaxPublicKeys = 1000;

}  // namespace

CardanoApp::CardanoApp(SignTxEnv env) : env_(env) {}
CardanoApp::~CardanoApp() = default;

void CardanoApp::Reset() {
  in_call_ = false;
  current_ins_ = 0;
  keys_remaining_ = 0;
  sign_tx_.reset();
  script_.reset();
}

Reply CardanoApp::Handle(chain::ByteView raw) {
  // Header checks in the order of src/main.c: length, CLA, INS, call continuity.
  std::optional<Apdu> a = ParseApdu(raw);
  if (!a.has_value()) {
    Reset();
    return Reply::Sw(kSwMalformedHeader);
  }
  if (a->cla != kCla) {
    Reset();
    return Reply::Sw(kSwBadCla);
  }
  switch (a->ins) {
    case kInsGetVersion:
    case kInsGetSerial:
    case kInsGetExtPublicKey:
    case kInsDeriveAddress:
    case kInsDeriveNativeScriptHash:
    case kInsSignTx:
      break;
    default:
      Reset();
      return Reply::Sw(kSwUnknownIns);
  }
  if (in_call_ && a->ins != current_ins_) {
    Reset();
    return Reply::Sw(kSwStillInCall);
  }
  const bool first = !in_call_;
  in_call_ = true;
  current_ins_ = a->ins;
  call_done_ = false;
  Reply reply = Dispatch(*a, first);
  // Every error is auto-responded and ends the call (0x6E00 <= SW < 0x6E13, and the user
  // rejection); a handler that finished its call also returns the app to idle.
  if (reply.sw != kSwOk || call_done_) Reset();
  return reply;
}

Reply CardanoApp::Dispatch(const Apdu& a, bool first) {
  switch (a.ins) {
    case kInsGetVersion:
      return GetVersion(a);
    case kInsGetSerial:
      return GetSerial(a);
    case kInsGetExtPublicKey:
      return GetExtPublicKey(a, first);
    case kInsDeriveAddress:
      return DeriveAddressIns(a);
    case kInsDeriveNativeScriptHash:
      return NativeScriptHash(a, first);
    default:
      return SignTx(a, first);
  }
}

Reply CardanoApp::GetVersion(const Apdu& a) {
  if (a.p1 != 0 || a.p2 != 0) return Reply::Sw(kSwInvalidP1P2);
  if (!a.data.empty()) return Reply::Sw(kSwInvalidData);
  call_done_ = true;
  return Reply::Ok(chain::Bytes(kAppVersion.begin(), kAppVersion.end()));
}

Reply CardanoApp::GetSerial(const Apdu& a) {
  if (a.p1 != 0 || a.p2 != 0) return Reply::Sw(kSwInvalidP1P2);
  if (!a.data.empty()) return Reply::Sw(kSwInvalidData);
  call_done_ = true;
  std::array<uint8_t, 7> s = env_.keys->Serial();
  return Reply::Ok(chain::Bytes(s.begin(), s.end()));
}

Reply CardanoApp::GetExtPublicKey(const Apdu& a, bool first) {
  // P1 0x00 first key (path [+ u32be remaining]), P1 0x01 each further key (path).
  if (a.p2 != 0 || a.p1 > 1) return Reply::Sw(kSwInvalidP1P2);
  if ((a.p1 == 0) != first) return Reply::Sw(kSwInvalidState);
  Reader r(chain::View(a.data));
  chain::Path path;
  if (!r.Path(kMaxPathElements, &path)) return Reply::Sw(kSwInvalidData);
  uint32_t remaining = 0;
  if (first && r.remaining() == 4) r.U32(&remaining);
  if (!r.AtEnd() || remaining >= kMaxPublicKeys) return Reply::Sw(kSwInvalidData);
  PathInfo info = ClassifyPath(path);
  // securityPolicy.c policyForGetExtendedPublicKey: unknown schemas are denied.
  if (info.kind == PathKind::kInvalid) return Reply::Sw(kSwRejectedByPolicy);
  if (first) {
    keys_remaining_ = remaining;
    const bool prompt = remaining > 0 || info.kind == PathKind::kAccount ||
                        info.kind == PathKind::kPoolCold || info.unusual;
    if (prompt) {
      env_.screens->Add(remaining > 0
                            ? absl::StrCat("Export ", remaining + 1, " public keys?")
                            : absl::StrCat("Export public key ", PathToString(path), "?"));
      if (!env_.user->Decide(kStepPubkey)) return Reply::Sw(kSwRejectedByUser);
    }
  } else {
    --keys_remaining_;
  }
  if (keys_remaining_ == 0) call_done_ = true;
  chain::Path reported = path;
  // Malicious mode: the key of the next index is reported for the path.
  if (env_.malice == Malice::kWrongPubkey && !reported.indexes.empty()) ++reported.indexes.back();
  chain::XPub xpub = env_.keys->CardanoPublic(reported);
  std::array<uint8_t, 64> bytes = xpub.Serialize();
  return Reply::Ok(chain::Bytes(bytes.begin(), bytes.end()));
}

Reply CardanoApp::DeriveAddressIns(const Apdu& a) {
  // P1 0x01 return, 0x02 display (src/deriveAddress.c).
  if ((a.p1 != 0x01 && a.p1 != 0x02) || a.p2 != 0) return Reply::Sw(kSwInvalidP1P2);
  Reader r(chain::View(a.data));
  AddressParams params;
  if (!ReadAddressParams(r, &params) || !r.AtEnd()) return Reply::Sw(kSwInvalidData);
  DerivedAddress derived = DeriveAddress(*env_.keys, params);
  if (derived.sw != kSwOk) return Reply::Sw(derived.sw);
  call_done_ = true;
  if (a.p1 == 0x01) return Reply::Ok(std::move(derived.bytes));
  env_.screens->Add(absl::StrCat("Address ", AddressForDisplay(chain::View(derived.bytes))));
  if (!env_.user->Decide(kStepAddress)) return Reply::Sw(kSwRejectedByUser);
  return Reply::Ok();
}

Reply CardanoApp::NativeScriptHash(const Apdu& a, bool first) {
  if (a.p2 != 0 || a.p1 < 0x01 || a.p1 > 0x03) return Reply::Sw(kSwInvalidP1P2);
  if (first) script_ = std::make_unique<NativeScriptHasher>();
  Reader r(chain::View(a.data));
  if (a.p1 == 0x01 || a.p1 == 0x02) {
    uint16_t sw = a.p1 == 0x01 ? script_->StartComplex(r) : script_->AddSimple(r, *env_.keys);
    return Reply::Sw(sw);
  }
  uint8_t format = 0;
  if (!r.U8(&format) || !r.AtEnd() || (format != 1 && format != 2)) {
    return Reply::Sw(kSwInvalidData);
  }
  if (!script_->complete()) return Reply::Sw(kSwInvalidState);
  chain::Bytes preimage = {0x00};
  preimage.insert(preimage.end(), script_->script_cbor().begin(), script_->script_cbor().end());
  chain::Hash28 h = chain::Blake2b224(chain::View(preimage));
  env_.screens->Add(absl::StrCat(format == 1 ? "Script hash " : "Policy id ", chain::HexEncode(h)));
  if (!env_.user->Decide("script_hash")) return Reply::Sw(kSwRejectedByUser);
  call_done_ = true;
  return Reply::Ok(chain::Bytes(h.begin(), h.end()));
}

Reply CardanoApp::SignTx(const Apdu& a, bool first) {
  if (first) sign_tx_ = std::make_unique<SignTxMachine>(env_);
  Reply reply = sign_tx_->Handle(a, first);
  if (sign_tx_->finished()) call_done_ = true;
  return reply;
}

}  // namespace stakeward::mocks::ledger::cardano
