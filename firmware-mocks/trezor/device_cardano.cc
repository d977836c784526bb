// TrezorDevice: the Cardano requests (public key, address, start of signing).
#include <openssl/evp.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "firmware-mocks/trezor/cardano_address.h"
#include "firmware-mocks/trezor/cardano_signer.h"
#include "firmware-mocks/trezor/device.h"
#include "proto/trezor/messages_cardano.pb.h"

namespace stakeward::mocks::trezor {
namespace {

namespace cm = hw::trezor::messages::cardano;
using hw::trezor::messages::common::ButtonRequest;

// BIP-32 style fingerprint of an Ed25519 node as trezor-crypto computes it (hdnode_fingerprint:
// first 4 bytes, big-endian, of RIPEMD-160(SHA-256(0x00 || public key))). 0 if the OpenSSL build
// lacks RIPEMD-160.
uint32_t Fingerprint(const std::array<uint8_t, 32>& public_key) {
  chain::Bytes data = {0x00};
  data.insert(data.end(), public_key.begin(), public_key.end());
  const auto sha = chain::Sha256(chain::View(data));
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  const EVP_MD* ripemd = EVP_ripemd160();
  if (ripemd == nullptr || EVP_Digest(sha.data(), sha.size(), md, &len, ripemd, nullptr) != 1 ||
      len < 4) {
    return 0;
  }
  return (uint32_t{md[0]} << 24) | (uint32_t{md[1]} << 16) | (uint32_t{md[2]} << 8) | md[3];
}

}  // namespace

// seed.py `_get_keychain_bip39`: the Icarus derivations need a session opened with
// derive_cardano; Ledger derivation does not.
absl::Status TrezorDevice::CheckDerivation(int derivation_type, chain::Derivation* out) const {
  switch (derivation_type) {
    case cm::LEDGER:
      *out = chain::Derivation::kLedger;
      return absl::OkStatus();
    case cm::ICARUS:
      *out = chain::Derivation::kIcarus;
      break;
    case cm::ICARUS_TREZOR:
      *out = chain::Derivation::kIcarusTrezor;
      break;
    default:
      return DataError("Invalid derivation type");
  }
  if (!derive_cardano_) {
    return ProcessError("Cardano derivation is not enabled for this session");
  }
  return absl::OkStatus();
}

absl::StatusOr<Reply> TrezorDevice::OnCardanoGetPublicKey(const WireMessage& in) {
  auto msg = ParseMessage<cm::CardanoGetPublicKey>(in);
  if (!msg.ok()) return msg.status();
  chain::Derivation derivation;
  if (auto s = CheckDerivation(msg->derivation_type(), &derivation); !s.ok()) return s;
  const PathVec path(msg->address_n().begin(), msg->address_n().end());
  // get_public_key.py: SCHEMA_PUBKEY or the minting root, else the keychain refuses the path.
  if (!MatchesPubkeySchema(path)) return DataError("Forbidden key path");
  PathVec reported = path;
  if (config_.malice == Malice::kWrongPubkey && !reported.empty()) ++reported.back();
  auto pub = keychain_.PublicKey(derivation, reported);
  if (!pub.ok()) return FirmwareError("key derivation failed");
  cm::CardanoPublicKey out;
  out.set_xpub(chain::HexEncode(pub->public_key) + chain::HexEncode(pub->chain_code));
  auto* node = out.mutable_node();
  node->set_depth(static_cast<uint32_t>(path.size()));
  node->set_fingerprint(Fingerprint(pub->public_key));
  node->set_child_num(path.empty() ? 0 : path.back());
  node->set_chain_code(std::string(pub->chain_code.begin(), pub->chain_code.end()));
  node->set_public_key(std::string(pub->public_key.begin(), pub->public_key.end()));
  std::vector<Screen> screens;
  if (msg->show_display()) {
    screens.push_back({"pubkey", ButtonRequest::ButtonRequest_PublicKey,
                       absl::StrCat("Public key ", FormatPathVec(path), ": ", out.xpub())});
  }
  return MakeReply(hw::trezor::messages::MessageType_CardanoPublicKey, out, std::move(screens));
}

absl::StatusOr<Reply> TrezorDevice::OnCardanoGetAddress(const WireMessage& in) {
  auto msg = ParseMessage<cm::CardanoGetAddress>(in);
  if (!msg.ok()) return msg.status();
  chain::Derivation derivation;
  if (auto s = CheckDerivation(msg->derivation_type(), &derivation); !s.ok()) return s;
  if (auto s = ValidateNetworkInfo(msg->network_id(), msg->protocol_magic()); !s.ok()) return s;
  const cm::CardanoAddressParametersType& p = msg->address_parameters();
  const PathVec pay(p.address_n().begin(), p.address_n().end());
  const PathVec stake(p.address_n_staking().begin(), p.address_n_staking().end());
  if ((!pay.empty() && !MatchesPubkeySchema(pay)) ||
      (!stake.empty() && !MatchesStakingAnyAccount(stake))) {
    return DataError("Forbidden key path");
  }
  auto bytes = DeriveAddressBytes(keychain_, derivation, p, msg->network_id());
  if (!bytes.ok()) return bytes.status();
  cm::CardanoAddress out;
  out.set_address(ShelleyAddressText(chain::View(*bytes)));
  std::vector<Screen> screens;
  if (msg->show_display()) {
    screens.push_back({"address", ButtonRequest::ButtonRequest_Address,
                       absl::StrCat("Cardano address ", out.address())});
  }
  return MakeReply(hw::trezor::messages::MessageType_CardanoAddress, out, std::move(screens));
}

absl::StatusOr<Reply> TrezorDevice::OnCardanoSignTxInit(const WireMessage& in) {
  auto msg = ParseMessage<cm::CardanoSignTxInit>(in);
  if (!msg.ok()) return msg.status();
  chain::Derivation derivation;
  if (auto s = CheckDerivation(msg->derivation_type(), &derivation); !s.ok()) return s;
  auto started = CardanoSigner::Start(*msg, &keychain_, derivation, config_.malice);
  if (!started.ok()) return started.status();
  flow_ = std::move(started->first);
  return std::move(started->second);
}

}  // namespace stakeward::mocks::trezor
