#include "devices/signer/ledger_signer.h"

#include "absl/strings/str_cat.h"
#include "chain/address.h"
#include "devices/ledger/cardano_app.h"
#include "devices/ledger/errors.h"
#include "devices/ledger/eth_app.h"
#include "devices/signer/cardano_checks.h"

namespace stakeward::devices {
namespace {

using ledger::CardanoAppVersion;

class LedgerSigner : public Signer {
 public:
  LedgerSigner(std::unique_ptr<Transport> t, std::string model, const SignerOptions& o)
      : channel_(std::move(t)),
        cardano_(&channel_, o.timeout),
        eth_(&channel_, o.timeout),
        options_(o) {
    info_.uri = channel_.uri();
    info_.vendor = Vendor::kLedger;
    info_.model = std::move(model);
    info_.capabilities.derivations = {chain::Derivation::kLedger};
  }

  // Finds out which app is open. Wrong app / locked end up in the note, not as an error.
  absl::Status Identify() {
    auto v = cardano_.GetVersion();
    if (v.ok()) {
      info_.app = "Cardano ADA";
      info_.app_version = v->ToString();
      auto& c = info_.capabilities;
      c.cardano = true;
      c.show_address = true;
      c.cardano_multisig = v->AtLeast(3, 0);  // ledger.md §4.12
      c.required_signers = v->AtLeast(4, 1);
      c.cardano_conway = v->AtLeast(7, 0);
      if (!c.cardano_conway) {
        info_.note = absl::StrCat("Cardano app ", v->ToString(), " is too old: update it to ",
                                  ledger::kMinCardanoSignVersion.ToString(), " or newer");
      }
      auto serial = cardano_.GetSerial();
      if (serial.ok()) info_.serial = *serial;
      return absl::OkStatus();
    }
    if (v.status().code() != absl::StatusCode::kFailedPrecondition) return v.status();
    auto e = eth_.GetConfiguration();
    if (e.ok()) {
      info_.app = "Ethereum";
      info_.app_version = e->VersionString();
      info_.capabilities.ethereum_eip1559 = true;
      info_.note = "the Ethereum app is open; open \"Cardano ADA\" for Cardano operations";
      return absl::OkStatus();
    }
    if (e.status().code() != absl::StatusCode::kFailedPrecondition) return e.status();
    info_.note = std::string(v.status().message());
    return absl::OkStatus();
  }

  DeviceInfo Info() const override { return info_; }
  ExchangeStats stats() const override { return channel_.stats(); }

  absl::StatusOr<std::vector<chain::XPub>> GetExtendedPublicKeys(
      const std::vector<chain::Path>& paths) override {
    if (auto v = RequireCardano(CardanoAppVersion{2, 2, 0, 0}); !v.ok()) return v.status();
    Progress("Confirm the public key export on your Ledger if asked…");
    return cardano_.GetExtendedPublicKeys(paths);
  }

  absl::StatusOr<std::string> ShowAddress(const CardanoNetwork& net, const chain::Path& payment,
                                          const std::optional<chain::Path>& staking) override {
    if (auto v = RequireCardano(CardanoAppVersion{2, 2, 0, 0}); !v.ok()) return v.status();
    ledger::cardano_wire::AddressParams p;
    p.address_type = staking ? 0x00 : 0x06;
    p.network_id = net.network_id;
    p.payment_path = payment;
    p.staking_path = staking;
    auto raw = cardano_.DeriveAddress(p);
    if (!raw.ok()) return raw.status();
    auto addr = chain::ParseAddressBytes(chain::View(*raw));
    if (!addr.ok()) return absl::DataLossError("Ledger: the device returned a malformed address");
    Progress(absl::StrCat("Check that your Ledger shows ", addr->ToBech32(), " and confirm…"));
    if (auto s = cardano_.ShowAddress(p); !s.ok()) return s;
    return addr->ToBech32();
  }

