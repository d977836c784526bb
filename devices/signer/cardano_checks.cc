#include "devices/signer/cardano_checks.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "chain/address.h"
#include "chain/hash.h"

namespace stakeward::devices {

using chain::kHardened;

namespace {

bool IsMultisigPath(const chain::Path& p) {
  const auto& i = p.indexes;
  return i.size() == 5 && i[0] == (kHardened | 1854) && i[1] == (kHardened | 1815) &&
         (i[2] & kHardened) && (i[3] == 0 || i[3] == 2) && !(i[4] & kHardened);
}

bool IsOrdinaryPath(const chain::Path& p) {
  const auto& i = p.indexes;
  if (i.size() != 5 || i[1] != (kHardened | 1815) || !(i[2] & kHardened) || (i[4] & kHardened)) {
    return false;
  }
  if (i[0] == (kHardened | 1852)) return i[3] <= 3;
  if (i[0] == (kHardened | 44)) return i[3] <= 1;
  return false;
}

// Maps a key-hash credential to the witness path whose key hashes to it.
absl::StatusOr<StakeCredential> Resolve(const chain::Credential& c, SigningMode mode,
                                        const std::vector<chain::Path>& paths,
                                        const std::vector<chain::XPub>& keys,
                                        absl::string_view where) {
  StakeCredential out;
  if (mode == SigningMode::kMultisig) {
    if (c.kind != chain::Credential::Kind::kScriptHash) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": MULTISIG mode needs script-hash credentials, this one is a key hash"));
    }
    out.kind = StakeCredential::Kind::kScriptHash;
    out.hash = c.hash;
    return out;
  }
  if (c.kind != chain::Credential::Kind::kKeyHash) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": ORDINARY mode needs key credentials, this one is a script hash"));
  }
  for (size_t i = 0; i < paths.size(); ++i) {
    if (chain::KeyHash(keys[i].public_key) == c.hash) {
      out.kind = StakeCredential::Kind::kKeyPath;
      out.path = paths[i];
      return out;
    }
  }
  return absl::InvalidArgumentError(absl::StrCat(
      where, ": stake key hash ", chain::HexEncode(c.hash),
      " is not the key of any witness path given; add its path (e.g. m/1852'/1815'/0'/2/0)"));
}

std::optional<uint8_t> AddressNetwork(chain::ByteView addr) {
  if (addr.empty()) return std::nullopt;
  uint8_t type = addr[0] >> 4;
  if (type == 8) return std::nullopt;  // Byron: no network nibble
  return addr[0] & 0x0f;
}

}  // namespace

absl::StatusOr<CardanoNetwork> InferNetwork(const chain::Transaction& tx, uint32_t testnet_magic) {
  std::optional<uint8_t> net = tx.body.network_id;
  auto agree = [&](std::optional<uint8_t> n) -> absl::Status {
    if (!n) return absl::OkStatus();
    if (net && *net != *n) {
      return absl::InvalidArgumentError("the transaction mixes mainnet and testnet addresses");
    }
    net = n;
    return absl::OkStatus();
  };
  for (const auto& o : tx.body.outputs) {
    if (auto s = agree(AddressNetwork(chain::View(o.address))); !s.ok()) return s;
  }
  for (const auto& w : tx.body.withdrawals) {
    if (auto s = agree(AddressNetwork(chain::View(w.reward_account))); !s.ok()) return s;
  }
  if (!net) {
    return absl::InvalidArgumentError(
        "cannot tell the network of the transaction (no Shelley address, no network id)");
  }
  if (*net == 1) return CardanoNetwork{1, kMainnetProtocolMagic};
  return CardanoNetwork{*net, testnet_magic};
}

