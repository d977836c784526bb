// Conway certificates (cardano-ledger eras/conway/impl/cddl-files/conway.cddl, `certificate`).
#include "chain/certificate.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "chain/check.h"

namespace stakeward::chain {
namespace {

using T = Certificate::Type;

absl::Status Bad(const cbor::Item& item, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("certificate at byte ", item.offset, ": ", why));
}

absl::StatusOr<Hash28> Hash28FromItem(const cbor::Item& item, absl::string_view what) {
  if (!item.IsBytes() || item.bytes.size() != 28) {
    return Bad(item, absl::StrCat(what, " must be 28 bytes"));
  }
  Hash28 h;
  std::copy(item.bytes.begin(), item.bytes.end(), h.begin());
  return h;
}

absl::StatusOr<uint64_t> CoinFromItem(const cbor::Item& item) {
  if (!item.IsUint()) return Bad(item, "coin must be an unsigned integer");
  return item.arg;
}

// anchor = [url: text .size (0..128), data_hash: bytes32] / null
absl::Status CheckAnchor(const cbor::Item& item) {
  if (item.IsNull()) return absl::OkStatus();
  if (!item.IsArray() || item.children.size() != 2 || !item.children[0].IsText() ||
      item.children[0].text().size() > 128 || !item.children[1].IsBytes() ||
      item.children[1].bytes.size() != 32) {
    return Bad(item, "anchor must be [url (<= 128 bytes), 32-byte hash] or null");
  }
  return absl::OkStatus();
}

std::string CredentialText(const Credential& c) {
  return absl::StrCat(c.kind == Credential::Kind::kKeyHash ? "key:" : "script:", HexEncode(c.hash));
}

std::string DRepText(const DRep& d) {
  switch (d.kind) {
    case DRep::Kind::kKeyHash:
      return DRepIdCip129(Credential{Credential::Kind::kKeyHash, d.hash});
    case DRep::Kind::kScriptHash:
      return DRepIdCip129(Credential{Credential::Kind::kScriptHash, d.hash});
    case DRep::Kind::kAlwaysAbstain:
      return "always-abstain";
    case DRep::Kind::kNoConfidence:
      return "always-no-confidence";
  }
  return "?";
}

}  // namespace

Certificate Certificate::StakeRegistration(const Credential& c) {
  Certificate cert;
  cert.type = T::kStakeRegistration;
  cert.credential = c;
  return cert;
}

Certificate Certificate::StakeDeregistration(const Credential& c) {
  Certificate cert;
  cert.type = T::kStakeDeregistration;
  cert.credential = c;
  return cert;
}

Certificate Certificate::StakeDelegation(const Credential& c, const Hash28& pool) {
  Certificate cert;
  cert.type = T::kStakeDelegation;
  cert.credential = c;
  cert.pool = pool;
  return cert;
}

Certificate Certificate::Registration(const Credential& c, Lovelace deposit) {
  Certificate cert;
  cert.type = T::kRegCert;
  cert.credential = c;
  cert.coin = deposit;
  return cert;
}

Certificate Certificate::Unregistration(const Credential& c, Lovelace refund) {
  Certificate cert;
  cert.type = T::kUnregCert;
  cert.credential = c;
  cert.coin = refund;
  return cert;
}

Certificate Certificate::VoteDelegation(const Credential& c, const DRep& drep) {
  Certificate cert;
  cert.type = T::kVoteDelegCert;
  cert.credential = c;
  cert.drep = drep;
  return cert;
}