  absl::StatusOr<std::vector<chain::VkeyWitness>> SignCardanoTx(
      const chain::Transaction& tx, SigningMode mode, const std::vector<chain::Path>& witness_paths,
      const CardanoNetwork& net) override {
    auto paths = CheckWitnessPaths(mode, witness_paths);
    if (!paths.ok()) return paths.status();
    if (auto v = RequireCardano(ledger::kMinCardanoSignVersion); !v.ok()) return v.status();
    // Witness keys from the policy's account xpub where possible: the app makes the user
    // confirm every 1854' key export, so asking for them would add a screen per signature.
    auto keys =
        WitnessKeys(*paths, options_.account_xpubs, [this](const std::vector<chain::Path>& ask) {
          return cardano_.GetExtendedPublicKeys(ask);
        });
    if (!keys.ok()) return keys.status();
    auto req = BuildCardanoRequest(tx, mode, *paths, *keys, net);
    if (!req.ok()) return req.status();
    auto result = cardano_.SignTx(*req, options_.progress);
    if (!result.ok()) return result.status();
    return VerifyCardanoResult(tx, *result, *paths, *keys);
  }

  absl::StatusOr<chain::evm::Address> GetEthAddress(const chain::Path& path, bool show) override {
    if (auto s = RequireEthereum(); !s.ok()) return s;
    if (show) Progress("Check the address on your Ledger and confirm…");
    auto a = eth_.GetAddress(path, show);
    if (!a.ok()) return a.status();
    return a->address;
  }

  absl::StatusOr<chain::evm::EvmSignature> SignEip1559(const chain::evm::Eip1559Tx& tx,
                                                       const chain::Path& path) override {
    auto config = eth_.GetConfiguration();
    if (!config.ok()) return config.status();
    // app-ethereum logic_sign_tx.c refuses calldata (0x6A80) unless the Blind signing setting
    // (GET_APP_CONFIGURATION flag 0x01) is on: say so before the user reviews anything.
    if (!tx.data.empty() && !config->blind_signing()) {
      return ledger::BlindSigningDisabled(
          "sign transaction",
          absl::StrCat("app configuration flags 0x", absl::Hex(config->flags, absl::kZeroPad2)));
    }
    auto a = eth_.GetAddress(path, false);
    if (!a.ok()) return a.status();
    Progress("Review the transaction on your Ledger and confirm…");
    chain::Bytes unsigned_tx = chain::evm::EncodeUnsigned(tx);
    auto sig = eth_.SignTransaction(path, chain::View(unsigned_tx), !tx.data.empty());
    if (!sig.ok()) return sig.status();
    if (auto s = VerifyEvmSignature(tx, *sig, a->address); !s.ok()) return s;
    return *sig;
  }

 private:
  void Progress(std::string_view m) {
    if (options_.progress) options_.progress(m);
  }
  // GET_VERSION first, as ledgerjs does: it detects the app and picks the wire format.
  absl::StatusOr<CardanoAppVersion> RequireCardano(const CardanoAppVersion& min) {
    auto v = cardano_.GetVersion();
    if (!v.ok()) return v.status();
    if (!v->AtLeast(min.major, min.minor, min.patch)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "Ledger Cardano app ", v->ToString(), " is too old for this operation: update it to ",
          min.ToString(), " or newer with Ledger Live"));
    }
    return v;
  }
  absl::Status RequireEthereum() { return eth_.GetConfiguration().status(); }

  ledger::ApduChannel channel_;
  ledger::CardanoApp cardano_;
  ledger::EthApp eth_;
  SignerOptions options_;
  DeviceInfo info_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Signer>> OpenLedgerSigner(std::unique_ptr<Transport> transport,
                                                         std::string model,
                                                         const SignerOptions& options) {
  auto s = std::make_unique<LedgerSigner>(std::move(transport), std::move(model), options);
  if (absl::Status st = s->Identify(); !st.ok()) return st;
  return std::unique_ptr<Signer>(std::move(s));
}

}  // namespace stakeward::devices