absl::StatusOr<std::vector<chain::Path>> CheckWitnessPaths(SigningMode mode,
                                                           const std::vector<chain::Path>& paths) {
  std::vector<chain::Path> out;
  for (const auto& p : paths) {
    bool ok = mode == SigningMode::kMultisig ? IsMultisigPath(p) : IsOrdinaryPath(p);
    if (!ok) {
      return absl::InvalidArgumentError(
          absl::StrCat("witness path ", chain::FormatPath(p), " is not valid in ",
                       mode == SigningMode::kMultisig
                           ? "MULTISIG mode (use m/1854'/1815'/<account>'/0|2/<i>)"
                           : "ORDINARY mode (use m/1852'/1815'/<account>'/<0..3>/<i>)"));
    }
    if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
  }
  if (out.empty()) return absl::InvalidArgumentError("at least one witness path is needed");
  return out;
}

absl::StatusOr<CardanoTxRequest> BuildCardanoRequest(const chain::Transaction& tx, SigningMode mode,
                                                     const std::vector<chain::Path>& paths,
                                                     const std::vector<chain::XPub>& keys,
                                                     const CardanoNetwork& net) {
  const chain::TxBody& b = tx.body;
  // Before signing: the bytes we will compare against must be the canonical encoding of what we
  // stream, and the body must contain nothing the device cannot rebuild.
  if (chain::EncodeBody(b) != tx.body_bytes) {
    return absl::InvalidArgumentError(
        "the transaction body is not in canonical (CIP-21) encoding; rebuild it before signing");
  }
  if (absl::Status s = chain::CheckHardwareWalletCompatible(chain::View(tx.body_bytes)); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not signable on a hardware wallet: ", s.message()));
  }
  if (!b.other_fields.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "body key ", b.other_fields.begin()->first,
        " (mint, collateral, governance, ...) is not supported by Stakeward's device signing"));
  }
  CardanoTxRequest r;
  r.mode = mode;
  r.network_id = net.network_id;
  r.protocol_magic = net.protocol_magic;
  r.tag_cbor_sets = b.set_tags;
  r.include_network_id = b.network_id.has_value();
  r.inputs = b.inputs;
  for (const auto& o : b.outputs) {
    if (!o.multiasset.empty() || !o.datum_option.empty() || !o.script_ref.empty()) {
      return absl::InvalidArgumentError(
          "outputs with tokens, datums or reference scripts are not supported by Stakeward's "
          "device signing");
    }
    auto addr = chain::ParseAddressBytes(chain::View(o.address));
    if (!addr.ok() || addr->type == chain::AddressType::kByron) {
      return absl::InvalidArgumentError("outputs must pay to Shelley addresses");
    }
    // The device request carries wire integers.
    r.outputs.push_back(DeviceOutput{o.address, addr->ToBech32(), o.coin.value(), o.map_form});
  }
  r.fee = b.fee.value();
  r.ttl = b.ttl;
  for (size_t i = 0; i < b.certificates.size(); ++i) {
    const auto& c = b.certificates[i];
    DeviceCertificate d;
    d.type = static_cast<uint8_t>(c.type);
    switch (c.type) {
      case chain::Certificate::Type::kStakeRegistration:
      case chain::Certificate::Type::kStakeDeregistration:
      case chain::Certificate::Type::kStakeDelegation:
      case chain::Certificate::Type::kRegCert:
      case chain::Certificate::Type::kUnregCert:
      case chain::Certificate::Type::kVoteDelegCert:
        break;
      default:
        return absl::InvalidArgumentError(
            absl::StrCat("certificate ", i, " (", std::string(chain::CertificateTypeName(c.type)),
                         ") cannot be signed on a hardware wallet; use certificates 7 + 2 + 9"));
    }
    auto cred = Resolve(c.credential, mode, paths, keys, absl::StrCat("certificate ", i));
    if (!cred.ok()) return cred.status();
    d.credential = *cred;
    d.pool = c.pool;
    d.coin = c.coin.value();
    d.drep.kind = static_cast<DeviceDRep::Kind>(c.drep.kind);
    d.drep.hash = c.drep.hash;
    r.certificates.push_back(d);
  }
  // Withdrawals go in canonical map-key order (the devices check it). Reward accounts are all 29
  // bytes, so their CBOR keys share one header and canonical order is byte order.
  std::vector<chain::Withdrawal> ws = b.withdrawals;
  for (size_t i = 0; i < ws.size(); ++i) {
    const auto& acct = ws[i].reward_account;
    if (acct.size() != 29 || (acct[0] >> 4) < 0xe) {
      return absl::InvalidArgumentError(absl::StrCat("withdrawal ", i, ": not a reward account"));
    }
  }
  std::sort(ws.begin(), ws.end(),
            [](const auto& x, const auto& y) { return x.reward_account < y.reward_account; });
  for (size_t i = 0; i < ws.size(); ++i) {
    const auto& acct = ws[i].reward_account;
    chain::Credential c;
    c.kind = (acct[0] >> 4) == 0xf ? chain::Credential::Kind::kScriptHash
                                   : chain::Credential::Kind::kKeyHash;
    std::copy(acct.begin() + 1, acct.end(), c.hash.begin());
    auto cred = Resolve(c, mode, paths, keys, absl::StrCat("withdrawal ", i));
    if (!cred.ok()) return cred.status();
    r.withdrawals.push_back(DeviceWithdrawal{*cred, ws[i].coin.value(), acct});
  }
  r.aux_data_hash = b.aux_data_hash;
  r.validity_start = b.validity_start;
  for (const auto& h : b.required_signers) {
    DeviceRequiredSigner s;
    s.hash = h;
    r.required_signers.push_back(s);
  }
  r.witness_paths = paths;
  return r;
}