std::string_view CertificateTypeName(Certificate::Type t) {
  switch (t) {
    case T::kStakeRegistration:
      return "stake_registration";
    case T::kStakeDeregistration:
      return "stake_deregistration";
    case T::kStakeDelegation:
      return "stake_delegation";
    case T::kPoolRegistration:
      return "pool_registration";
    case T::kPoolRetirement:
      return "pool_retirement";
    case T::kRegCert:
      return "reg_cert";
    case T::kUnregCert:
      return "unreg_cert";
    case T::kVoteDelegCert:
      return "vote_deleg_cert";
    case T::kStakeVoteDelegCert:
      return "stake_vote_deleg_cert";
    case T::kStakeRegDelegCert:
      return "stake_reg_deleg_cert";
    case T::kVoteRegDelegCert:
      return "vote_reg_deleg_cert";
    case T::kStakeVoteRegDelegCert:
      return "stake_vote_reg_deleg_cert";
    case T::kAuthCommitteeHotCert:
      return "auth_committee_hot_cert";
    case T::kResignCommitteeColdCert:
      return "resign_committee_cold_cert";
    case T::kRegDRepCert:
      return "reg_drep_cert";
    case T::kUnregDRepCert:
      return "unreg_drep_cert";
    case T::kUpdateDRepCert:
      return "update_drep_cert";
  }
  return "unknown_certificate";
}

void WriteCredential(cbor::Writer& w, const Credential& c) {
  w.ArrayHeader(2).Uint(static_cast<uint64_t>(c.kind)).Bytes(View(c.hash));
}

absl::StatusOr<Credential> CredentialFromItem(const cbor::Item& item) {
  if (!item.IsArray() || item.children.size() != 2 || !item.children[0].IsUint() ||
      item.children[0].arg > 1) {
    return Bad(item, "credential must be [0 / 1, hash]");
  }
  auto h = Hash28FromItem(item.children[1], "credential hash");
  if (!h.ok()) return h.status();
  return Credential{static_cast<Credential::Kind>(item.children[0].arg), *h};
}

void WriteDRep(cbor::Writer& w, const DRep& d) {
  if (d.kind == DRep::Kind::kKeyHash || d.kind == DRep::Kind::kScriptHash) {
    w.ArrayHeader(2).Uint(static_cast<uint64_t>(d.kind)).Bytes(View(d.hash));
  } else {
    w.ArrayHeader(1).Uint(static_cast<uint64_t>(d.kind));
  }
}

absl::StatusOr<DRep> DRepFromItem(const cbor::Item& item) {
  if (!item.IsArray() || item.children.empty() || !item.children[0].IsUint() ||
      item.children[0].arg > 3) {
    return Bad(item, "drep must be [0, h] / [1, h] / [2] / [3]");
  }
  DRep d;
  d.kind = static_cast<DRep::Kind>(item.children[0].arg);
  if (d.kind == DRep::Kind::kKeyHash || d.kind == DRep::Kind::kScriptHash) {
    if (item.children.size() != 2) return Bad(item, "drep hash missing");
    auto h = Hash28FromItem(item.children[1], "drep hash");
    if (!h.ok()) return h.status();
    d.hash = *h;
  } else if (item.children.size() != 1) {
    return Bad(item, "abstain / no-confidence drep takes no hash");
  }
  return d;
}

namespace {

// The types WriteCertificate encodes from the fields; the others it re-emits from `raw`.
bool HasFieldEncoding(T t) {
  const int n = static_cast<int>(t);
  return n <= 2 || (n >= 7 && n <= 13);
}

}  // namespace

void WriteCertificate(cbor::Writer& w, const Certificate& c) {
  const uint64_t t = static_cast<uint64_t>(c.type);
  switch (c.type) {
    case T::kStakeRegistration:
    case T::kStakeDeregistration:
      w.ArrayHeader(2).Uint(t);
      WriteCredential(w, c.credential);
      return;
    case T::kStakeDelegation:
      w.ArrayHeader(3).Uint(t);
      WriteCredential(w, c.credential);
      w.Bytes(View(c.pool));
      return;
    case T::kRegCert:
    case T::kUnregCert:
      w.ArrayHeader(3).Uint(t);
      WriteCredential(w, c.credential);
      w.Uint(c.coin.value());
      return;
    case T::kVoteDelegCert:
      w.ArrayHeader(3).Uint(t);
      WriteCredential(w, c.credential);
      WriteDRep(w, c.drep);
      return;
    case T::kStakeVoteDelegCert:
      w.ArrayHeader(4).Uint(t);
      WriteCredential(w, c.credential);
      w.Bytes(View(c.pool));
      WriteDRep(w, c.drep);
      return;
    case T::kStakeRegDelegCert:
      w.ArrayHeader(4).Uint(t);
      WriteCredential(w, c.credential);
      w.Bytes(View(c.pool)).Uint(c.coin.value());
      return;
    case T::kVoteRegDelegCert:
      w.ArrayHeader(4).Uint(t);
      WriteCredential(w, c.credential);
      WriteDRep(w, c.drep);
      w.Uint(c.coin.value());
      return;
    case T::kStakeVoteRegDelegCert:
      w.ArrayHeader(5).Uint(t);
      WriteCredential(w, c.credential);
      w.Bytes(View(c.pool));
      WriteDRep(w, c.drep);
      w.Uint(c.coin.value());
      return;
    default:
      // Pool and governance certificates are only ever re-emitted as decoded.
      SW_CHECK(!c.raw.empty());
      w.Raw(View(c.raw));
      return;
  }
}

