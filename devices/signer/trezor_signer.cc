#include "devices/signer/trezor_signer.h"

#include "absl/strings/str_cat.h"
#include "devices/signer/cardano_checks.h"
#include "devices/trezor/apps.h"

namespace stakeward::devices {
namespace {

namespace pbm = hw::trezor::messages::management;

class TrezorSigner : public Signer {
 public:
  TrezorSigner(std::unique_ptr<Transport> t, const SignerOptions& o)
      : client_(std::move(t), o.timeout, o.progress), options_(o) {
    client_.SetHostPassphrase(std::move(options_.trezor_passphrase_on_host));
    options_.trezor_passphrase_on_host.reset();
    host_passphrase_ = o.trezor_passphrase_on_host.has_value();
    info_.uri = client_.uri();
    info_.vendor = Vendor::kTrezor;
  }

  absl::Status Identify() {
    auto f = trezor::OpenSession(client_);
    if (!f.ok()) return f.status();
    features_ = *f;
    version_ = trezor::VersionOf(features_);
    info_.model = absl::StrCat("Trezor ", features_.has_model() ? features_.model() : "");
    info_.firmware = version_.ToString();
    info_.serial = features_.device_id();
    auto& c = info_.capabilities;
    c.cardano = trezor::HasCapability(features_, trezor::kCapabilityCardano);
    c.ethereum_eip1559 = trezor::HasCapability(features_, trezor::kCapabilityEthereum);
    c.show_address = c.cardano;
    c.cardano_multisig = c.cardano;
    c.required_signers = c.cardano;
    c.cardano_conway = c.cardano && version_.AtLeast(trezor::kMinCardanoConwayFirmware.major,
                                                     trezor::kMinCardanoConwayFirmware.minor,
                                                     trezor::kMinCardanoConwayFirmware.patch);
    if (c.cardano) {
      c.derivations = {chain::Derivation::kIcarusTrezor, chain::Derivation::kIcarus,
                       chain::Derivation::kLedger};
    }
    if (features_.bootloader_mode())
      info_.note = "bootloader mode: restart the device";
    else if (features_.has_initialized() && !features_.initialized())
      info_.note = "not initialised";
    else if (!c.cardano)
      info_.note = "no Cardano support (Trezor One): use a Trezor Model T or Safe";
    else if (!c.cardano_conway)
      info_.note = ConwayHint();
    else if (features_.has_unlocked() && !features_.unlocked())
      info_.note = "locked: enter the PIN";
    return absl::OkStatus();
  }

  DeviceInfo Info() const override { return info_; }
  ExchangeStats stats() const override { return client_.stats(); }

  absl::StatusOr<std::vector<chain::XPub>> GetExtendedPublicKeys(
      const std::vector<chain::Path>& paths) override {
    if (auto s = RequireCardano(false); !s.ok()) return s;
    for (const auto& p : paths) {
      if (auto s = RefuseHostPassphrase(p); !s.ok()) return s;
    }
    return trezor::CardanoGetPublicKeys(client_, paths, options_.derivation);
  }

  absl::StatusOr<std::string> ShowAddress(const CardanoNetwork& net, const chain::Path& payment,
                                          const std::optional<chain::Path>& staking) override {
    if (auto s = RequireCardano(false); !s.ok()) return s;
    if (auto s = RefuseHostPassphrase(payment); !s.ok()) return s;
    auto addr = trezor::CardanoShowAddress(client_, net.network_id, net.protocol_magic, payment,
                                           staking, options_.derivation, true);
    return addr;
  }

