#include "firmware-mocks/trezor/cardano_signer.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "chain/cbor.h"
#include "chain/lovelace.h"
#include "firmware-mocks/common/screen_log.h"
#include "firmware-mocks/trezor/cardano_address.h"
#include "firmware-mocks/trezor/cardano_certificates.h"

namespace stakeward::mocks::trezor {
namespace {

namespace cm = hw::trezor::messages::cardano;
using hw::trezor::messages::common::ButtonRequest;

// Body map keys (signer.py _TX_BODY_KEY_*).
constexpr uint64_t kKeyInputs = 0;
constexpr uint64_t kKeyOutputs = 1;
constexpr uint64_t kKeyFee = 2;
constexpr uint64_t kKeyTtl = 3;
constexpr uint64_t kKeyCertificates = 4;
constexpr uint64_t kKeyWithdrawals = 5;
constexpr uint64_t kKeyAuxData = 7;
constexpr uint64_t kKeyValidityStart = 8;
constexpr uint64_t kKeyScriptDataHash = 11;
constexpr uint64_t kKeyRequiredSigners = 14;
constexpr uint64_t kKeyNetworkId = 15;

constexpr size_t kInputPrevHashSize = 32;
constexpr size_t kDatumHashSize = 32;
constexpr size_t kScriptDataHashSize = 32;
constexpr size_t kAuxDataHashSize = 32;
constexpr size_t kKeyHashSize = 28;

chain::ByteView StrView(const std::string& s) { return chain::View(std::string_view(s)); }
PathVec ToPath(const google::protobuf::RepeatedField<uint32_t>& p) {
  return PathVec(p.begin(), p.end());
}
std::string Ada(uint64_t lovelace) { return ScreenLog::FormatAda(lovelace); }

absl::Status Unsupported(const char* what) {
  return ProcessError(absl::StrCat("mock-trezor does not implement ", what));
}

// ordinary_signer.py `_suite_tx_type`: which simple transactions skip the init screen.
bool IsSuiteTx(const cm::CardanoSignTxInit& m) {
  if (m.minting_asset_groups_count() > 0 || m.required_signers_count() > 0 ||
      m.has_auxiliary_data()) {
    return false;
  }
  const bool withdraw =
      m.withdrawals_count() > 0 && m.certificates_count() == 0 && m.outputs_count() == 1;
  const bool delegate =
      m.withdrawals_count() == 0 && m.certificates_count() > 0 && m.outputs_count() == 1;
  const bool send =
      m.withdrawals_count() == 0 && m.certificates_count() == 0 && m.outputs_count() > 0;
  return withdraw || delegate || send;
}

}  // namespace

CardanoSigner::CardanoSigner(const cm::CardanoSignTxInit& init, CardanoKeychain* keychain,
                             chain::Derivation derivation)
    : init_(init), keychain_(keychain), derivation_(derivation) {}

bool CardanoSigner::multisig() const { return init_.signing_mode() == cm::MULTISIG_TRANSACTION; }

absl::StatusOr<std::pair<std::unique_ptr<CardanoSigner>, Reply>> CardanoSigner::Start(
    const cm::CardanoSignTxInit& m, CardanoKeychain* keychain, chain::Derivation derivation,
    Malice malice) {
  if (m.signing_mode() != cm::ORDINARY_TRANSACTION &&
      m.signing_mode() != cm::MULTISIG_TRANSACTION) {
    return Unsupported("the POOL_REGISTRATION_AS_OWNER and PLUTUS_TRANSACTION signing modes");
  }
  // signer.py `_validate_tx_init`.
  if (m.fee() > kLovelaceMaxSupply) return ProcessError("Fee is out of range!");
  if (m.has_total_collateral() && m.total_collateral() > kLovelaceMaxSupply) {
    return ProcessError("Total collateral is out of range!");
  }
  if (auto s = ValidateNetworkInfo(m.network_id(), m.protocol_magic()); !s.ok()) return s;
  // ordinary_signer.py / multisig_signer.py `_validate_tx_init`.
  if (m.collateral_inputs_count() != 0 || m.has_collateral_return() || m.has_total_collateral() ||
      m.reference_inputs_count() != 0) {
    return ProcessError("Invalid tx signing request");
  }
  if (m.has_script_data_hash() && m.script_data_hash().size() != kScriptDataHashSize) {
    return ProcessError("Invalid script data hash");
  }
  if (m.minting_asset_groups_count() > 0) return Unsupported("token minting");

  std::unique_ptr<CardanoSigner> s(new CardanoSigner(m, keychain, derivation));
  s->malice_ = malice;
  using S = Section;
  s->sections_ = {S::kInputs, S::kOutputs, S::kFee};
  if (m.has_ttl()) s->sections_.push_back(S::kTtl);
  if (m.certificates_count() > 0) s->sections_.push_back(S::kCertificates);
  if (m.withdrawals_count() > 0) s->sections_.push_back(S::kWithdrawals);
  if (m.has_auxiliary_data()) s->sections_.push_back(S::kAuxData);
  if (m.has_validity_interval_start()) s->sections_.push_back(S::kValidityStart);
  if (m.has_script_data_hash()) s->sections_.push_back(S::kScriptDataHash);
  if (m.required_signers_count() > 0) s->sections_.push_back(S::kRequiredSigners);
  if (m.include_network_id()) s->sections_.push_back(S::kNetworkId);
  s->witnesses_left_ = m.witness_requests_count();

  chain::cbor::Writer w;
  w.MapHeader(s->sections_.size());
  s->Emit(chain::View(w.data()));

  // Screens of `_show_tx_init`.
  std::vector<Screen> screens;
  if (s->multisig()) {
    screens.push_back(
        {"init", ButtonRequest::ButtonRequest_Other, "Confirming a multisig transaction"});
    s->show_details_ = true;
  } else if (!IsSuiteTx(m)) {
    screens.push_back({"init", ButtonRequest::ButtonRequest_Other, "Confirming a transaction"});
    s->show_details_ = true;
  }
  if (!m.include_network_id() && m.outputs_count() == 0 && m.withdrawals_count() == 0) {
    screens.push_back({"init", ButtonRequest::ButtonRequest_Other,
                       "Warning: the network of this transaction cannot be verified"});
  }
  Reply reply = s->ItemAck(std::move(screens));
  return std::make_pair(std::move(s), std::move(reply));
}

void CardanoSigner::Emit(chain::ByteView bytes) {
  hash_.Update(bytes);
  body_.insert(body_.end(), bytes.begin(), bytes.end());
}

void CardanoSigner::Advance(std::vector<Screen>& screens) {
  if (phase_ != Phase::kBody) return;
  while (section_ < sections_.size()) {
    if (section_open_) {
      if (remaining_ > 0) return;
      section_open_ = false;
      ++section_;
      continue;
    }
    chain::cbor::Writer w;
    auto open_list = [&](uint64_t key, uint32_t count, bool is_set) {
      w.Uint(key);
      if (is_set && init_.tag_cbor_sets()) w.Tag(chain::cbor::kTagSet);
      w.ArrayHeader(count);
      section_open_ = true;
      remaining_ = count;
    };
    switch (sections_[section_]) {
      case Section::kInputs:
        open_list(kKeyInputs, init_.inputs_count(), true);
        break;
      case Section::kOutputs:
        open_list(kKeyOutputs, init_.outputs_count(), false);
        break;
      case Section::kCertificates:
        open_list(kKeyCertificates, init_.certificates_count(), true);
        break;
      case Section::kRequiredSigners:
        open_list(kKeyRequiredSigners, init_.required_signers_count(), true);
        break;
      case Section::kWithdrawals:
        w.Uint(kKeyWithdrawals).MapHeader(init_.withdrawals_count());
        section_open_ = true;
        remaining_ = init_.withdrawals_count();
        break;
      case Section::kAuxData:
        // Key 7 and the hash are emitted when CardanoTxAuxiliaryData arrives.
        section_open_ = true;
        remaining_ = 1;
        break;
      case Section::kFee:
        w.Uint(kKeyFee).Uint(init_.fee());
        ++section_;
        break;
      case Section::kTtl:
        w.Uint(kKeyTtl).Uint(init_.ttl());
        ++section_;
        break;
      case Section::kValidityStart:
        w.Uint(kKeyValidityStart).Uint(init_.validity_interval_start());
        ++section_;
        break;
      case Section::kScriptDataHash:
        w.Uint(kKeyScriptDataHash).Bytes(StrView(init_.script_data_hash()));
        ++section_;
        break;
      case Section::kNetworkId:
        w.Uint(kKeyNetworkId).Uint(init_.network_id());
        ++section_;
        break;
    }
    Emit(chain::View(w.data()));
  }
  // Body complete: `_confirm_tx` screens, then the witness requests.
  tx_hash_ = hash_.Finish();
  screens.push_back({"fee", ButtonRequest::ButtonRequest_Other,
                     absl::StrCat("Transaction fee: ", Ada(init_.fee()))});
  if (init_.has_ttl()) {
    screens.push_back({"ttl", ButtonRequest::ButtonRequest_Other,
                       absl::StrCat("Valid until slot ", init_.ttl())});
  }
  if (init_.has_validity_interval_start()) {
    screens.push_back({"ttl", ButtonRequest::ButtonRequest_Other,
                       absl::StrCat("Valid from slot ", init_.validity_interval_start())});
  }
  screens.push_back({"confirm", ButtonRequest::ButtonRequest_SignTx,
                     multisig() ? "Sign multisig transaction?" : "Sign transaction?"});
  phase_ = witnesses_left_ > 0 ? Phase::kWitnesses : Phase::kBodyHashAck;
}

std::optional<uint16_t> CardanoSigner::ExpectedItemType() const {
  if (phase_ != Phase::kBody || !section_open_ || remaining_ == 0) return std::nullopt;
  switch (sections_[section_]) {
    case Section::kInputs:
      return hw::trezor::messages::MessageType_CardanoTxInput;
    case Section::kOutputs:
      return hw::trezor::messages::MessageType_CardanoTxOutput;
    case Section::kCertificates:
      return hw::trezor::messages::MessageType_CardanoTxCertificate;
    case Section::kWithdrawals:
      return hw::trezor::messages::MessageType_CardanoTxWithdrawal;
    case Section::kAuxData:
      return hw::trezor::messages::MessageType_CardanoTxAuxiliaryData;
    case Section::kRequiredSigners:
      return hw::trezor::messages::MessageType_CardanoTxRequiredSigner;
    default:
      return std::nullopt;
  }
}

bool CardanoSigner::Expects(uint16_t type) const {
  switch (phase_) {
    case Phase::kBody:
      return ExpectedItemType() == type;
    case Phase::kAuxHostAck:
    case Phase::kBodyHashAck:
    case Phase::kFinishAck:
      return type == hw::trezor::messages::MessageType_CardanoTxHostAck;
    case Phase::kWitnesses:
      return type == hw::trezor::messages::MessageType_CardanoTxWitnessRequest;
    case Phase::kDone:
      return false;
  }
  return false;
}

Reply CardanoSigner::ItemAck(std::vector<Screen> screens) {
  Advance(screens);
  return MakeReply(hw::trezor::messages::MessageType_CardanoTxItemAck, cm::CardanoTxItemAck(),
                   std::move(screens));
}

// helpers/account_path_check.py: unshown paths must all belong to the first account seen
// (Byron and Shelley paths of the same account index count as one account).
absl::Status CardanoSigner::CheckAccount(const PathVec& path, absl::Status error) {
  if (IsMultisigPath(path) || IsMintingPath(path)) return absl::OkStatus();
  PathVec account = AccountPath(path);
  if (!account_) {
    account_ = account;
    return absl::OkStatus();
  }
  if (*account_ == account) return absl::OkStatus();
  auto normalize = [](PathVec p) {
    if (!p.empty() && p[0] == kPurposeByron) p[0] = kPurposeShelley;
    return p;
  };
  if (normalize(*account_) == normalize(account)) return absl::OkStatus();
  return error;
}

absl::StatusOr<Reply> CardanoSigner::Handle(const WireMessage& msg) {
  if (!Expects(msg.type)) return UnexpectedMessage();
  switch (msg.type) {
    case hw::trezor::messages::MessageType_CardanoTxInput:
      return HandleInput(msg);
    case hw::trezor::messages::MessageType_CardanoTxOutput:
      return HandleOutput(msg);
    case hw::trezor::messages::MessageType_CardanoTxCertificate:
      return HandleCertificate(msg);
    case hw::trezor::messages::MessageType_CardanoTxWithdrawal:
      return HandleWithdrawal(msg);
    case hw::trezor::messages::MessageType_CardanoTxAuxiliaryData:
      return HandleAuxiliaryData(msg);
    case hw::trezor::messages::MessageType_CardanoTxRequiredSigner:
      return HandleRequiredSigner(msg);
    case hw::trezor::messages::MessageType_CardanoTxWitnessRequest:
      return HandleWitnessRequest(msg);
    case hw::trezor::messages::MessageType_CardanoTxHostAck:
      return HandleHostAck();
    default:
      return UnexpectedMessage();
  }
}

absl::StatusOr<Reply> CardanoSigner::HandleInput(const WireMessage& msg) {
  auto in = ParseMessage<cm::CardanoTxInput>(msg);
  if (!in.ok()) return in.status();
  if (in->prev_hash().size() != kInputPrevHashSize) return ProcessError("Invalid input");
  chain::cbor::Writer w;
  w.ArrayHeader(2).Bytes(StrView(in->prev_hash())).Uint(in->prev_index());
  Emit(chain::View(w.data()));
  --remaining_;
  return ItemAck({});
}

absl::StatusOr<Reply> CardanoSigner::HandleOutput(const WireMessage& msg) {
  auto out = ParseMessage<cm::CardanoTxOutput>(msg);
  if (!out.ok()) return out.status();
  const cm::CardanoTxOutput& o = *out;
  // signer.py `_validate_output`.
  if (o.has_address_parameters() && o.has_address()) return ProcessError("Invalid output");
  chain::Bytes address;
  std::vector<Screen> screens;
  bool show = true;
  if (o.has_address_parameters()) {
    const cm::CardanoAddressParametersType& p = o.address_parameters();
    if (p.address_type() == cm::REWARD || p.address_type() == cm::REWARD_SCRIPT ||
        p.address_type() == cm::BYRON) {
      return ProcessError("Invalid address parameters");
    }
    auto bytes = DeriveAddressBytes(*keychain_, derivation_, p, init_.network_id());
    if (!bytes.ok()) return bytes.status();
    // `_fail_if_strict_and_unusual` (safety checks are Strict on the mock).
    if (!p.address_n().empty() && !MatchesPaymentSchema(ToPath(p.address_n()))) {
      return DataError("Invalid change output path");
    }
    if (!p.address_n_staking().empty() && !MatchesStakingSchema(ToPath(p.address_n_staking()))) {
      return DataError("Invalid change output staking path");
    }
    if (!p.address_n().empty()) {
      if (auto s = CheckAccount(ToPath(p.address_n()), ProcessError("Invalid output")); !s.ok()) {
        return s;
      }
    }
    address = std::move(*bytes);
    // A change output with ordinary key credentials is not shown.
    show = !(p.address_type() == cm::BASE || p.address_type() == cm::ENTERPRISE);
  } else if (o.has_address()) {
    auto bytes = ParseOutputAddress(o.address(), init_.protocol_magic(), init_.network_id());
    if (!bytes.ok()) return bytes.status();
    address = std::move(*bytes);
  } else {
    return ProcessError("Invalid output");
  }
  if (o.has_datum_hash() && o.datum_hash().size() != kDatumHashSize) {
    return ProcessError("Invalid output datum hash");
  }
  const bool babbage = o.format() == cm::MAP_BABBAGE;
  if (o.inline_datum_size() > 0 && !babbage) return ProcessError("Invalid output");
  if (o.has_datum_hash() && o.inline_datum_size() > 0) return ProcessError("Invalid output");
  if (o.reference_script_size() > 0 && !babbage) return ProcessError("Invalid output");
  // multisig_signer.py `_validate_output`.
  if (multisig() && o.has_address_parameters()) return ProcessError("Invalid output");
  if (o.asset_groups_count() > 0) return Unsupported("multi-asset outputs");
  if (o.inline_datum_size() > 0 || o.reference_script_size() > 0) {
    return Unsupported("inline datums and reference scripts");
  }
  auto total = chain::CheckedAdd(total_output_, o.amount());
  total_output_ = total.value_or(UINT64_MAX);

  chain::cbor::Writer w;
  const size_t items = o.has_datum_hash() ? 3 : 2;
  if (babbage) {
    w.MapHeader(items).Uint(0).Bytes(chain::View(address)).Uint(1).Uint(o.amount());
    if (o.has_datum_hash()) w.Uint(2).ArrayHeader(2).Uint(0).Bytes(StrView(o.datum_hash()));
  } else {
    w.ArrayHeader(items).Bytes(chain::View(address)).Uint(o.amount());
    if (o.has_datum_hash()) w.Bytes(StrView(o.datum_hash()));
  }
  Emit(chain::View(w.data()));
  // signer.py `_show_output_init`: a payment-script address (header types 1, 3, 5, 7;
  // addresses.ADDRESS_TYPES_PAYMENT_SCRIPT) without a datum gets `warn_tx_output_no_datum`
  // first, and `_should_show_output` forces the output to be shown.
  const uint8_t header_type = address.empty() ? 0xff : static_cast<uint8_t>(address[0] >> 4);
  if (!o.has_datum_hash() && o.inline_datum_size() == 0 && header_type <= 7 &&
      (header_type & 1) == 1) {
    screens.push_back({"output", ButtonRequest::ButtonRequest_Other,
                       "Warning: the output address is a script address without a datum; "
                       "the funds could be unspendable"});
    show = true;
  }
  if (show) {
    const std::string text =
        o.has_address() ? o.address() : ShelleyAddressText(chain::View(address));
    screens.push_back(
        {"output", ButtonRequest::ButtonRequest_ConfirmOutput,
         absl::StrCat(o.has_address() ? "Send " : "Change ", Ada(o.amount()), " to ", text)});
  }
  --remaining_;
  if (remaining_ == 0 && total_output_ > kLovelaceMaxSupply) {
    return ProcessError("Total transaction amount is out of range!");
  }
  return ItemAck(std::move(screens));
}

absl::StatusOr<Reply> CardanoSigner::HandleCertificate(const WireMessage& msg) {
  auto cert = ParseMessage<cm::CardanoTxCertificate>(msg);
  if (!cert.ok()) return cert.status();
  const cm::CardanoTxCertificate& c = *cert;
  if (auto s = ValidateCertificate(c); !s.ok()) return s;
  if (!c.path().empty()) {
    if (auto s = CheckAccount(ToPath(c.path()), ProcessError("Invalid certificate")); !s.ok()) {
      return s;
    }
  }
  if (multisig() ? (!c.path().empty() || c.has_key_hash())
                 : (c.has_script_hash() || c.has_key_hash())) {
    return ProcessError("Invalid certificate");
  }
  if (!c.path().empty() && !MatchesStakingSchema(ToPath(c.path()))) {
    return DataError("Invalid certificate path");
  }
  auto cbor = CborizeCertificate(*keychain_, derivation_, c);
  if (!cbor.ok()) return cbor.status();
  Emit(chain::View(*cbor));
  --remaining_;
  return ItemAck({{"certificate", ButtonRequest::ButtonRequest_Other, DescribeCertificate(c)}});
}

absl::StatusOr<Reply> CardanoSigner::HandleWithdrawal(const WireMessage& msg) {
  auto wd = ParseMessage<cm::CardanoTxWithdrawal>(msg);
  if (!wd.ok()) return wd.status();
  const cm::CardanoTxWithdrawal& x = *wd;
  if (!ValidStakeCredential(x.path(), x.has_script_hash(), x.script_hash(), x.has_key_hash(),
                            x.key_hash()) ||
      x.amount() >= kLovelaceMaxSupply) {
    return ProcessError("Invalid withdrawal");
  }
  if (!x.path().empty()) {
    if (auto s = CheckAccount(ToPath(x.path()), ProcessError("Invalid withdrawal")); !s.ok()) {
      return s;
    }
  }
  if (multisig() ? (!x.path().empty() || x.has_key_hash())
                 : (x.has_script_hash() || x.has_key_hash())) {
    return ProcessError("Invalid withdrawal");
  }
  // `_derive_withdrawal_address_bytes`: reward address, 0xE0 (key) / 0xF0 (script) | network.
  chain::Bytes address;
  const bool script = x.has_script_hash();
  address.push_back(static_cast<uint8_t>((script ? 0xF0 : 0xE0) | init_.network_id()));
  if (!x.path().empty()) {
    auto hash = keychain_->KeyHash(derivation_, ToPath(x.path()));
    if (!hash.ok()) return hash.status();
    address.insert(address.end(), hash->begin(), hash->end());
  } else {
    const std::string& h = script ? x.script_hash() : x.key_hash();
    address.insert(address.end(), h.begin(), h.end());
  }
  chain::cbor::Writer key;
  key.Bytes(chain::View(address));
  // HashBuilderDict: keys must come in canonical order, without duplicates.
  if (!previous_withdrawal_key_.empty() &&
      !chain::cbor::CanonicalKeyLess(chain::View(previous_withdrawal_key_),
                                     chain::View(key.data()))) {
    return ProcessError("Invalid withdrawal");
  }
  previous_withdrawal_key_ = key.data();
  chain::cbor::Writer w;
  w.Raw(chain::View(key.data())).Uint(x.amount());
  Emit(chain::View(w.data()));
  --remaining_;
  std::vector<Screen> screens;
  if (show_details_) {
    screens.push_back({"withdrawal", ButtonRequest::ButtonRequest_Other,
                       absl::StrCat("Withdraw ", Ada(x.amount()), " from ",
                                    ShelleyAddressText(chain::View(address)))});
  }
  return ItemAck(std::move(screens));
}

absl::StatusOr<Reply> CardanoSigner::HandleAuxiliaryData(const WireMessage& msg) {
  auto aux = ParseMessage<cm::CardanoTxAuxiliaryData>(msg);
  if (!aux.ok()) return aux.status();
  // auxiliary_data.py `validate`: exactly one of hash / CIP-36 registration parameters.
  if (aux->has_hash() == aux->has_cvote_registration_parameters()) {
    return ProcessError("Invalid auxiliary data");
  }
  if (aux->has_cvote_registration_parameters()) {
    return Unsupported("CIP-15/CIP-36 vote registration");
  }
  if (aux->hash().size() != kAuxDataHashSize) return ProcessError("Invalid auxiliary data");
  chain::cbor::Writer w;
  w.Uint(kKeyAuxData).Bytes(StrView(aux->hash()));
  Emit(chain::View(w.data()));
  remaining_ = 0;
  phase_ = Phase::kAuxHostAck;
  cm::CardanoTxAuxiliaryDataSupplement supplement;
  supplement.set_type(cm::NONE);
  std::vector<Screen> screens;
  if (show_details_) {
    screens.push_back(
        {"auxiliary_data", ButtonRequest::ButtonRequest_Other,
         absl::StrCat("Auxiliary data hash: ", chain::HexEncode(StrView(aux->hash())))});
  }
  return MakeReply(hw::trezor::messages::MessageType_CardanoTxAuxiliaryDataSupplement, supplement,
                   std::move(screens));
}

absl::StatusOr<Reply> CardanoSigner::HandleRequiredSigner(const WireMessage& msg) {
  auto rs = ParseMessage<cm::CardanoTxRequiredSigner>(msg);
  if (!rs.ok()) return rs.status();
  const absl::Status invalid = ProcessError("Invalid required signer");
  chain::Bytes hash;
  if (rs->has_key_hash() && !rs->key_path().empty()) return invalid;
  if (rs->has_key_hash()) {
    if (rs->key_hash().size() != kKeyHashSize) return invalid;
    hash.assign(rs->key_hash().begin(), rs->key_hash().end());
  } else if (!rs->key_path().empty()) {
    const PathVec path = ToPath(rs->key_path());
    if (!(IsShelleyPath(path) || IsMultisigPath(path) || IsMintingPath(path))) return invalid;
    auto h = keychain_->KeyHash(derivation_, path);
    if (!h.ok()) return h.status();
    hash.assign(h->begin(), h->end());
  } else {
    return invalid;
  }
  chain::cbor::Writer w;
  w.Bytes(chain::View(hash));
  Emit(chain::View(w.data()));
  --remaining_;
  std::vector<Screen> screens;
  if (show_details_) {
    screens.push_back({"required_signer", ButtonRequest::ButtonRequest_Other,
                       absl::StrCat("Required signer: ", chain::HexEncode(chain::View(hash)))});
  }
  return ItemAck(std::move(screens));
}

absl::StatusOr<Reply> CardanoSigner::HandleWitnessRequest(const WireMessage& msg) {
  auto req = ParseMessage<cm::CardanoTxWitnessRequest>(msg);
  if (!req.ok()) return req.status();
  const PathVec path = ToPath(req->path());
  if (auto s = CheckAccount(path, ProcessError("Invalid witness request")); !s.ok()) return s;
  std::vector<Screen> screens;
  const std::string shown = absl::StrCat("Sign transaction with ", FormatPathVec(path));
  if (multisig()) {
    if (!IsMultisigPath(path)) {
      return ProcessError("Invalid witness request");
    }
    screens.push_back({"witness", ButtonRequest::ButtonRequest_Other, shown});
  } else {
    if (!(IsByronPath(path) || IsShelleyPath(path))) {
      return ProcessError("Invalid witness request");
    }
    if (!MatchesPaymentSchema(path) && !MatchesStakingSchema(path)) {
      return DataError("Invalid witness path");
    }
    if (show_details_) screens.push_back({"witness", ButtonRequest::ButtonRequest_Other, shown});
  }
  // Malicious modes (--malicious): another path's key signs, or another body is signed, or the
  // reported public key is another path's. The path "next to" the requested one is used.
  PathVec other = path;
  ++other.back();
  auto key = keychain_->Derive(derivation_, malice_ == Malice::kOtherKey ? other : path);
  if (!key.ok()) return key.status();
  auto real_pub = keychain_->PublicKey(derivation_, malice_ == Malice::kWrongPubkey ? other : path);
  if (!real_pub.ok()) return real_pub.status();
  const chain::XPub pub = *real_pub;
  chain::Hash32 signed_hash = tx_hash_;
  if (malice_ == Malice::kOtherBody) signed_hash[0] ^= 0x01;
  const chain::Signature sig = chain::Sign(*key, chain::View(signed_hash));
  cm::CardanoTxWitnessResponse resp;
  resp.set_pub_key(std::string(pub.public_key.begin(), pub.public_key.end()));
  resp.set_signature(std::string(sig.begin(), sig.end()));
  if (IsByronPath(path)) {
    resp.set_type(cm::BYRON_WITNESS);
    resp.set_chain_code(std::string(pub.chain_code.begin(), pub.chain_code.end()));
  } else {
    resp.set_type(cm::SHELLEY_WITNESS);
  }
  if (--witnesses_left_ == 0) phase_ = Phase::kBodyHashAck;
  return MakeReply(hw::trezor::messages::MessageType_CardanoTxWitnessResponse, resp,
                   std::move(screens));
}

absl::StatusOr<Reply> CardanoSigner::HandleHostAck() {
  switch (phase_) {
    case Phase::kAuxHostAck:
      phase_ = Phase::kBody;
      return ItemAck({});
    case Phase::kBodyHashAck: {
      cm::CardanoTxBodyHash h;
      h.set_tx_hash(std::string(tx_hash_.begin(), tx_hash_.end()));
      phase_ = Phase::kFinishAck;
      return MakeReply(hw::trezor::messages::MessageType_CardanoTxBodyHash, h);
    }
    case Phase::kFinishAck:
      phase_ = Phase::kDone;
      return MakeReply(hw::trezor::messages::MessageType_CardanoSignTxFinished,
                       cm::CardanoSignTxFinished());
    default:
      return UnexpectedMessage();
  }
}

}  // namespace stakeward::mocks::trezor