Bytes EncodeCertificate(const Certificate& cert) {
  cbor::Writer w;
  WriteCertificate(w, cert);
  return w.Take();
}

absl::Status CertificateInto(ByteView source, const cbor::Item& item, Certificate& cert) {
  if (!item.IsArray() || item.children.empty() || !item.children[0].IsUint()) {
    return Bad(item, "expected [type, ...]");
  }
  const auto& c = item.children;
  const uint64_t type = c[0].arg;
  auto need = [&](size_t n) -> absl::Status {
    if (c.size() != n) {
      return Bad(item, absl::StrCat("type ", type, " needs ", n, " elements, got ", c.size()));
    }
    return absl::OkStatus();
  };
  // Reads credential / pool / coin / drep at position i into the certificate.
  auto cred = [&](size_t i) -> absl::Status {
    auto r = CredentialFromItem(c[i]);
    if (!r.ok()) return r.status();
    cert.credential = *r;
    return absl::OkStatus();
  };
  auto pool = [&](size_t i) -> absl::Status {
    auto r = Hash28FromItem(c[i], "pool key hash");
    if (!r.ok()) return r.status();
    cert.pool = *r;
    return absl::OkStatus();
  };
  auto coin = [&](size_t i) -> absl::Status {
    auto r = CoinFromItem(c[i]);
    if (!r.ok()) return r.status();
    cert.coin = Lovelace(*r);
    return absl::OkStatus();
  };
  auto drep = [&](size_t i) -> absl::Status {
    auto r = DRepFromItem(c[i]);
    if (!r.ok()) return r.status();
    cert.drep = *r;
    return absl::OkStatus();
  };
  absl::Status s;
  switch (type) {
    case 0:
    case 1:
      if (s = need(2); s.ok()) s = cred(1);
      break;
    case 2:
      if (s = need(3); s.ok() && (s = cred(1)).ok()) s = pool(2);
      break;
    case 3:
      // [3, operator, vrf, pledge, cost, margin, reward_account, owners, relays, metadata]:
      // kept raw; the operator is exposed as the pool.
      if (s = need(10); s.ok()) s = pool(1);
      break;
    case 4:
      if (s = need(3); s.ok() && (s = pool(1)).ok()) {
        if (!c[2].IsUint()) {
          s = Bad(item, "epoch must be an unsigned integer");
        } else {
          cert.epoch = c[2].arg;
        }
      }
      break;
    case 5:
    case 6:
      return Bad(item, absl::StrCat("certificate type ", type, " was removed in Conway"));
    case 7:
    case 8:
      if (s = need(3); s.ok() && (s = cred(1)).ok()) s = coin(2);
      break;
    case 9:
      if (s = need(3); s.ok() && (s = cred(1)).ok()) s = drep(2);
      break;
    case 10:
      if (s = need(4); s.ok() && (s = cred(1)).ok() && (s = pool(2)).ok()) s = drep(3);
      break;
    case 11:
      if (s = need(4); s.ok() && (s = cred(1)).ok() && (s = pool(2)).ok()) s = coin(3);
      break;
    case 12:
      if (s = need(4); s.ok() && (s = cred(1)).ok() && (s = drep(2)).ok()) s = coin(3);
      break;
    case 13:
      if (s = need(5); s.ok() && (s = cred(1)).ok() && (s = pool(2)).ok() && (s = drep(3)).ok()) {
        s = coin(4);
      }
      break;
    case 14:
      // [14, committee_cold_credential, committee_hot_credential]
      if (s = need(3); s.ok() && (s = cred(1)).ok()) s = CredentialFromItem(c[2]).status();
      break;
    case 15:
    case 18:
      // [15, committee_cold_credential, anchor/null] / [18, drep_credential, anchor/null]
      if (s = need(3); s.ok() && (s = cred(1)).ok()) s = CheckAnchor(c[2]);
      break;
    case 16:
      // [16, drep_credential, coin, anchor/null]
      if (s = need(4); s.ok() && (s = cred(1)).ok() && (s = coin(2)).ok()) s = CheckAnchor(c[3]);
      break;
    case 17:
      if (s = need(3); s.ok() && (s = cred(1)).ok()) s = coin(2);
      break;
    default:
      return Bad(item, absl::StrCat("unknown certificate type ", type));
  }
  if (!s.ok()) return s;
  cert.type = static_cast<T>(type);
  if (!HasFieldEncoding(cert.type)) {
    const ByteView raw = cbor::Span(source, item);
    cert.raw.assign(raw.begin(), raw.end());
  }
  return absl::OkStatus();
}

