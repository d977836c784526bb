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

class TrezorDevice {
 public:
  // `user` and `screens` must outlive the device.
  static absl::StatusOr<std::unique_ptr<TrezorDevice>> Create(const std::string& mnemonic,
                                                              UserModel* user, ScreenLog* screens);

  WireMessage Handle(const WireMessage& in);
  // Forgets the session (as after a re-plug): workflow, pending screens, derive_cardano.
  void Reset();

 private:
  TrezorDevice(CardanoKeychain keychain, chain::evm::Secp256k1Key eth_master, std::string device_id,
               UserModel* user, ScreenLog* screens);

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
};

}  // namespace stakeward::mocks::trezor

#endif  // STAKEWARD_FIRMWARE_MOCKS_TREZOR_DEVICE_H_
