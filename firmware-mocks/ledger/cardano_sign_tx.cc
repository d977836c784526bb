#include "firmware-mocks/ledger/cardano_sign_tx.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "chain/address.h"
#include "chain/cbor.h"
#include "chain/check.h"
#include "firmware-mocks/ledger/cardano_address.h"
#include "firmware-mocks/ledger/cardano_sign_tx_output.h"

namespace stakeward::mocks::ledger::cardano {
namespace {

// SIGN_TX P1 codes (ledgerjs-hw-app-cardano src/interactions/signTx.ts `enum P1`).
constexpr uint8_t kP1Init = 0x01;
constexpr uint8_t kP1Inputs = 0x02;
constexpr uint8_t kP1Outputs = 0x03;
constexpr uint8_t kP1Fee = 0x04;
constexpr uint8_t kP1Ttl = 0x05;
constexpr uint8_t kP1Certificates = 0x06;
constexpr uint8_t kP1Withdrawals = 0x07;
constexpr uint8_t kP1AuxData = 0x08;
constexpr uint8_t kP1Validity = 0x09;
constexpr uint8_t kP1Confirm = 0x0a;
constexpr uint8_t kP1Witnesses = 0x0f;
constexpr uint8_t kP1RequiredSigners = 0x0e;
constexpr uint8_t kP1Treasury = 0x15;
constexpr uint8_t kP1Donation = 0x16;

// Certificate types (Conway CDDL tags; src/signTxCertificate / JS CertificateType).
constexpr uint8_t kCertStakeReg = 0;
constexpr uint8_t kCertStakeDereg = 1;
constexpr uint8_t kCertStakeDelegation = 2;
constexpr uint8_t kCertRegConway = 7;
constexpr uint8_t kCertUnregConway = 8;
constexpr uint8_t kCertVoteDelegation = 9;

// Body map keys (Conway CDDL transaction_body).
constexpr uint64_t kKeyInputs = 0, kKeyOutputs = 1, kKeyFee = 2, kKeyTtl = 3, kKeyCerts = 4,
                   kKeyWithdrawals = 5, kKeyAuxHash = 7, kKeyValidity = 8, kKeyRequiredSigners = 14,
                   kKeyNetworkId = 15, kKeyTreasury = 21, kKeyDonation = 22;

std::string DRepText(const DRep& d, const chain::Hash28& resolved) {
  switch (d.type) {
    case 0:
    case 100:
      return absl::StrCat("DRep key hash ", chain::HexEncode(resolved));
    case 1:
      return absl::StrCat("DRep script hash ", chain::HexEncode(resolved));
    case 2:
      return "Abstain";
    default:
      return "No confidence";
  }
}

}  // namespace

SignTxMachine::SignTxMachine(SignTxEnv env) : env_(env) {}
SignTxMachine::~SignTxMachine() = default;

Reply SignTxMachine::Fail(uint16_t sw) {
  finished_ = true;
  stage_ = Stage::kDone;
  return Reply::Sw(sw);
}

bool SignTxMachine::Prompt(std::string_view step) { return env_.user->Decide(step); }

void SignTxMachine::Emit(const chain::Bytes& cbor) { hash_.Update(chain::View(cbor)); }

Reply SignTxMachine::Handle(const Apdu& a, bool first) {
  if (first != (stage_ == Stage::kInit)) return Fail(kSwInvalidState);
  if (a.p1 != kP1Outputs && a.p1 != kP1AuxData && a.p2 != 0) return Fail(kSwInvalidP1P2);
  Stage expected;
  switch (a.p1) {
    case kP1Init:
      expected = Stage::kInit;
      break;
    case kP1AuxData:
      expected = Stage::kAuxData;
      break;
    case kP1Inputs:
      expected = Stage::kInputs;
      break;
    case kP1Outputs:
      expected = Stage::kOutputs;
      break;
    case kP1Fee:
      expected = Stage::kFee;
      break;
    case kP1Ttl:
      expected = Stage::kTtl;
      break;
    case kP1Certificates:
      expected = Stage::kCertificates;
      break;
    case kP1Withdrawals:
      expected = Stage::kWithdrawals;
      break;
    case kP1Validity:
      expected = Stage::kValidity;
      break;
    case kP1RequiredSigners:
      expected = Stage::kRequiredSigners;
      break;
    case kP1Treasury:
      expected = Stage::kTreasury;
      break;
    case kP1Donation:
      expected = Stage::kDonation;
      break;
    case kP1Confirm:
      expected = Stage::kConfirm;
      break;
    case kP1Witnesses:
      expected = Stage::kWitnesses;
      break;
    default:
      // Stages this emulation does not accept (mint, collateral, voting, ...) can only be
      // announced in INIT, which refuses them; any such P1 is therefore out of order here.
      return Fail(kSwInvalidState);
  }
  if (expected != stage_) return Fail(kSwInvalidState);
  switch (stage_) {
    case Stage::kInit:
      return HandleInit(a);
    case Stage::kAuxData:
      return HandleAuxData(a);
    case Stage::kInputs:
      return HandleInput(a);
    case Stage::kOutputs:
      return HandleOutput(a);
    case Stage::kFee:
      return HandleFee(a);
    case Stage::kTtl:
      return HandleTtl(a);
    case Stage::kCertificates:
      return HandleCertificate(a);
    case Stage::kWithdrawals:
      return HandleWithdrawal(a);
    case Stage::kValidity:
      return HandleValidity(a);
    case Stage::kRequiredSigners:
      return HandleRequiredSigner(a);
    case Stage::kTreasury:
      return HandleTreasuryOrDonation(a, false);
    case Stage::kDonation:
      return HandleTreasuryOrDonation(a, true);
    case Stage::kConfirm:
      return HandleConfirm(a);
    case Stage::kWitnesses:
      return HandleWitness(a);
    case Stage::kDone:
      break;
  }
  return Fail(kSwInvalidState);
}

bool SignTxMachine::StageDone() const {
  switch (stage_) {
    case Stage::kAuxData:
      return !has_aux_ || done_in_stage_ > 0;
    case Stage::kInputs:
      return done_in_stage_ >= num_inputs_;
    case Stage::kOutputs:
      return done_in_stage_ >= num_outputs_;
    case Stage::kFee:
    case Stage::kConfirm:
      return done_in_stage_ > 0;
    case Stage::kTtl:
      return !has_ttl_ || done_in_stage_ > 0;
    case Stage::kCertificates:
      return done_in_stage_ >= num_certs_;
    case Stage::kWithdrawals:
      return done_in_stage_ >= num_withdrawals_;
    case Stage::kValidity:
      return !has_validity_ || done_in_stage_ > 0;
    case Stage::kRequiredSigners:
      return done_in_stage_ >= num_required_signers_;
    case Stage::kTreasury:
      return !has_treasury_ || done_in_stage_ > 0;
    case Stage::kDonation:
      return !has_donation_ || done_in_stage_ > 0;
    case Stage::kWitnesses:
      return done_in_stage_ >= num_witnesses_;
    case Stage::kInit:
    case Stage::kDone:
      return true;
  }
  return true;
}

void SignTxMachine::Advance() {
  while (stage_ != Stage::kDone && StageDone()) {
    stage_ = static_cast<Stage>(static_cast<int>(stage_) + 1);
    done_in_stage_ = 0;
    Enter(stage_);
  }
  if (stage_ == Stage::kDone) finished_ = true;
}

void SignTxMachine::Enter(Stage s) {
  chain::cbor::Writer w;
  // Body keys come in canonical order; the aux-data hash (received right after INIT) and the
  // network id (from INIT) are written when the stream passes their key.
  if (s > Stage::kWithdrawals && !aux_emitted_ && aux_hash_.has_value()) {
    w.Uint(kKeyAuxHash).Bytes(chain::View(*aux_hash_));
    aux_emitted_ = true;
  }
  if (s > Stage::kRequiredSigners && !network_id_emitted_ && has_network_id_) {
    w.Uint(kKeyNetworkId).Uint(network_id_);
    network_id_emitted_ = true;
  }
  auto set_header = [&](uint64_t key, uint64_t n) {
    w.Uint(key);
    if (tag_sets_) w.Tag(chain::cbor::kTagSet);
    w.ArrayHeader(n);
  };
  switch (s) {
    case Stage::kInputs:
      set_header(kKeyInputs, num_inputs_);
      break;
    case Stage::kOutputs:
      w.Uint(kKeyOutputs).ArrayHeader(num_outputs_);
      break;
    case Stage::kCertificates:
      if (num_certs_ > 0) set_header(kKeyCerts, num_certs_);
      break;
    case Stage::kWithdrawals:
      if (num_withdrawals_ > 0) w.Uint(kKeyWithdrawals).MapHeader(num_withdrawals_);
      break;
    case Stage::kRequiredSigners:
      if (num_required_signers_ > 0) set_header(kKeyRequiredSigners, num_required_signers_);
      break;
    default:
      break;
  }
  if (w.size() > 0) Emit(w.data());
}

Reply SignTxMachine::HandleInit(const Apdu& a) {
  // INIT layout for app >= 7.0: exactly 60 bytes (specs/ledger.md §4.8).
  if (a.data.size() != 60) return Fail(kSwInvalidData);
  Reader r(chain::View(a.data));
  uint64_t options = 0;
  r.U64(&options);
  if ((options & ~uint64_t{1}) != 0) return Fail(kSwInvalidData);
  tag_sets_ = (options & 1) != 0;
  r.U8(&network_id_);
  r.U32(&magic_);
  bool has_mint = false, has_sdh = false, has_coll_out = false, has_total_coll = false;
  bool flags_ok = ReadIncluded(r, &has_ttl_) && ReadIncluded(r, &has_aux_) &&
                  ReadIncluded(r, &has_validity_) && ReadIncluded(r, &has_mint) &&
                  ReadIncluded(r, &has_sdh) && ReadIncluded(r, &has_network_id_) &&
                  ReadIncluded(r, &has_coll_out) && ReadIncluded(r, &has_total_coll) &&
                  ReadIncluded(r, &has_treasury_) && ReadIncluded(r, &has_donation_);
  if (!flags_ok) return Fail(kSwInvalidData);
  r.U8(&mode_);
  uint32_t counts[9];
  for (uint32_t& c : counts) r.U32(&c);
  SW_CHECK(r.AtEnd());
  // The app keeps the low 16 bits of every count (src/signTx.c casts before validating).
  auto low16 = [](uint32_t v) { return static_cast<uint16_t>(v & 0xffff); };
  num_inputs_ = low16(counts[0]);
  num_outputs_ = low16(counts[1]);
  num_certs_ = low16(counts[2]);
  num_withdrawals_ = low16(counts[3]);
  const uint16_t num_collateral = low16(counts[4]);
  num_required_signers_ = low16(counts[5]);
  const uint16_t num_reference = low16(counts[6]);
  const uint16_t num_votes = low16(counts[7]);
  num_witnesses_ = low16(counts[8]);

  if (network_id_ > 0x0f) return Fail(kSwInvalidData);
  if (mode_ < kModeOrdinary || mode_ > kModePlutus) return Fail(kSwInvalidData);
  if (num_inputs_ == 0 || num_votes > 1) return Fail(kSwInvalidData);
  // securityPolicy.c policyForSignTxInit: mainnet id with a non-mainnet magic (or the reverse).
  if ((network_id_ == 1) != (magic_ == kMainnetMagic)) return Fail(kSwRejectedByPolicy);
  // Collateral and reference inputs are Plutus-only: denied in ORDINARY and MULTISIG.
  if (num_collateral > 0 || num_reference > 0 || has_coll_out || has_total_coll) {
    return Fail(kSwRejectedByPolicy);
  }
  // Not emulated (refused as policy so a host never gets a wrong hash): pool-registration and
  // Plutus modes, mint, script data hash and voting procedures.
  if (mode_ != kModeOrdinary && mode_ != kModeMultisig) return Fail(kSwRejectedByPolicy);
  if (has_mint || has_sdh || num_votes > 0) return Fail(kSwRejectedByPolicy);

  if (mode_ == kModeMultisig) {
    env_.screens->Add("Start new multisig transaction?");
    if (!Prompt(kStepInit)) return Fail(kSwRejectedByUser);
  }
  if (network_id_ != 1) {
    env_.screens->Add(absl::StrCat("Network id ", network_id_, ", protocol magic ", magic_));
  }
  size_t entries = 3;  // inputs, outputs, fee
  entries += has_ttl_ + (num_certs_ > 0) + (num_withdrawals_ > 0) + has_aux_ + has_validity_ +
             (num_required_signers_ > 0) + has_network_id_ + has_treasury_ + has_donation_;
  chain::cbor::Writer w;
  w.MapHeader(entries);
  Emit(w.data());
  Advance();
  return Reply::Ok();
}

Reply SignTxMachine::HandleAuxData(const Apdu& a) {
  if (a.p2 != 0) return Fail(kSwInvalidP1P2);
  Reader r(chain::View(a.data));
  uint8_t type = 0;
  chain::Hash32 h{};
  if (!r.U8(&type)) return Fail(kSwInvalidData);
  // 0x00 ARBITRARY_HASH; CIP-36 registration (0x01) is not emulated.
  if (type == 0x01) return Fail(kSwRejectedByPolicy);
  if (type != 0x00 || !r.Fixed(&h) || !r.AtEnd()) return Fail(kSwInvalidData);
  // securityPolicy.c policyForSignTxAuxData, AUX_DATA_TYPE_ARBITRARY_HASH: SHOW_IF(expert).
  if (env_.expert_mode) {
    env_.screens->Add(absl::StrCat("Auxiliary data hash ", chain::HexEncode(h)));
    if (!Prompt("aux_data")) return Fail(kSwRejectedByUser);
  }
  aux_hash_ = h;
  ++done_in_stage_;
  Advance();
  return Reply::Ok();
}

Reply SignTxMachine::HandleInput(const Apdu& a) {
  Reader r(chain::View(a.data));
  chain::Hash32 tx{};
  uint32_t index = 0;
  if (!r.Fixed(&tx) || !r.U32(&index) || !r.AtEnd()) return Fail(kSwInvalidData);
  chain::cbor::Writer w;
  w.ArrayHeader(2).Bytes(chain::View(tx)).Uint(index);
  Emit(w.data());
  ++done_in_stage_;
  Advance();
  return Reply::Ok();
}

Reply SignTxMachine::HandleFee(const Apdu& a) {
  Reader r(chain::View(a.data));
  uint64_t fee = 0;
  if (!r.U64(&fee) || !r.AtEnd() || fee > kMaxLovelaceSupply) return Fail(kSwInvalidData);
  env_.screens->Add(absl::StrCat("Fee ", ScreenLog::FormatAda(fee)));
  if (!Prompt(kStepFee)) return Fail(kSwRejectedByUser);
  chain::cbor::Writer w;
  w.Uint(kKeyFee).Uint(fee);
  Emit(w.data());
  ++done_in_stage_;
  Advance();
  return Reply::Ok();
}

Reply SignTxMachine::HandleTtl(const Apdu& a) {
  Reader r(chain::View(a.data));
  uint64_t ttl = 0;
  if (!r.U64(&ttl) || !r.AtEnd()) return Fail(kSwInvalidData);
  // securityPolicy.c policyForSignTxTtl: SHOW_IF(app_mode_expert()).
  if (env_.expert_mode) {
    env_.screens->Add(absl::StrCat("Valid until slot ", ttl));
    if (!Prompt(kStepTtl)) return Fail(kSwRejectedByUser);
  }
  chain::cbor::Writer w;
  w.Uint(kKeyTtl).Uint(ttl);
  Emit(w.data());
  ++done_in_stage_;
  Advance();
  return Reply::Ok();
}

Reply SignTxMachine::HandleValidity(const Apdu& a) {
  Reader r(chain::View(a.data));
  uint64_t start = 0;
  if (!r.U64(&start) || !r.AtEnd()) return Fail(kSwInvalidData);
  // securityPolicy.c policyForSignTxValidityIntervalStart: SHOW_IF(app_mode_expert()).
  if (env_.expert_mode) {
    env_.screens->Add(absl::StrCat("Valid from slot ", start));
    if (!Prompt("validity")) return Fail(kSwRejectedByUser);
  }
  chain::cbor::Writer w;
  w.Uint(kKeyValidity).Uint(start);
  Emit(w.data());
  ++done_in_stage_;
  Advance();
  return Reply::Ok();
}

Reply SignTxMachine::HandleTreasuryOrDonation(const Apdu& a, bool donation) {
  Reader r(chain::View(a.data));
  uint64_t v = 0;
  if (!r.U64(&v) || !r.AtEnd() || v > kMaxLovelaceSupply) return Fail(kSwInvalidData);
  if (donation && v == 0) return Fail(kSwInvalidData);
  env_.screens->Add(
      absl::StrCat(donation ? "Donation " : "Treasury amount ", ScreenLog::FormatAda(v)));
  if (!Prompt(donation ? "donation" : "treasury")) return Fail(kSwRejectedByUser);
  chain::cbor::Writer w;
  w.Uint(donation ? kKeyDonation : kKeyTreasury).Uint(v);
  Emit(w.data());
  ++done_in_stage_;
  Advance();
  return Reply::Ok();
}

bool SignTxMachine::UseAccount(const chain::Path& p) {
  PathInfo info = ClassifyPath(p);
  if (info.purpose != kPurposeByron && info.purpose != kPurposeShelley) return true;
  // 44' and 1852' count as one account only for account 0 (specs/ledger.md §4.8).
  std::pair<uint32_t, uint32_t> key{info.account == 0 ? 0 : info.purpose, info.account};
  if (!account_.has_value()) account_ = key;
  return *account_ == key;
}

uint16_t SignTxMachine::CheckStakeCredential(const Credential& c) {
  if (mode_ == kModeMultisig) {
    // MULTISIG: script-hash credentials only (securityPolicy.c).
    return c.type == Credential::kScriptHash ? kSwOk : kSwRejectedByPolicy;
  }
  // ORDINARY: key paths of the wallet's own staking key only.
  if (c.type != Credential::kKeyPath) return kSwRejectedByPolicy;
  PathInfo info = ClassifyPath(c.path);
  if (info.kind != PathKind::kStake || info.purpose != kPurposeShelley) return kSwRejectedByPolicy;
  if (!UseAccount(c.path)) return kSwRejectedByPolicy;
  return kSwOk;
}

chain::Bytes SignTxMachine::CredentialCbor(const Credential& c) {
  chain::cbor::Writer w;
  if (c.type == Credential::kScriptHash) {
    w.ArrayHeader(2).Uint(1).Bytes(chain::View(c.hash));
  } else {
    chain::Hash28 h = c.type == Credential::kKeyPath ? env_.keys->CardanoKeyHash(c.path) : c.hash;
    w.ArrayHeader(2).Uint(0).Bytes(chain::View(h));
  }
  return w.Take();
}

std::string SignTxMachine::CredentialText(const Credential& c) {
  switch (c.type) {
    case Credential::kKeyPath:
      return PathToString(c.path);
    case Credential::kScriptHash:
      return absl::StrCat("script hash ", chain::HexEncode(c.hash));
    case Credential::kKeyHash:
      return absl::StrCat("key hash ", chain::HexEncode(c.hash));
  }
  return "";
}

Reply SignTxMachine::HandleCertificate(const Apdu& a) {
  Reader r(chain::View(a.data));
  uint8_t type = 0;
  if (!r.U8(&type)) return Fail(kSwInvalidData);
  Credential cred;
  chain::cbor::Writer w;
  std::vector<std::string> screens;
  switch (type) {
    case kCertStakeReg:
    case kCertStakeDereg:
    case kCertRegConway:
    case kCertUnregConway: {
      uint64_t deposit = 0;
      const bool conway = type == kCertRegConway || type == kCertUnregConway;
      if (!ReadCredential(r, &cred) || (conway && !r.U64(&deposit)) || !r.AtEnd()) {
        return Fail(kSwInvalidData);
      }
      if (deposit > kMaxLovelaceSupply) return Fail(kSwInvalidData);
      if (uint16_t sw = CheckStakeCredential(cred); sw != kSwOk) return Fail(sw);
      const bool reg = type == kCertStakeReg || type == kCertRegConway;
      w.ArrayHeader(conway ? 3 : 2).Uint(type).Raw(chain::View(CredentialCbor(cred)));
      if (conway) w.Uint(deposit);
      screens.push_back(absl::StrCat(reg ? "Register stake key " : "Deregister stake key ",
                                     CredentialText(cred)));
      if (conway) screens.push_back(absl::StrCat("Deposit ", ScreenLog::FormatAda(deposit)));
      break;
    }
    case kCertStakeDelegation: {
      chain::Hash28 pool{};
      if (!ReadCredential(r, &cred) || !r.Fixed(&pool) || !r.AtEnd()) {
        return Fail(kSwInvalidData);
      }
      if (uint16_t sw = CheckStakeCredential(cred); sw != kSwOk) return Fail(sw);
      w.ArrayHeader(3).Uint(type).Raw(chain::View(CredentialCbor(cred))).Bytes(chain::View(pool));
      screens.push_back(absl::StrCat("Delegate stake to ", chain::PoolIdBech32(pool)));
      screens.push_back(absl::StrCat("Stake credential ", CredentialText(cred)));
      break;
    }
    case kCertVoteDelegation: {
      DRep drep;
      if (!ReadCredential(r, &cred) || !ReadDRep(r, &drep) || !r.AtEnd()) {
        return Fail(kSwInvalidData);
      }
      if (uint16_t sw = CheckStakeCredential(cred); sw != kSwOk) return Fail(sw);
      chain::Hash28 drep_hash = drep.hash;
      if (drep.type == 100) {
        // A DRep given by path must be this wallet's DRep key, and only in ORDINARY mode.
        if (mode_ != kModeOrdinary || ClassifyPath(drep.path).kind != PathKind::kDRep ||
            !UseAccount(drep.path)) {
          return Fail(kSwRejectedByPolicy);
        }
        drep_hash = env_.keys->CardanoKeyHash(drep.path);
      }
      w.ArrayHeader(3).Uint(type).Raw(chain::View(CredentialCbor(cred)));
      switch (drep.type) {
        case 0:
        case 100:
          w.ArrayHeader(2).Uint(0).Bytes(chain::View(drep_hash));
          break;
        case 1:
          w.ArrayHeader(2).Uint(1).Bytes(chain::View(drep_hash));
          break;
        default:
          w.ArrayHeader(1).Uint(drep.type);
          break;
      }
      screens.push_back(absl::StrCat("Delegate vote to ", DRepText(drep, drep_hash)));
      screens.push_back(absl::StrCat("Stake credential ", CredentialText(cred)));
      break;
    }
    case 3:
    case 4:
    case 14:
    case 15:
    case 16:
    case 17:
    case 18:
      // Known to the app but not emulated here (pool registration/retirement need their own
      // modes; committee and DRep certificates are not needed by Stakeward).
      return Fail(kSwRejectedByPolicy);
    default:
      // Genesis delegation, MIR and the combined Conway delegations are unknown to the app:
      // parsing the certificate type fails with ERR_INVALID_DATA.
      return Fail(kSwInvalidData);
  }
  for (const std::string& s : screens) env_.screens->Add(s);
  if (!Prompt(kStepCertificate)) return Fail(kSwRejectedByUser);
  Emit(w.data());
  ++done_in_stage_;
  Advance();
  return Reply::Ok();
}

Reply SignTxMachine::HandleWithdrawal(const Apdu& a) {
  Reader r(chain::View(a.data));
  uint64_t amount = 0;
  Credential cred;
  if (!r.U64(&amount) || !ReadCredential(r, &cred) || !r.AtEnd()) return Fail(kSwInvalidData);
  if (amount > kMaxLovelaceSupply) return Fail(kSwInvalidData);
  if (uint16_t sw = CheckStakeCredential(cred); sw != kSwOk) return Fail(sw);
  // Reward address: header 0xE0 (key) / 0xF0 (script) | network id, then the credential hash.
  chain::Bytes addr;
  if (cred.type == Credential::kScriptHash) {
    addr.push_back(static_cast<uint8_t>(0xF0 | network_id_));
    addr.insert(addr.end(), cred.hash.begin(), cred.hash.end());
  } else {
    chain::Hash28 h =
        cred.type == Credential::kKeyPath ? env_.keys->CardanoKeyHash(cred.path) : cred.hash;
    addr.push_back(static_cast<uint8_t>(0xE0 | network_id_));
    addr.insert(addr.end(), h.begin(), h.end());
  }
  chain::cbor::Writer key;
  key.Bytes(chain::View(addr));
  // Map keys must arrive in canonical order, without duplicates (CIP-21).
  if (!last_withdrawal_key_.empty() &&
      !chain::cbor::CanonicalKeyLess(chain::View(last_withdrawal_key_), chain::View(key.data()))) {
    return Fail(kSwInvalidData);
  }
  last_withdrawal_key_ = key.data();
  // securityPolicy.c policyForSignTxWithdrawal: key path (ORDINARY) and script hash (MULTISIG)
  // withdrawals are SHOW_IF(app_mode_expert()).
  if (env_.expert_mode) {
    env_.screens->Add(absl::StrCat("Withdraw ", ScreenLog::FormatAda(amount), " from ",
                                   AddressForDisplay(chain::View(addr))));
    if (!Prompt(kStepWithdrawal)) return Fail(kSwRejectedByUser);
  }
  chain::cbor::Writer w;
  w.Raw(chain::View(key.data())).Uint(amount);
  Emit(w.data());
  ++done_in_stage_;
  Advance();
  return Reply::Ok();
}

Reply SignTxMachine::HandleRequiredSigner(const Apdu& a) {
  Reader r(chain::View(a.data));
  uint8_t type = 0;
  chain::Hash28 h{};
  if (!r.U8(&type)) return Fail(kSwInvalidData);
  if (type == 0) {
    chain::Path p;
    if (!r.Path(kMaxPathElements, &p) || !r.AtEnd()) return Fail(kSwInvalidData);
    PathInfo info = ClassifyPath(p);
    const bool ok = mode_ == kModeMultisig
                        ? info.purpose == kPurposeMultisig &&
                              (info.kind == PathKind::kPayment || info.kind == PathKind::kStake)
                        : info.purpose != kPurposeMultisig && info.kind != PathKind::kInvalid &&
                              info.kind != PathKind::kAccount && UseAccount(p);
    if (!ok) return Fail(kSwRejectedByPolicy);
    h = env_.keys->CardanoKeyHash(p);
  } else if (type == 1) {
    if (!r.Fixed(&h) || !r.AtEnd()) return Fail(kSwInvalidData);
  } else {
    return Fail(kSwInvalidData);
  }
  // securityPolicy.c policyForSignTxRequiredSigner: SHOW_IF(app_mode_expert()) (hash and path).
  if (env_.expert_mode) {
    env_.screens->Add(absl::StrCat("Required signer ", chain::HexEncode(h)));
    if (!Prompt("required_signer")) return Fail(kSwRejectedByUser);
  }
  chain::cbor::Writer w;
  w.Bytes(chain::View(h));
  Emit(w.data());
  ++done_in_stage_;
  Advance();
  return Reply::Ok();
}

Reply SignTxMachine::HandleConfirm(const Apdu& a) {
  if (!a.data.empty()) return Fail(kSwInvalidData);
  tx_hash_ = hash_.Finish();
  env_.screens->Add("Sign transaction?");
  if (!Prompt(kStepConfirm)) return Fail(kSwRejectedByUser);
  ++done_in_stage_;
  Advance();
  return Reply::Ok(chain::Bytes(tx_hash_.begin(), tx_hash_.end()));
}

Reply SignTxMachine::HandleWitness(const Apdu& a) {
  Reader r(chain::View(a.data));
  chain::Path p;
  if (!r.Path(kMaxPathElements, &p) || !r.AtEnd()) return Fail(kSwInvalidData);
  PathInfo info = ClassifyPath(p);
  bool allowed = false;
  bool shown = false;
  if (mode_ == kModeMultisig) {
    // securityPolicy.c policyForSignTxWitness, MULTISIG: 1854' payment or staking keys, shown.
    allowed = info.purpose == kPurposeMultisig &&
              (info.kind == PathKind::kPayment || info.kind == PathKind::kStake);
    shown = true;
  } else {
    switch (info.kind) {
      case PathKind::kPayment:
      case PathKind::kStake:
        allowed = info.purpose != kPurposeMultisig && UseAccount(p);
        shown = info.unusual;
        break;
      case PathKind::kDRep:
      case PathKind::kCommitteeCold:
      case PathKind::kCommitteeHot:
        allowed = UseAccount(p);
        shown = true;
        break;
      case PathKind::kPoolCold:
        allowed = true;
        shown = true;
        break;
      default:
        break;
    }
  }
  if (!allowed) return Fail(kSwRejectedByPolicy);
  if (shown) {
    env_.screens->Add(absl::StrCat("Witness ", PathToString(p)));
    if (!Prompt(kStepWitness)) return Fail(kSwRejectedByUser);
  }
  // Malicious modes: the key of the next address index signs, or another body hash is signed.
  chain::Path key_path = p;
  if (env_.malice == Malice::kOtherKey) ++key_path.indexes.back();
  chain::Hash32 signed_hash = tx_hash_;
  if (env_.malice == Malice::kOtherBody) signed_hash[0] ^= 0x01;
  chain::Signature sig = chain::Sign(env_.keys->CardanoKey(key_path), chain::View(signed_hash));
  ++done_in_stage_;
  Advance();
  return Reply::Ok(chain::Bytes(sig.begin(), sig.end()));
}

}  // namespace stakeward::mocks::ledger::cardano