absl::StatusOr<Certificate> CertificateFromItem(ByteView source, const cbor::Item& item) {
  Certificate cert;
  if (absl::Status s = CertificateInto(source, item, cert); !s.ok()) return s;
  return cert;
}

absl::StatusOr<Certificate> DecodeCertificate(ByteView cbor_bytes) {
  cbor::Limits lim;
  lim.require_canonical = false;
  lim.max_depth = 16;
  auto doc = cbor::Decode(cbor_bytes, lim);
  if (!doc.ok()) return doc.status();
  return CertificateFromItem(cbor_bytes, doc->root());
}

std::string DescribeCertificate(const Certificate& c, Network network) {
  const std::string name(CertificateTypeName(c.type));
  const std::string cred = CredentialText(c.credential);
  const std::string stake_addr = Address::Reward(network, c.credential).ToBech32();
  switch (c.type) {
    case T::kStakeRegistration:
    case T::kStakeDeregistration:
      return absl::StrCat(name, " ", cred, " (", stake_addr, ")");
    case T::kStakeDelegation:
      return absl::StrCat(name, " ", cred, " (", stake_addr, ") -> ", PoolIdBech32(c.pool));
    case T::kRegCert:
      return absl::StrCat(name, " ", cred, " (", stake_addr, ") deposit ", c.coin.value(),
                          " lovelace");
    case T::kUnregCert:
      return absl::StrCat(name, " ", cred, " (", stake_addr, ") refund ", c.coin.value(),
                          " lovelace");
    case T::kVoteDelegCert:
      return absl::StrCat(name, " ", cred, " (", stake_addr, ") -> ", DRepText(c.drep));
    case T::kStakeVoteDelegCert:
      return absl::StrCat(name, " ", cred, " -> ", PoolIdBech32(c.pool), " + ", DRepText(c.drep));
    case T::kStakeRegDelegCert:
      return absl::StrCat(name, " ", cred, " -> ", PoolIdBech32(c.pool), " deposit ",
                          c.coin.value());
    case T::kVoteRegDelegCert:
      return absl::StrCat(name, " ", cred, " -> ", DRepText(c.drep), " deposit ", c.coin.value());
    case T::kStakeVoteRegDelegCert:
      return absl::StrCat(name, " ", cred, " -> ", PoolIdBech32(c.pool), " + ", DRepText(c.drep),
                          " deposit ", c.coin.value());
    case T::kPoolRegistration:
      return absl::StrCat(name, " ", PoolIdBech32(c.pool));
    case T::kPoolRetirement:
      return absl::StrCat(name, " ", PoolIdBech32(c.pool), " at epoch ", c.epoch);
    default:
      return absl::StrCat(name, " ", cred);
  }
}

}  // namespace stakeward::chain
