// The emulated Trezor Model T firmware at the message level: one host message in, one device
// message out (the answer, a ButtonRequest, or a Failure). Owns the session state
// (Initialize / derive_cardano), the pending confirmation screens and the running workflow.
// Not thread-safe: the UDP server calls it from its one thread.
#ifndef STAKEWARD_FIRMWARE_MOCKS_TREZOR_DEVICE_H_
#define STAKEWARD_FIRMWARE_MOCKS_TREZOR_DEVICE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "chain/evm.h"
#include "firmware-mocks/common/malice.h"
#include "firmware-mocks/common/screen_log.h"
#include "firmware-mocks/common/user_model.h"
#include "firmware-mocks/trezor/cardano_keychain.h"
#include "firmware-mocks/trezor/codec_v1.h"
#include "firmware-mocks/trezor/flow.h"
#include "proto/trezor/messages_management.pb.h"

namespace stakeward::mocks::trezor {

// The default seed of the mock, as in the Trezor fixtures.
inline constexpr char kDefaultMnemonic[] = "all all all all all all all all all all all all";

// The firmware version the mock reports (a current Model T release line).
inline constexpr uint32_t kFirmwareMajor = 2;
inline constexpr uint32_t kFirmwareMinor = 8;
inline constexpr uint32_t kFirmwarePatch = 10;
// With --model 1: a Trezor One on a current legacy firmware line.
inline constexpr uint32_t kFirmwareOneMajor = 1;
inline constexpr uint32_t kFirmwareOneMinor = 12;
inline constexpr uint32_t kFirmwareOnePatch = 1;

// What the emulated device is: its seed and protection settings, its model, and whether it lies.
struct DeviceConfig {
  std::string mnemonic = kDefaultMnemonic;
  // Non-empty: PIN protection; the device starts (and, after Reset, is again) locked. A Model T
  // takes the PIN on its touchscreen (ButtonRequest_PinEntry; the user model's step "pin"); a
  // Trezor One asks the host with PinMatrixRequest.
  std::string pin;
  // Set: passphrase protection; the value is what the user types on the device (an empty string
  // is the standard wallet). The host may also send it (PassphraseAck.passphrase).
  std::optional<std::string> passphrase;
  bool model_one = false;  // Trezor One: legacy firmware, no Cardano app
  Malice malice = Malice::kNone;
};

class TrezorDevice {
 public:
  // `user` and `screens` must outlive the device.
  static absl::StatusOr<std::unique_ptr<TrezorDevice>> Create(const std::string& mnemonic,
                                                              UserModel* user, ScreenLog* screens);
  static absl::StatusOr<std::unique_ptr<TrezorDevice>> Create(const DeviceConfig& config,
                                                              UserModel* user, ScreenLog* screens);

  WireMessage Handle(const WireMessage& in);
  // Forgets the session (as after a re-plug): workflow, pending screens, derive_cardano.
  void Reset();

 private:
  TrezorDevice(DeviceConfig config, CardanoKeychain keychain, chain::evm::Secp256k1Key eth_master,
               std::string device_id, UserModel* user, ScreenLog* screens);

  // PIN and passphrase before any message that needs the seed (apps/base.py `unlock_device`,
  // apps/common/passphrase.py `get`): the request is held until the gate opens.
  enum class GateStage { kPinOnDevice, kPinMatrix, kPassphraseRequest, kPassphraseOnDevice };
  struct Gate {
    GateStage stage;
    WireMessage request;
  };
  bool NeedsSeed(uint16_t type) const;
  // The next gate for `request`, or the request's own answer if the device is open.
  WireMessage OpenOrGate(WireMessage request);
  WireMessage HandleGate(const WireMessage& in);
  WireMessage FailWith(int code, const std::string& message);
  absl::Status UsePassphrase(const std::string& passphrase);

  absl::StatusOr<Reply> Dispatch(const WireMessage& in);
  WireMessage Deliver(absl::StatusOr<Reply> reply);
  WireMessage Fail(const absl::Status& status);
  void AbortWorkflow();
  hw::trezor::messages::management::Features MakeFeatures() const;
  absl::Status CheckDerivation(int derivation_type, chain::Derivation* out) const;

  absl::StatusOr<Reply> OnInitialize(const WireMessage& in);
  absl::StatusOr<Reply> OnPing(const WireMessage& in);
  absl::StatusOr<Reply> OnCardanoGetPublicKey(const WireMessage& in);
  absl::StatusOr<Reply> OnCardanoGetAddress(const WireMessage& in);
  absl::StatusOr<Reply> OnCardanoSignTxInit(const WireMessage& in);
  absl::StatusOr<Reply> OnEthereumGetAddress(const WireMessage& in);
  absl::StatusOr<Reply> OnEthereumSignTx(const WireMessage& in);

  DeviceConfig config_;
  CardanoKeychain keychain_;
  chain::evm::Secp256k1Key eth_master_;
  std::string device_id_;
  UserModel* user_;
  ScreenLog* screens_;

  bool derive_cardano_ = false;
  std::string session_id_;
  uint64_t session_counter_ = 0;
  std::unique_ptr<Flow> flow_;
  std::optional<Reply> pending_;  // screens still to confirm, then the message
  bool locked_ = false;
  std::optional<std::string> session_passphrase_;  // the passphrase of this session, once given
  std::optional<Gate> gate_;
};

}  // namespace stakeward::mocks::trezor

#endif  // STAKEWARD_FIRMWARE_MOCKS_TREZOR_DEVICE_H_
