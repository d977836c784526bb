#include "devices/ledger/cardano_wire.h"

#include "absl/strings/str_cat.h"

namespace stakeward::devices::ledger::cardano_wire {
namespace {

using chain::Bytes;

void PutU32(Bytes& b, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<uint8_t>(v >> s));
}
void PutU64(Bytes& b, uint64_t v) {
  for (int s = 56; s >= 0; s -= 8) b.push_back(static_cast<uint8_t>(v >> s));
}
// "Included" flags: 0x01 NO, 0x02 YES (ledger.md §4.3).
uint8_t Flag(bool yes) { return yes ? 0x02 : 0x01; }
void Append(Bytes& b, chain::ByteView v) { b.insert(b.end(), v.begin(), v.end()); }

absl::Status CheckCount(size_t n, const char* what) {
  // The app keeps only the low 16 bits of every count (ledger.md §4.8).
  if (n > 0xffff) return absl::InvalidArgumentError(absl::StrCat("too many ", what));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Bytes> EncodePath(const chain::Path& path) {
  if (path.indexes.size() > kMaxPathElements) {
    return absl::InvalidArgumentError(absl::StrCat(
        "path ", chain::FormatPath(path), " is deeper than the 5 levels a Ledger accepts"));
  }
  Bytes b{static_cast<uint8_t>(path.indexes.size())};
  for (uint32_t i : path.indexes) PutU32(b, i);
  return b;
}

absl::StatusOr<Bytes> EncodeGetExtPublicKey(const chain::Path& path, uint32_t remaining,
                                            bool first) {
  auto b = EncodePath(path);
  if (!b.ok()) return b;
  // The remaining-keys count is left out for a single key, as app 2.0.4 expects (ledger.md §4.5).
  if (first && remaining > 0) PutU32(*b, remaining);
  return b;
}

absl::StatusOr<Bytes> EncodeAddressParams(const AddressParams& p) {
  Bytes b{p.address_type, p.network_id};
  const bool reward = p.address_type == 0x0e;
  if (!reward) {
    auto pay = EncodePath(p.payment_path);
    if (!pay.ok()) return pay;
    Append(b, chain::View(*pay));
  }
  if (p.staking_path) {
    b.push_back(0x22);  // staking choice: key path
    auto st = EncodePath(*p.staking_path);
    if (!st.ok()) return st;
    Append(b, chain::View(*st));
  } else {
    if (p.address_type == 0x00 || reward) {
      return absl::InvalidArgumentError("base and reward addresses need a staking path");
    }
    b.push_back(0x11);  // no staking part
  }
  return b;
}

absl::StatusOr<Bytes> EncodeInit(const CardanoTxRequest& r) {
  for (auto [n, what] : {std::pair{r.inputs.size(), "inputs"},
                         {r.outputs.size(), "outputs"},
                         {r.certificates.size(), "certificates"},
                         {r.withdrawals.size(), "withdrawals"},
                         {r.required_signers.size(), "required signers"},
                         {r.witness_paths.size(), "witnesses"}}) {
    if (absl::Status s = CheckCount(n, what); !s.ok()) return s;
  }
  if (r.network_id > 15) return absl::InvalidArgumentError("network id above 15");
  // App >= 7.0 layout, 60 bytes (ledger.md §4.8 INIT table).
  Bytes b;
  PutU64(b, r.tag_cbor_sets ? 1 : 0);  // tx options: bit 0 TAG_CBOR_SETS
  b.push_back(r.network_id);
  PutU32(b, r.protocol_magic);
  b.push_back(Flag(r.ttl.has_value()));
  b.push_back(Flag(r.aux_data_hash.has_value()));
  b.push_back(Flag(r.validity_start.has_value()));
  b.push_back(Flag(false));  // mint
  b.push_back(Flag(false));  // script data hash
  b.push_back(Flag(r.include_network_id));
  b.push_back(Flag(false));  // collateral return output
  b.push_back(Flag(false));  // total collateral
  b.push_back(Flag(false));  // treasury
  b.push_back(Flag(false));  // donation
  b.push_back(r.mode == SigningMode::kMultisig ? kModeMultisig : kModeOrdinary);
  PutU32(b, static_cast<uint32_t>(r.inputs.size()));
  PutU32(b, static_cast<uint32_t>(r.outputs.size()));
  PutU32(b, static_cast<uint32_t>(r.certificates.size()));
  PutU32(b, static_cast<uint32_t>(r.withdrawals.size()));
  PutU32(b, 0);  // collateral inputs
  PutU32(b, static_cast<uint32_t>(r.required_signers.size()));
  PutU32(b, 0);  // reference inputs
  PutU32(b, 0);  // voting procedures
  PutU32(b, static_cast<uint32_t>(r.witness_paths.size()));
  return b;
}

Bytes EncodeAuxDataHash(const chain::Hash32& hash) {
  Bytes b{0x00};  // ARBITRARY_HASH
  Append(b, chain::View(hash));
  return b;
}

Bytes EncodeInput(const chain::TxIn& in) {
  Bytes b(in.tx_id.begin(), in.tx_id.end());
  PutU32(b, in.index);
  return b;
}

absl::StatusOr<Bytes> EncodeOutputBasic(const DeviceOutput& out) {
  // Destination addresses above 128 bytes are rejected by the app (ledger.md §4.8 OUTPUTS).
  if (out.address.empty() || out.address.size() > 128) {
    return absl::InvalidArgumentError("output address must be 1..128 bytes");
  }
  Bytes b{static_cast<uint8_t>(out.map_format ? 1 : 0), 0x01 /* THIRD_PARTY */};
  PutU32(b, static_cast<uint32_t>(out.address.size()));
  Append(b, chain::View(out.address));
  PutU64(b, out.amount);
  PutU32(b, 0);              // asset groups
  b.push_back(Flag(false));  // datum
  b.push_back(Flag(false));  // reference script
  return b;
}

Bytes EncodeU64(uint64_t v) {
  Bytes b;
  PutU64(b, v);
  return b;
}

absl::StatusOr<Bytes> EncodeCredential(const StakeCredential& c) {
  // Wire credential types: 0 KEY_PATH, 1 SCRIPT_HASH, 2 KEY_HASH (ledger.md §4.3).
  Bytes b;
  switch (c.kind) {
    case StakeCredential::Kind::kKeyPath: {
      b.push_back(0);
      auto p = EncodePath(c.path);
      if (!p.ok()) return p;
      Append(b, chain::View(*p));
      break;
    }
    case StakeCredential::Kind::kScriptHash:
      b.push_back(1);
      Append(b, chain::View(c.hash));
      break;
    case StakeCredential::Kind::kKeyHash:
      b.push_back(2);
      Append(b, chain::View(c.hash));
      break;
  }
  return b;
}

absl::StatusOr<Bytes> EncodeCertificate(const DeviceCertificate& c) {
  Bytes b{c.type};
  auto cred = EncodeCredential(c.credential);
  if (!cred.ok()) return cred;
  Append(b, chain::View(*cred));
  switch (c.type) {
    case 0:
    case 1:
      break;
    case 2:
      Append(b, chain::View(c.pool));
      break;
    case 7:
    case 8:
      PutU64(b, c.coin);
      break;
    case 9:
      b.push_back(static_cast<uint8_t>(c.drep.kind));
      if (c.drep.kind == DeviceDRep::Kind::kKeyHash ||
          c.drep.kind == DeviceDRep::Kind::kScriptHash) {
        Append(b, chain::View(c.drep.hash));
      }
      break;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("certificate type ", c.type, " is not supported for hardware signing"));
  }
  return b;
}

absl::StatusOr<Bytes> EncodeWithdrawal(const DeviceWithdrawal& w) {
  Bytes b;
  PutU64(b, w.amount);
  auto cred = EncodeCredential(w.credential);
  if (!cred.ok()) return cred;
  Append(b, chain::View(*cred));
  return b;
}

absl::StatusOr<Bytes> EncodeRequiredSigner(const DeviceRequiredSigner& s) {
  if (s.is_path) {
    Bytes b{0};
    auto p = EncodePath(s.path);
    if (!p.ok()) return p;
    Append(b, chain::View(*p));
    return b;
  }
  Bytes b{1};
  Append(b, chain::View(s.hash));
  return b;
}

}  // namespace stakeward::devices::ledger::cardano_wire
