// The emulated device behind every transport: one open app at a time (Cardano or Ethereum), the
// OS-level GET_APP_AND_VERSION (B0 01), exchange counters, and one APDU at a time. Thread-safe.
#ifndef STAKEWARD_FIRMWARE_MOCKS_LEDGER_LEDGER_DEVICE_H_
#define STAKEWARD_FIRMWARE_MOCKS_LEDGER_LEDGER_DEVICE_H_

#include <cstdint>
#include <memory>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "chain/bytes.h"
#include "firmware-mocks/common/screen_log.h"
#include "firmware-mocks/common/user_model.h"
#include "firmware-mocks/ledger/cardano_app.h"
#include "firmware-mocks/ledger/eth_app.h"
#include "firmware-mocks/ledger/keyring.h"

namespace stakeward::mocks::ledger {

// kDashboard: no app open (the OS menu), as after unlocking or quitting an app.
enum class AppKind { kCardano, kEthereum, kDashboard };
absl::StatusOr<AppKind> ParseAppKind(std::string_view name);  // cardano|ethereum|dashboard
std::string_view AppKindName(AppKind app);

struct ExchangeStats {
  uint64_t exchanges = 0;
  uint64_t bytes_in = 0;   // APDU bytes received (CLA..data)
  uint64_t bytes_out = 0;  // reply bytes sent (data || SW)
};

class LedgerDevice {
 public:
  // `user` and `screens` must outlive the device.
  LedgerDevice(Keyring keys, const UserModel* user, ScreenLog* screens, AppKind app,
               eth::EthOptions eth_options = {}, Malice malice = Malice::kNone,
               bool cardano_expert_mode = false);
  ~LedgerDevice();

  // One APDU (CLA INS P1 P2 Lc data) in, data || SW out.
  chain::Bytes Exchange(chain::ByteView apdu);

  void OpenApp(AppKind app);  // the previous app is closed (its state reset)
  AppKind app() const;
  // Locked: the PIN screen is up; the OS answers every APDU with 0x5515.
  void SetLocked(bool locked);
  bool locked() const;
  void SetBlindSigning(bool on);
  ExchangeStats stats() const;
  void ResetStats();

 private:
  mutable absl::Mutex mu_;
  Keyring keys_ ABSL_GUARDED_BY(mu_);
  AppKind app_ ABSL_GUARDED_BY(mu_);
  bool locked_ ABSL_GUARDED_BY(mu_) = false;
  std::unique_ptr<cardano::CardanoApp> cardano_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<eth::EthApp> eth_ ABSL_GUARDED_BY(mu_);
  ExchangeStats stats_ ABSL_GUARDED_BY(mu_);
};

}  // namespace stakeward::mocks::ledger

#endif  // STAKEWARD_FIRMWARE_MOCKS_LEDGER_LEDGER_DEVICE_H_
