#include "firmware-mocks/ledger/cardano_address.h"

#include "chain/address.h"

namespace stakeward::mocks::ledger::cardano {
namespace {

bool IsSpendingKeyPath(const chain::Path& p) {
  PathInfo info = ClassifyPath(p);
  // Key-based Shelley addresses use ordinary wallet keys (44'/1852'); 1854' keys live only inside
  // native scripts.
  return info.kind == PathKind::kPayment && info.purpose != kPurposeMultisig;
}

bool IsStakingKeyPath(const chain::Path& p) {
  PathInfo info = ClassifyPath(p);
  return info.kind == PathKind::kStake && info.purpose == kPurposeShelley;
}

void AppendHash(chain::Bytes& out, const chain::Hash28& h) {
  out.insert(out.end(), h.begin(), h.end());
}

// Variable-length natural number of pointer addresses (CIP-19): 7 bits per byte, big-endian,
// high bit set on all but the last byte.
void AppendVarNat(chain::Bytes& out, uint32_t v) {
  uint8_t tmp[5];
  int n = 0;
  do {
    tmp[n++] = static_cast<uint8_t>(v & 0x7f);
    v >>= 7;
  } while (v != 0);
  for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<uint8_t>(tmp[i] | (i > 0 ? 0x80 : 0)));
}

}  // namespace

DerivedAddress DeriveAddress(Keyring& keys, const AddressParams& a) {
  DerivedAddress out;
  const uint8_t t = a.type;
  if (t == 0x08) {
    out.sw = kSwRejectedByPolicy;
    return out;
  }
  // Which staking choice each address type takes.
  const uint8_t c = a.staking_choice;
  bool choice_ok = false;
  switch (t) {
    case 0x00:
    case 0x01:
    case 0x0E:
      choice_ok = c == 0x22 || c == 0x33;
      break;
    case 0x02:
    case 0x03:
    case 0x0F:
      choice_ok = c == 0x55;
      break;
    case 0x04:
    case 0x05:
      choice_ok = c == 0x44;
      break;
    case 0x06:
    case 0x07:
      choice_ok = c == 0x11;
      break;
    default:
      break;
  }
  if (!choice_ok) {
    out.sw = kSwInvalidData;
    return out;
  }
  const bool reward = t == 0x0E || t == 0x0F;
  const bool script_payment = t == 0x01 || t == 0x03 || t == 0x05 || t == 0x07;
  if (!reward && !script_payment && !IsSpendingKeyPath(a.spending_path)) {
    out.sw = kSwRejectedByPolicy;
    return out;
  }
  if (c == 0x22 && !IsStakingKeyPath(a.staking_path)) {
    out.sw = kSwRejectedByPolicy;
    return out;
  }
  out.bytes.push_back(static_cast<uint8_t>(t << 4 | a.network_id));
  if (!reward) {
    AppendHash(out.bytes,
               script_payment ? a.spending_script : keys.CardanoKeyHash(a.spending_path));
  }
  switch (c) {
    case 0x22:
      AppendHash(out.bytes, keys.CardanoKeyHash(a.staking_path));
      break;
    case 0x33:
    case 0x55:
      AppendHash(out.bytes, a.staking_hash);
      break;
    case 0x44:
      for (uint32_t v : a.pointer) AppendVarNat(out.bytes, v);
      break;
    default:
      break;
  }
  return out;
}

std::string AddressForDisplay(chain::ByteView address) {
  if (address.empty()) return "";
  const uint8_t type = address[0] >> 4;
  // The app uses the testnet prefixes only for network id 0 (src/bech32.c callers).
  const bool mainnet = (address[0] & 0x0f) != 0;
  if (type <= 0x07) return chain::Bech32Encode(mainnet ? "addr" : "addr_test", address);
  if (type == 0x0E || type == 0x0F) {
    return chain::Bech32Encode(mainnet ? "stake" : "stake_test", address);
  }
  return chain::HexEncode(address);
}

}  // namespace stakeward::mocks::ledger::cardano
