#include "firmware-mocks/trezor/cardano_certificates.h"

#include "absl/strings/str_cat.h"
#include "chain/address.h"
#include "chain/cbor.h"
#include "firmware-mocks/trezor/failures.h"

namespace stakeward::mocks::trezor {
namespace {

namespace cm = hw::trezor::messages::cardano;
constexpr size_t kHashSize = 28;

absl::Status Invalid() { return ProcessError("Invalid certificate"); }

bool IsHash(bool has, const std::string& v) { return has && v.size() == kHashSize; }

chain::ByteView StrView(const std::string& s) { return chain::View(std::string_view(s)); }

absl::Status ValidateDRep(const cm::CardanoDRep& d) {
  switch (d.type()) {
    case cm::KEY_HASH:
      if (!IsHash(d.has_key_hash(), d.key_hash()) || d.has_script_hash()) return Invalid();
      return absl::OkStatus();
    case cm::SCRIPT_HASH:
      if (!IsHash(d.has_script_hash(), d.script_hash()) || d.has_key_hash()) return Invalid();
      return absl::OkStatus();
    case cm::ABSTAIN:
    case cm::NO_CONFIDENCE:
      if (d.has_key_hash() || d.has_script_hash()) return Invalid();
      return absl::OkStatus();
    default:
      return Invalid();
  }
}

std::string CredentialText(const cm::CardanoTxCertificate& c) {
  if (!c.path().empty()) return FormatPathVec(PathVec(c.path().begin(), c.path().end()));
  if (c.has_script_hash())
    return absl::StrCat("script ", chain::HexEncode(StrView(c.script_hash())));
  return absl::StrCat("key hash ", chain::HexEncode(StrView(c.key_hash())));
}

}  // namespace

bool ValidStakeCredential(const google::protobuf::RepeatedField<uint32_t>& path,
                          bool has_script_hash, const std::string& script_hash, bool has_key_hash,
                          const std::string& key_hash) {
  const int set = (!path.empty() ? 1 : 0) + (has_script_hash ? 1 : 0) + (has_key_hash ? 1 : 0);
  if (set != 1) return false;
  if (!path.empty()) return MatchesStakingAnyAccount(PathVec(path.begin(), path.end()));
  if (has_script_hash) return script_hash.size() == kHashSize;
  return key_hash.size() == kHashSize;
}

absl::Status ValidateCertificate(const cm::CardanoTxCertificate& c) {
  const bool cred_ok = ValidStakeCredential(c.path(), c.has_script_hash(), c.script_hash(),
                                            c.has_key_hash(), c.key_hash());
  switch (c.type()) {
    case cm::STAKE_REGISTRATION:
    case cm::STAKE_DEREGISTRATION:
      if (c.has_pool() || c.has_pool_parameters() || c.has_deposit() || c.has_drep()) {
        return Invalid();
      }
      break;
    case cm::STAKE_DELEGATION:
      if (!IsHash(c.has_pool(), c.pool()) || c.has_pool_parameters() || c.has_deposit() ||
          c.has_drep()) {
        return Invalid();
      }
      break;
    case cm::STAKE_REGISTRATION_CONWAY:
    case cm::STAKE_DEREGISTRATION_CONWAY:
      if (!c.has_deposit() || c.has_pool() || c.has_pool_parameters() || c.has_drep()) {
        return Invalid();
      }
      break;
    case cm::VOTE_DELEGATION:
      if (!c.has_drep() || c.has_pool() || c.has_pool_parameters() || c.has_deposit()) {
        return Invalid();
      }
      if (auto s = ValidateDRep(c.drep()); !s.ok()) return s;
      break;
    case cm::STAKE_POOL_REGISTRATION:
      // Forbidden in the ORDINARY and MULTISIG signing modes (ordinary_signer.py,
      // multisig_signer.py); the mock implements no other mode.
      return Invalid();
    default:
      return Invalid();
  }
  if (!cred_ok) return Invalid();
  return absl::OkStatus();
}

absl::StatusOr<chain::Bytes> CborizeCertificate(CardanoKeychain& keychain,
                                                chain::Derivation derivation,
                                                const cm::CardanoTxCertificate& c) {
  chain::cbor::Writer w;
  size_t items = 2;
  if (c.type() == cm::STAKE_DELEGATION || c.type() == cm::STAKE_REGISTRATION_CONWAY ||
      c.type() == cm::STAKE_DEREGISTRATION_CONWAY || c.type() == cm::VOTE_DELEGATION) {
    items = 3;
  }
  w.ArrayHeader(items).Uint(static_cast<uint64_t>(c.type()));
  // cborize_stake_credential: [0, key hash] for paths and key hashes, [1, script hash].
  w.ArrayHeader(2);
  if (!c.path().empty()) {
    auto hash = keychain.KeyHash(derivation, PathVec(c.path().begin(), c.path().end()));
    if (!hash.ok()) return hash.status();
    w.Uint(0).Bytes(chain::View(*hash));
  } else if (c.has_key_hash()) {
    w.Uint(0).Bytes(StrView(c.key_hash()));
  } else {
    w.Uint(1).Bytes(StrView(c.script_hash()));
  }
  switch (c.type()) {
    case cm::STAKE_DELEGATION:
      w.Bytes(StrView(c.pool()));
      break;
    case cm::STAKE_REGISTRATION_CONWAY:
    case cm::STAKE_DEREGISTRATION_CONWAY:
      w.Uint(c.deposit());
      break;
    case cm::VOTE_DELEGATION: {
      const cm::CardanoDRep& d = c.drep();
      if (d.type() == cm::KEY_HASH) {
        w.ArrayHeader(2).Uint(0).Bytes(StrView(d.key_hash()));
      } else if (d.type() == cm::SCRIPT_HASH) {
        w.ArrayHeader(2).Uint(1).Bytes(StrView(d.script_hash()));
      } else {
        w.ArrayHeader(1).Uint(static_cast<uint64_t>(d.type()));
      }
      break;
    }
    default:
      break;
  }
  return w.Take();
}

std::string DescribeCertificate(const cm::CardanoTxCertificate& c) {
  const std::string cred = CredentialText(c);
  switch (c.type()) {
    case cm::STAKE_REGISTRATION:
      return absl::StrCat("Stake key registration: ", cred);
    case cm::STAKE_DEREGISTRATION:
      return absl::StrCat("Stake key deregistration: ", cred);
    case cm::STAKE_DELEGATION: {
      auto pool = chain::ToFixed<28>(StrView(c.pool()));
      return absl::StrCat("Stake delegation: ", cred, " to pool ",
                          pool.ok() ? chain::PoolIdBech32(*pool) : "?");
    }
    case cm::STAKE_REGISTRATION_CONWAY:
      return absl::StrCat("Stake key registration: ", cred, ", deposit ", c.deposit(), " lovelace");
    case cm::STAKE_DEREGISTRATION_CONWAY:
      return absl::StrCat("Stake key deregistration: ", cred, ", deposit ", c.deposit(),
                          " lovelace");
    case cm::VOTE_DELEGATION: {
      const cm::CardanoDRep& d = c.drep();
      std::string drep;
      if (d.type() == cm::KEY_HASH) {
        drep = absl::StrCat("key hash ", chain::HexEncode(StrView(d.key_hash())));
      } else if (d.type() == cm::SCRIPT_HASH) {
        drep = absl::StrCat("script hash ", chain::HexEncode(StrView(d.script_hash())));
      } else if (d.type() == cm::ABSTAIN) {
        drep = "Abstain";
      } else {
        drep = "No Confidence";
      }
      return absl::StrCat("Vote delegation: ", cred, " to DRep ", drep);
    }
    default:
      return "Certificate";
  }
}

}  // namespace stakeward::mocks::trezor