  absl::StatusOr<std::vector<chain::VkeyWitness>> SignCardanoTx(
      const chain::Transaction& tx, SigningMode mode, const std::vector<chain::Path>& witness_paths,
      const CardanoNetwork& net) override {
    auto paths = CheckWitnessPaths(mode, witness_paths);
    if (!paths.ok()) return paths.status();
    if (auto s = RequireCardano(true); !s.ok()) return s;
    for (const auto& p : *paths) {
      if (auto s = RefuseHostPassphrase(p); !s.ok()) return s;
    }
    auto keys =
        WitnessKeys(*paths, options_.account_xpubs, [this](const std::vector<chain::Path>& ask) {
          return trezor::CardanoGetPublicKeys(client_, ask, options_.derivation);
        });
    if (!keys.ok()) return keys.status();
    auto req = BuildCardanoRequest(tx, mode, *paths, *keys, net);
    if (!req.ok()) return req.status();
    if (options_.progress) options_.progress("Review the transaction on your Trezor and confirm…");
    auto result = trezor::CardanoSignTx(client_, *req, options_.derivation);
    if (!result.ok()) return result.status();
    return VerifyCardanoResult(tx, *result, *paths, *keys);
  }

  absl::StatusOr<chain::evm::Address> GetEthAddress(const chain::Path& path, bool show) override {
    if (auto s = RequireEthereum(); !s.ok()) return s;
    return trezor::EthereumGetAddress(client_, path, show);
  }

  absl::StatusOr<chain::evm::EvmSignature> SignEip1559(const chain::evm::Eip1559Tx& tx,
                                                       const chain::Path& path) override {
    if (auto s = RequireEthereum(); !s.ok()) return s;
    auto addr = trezor::EthereumGetAddress(client_, path, false);
    if (!addr.ok()) return addr.status();
    if (options_.progress) options_.progress("Review the transaction on your Trezor and confirm…");
    auto sig = trezor::EthereumSignEip1559(client_, path, tx);
    if (!sig.ok()) return sig.status();
    if (auto s = VerifyEvmSignature(tx, *sig, *addr); !s.ok()) return s;
    return *sig;
  }

 private:
  std::string ConwayHint() const {
    return absl::StrCat("firmware ", version_.ToString(),
                        " cannot sign Conway transactions: update to ",
                        trezor::kMinCardanoConwayFirmware.ToString(), " or newer");
  }
  absl::Status RequireCardano(bool conway) {
    if (!info_.capabilities.cardano) {
      return absl::FailedPreconditionError(
          "this Trezor has no Cardano support (Trezor One); use a Trezor Model T or Safe");
    }
    if (conway && !info_.capabilities.cardano_conway) {
      return absl::FailedPreconditionError(absl::StrCat("Trezor ", ConwayHint()));
    }
    return absl::OkStatus();
  }
  // A passphrase typed on the computer is exposed to it, and the passphrase decides which wallet
  // the keys come from: a DAO co-signer's 1854' key must not depend on a secret the host sees.
  absl::Status RefuseHostPassphrase(const chain::Path& p) const {
    if (!host_passphrase_ || p.indexes.empty() || p.indexes[0] != (1854 | chain::kHardened)) {
      return absl::OkStatus();
    }
    return absl::InvalidArgumentError(
        "--passphrase-on-host is refused for multisig (1854') keys: a passphrase typed on the "
        "computer is visible to it and selects which wallet signs for the DAO; enter the "
        "passphrase on the Trezor instead (run without --passphrase-on-host)");
  }
  absl::Status RequireEthereum() {
    if (!info_.capabilities.ethereum_eip1559) {
      return absl::FailedPreconditionError("this Trezor firmware has no Ethereum support");
    }
    return absl::OkStatus();
  }

  trezor::Client client_;
  SignerOptions options_;
  DeviceInfo info_;
  pbm::Features features_;
  bool host_passphrase_ = false;
  trezor::FirmwareVersion version_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Signer>> OpenTrezorSigner(std::unique_ptr<Transport> transport,
                                                         const SignerOptions& options) {
  auto s = std::make_unique<TrezorSigner>(std::move(transport), options);
  if (absl::Status st = s->Identify(); !st.ok()) return st;
  return std::unique_ptr<Signer>(std::move(s));
}

}  // namespace stakeward::devices
