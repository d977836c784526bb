#include "firmware-mocks/ledger/cardano_wire.h"

#include "absl/strings/str_cat.h"

namespace stakeward::mocks::ledger::cardano {
namespace {

bool Hard(uint32_t i) { return (i & chain::kHardened) != 0; }
uint32_t Unhard(uint32_t i) { return i & ~chain::kHardened; }

}  // namespace

PathInfo ClassifyPath(const chain::Path& path) {
  PathInfo info;
  const auto& p = path.indexes;
  if (p.size() < 3 || p.size() > kMaxPathElements) return info;
  if (!Hard(p[0]) || p[1] != (kCoinAda | chain::kHardened) || !Hard(p[2])) return info;
  info.purpose = Unhard(p[0]);
  info.account = Unhard(p[2]);
  info.unusual = info.account > kMaxReasonableAccount;
  const uint32_t purpose = info.purpose;
  if (purpose == kPurposeMint) {
    if (p.size() == 3) info.kind = PathKind::kMint;
    return info;
  }
  if (purpose == kPurposePool) {
    // 1853'/1815'/0'/i'
    if (p.size() == 4 && info.account == 0 && Hard(p[3])) {
      info.kind = PathKind::kPoolCold;
      info.unusual = Unhard(p[3]) > kMaxReasonableAccount;
    }
    return info;
  }
  const bool known_purpose = purpose == kPurposeByron || purpose == kPurposeShelley ||
                             purpose == kPurposeMultisig || purpose == kPurposeVote;
  if (!known_purpose) return info;
  if (p.size() == 3) {
    info.kind = PathKind::kAccount;
    return info;
  }
  if (p.size() != 5) return info;
  const uint32_t chain_index = p[3];
  const uint32_t address = p[4];
  if (Hard(address) || Unhard(address) > kMaxReasonableAddress) info.unusual = true;
  if (purpose == kPurposeVote) {
    if (chain_index == 0 && address == 0) info.kind = PathKind::kVote;
    return info;
  }
  switch (chain_index) {
    case 0:
      info.kind = PathKind::kPayment;
      break;
    case 1:
      // CIP-1854 has no change chain.
      if (purpose != kPurposeMultisig) info.kind = PathKind::kPayment;
      break;
    case 2:
      if (purpose != kPurposeByron) info.kind = PathKind::kStake;
      break;
    case 3:
    case 4:
    case 5:
      // Governance keys exist only under 1852', with address index 0 (CIP-105).
      if (purpose == kPurposeShelley && address == 0) {
        info.kind = chain_index == 3   ? PathKind::kDRep
                    : chain_index == 4 ? PathKind::kCommitteeCold
                                       : PathKind::kCommitteeHot;
      }
      break;
    default:
      break;
  }
  // Multisig keys have a non-hardened address index (CIP-1854).
  if (purpose == kPurposeMultisig && Hard(address)) info.kind = PathKind::kInvalid;
  return info;
}

std::string PathToString(const chain::Path& path) {
  std::string out = "m";
  for (uint32_t i : path.indexes) {
    absl::StrAppend(&out, "/", Unhard(i), Hard(i) ? "'" : "");
  }
  return out;
}

bool ReadIncluded(Reader& r, bool* out) {
  uint8_t v = 0;
  if (!r.U8(&v)) return false;
  if (v != 0x01 && v != 0x02) return false;
  *out = v == 0x02;
  return true;
}

bool ReadCredential(Reader& r, Credential* out) {
  uint8_t type = 0;
  if (!r.U8(&type)) return false;
  Credential c;
  switch (type) {
    case Credential::kKeyPath:
      c.type = Credential::kKeyPath;
      if (!r.Path(kMaxPathElements, &c.path)) return false;
      break;
    case Credential::kScriptHash:
      c.type = Credential::kScriptHash;
      if (!r.Fixed(&c.hash)) return false;
      break;
    case Credential::kKeyHash:
      c.type = Credential::kKeyHash;
      if (!r.Fixed(&c.hash)) return false;
      break;
    default:
      return false;
  }
  *out = std::move(c);
  return true;
}

bool ReadDRep(Reader& r, DRep* out) {
  DRep d;
  if (!r.U8(&d.type)) return false;
  switch (d.type) {
    case 0:
    case 1:
      if (!r.Fixed(&d.hash)) return false;
      break;
    case 2:
    case 3:
      break;
    case 100:
      if (!r.Path(kMaxPathElements, &d.path)) return false;
      break;
    default:
      return false;
  }
  *out = std::move(d);
  return true;
}

bool ReadAddressParams(Reader& r, AddressParams* out) {
  AddressParams a;
  if (!r.U8(&a.type)) return false;
  const uint8_t t = a.type;
  if (t > 0x08 && t != 0x0E && t != 0x0F) return false;
  if (t == 0x08) {
    if (!r.U32(&a.protocol_magic)) return false;
  } else {
    if (!r.U8(&a.network_id) || a.network_id > 0x0F) return false;
  }
  const bool reward = t == 0x0E || t == 0x0F;
  if (!reward) {
    const bool script_payment = t == 0x01 || t == 0x03 || t == 0x05 || t == 0x07;
    if (script_payment) {
      if (!r.Fixed(&a.spending_script)) return false;
    } else if (!r.Path(kMaxPathElements, &a.spending_path)) {
      return false;
    }
  }
  if (!r.U8(&a.staking_choice)) return false;
  switch (a.staking_choice) {
    case 0x11:
      break;
    case 0x22:
      if (!r.Path(kMaxPathElements, &a.staking_path)) return false;
      break;
    case 0x33:
    case 0x55:
      if (!r.Fixed(&a.staking_hash)) return false;
      break;
    case 0x44:
      if (!r.U32(&a.pointer[0]) || !r.U32(&a.pointer[1]) || !r.U32(&a.pointer[2])) return false;
      break;
    default:
      return false;
  }
  *out = std::move(a);
  return true;
}

}  // namespace stakeward::mocks::ledger::cardano
