// Conway certificates. Types 0, 1, 2, 7, 8, 9 are built and parsed; every other type is parsed,
// kept raw and reported by name.
#ifndef STAKEWARD_CHAIN_CERTIFICATE_H_
#define STAKEWARD_CHAIN_CERTIFICATE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "chain/address.h"
#include "chain/bytes.h"
#include "chain/cbor.h"
#include "chain/lovelace.h"

namespace stakeward::chain {

struct DRep {
  enum class Kind : uint8_t {
    kKeyHash = 0,
    kScriptHash = 1,
    kAlwaysAbstain = 2,
    kNoConfidence = 3
  };
  Kind kind = Kind::kAlwaysAbstain;
  Hash28 hash{};  // kKeyHash / kScriptHash
  bool operator==(const DRep&) const = default;
};

struct Certificate {
  // Numbers from conway.cddl (cardano-ledger eras/conway/impl/cddl-files/conway.cddl).
  enum class Type : uint8_t {
    kStakeRegistration = 0,
    kStakeDeregistration = 1,
    kStakeDelegation = 2,
    kPoolRegistration = 3,
    kPoolRetirement = 4,
    kRegCert = 7,
    kUnregCert = 8,
    kVoteDelegCert = 9,
    kStakeVoteDelegCert = 10,
    kStakeRegDelegCert = 11,
    kVoteRegDelegCert = 12,
    kStakeVoteRegDelegCert = 13,
    kAuthCommitteeHotCert = 14,
    kResignCommitteeColdCert = 15,
    kRegDRepCert = 16,
    kUnregDRepCert = 17,
    kUpdateDRepCert = 18,
  };
  Type type = Type::kStakeRegistration;
  Credential credential;  // the stake credential (types 0, 1, 2, 7..13)
  Hash28 pool{};          // 2, 10, 11, 13 (and the operator for 3, 4)
  Lovelace coin;          // deposit or refund: 7, 8, 11, 12, 13
  DRep drep;              // 9, 10, 12, 13
  uint64_t epoch = 0;     // 4
  // Original CBOR of the types encoded from it (3, 4, 14..18: pool and governance certificates);
  // set by the decoder. The other types are encoded from the fields above.
  Bytes raw;

  static Certificate StakeRegistration(const Credential& c);
  static Certificate StakeDeregistration(const Credential& c);
  static Certificate StakeDelegation(const Credential& c, const Hash28& pool);
  static Certificate Registration(const Credential& c, Lovelace deposit);    // 7
  static Certificate Unregistration(const Credential& c, Lovelace refund);   // 8
  static Certificate VoteDelegation(const Credential& c, const DRep& drep);  // 9
};

std::string_view CertificateTypeName(Certificate::Type t);
// Encodes types 0, 1, 2 and 7..13 from the fields; any other type re-emits `raw` (which must be
// set).
void WriteCertificate(cbor::Writer& w, const Certificate& cert);
Bytes EncodeCertificate(const Certificate& cert);
absl::StatusOr<Certificate> CertificateFromItem(ByteView source, const cbor::Item& item);
// The same into a fresh `cert` (a transaction's certificates are read in place).
absl::Status CertificateInto(ByteView source, const cbor::Item& item, Certificate& cert);
absl::StatusOr<Certificate> DecodeCertificate(ByteView cbor);
// A one-line human description, e.g. "stake_delegation script:ab12… -> pool1…".
std::string DescribeCertificate(const Certificate& cert, Network network);

void WriteCredential(cbor::Writer& w, const Credential& c);
absl::StatusOr<Credential> CredentialFromItem(const cbor::Item& item);
void WriteDRep(cbor::Writer& w, const DRep& d);
absl::StatusOr<DRep> DRepFromItem(const cbor::Item& item);

}  // namespace stakeward::chain

#endif  // STAKEWARD_CHAIN_CERTIFICATE_H_
