// Trezor Cardano flows: public keys, addresses, and the streamed SIGN_TX (trezor.md §4.3).
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "devices/trezor/apps.h"
#include "proto/trezor/messages_cardano.pb.h"

namespace stakeward::devices::trezor {

namespace pbm = hw::trezor::messages::management;
namespace pbc = hw::trezor::messages::cardano;
using chain::Bytes;

std::string FirmwareVersion::ToString() const {
  return absl::StrFormat("%d.%d.%d", major, minor, patch);
}

absl::StatusOr<pbm::Features> OpenSession(Client& c) {
  pbm::Initialize init;
  // Needed for the Icarus derivations since firmware 2.4.3 (trezor.md §2).
  init.set_derive_cardano(true);
  return c.Exchange<pbm::Features>(init);
}

FirmwareVersion VersionOf(const pbm::Features& f) {
  return FirmwareVersion{f.major_version(), f.minor_version(), f.patch_version()};
}

bool HasCapability(const pbm::Features& f, int capability) {
  for (int cap : f.capabilities()) {
    if (cap == capability) return true;
  }
  return false;
}

namespace {

pbc::CardanoDerivationType ToProto(chain::Derivation d) {
  switch (d) {
    case chain::Derivation::kIcarus:
      return pbc::ICARUS;
    case chain::Derivation::kIcarusTrezor:
      return pbc::ICARUS_TREZOR;
    case chain::Derivation::kLedger:
      return pbc::LEDGER;
  }
  return pbc::ICARUS_TREZOR;
}

std::string Str(chain::ByteView b) { return std::string(b.begin(), b.end()); }

void SetCredential(pbc::CardanoTxCertificate* m, const StakeCredential& c) {
  switch (c.kind) {
    case StakeCredential::Kind::kKeyPath:
      for (uint32_t i : c.path.indexes) m->add_path(i);
      break;
    case StakeCredential::Kind::kKeyHash:
      m->set_key_hash(Str(chain::View(c.hash)));
      break;
    case StakeCredential::Kind::kScriptHash:
      m->set_script_hash(Str(chain::View(c.hash)));
      break;
  }
}

absl::Status Item(Client& c, const google::protobuf::Message& m) {
  return c.Exchange<pbc::CardanoTxItemAck>(m).status();
}

}  // namespace

absl::StatusOr<std::vector<chain::XPub>> CardanoGetPublicKeys(Client& c,
                                                              const std::vector<chain::Path>& paths,
                                                              chain::Derivation derivation) {
  std::vector<chain::XPub> out;
  for (const auto& p : paths) {
    pbc::CardanoGetPublicKey req;
    for (uint32_t i : p.indexes) req.add_address_n(i);
    req.set_show_display(false);
    req.set_derivation_type(ToProto(derivation));
    auto r = c.Exchange<pbc::CardanoPublicKey>(req);
    if (!r.ok()) return r.status();
    Bytes raw(r->node().public_key().begin(), r->node().public_key().end());
    raw.insert(raw.end(), r->node().chain_code().begin(), r->node().chain_code().end());
    auto xpub = chain::XPub::Parse(chain::View(raw));
    if (!xpub.ok()) return absl::DataLossError("Trezor: malformed Cardano public key");
    // The xpub string must say the same as the node (trezor.md §4.1).
    if (r->xpub() != chain::HexEncode(chain::View(raw))) {
      return absl::DataLossError("Trezor: xpub string and node disagree");
    }
    out.push_back(*xpub);
  }
  return out;
}

absl::StatusOr<std::string> CardanoShowAddress(Client& c, uint8_t network_id,
                                               uint32_t protocol_magic, const chain::Path& payment,
                                               const std::optional<chain::Path>& staking,
                                               chain::Derivation derivation, bool show) {
  pbc::CardanoGetAddress req;
  req.set_show_display(show);
  req.set_protocol_magic(protocol_magic);
  req.set_network_id(network_id);
  req.set_derivation_type(ToProto(derivation));
  auto* params = req.mutable_address_parameters();
  params->set_address_type(staking ? pbc::BASE : pbc::ENTERPRISE);
  for (uint32_t i : payment.indexes) params->add_address_n(i);
  if (staking) {
    for (uint32_t i : staking->indexes) params->add_address_n_staking(i);
  }
  auto r = c.Exchange<pbc::CardanoAddress>(req);
  if (!r.ok()) return r.status();
  return r->address();
}

absl::StatusOr<CardanoSignResult> CardanoSignTx(Client& c, const CardanoTxRequest& req,
                                                chain::Derivation derivation) {
  pbc::CardanoSignTxInit init;
  init.set_signing_mode(req.mode == SigningMode::kMultisig ? pbc::MULTISIG_TRANSACTION
                                                           : pbc::ORDINARY_TRANSACTION);
  init.set_protocol_magic(req.protocol_magic);
  init.set_network_id(req.network_id);
  init.set_inputs_count(static_cast<uint32_t>(req.inputs.size()));
  init.set_outputs_count(static_cast<uint32_t>(req.outputs.size()));
  init.set_fee(req.fee);
  if (req.ttl) init.set_ttl(*req.ttl);
  init.set_certificates_count(static_cast<uint32_t>(req.certificates.size()));
  init.set_withdrawals_count(static_cast<uint32_t>(req.withdrawals.size()));
  init.set_has_auxiliary_data(req.aux_data_hash.has_value());
  if (req.validity_start) init.set_validity_interval_start(*req.validity_start);
  init.set_witness_requests_count(static_cast<uint32_t>(req.witness_paths.size()));
  init.set_minting_asset_groups_count(0);
  init.set_derivation_type(ToProto(derivation));
  // Optional fields are sent only when set, as trezorlib and @trezor/connect do.
  if (req.include_network_id) init.set_include_network_id(true);
  init.set_collateral_inputs_count(0);
  init.set_required_signers_count(static_cast<uint32_t>(req.required_signers.size()));
  if (req.tag_cbor_sets) init.set_tag_cbor_sets(true);
  if (auto s = Item(c, init); !s.ok()) return s;

  for (const auto& in : req.inputs) {
    pbc::CardanoTxInput m;
    m.set_prev_hash(Str(chain::View(in.tx_id)));
    m.set_prev_index(in.index);
    if (auto s = Item(c, m); !s.ok()) return s;
  }
  for (const auto& out : req.outputs) {
    pbc::CardanoTxOutput m;
    m.set_address(out.address_bech32);
    m.set_amount(out.amount);
    m.set_asset_groups_count(0);
    if (out.map_format) m.set_format(pbc::MAP_BABBAGE);
    if (auto s = Item(c, m); !s.ok()) return s;
  }
  for (const auto& cert : req.certificates) {
    pbc::CardanoTxCertificate m;
    m.set_type(static_cast<pbc::CardanoCertificateType>(cert.type));
    SetCredential(&m, cert.credential);
    if (cert.type == 2) m.set_pool(Str(chain::View(cert.pool)));
    if (cert.type == 7 || cert.type == 8) m.set_deposit(cert.coin);
    if (cert.type == 9) {
      auto* d = m.mutable_drep();
      d->set_type(static_cast<pbc::CardanoDRepType>(cert.drep.kind));
      if (cert.drep.kind == DeviceDRep::Kind::kKeyHash)
        d->set_key_hash(Str(chain::View(cert.drep.hash)));
      if (cert.drep.kind == DeviceDRep::Kind::kScriptHash) {
        d->set_script_hash(Str(chain::View(cert.drep.hash)));
      }
    }
    if (auto s = Item(c, m); !s.ok()) return s;
  }
  for (const auto& w : req.withdrawals) {
    pbc::CardanoTxWithdrawal m;
    m.set_amount(w.amount);
    switch (w.credential.kind) {
      case StakeCredential::Kind::kKeyPath:
        for (uint32_t i : w.credential.path.indexes) m.add_path(i);
        break;
      case StakeCredential::Kind::kKeyHash:
        m.set_key_hash(Str(chain::View(w.credential.hash)));
        break;
      case StakeCredential::Kind::kScriptHash:
        m.set_script_hash(Str(chain::View(w.credential.hash)));
        break;
    }
    if (auto s = Item(c, m); !s.ok()) return s;
  }
  if (req.aux_data_hash) {
    pbc::CardanoTxAuxiliaryData m;
    m.set_hash(Str(chain::View(*req.aux_data_hash)));
    auto sup = c.Exchange<pbc::CardanoTxAuxiliaryDataSupplement>(m);
    if (!sup.ok()) return sup.status();
    if (sup->type() != pbc::NONE) {
      return absl::DataLossError("Trezor: unexpected auxiliary data supplement for a plain hash");
    }
    if (auto s = Item(c, pbc::CardanoTxHostAck()); !s.ok()) return s;
  }
  for (const auto& rs : req.required_signers) {
    pbc::CardanoTxRequiredSigner m;
    if (rs.is_path) {
      for (uint32_t i : rs.path.indexes) m.add_key_path(i);
    } else {
      m.set_key_hash(Str(chain::View(rs.hash)));
    }
    if (auto s = Item(c, m); !s.ok()) return s;
  }
  CardanoSignResult result;
  for (const auto& path : req.witness_paths) {
    pbc::CardanoTxWitnessRequest m;
    for (uint32_t i : path.indexes) m.add_path(i);
    auto w = c.Exchange<pbc::CardanoTxWitnessResponse>(m);
    if (!w.ok()) return w.status();
    if (w->pub_key().size() != 32 || w->signature().size() != 64) {
      return absl::DataLossError("Trezor: malformed witness");
    }
    DeviceWitness dw;
    dw.path = path;
    std::copy(w->pub_key().begin(), w->pub_key().end(), dw.public_key.begin());
    std::copy(w->signature().begin(), w->signature().end(), dw.signature.begin());
    result.witnesses.push_back(dw);
  }
  auto hash = c.Exchange<pbc::CardanoTxBodyHash>(pbc::CardanoTxHostAck());
  if (!hash.ok()) return hash.status();
  if (hash->tx_hash().size() != 32) return absl::DataLossError("Trezor: body hash is not 32 bytes");
  std::copy(hash->tx_hash().begin(), hash->tx_hash().end(), result.tx_hash.begin());
  auto fin = c.Exchange<pbc::CardanoSignTxFinished>(pbc::CardanoTxHostAck());
  if (!fin.ok()) return fin.status();
  return result;
}

}  // namespace stakeward::devices::trezor
