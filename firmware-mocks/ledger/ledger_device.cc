#include "firmware-mocks/ledger/ledger_device.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace stakeward::mocks::ledger {
namespace {

// OS-level "get app and version" (specs/ledger.md §3; ledger-live getAppAndVersion.ts).
constexpr uint8_t kClaOs = 0xB0;
constexpr uint8_t kInsAppAndVersion = 0x01;
// LOCKED_DEVICE: the OS answers it to every APDU while the PIN screen is up, whatever app
// is open (@ledgerhq/errors StatusCodes.LOCKED_DEVICE, specs/ledger.md §3).
constexpr uint16_t kSwLockedDevice = 0x5515;
// The dashboard (no app open) answers application CLAs with 0x6E01: not in LedgerHQ's public
// sources (BOLOS is closed), observed and documented by third parties (specs/ledger.md §3
// "0x6e01 on the dashboard"; iron-fish/ironfish ironfish-cli/src/ledger/README.md "If Dashboard
// Open ... throw 0x6e01 (APP NOT OPEN)").
constexpr uint16_t kSwDashboardClaNotSupported = 0x6E01;
// The dashboard's name in GET_APP_AND_VERSION (ledger-live getAppAndVersion.ts users compare
// against "BOLOS"); the version is the OS version.
constexpr char kDashboardName[] = "BOLOS";
constexpr char kOsVersion[] = "2.2.4";

chain::Bytes AppAndVersion(std::string_view name, std::string_view version) {
  chain::Bytes out = {0x01, static_cast<uint8_t>(name.size())};
  out.insert(out.end(), name.begin(), name.end());
  out.push_back(static_cast<uint8_t>(version.size()));
  out.insert(out.end(), version.begin(), version.end());
  out.push_back(0x01);  // flags length
  out.push_back(0x00);  // flags
  return out;
}

}  // namespace

absl::StatusOr<AppKind> ParseAppKind(std::string_view name) {
  if (name == "cardano") return AppKind::kCardano;
  if (name == "ethereum") return AppKind::kEthereum;
  if (name == "dashboard") return AppKind::kDashboard;
  return absl::InvalidArgumentError(absl::StrCat("unknown app '", std::string(name), "'"));
}

std::string_view AppKindName(AppKind app) {
  switch (app) {
    case AppKind::kCardano:
      return "cardano";
    case AppKind::kEthereum:
      return "ethereum";
    case AppKind::kDashboard:
      break;
  }
  return "dashboard";
}

LedgerDevice::LedgerDevice(Keyring keys, const UserModel* user, ScreenLog* screens, AppKind app,
                           eth::EthOptions eth_options, Malice malice, bool cardano_expert_mode)
    : keys_(std::move(keys)), app_(app) {
  cardano_ = std::make_unique<cardano::CardanoApp>(
      cardano::SignTxEnv{&keys_, user, screens, malice, cardano_expert_mode});
  eth_options.malice = malice;
  eth_ = std::make_unique<eth::EthApp>(&keys_, user, screens, eth_options);
}

LedgerDevice::~LedgerDevice() = default;

chain::Bytes LedgerDevice::Exchange(chain::ByteView apdu) {
  absl::MutexLock lock(&mu_);
  Reply reply;
  if (locked_) {
    reply = Reply::Sw(kSwLockedDevice);
  } else if (apdu.size() >= 5 && apdu[0] == kClaOs && apdu[1] == kInsAppAndVersion) {
    if (app_ == AppKind::kDashboard) {
      reply = Reply::Ok(AppAndVersion(kDashboardName, kOsVersion));
    } else if (app_ == AppKind::kCardano) {
      const auto& v = cardano::kAppVersion;
      reply = Reply::Ok(AppAndVersion("Cardano ADA", absl::StrCat(v[0], ".", v[1], ".", v[2])));
    } else {
      const auto& v = eth::kAppVersion;
      reply = Reply::Ok(AppAndVersion("Ethereum", absl::StrCat(v[0], ".", v[1], ".", v[2])));
    }
  } else if (app_ == AppKind::kDashboard) {
    reply = Reply::Sw(kSwDashboardClaNotSupported);
  } else if (app_ == AppKind::kCardano) {
    // An Ethereum APDU reaching the Cardano app gets its ERR_BAD_CLA (0x6E02).
    reply = cardano_->Handle(apdu);
  } else {
    // A Cardano APDU reaching the Ethereum app gets CLA_NOT_SUPPORTED (0x6E00).
    reply = eth_->Handle(apdu);
  }
  chain::Bytes out = reply.Encode();
  ++stats_.exchanges;
  stats_.bytes_in += apdu.size();
  stats_.bytes_out += out.size();
  return out;
}

void LedgerDevice::OpenApp(AppKind app) {
  absl::MutexLock lock(&mu_);
  app_ = app;
  cardano_->Reset();
  eth_->Reset();
}

void LedgerDevice::SetLocked(bool locked) {
  absl::MutexLock lock(&mu_);
  locked_ = locked;
}

bool LedgerDevice::locked() const {
  absl::MutexLock lock(&mu_);
  return locked_;
}

void LedgerDevice::SetBlindSigning(bool on) {
  absl::MutexLock lock(&mu_);
  eth_->SetBlindSigning(on);
}

AppKind LedgerDevice::app() const {
  absl::MutexLock lock(&mu_);
  return app_;
}

ExchangeStats LedgerDevice::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

void LedgerDevice::ResetStats() {
  absl::MutexLock lock(&mu_);
  stats_ = {};
}

}  // namespace stakeward::mocks::ledger
