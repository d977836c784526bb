// Ledger Cardano app (CLA 0xD7) wire constants and payload decoders: status words, BIP32 path
// classification, credentials, DReps and address parameters (specs/ledger.md §4.3, §4.11;
// vacuumlabs/ledger-app-cardano-shelley src/errors.h, src/bip44.c, src/addressUtilsShelley.c).
#ifndef STAKEWARD_FIRMWARE_MOCKS_LEDGER_CARDANO_WIRE_H_
#define STAKEWARD_FIRMWARE_MOCKS_LEDGER_CARDANO_WIRE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "chain/bytes.h"
#include "chain/keys.h"
#include "firmware-mocks/ledger/apdu.h"

namespace stakeward::mocks::ledger::cardano {

inline constexpr uint8_t kCla = 0xD7;

// src/errors.h
inline constexpr uint16_t kSwMalformedHeader = 0x6E01;
inline constexpr uint16_t kSwBadCla = 0x6E02;
inline constexpr uint16_t kSwUnknownIns = 0x6E03;
inline constexpr uint16_t kSwStillInCall = 0x6E04;
inline constexpr uint16_t kSwInvalidP1P2 = 0x6E05;
inline constexpr uint16_t kSwInvalidState = 0x6E06;
inline constexpr uint16_t kSwInvalidData = 0x6E07;
inline constexpr uint16_t kSwRejectedByUser = 0x6E09;
inline constexpr uint16_t kSwRejectedByPolicy = 0x6E10;

// BIP44 path limits (src/bip44.h BIP44_MAX_PATH_ELEMENTS).
inline constexpr size_t kMaxPathElements = 5;
inline constexpr uint32_t kPurposeByron = 44;
inline constexpr uint32_t kPurposeShelley = 1852;
inline constexpr uint32_t kPurposePool = 1853;
inline constexpr uint32_t kPurposeMultisig = 1854;
inline constexpr uint32_t kPurposeMint = 1855;
inline constexpr uint32_t kPurposeVote = 1694;
inline constexpr uint32_t kCoinAda = 1815;
// "Reasonable" account and address bounds (src/bip44.c).
inline constexpr uint32_t kMaxReasonableAccount = 100;
inline constexpr uint32_t kMaxReasonableAddress = 1000000;

// What a path is, by CIP-1852/1854/1853/1855/36 schema.
enum class PathKind {
  kInvalid,
  kAccount,        // purpose'/1815'/account' (44, 1852, 1854, 1694) or 1855'/1815'/policy'
  kPayment,        // 44'|1852'|1854' /1815'/a'/(0|1)/i  (1854': chain 0 only)
  kStake,          // 1852'|1854' /1815'/a'/2/i
  kDRep,           // 1852'/1815'/a'/3/0
  kCommitteeCold,  // 1852'/1815'/a'/4/0
  kCommitteeHot,   // 1852'/1815'/a'/5/0
  kPoolCold,       // 1853'/1815'/0'/i'
  kMint,           // 1855'/1815'/policy'
  kVote,           // 1694'/1815'/a'/0/0
};
struct PathInfo {
  PathKind kind = PathKind::kInvalid;
  uint32_t purpose = 0;  // unhardened
  uint32_t account = 0;  // unhardened
  bool unusual = false;  // account or address beyond the "reasonable" bounds, hardened address
};
PathInfo ClassifyPath(const chain::Path& path);
std::string PathToString(const chain::Path& path);

// ITEM_INCLUDED_NO/YES (0x01/0x02); anything else is invalid data.
bool ReadIncluded(Reader& r, bool* out);

// Credentials (ext_credential_type_t): 0 key path, 1 script hash, 2 key hash.
struct Credential {
  enum Type : uint8_t { kKeyPath = 0, kScriptHash = 1, kKeyHash = 2 } type = kKeyPath;
  chain::Path path;
  chain::Hash28 hash{};
};
bool ReadCredential(Reader& r, Credential* out);

// DRep (ext_drep_type_t): 0 key hash, 1 script hash, 2 abstain, 3 no confidence, 100 key path.
struct DRep {
  uint8_t type = 0;
  chain::Path path;
  chain::Hash28 hash{};
};
bool ReadDRep(Reader& r, DRep* out);

// Device-owned address parameters (view_parseAddressParams).
struct AddressParams {
  uint8_t type = 0;  // upper nibble of the Shelley header; 0x08 Byron
  uint8_t network_id = 0;
  uint32_t protocol_magic = 0;
  chain::Path spending_path;
  chain::Hash28 spending_script{};
  uint8_t staking_choice = 0x11;  // 0x11 none, 0x22 path, 0x33 key hash, 0x44 pointer, 0x55 script
  chain::Path staking_path;
  chain::Hash28 staking_hash{};
  uint32_t pointer[3] = {0, 0, 0};
};
bool ReadAddressParams(Reader& r, AddressParams* out);

}  // namespace stakeward::mocks::ledger::cardano

#endif  // STAKEWARD_FIRMWARE_MOCKS_LEDGER_CARDANO_WIRE_H_
