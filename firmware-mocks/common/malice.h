// A "malicious device" mode for both mocks (the --malicious flag): the mock still walks the real
// protocol, but what it returns is wrong in one chosen way. The host must detect each one and
// keep nothing (DATA_LOSS): a compromised or faulty device is what the host's checks are for.
#ifndef STAKEWARD_FIRMWARE_MOCKS_COMMON_MALICE_H_
#define STAKEWARD_FIRMWARE_MOCKS_COMMON_MALICE_H_

#include <string_view>

#include "absl/status/statusor.h"

namespace stakeward::mocks {

enum class Malice {
  kNone,
  // Witnesses are made with the key of another path (the next address index), as if the device
  // swapped keys. For Ethereum: signed with the key of the next address index.
  kOtherKey,
  // Witnesses (and the reported body hash) are over another body: one byte of the real body hash
  // flipped before signing. For Ethereum: the hash of another transaction (nonce + 1).
  kOtherBody,
  // The public keys the device reports (Cardano extended public keys, Trezor witness pub_key,
  // Ledger Ethereum address reply) belong to another path; signatures stay honest.
  kWrongPubkey,
};

// none | other-key | other-body | wrong-pubkey
absl::StatusOr<Malice> ParseMalice(std::string_view name);
std::string_view MaliceName(Malice m);
inline constexpr char kMaliceHelp[] =
    "malicious device: none | other-key (witnesses/signatures made with another path's key) | "
    "other-body (signatures over another body hash / another EVM transaction) | wrong-pubkey "
    "(reported public keys belong to another path)";

}  // namespace stakeward::mocks

#endif  // STAKEWARD_FIRMWARE_MOCKS_COMMON_MALICE_H_