absl::StatusOr<std::vector<chain::VkeyWitness>> VerifyCardanoResult(
    const chain::Transaction& tx, const CardanoSignResult& result,
    const std::vector<chain::Path>& paths, const std::vector<chain::XPub>& keys) {
  const chain::Hash32 ours = chain::TxId(tx);
  if (result.tx_hash != ours) {
    return absl::DataLossError(
        absl::StrCat("the device signed body hash ", chain::HexEncode(result.tx_hash),
                     " but the transaction's is ", chain::HexEncode(ours),
                     ": the device saw a different transaction; nothing was kept"));
  }
  if (result.witnesses.size() != paths.size()) {
    return absl::DataLossError("the device returned a different number of witnesses than asked");
  }
  std::vector<chain::VkeyWitness> out;
  for (size_t i = 0; i < paths.size(); ++i) {
    const DeviceWitness& w = result.witnesses[i];
    const auto& key = keys[i].public_key;
    static const std::array<uint8_t, 32> kNone{};
    if (w.path != paths[i] || (w.public_key != kNone && w.public_key != key)) {
      return absl::DataLossError(absl::StrCat("witness for ", chain::FormatPath(paths[i]),
                                              " comes with another public key than the path's"));
    }
    if (!chain::Verify(key, chain::View(ours), w.signature)) {
      return absl::DataLossError(absl::StrCat("the device's signature for ",
                                              chain::FormatPath(paths[i]),
                                              " does not verify; nothing was kept"));
    }
    out.push_back(chain::VkeyWitness{key, w.signature});
  }
  return out;
}

absl::Status VerifyEvmSignature(const chain::evm::Eip1559Tx& tx,
                                const chain::evm::EvmSignature& sig,
                                const chain::evm::Address& expected) {
  auto who = chain::evm::RecoverSender(tx, sig);
  if (!who.ok() || *who != expected) {
    return absl::DataLossError(absl::StrCat(
        "the device's EVM signature does not recover to its address ",
        chain::evm::ToChecksumAddress(expected),
        who.ok() ? absl::StrCat(" but to ", chain::evm::ToChecksumAddress(*who)) : std::string(),
        "; nothing was kept"));
  }
  return absl::OkStatus();
}

}  // namespace stakeward::devices
