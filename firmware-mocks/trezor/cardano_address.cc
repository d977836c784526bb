#include "firmware-mocks/trezor/cardano_address.h"

#include <algorithm>
#include <optional>

#include "chain/address.h"
#include "chain/cbor.h"
#include "firmware-mocks/trezor/failures.h"

namespace stakeward::mocks::trezor {
namespace {

namespace cm = hw::trezor::messages::cardano;

constexpr size_t kHashSize = 28;
constexpr char kBase58Alphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

// CRC-32 (IEEE 802.3, reflected 0xEDB88320), as Byron addresses use for their checksum.
uint32_t Crc32(chain::ByteView data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (uint8_t b : data) {
    crc ^= b;
    for (int i = 0; i < 8; ++i) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

absl::Status InvalidParams() { return ProcessError("Invalid address parameters"); }

// Exactly one of a key path or a 28-byte hash.
absl::StatusOr<chain::Hash28> KeyCredential(CardanoKeychain& keychain, chain::Derivation d,
                                            const google::protobuf::RepeatedField<uint32_t>& path,
                                            bool has_hash, const std::string& hash) {
  if (!path.empty() && has_hash) return InvalidParams();
  if (!path.empty()) {
    return keychain.KeyHash(d, PathVec(path.begin(), path.end()));
  }
  if (has_hash && hash.size() == kHashSize) {
    chain::Hash28 out;
    std::copy(hash.begin(), hash.end(), out.begin());
    return out;
  }
  return InvalidParams();
}

absl::StatusOr<chain::Hash28> ScriptHash(bool has, const std::string& hash) {
  if (!has || hash.size() != kHashSize) return InvalidParams();
  chain::Hash28 out;
  std::copy(hash.begin(), hash.end(), out.begin());
  return out;
}

void AppendVarNat(chain::Bytes& out, uint32_t v) {
  // CIP-19 pointer: base-128 big-endian, continuation bit on all but the last byte.
  uint8_t groups[5];
  int n = 0;
  do {
    groups[n++] = v & 0x7F;
    v >>= 7;
  } while (v != 0);
  for (int i = n - 1; i >= 0; --i) out.push_back(groups[i] | (i > 0 ? 0x80 : 0));
}

bool IsMainnetMagic(uint32_t pm) { return pm == kMainnetProtocolMagic; }

absl::Status ValidateByron(chain::ByteView raw, uint32_t protocol_magic) {
  chain::cbor::Limits limits;
  limits.require_canonical = false;
  auto outer_doc = chain::cbor::Decode(raw, limits);
  const chain::cbor::Item* outer = outer_doc.ok() ? &outer_doc->root() : nullptr;
  if (outer == nullptr || !outer->IsArray() || outer->children.size() != 2 ||
      !outer->children[0].IsTag(24) || outer->children[0].children.size() != 1 ||
      !outer->children[0].children[0].IsBytes() || !outer->children[1].IsUint()) {
    return ProcessError("Invalid address");
  }
  const chain::ByteView inner_bytes = outer->children[0].children[0].bytes;
  if (Crc32(inner_bytes) != outer->children[1].arg) {
    return ProcessError("Invalid address");
  }
  auto inner_doc = chain::cbor::Decode(inner_bytes, limits);
  const chain::cbor::Item* inner = inner_doc.ok() ? &inner_doc->root() : nullptr;
  if (inner == nullptr || !inner->IsArray() || inner->children.size() != 3 ||
      !inner->children[1].IsMap()) {
    return ProcessError("Invalid address");
  }
  std::optional<uint64_t> magic;
  const auto& attrs = inner->children[1];
  for (size_t i = 0; i < attrs.map_size(); ++i) {
    if (attrs.map_key(i).IsUint() && attrs.map_key(i).arg == 2 && attrs.map_value(i).IsBytes()) {
      auto m = chain::cbor::Decode(attrs.map_value(i).bytes, limits);
      if (!m.ok() || !m->root().IsUint()) return ProcessError("Invalid address");
      magic = m->root().arg;
    }
  }
  const bool ok = IsMainnetMagic(protocol_magic) ? !magic.has_value()
                                                 : (magic.has_value() && *magic == protocol_magic);
  if (!ok) return ProcessError("Output address network mismatch");
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateNetworkInfo(uint32_t network_id, uint32_t protocol_magic) {
  if (IsMainnetMagic(protocol_magic) != (network_id == kMainnetNetworkId)) {
    return ProcessError("Invalid network id/protocol magic combination!");
  }
  return absl::OkStatus();
}

absl::StatusOr<chain::Bytes> DeriveAddressBytes(CardanoKeychain& keychain, chain::Derivation d,
                                                const cm::CardanoAddressParametersType& p,
                                                uint32_t network_id) {
  if (network_id > 15) return InvalidParams();
  const uint32_t type = p.address_type();
  chain::Bytes out;
  out.push_back(static_cast<uint8_t>((type << 4) | network_id));
  auto append = [&out](const chain::Hash28& h) { out.insert(out.end(), h.begin(), h.end()); };
  auto payment_key = [&]() -> absl::StatusOr<chain::Hash28> {
    if (p.address_n().empty() || p.has_script_payment_hash()) return InvalidParams();
    return keychain.KeyHash(d, PathVec(p.address_n().begin(), p.address_n().end()));
  };
  auto stake_key = [&]() {
    return KeyCredential(keychain, d, p.address_n_staking(), p.has_staking_key_hash(),
                         p.staking_key_hash());
  };
  switch (type) {
    case cm::BASE:
    case cm::BASE_SCRIPT_KEY:
    case cm::BASE_KEY_SCRIPT:
    case cm::BASE_SCRIPT_SCRIPT: {
      const bool pay_script = type == cm::BASE_SCRIPT_KEY || type == cm::BASE_SCRIPT_SCRIPT;
      const bool stake_script = type == cm::BASE_KEY_SCRIPT || type == cm::BASE_SCRIPT_SCRIPT;
      auto pay = pay_script ? ScriptHash(p.has_script_payment_hash(), p.script_payment_hash())
                            : payment_key();
      if (!pay.ok()) return pay.status();
      if (stake_script && (!p.address_n_staking().empty() || p.has_staking_key_hash())) {
        return InvalidParams();
      }
      auto stake = stake_script ? ScriptHash(p.has_script_staking_hash(), p.script_staking_hash())
                                : stake_key();
      if (!stake.ok()) return stake.status();
      append(*pay);
      append(*stake);
      return out;
    }
    case cm::POINTER:
    case cm::POINTER_SCRIPT: {
      auto pay = type == cm::POINTER_SCRIPT
                     ? ScriptHash(p.has_script_payment_hash(), p.script_payment_hash())
                     : payment_key();
      if (!pay.ok()) return pay.status();
      if (!p.has_certificate_pointer()) return InvalidParams();
      append(*pay);
      AppendVarNat(out, p.certificate_pointer().block_index());
      AppendVarNat(out, p.certificate_pointer().tx_index());
      AppendVarNat(out, p.certificate_pointer().certificate_index());
      return out;
    }
    case cm::ENTERPRISE:
    case cm::ENTERPRISE_SCRIPT: {
      auto pay = type == cm::ENTERPRISE_SCRIPT
                     ? ScriptHash(p.has_script_payment_hash(), p.script_payment_hash())
                     : payment_key();
      if (!pay.ok()) return pay.status();
      append(*pay);
      return out;
    }
    case cm::REWARD: {
      if (!p.address_n().empty()) return InvalidParams();
      auto stake = stake_key();
      if (!stake.ok()) return stake.status();
      append(*stake);
      return out;
    }
    case cm::REWARD_SCRIPT: {
      if (!p.address_n().empty() || !p.address_n_staking().empty()) return InvalidParams();
      auto stake = ScriptHash(p.has_script_staking_hash(), p.script_staking_hash());
      if (!stake.ok()) return stake.status();
      append(*stake);
      return out;
    }
    case cm::BYRON:
      return ProcessError("Byron address derivation is not implemented by mock-trezor");
    default:
      return InvalidParams();
  }
}

std::string ShelleyAddressText(chain::ByteView bytes) {
  const uint8_t type = bytes.empty() ? 0 : bytes[0] >> 4;
  const bool mainnet = !bytes.empty() && (bytes[0] & 0x0F) == kMainnetNetworkId;
  const bool reward = type == 14 || type == 15;
  const char* hrp = reward ? (mainnet ? "stake" : "stake_test") : (mainnet ? "addr" : "addr_test");
  return chain::Bech32Encode(hrp, bytes);
}

absl::StatusOr<chain::Bytes> Base58Decode(std::string_view text) {
  chain::Bytes out;  // little-endian big number
  for (char c : text) {
    const char* pos = std::find(kBase58Alphabet, kBase58Alphabet + 58, c);
    if (pos == kBase58Alphabet + 58 || c == '\0') {
      return absl::InvalidArgumentError("invalid base58 character");
    }
    uint32_t carry = static_cast<uint32_t>(pos - kBase58Alphabet);
    for (uint8_t& b : out) {
      carry += uint32_t{b} * 58;
      b = carry & 0xFF;
      carry >>= 8;
    }
    while (carry > 0) {
      out.push_back(carry & 0xFF);
      carry >>= 8;
    }
  }
  for (char c : text) {
    if (c != '1') break;
    out.push_back(0);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

absl::StatusOr<chain::Bytes> ParseOutputAddress(std::string_view text, uint32_t protocol_magic,
                                                uint32_t network_id) {
  // Longest Byron addresses are a little over 100 characters; Shelley ones ~103. The firmware
  // caps at 128 characters (helpers/__init__.py MAX_ADDRESS_BYTES_LENGTH-based check).
  if (text.empty() || text.size() > 256) return ProcessError("Invalid output");
  auto bech = chain::Bech32Decode(text);
  if (bech.ok()) {
    const chain::Bytes& raw = bech->data;
    if (raw.empty()) return ProcessError("Invalid address");
    const uint8_t type = raw[0] >> 4;
    if (type > 7) return ProcessError("Invalid output");  // reward / unknown types
    const size_t expected = (type == 4 || type == 5) ? 0 : (type >= 6 ? 29 : 57);
    if ((expected != 0 && raw.size() != expected) || (expected == 0 && raw.size() < 32)) {
      return ProcessError("Invalid address");
    }
    const bool mainnet_hrp = bech->hrp == "addr";
    if (!(bech->hrp == "addr" || bech->hrp == "addr_test")) return ProcessError("Invalid address");
    if ((raw[0] & 0x0F) != network_id || mainnet_hrp != (network_id == kMainnetNetworkId)) {
      return ProcessError("Output address network mismatch");
    }
    return raw;
  }
  auto raw = Base58Decode(text);
  if (!raw.ok() || raw->empty()) return ProcessError("Invalid address");
  auto status = ValidateByron(chain::View(*raw), protocol_magic);
  if (!status.ok()) return status;
  return *raw;
}

}  // namespace stakeward::mocks::trezor
