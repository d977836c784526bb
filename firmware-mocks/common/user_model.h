// The simulated user in front of a mock hardware wallet: approves every prompt, or rejects the
// prompt of one named step (or every step), optionally after a delay. Thread-safe: the control
// channel changes it while device threads consult it.
#ifndef STAKEWARD_FIRMWARE_MOCKS_COMMON_USER_MODEL_H_
#define STAKEWARD_FIRMWARE_MOCKS_COMMON_USER_MODEL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace stakeward::mocks {

// Step names shared by both mocks (the control protocol's `user reject <step>`).
inline constexpr std::string_view kStepInit = "init";
inline constexpr std::string_view kStepOutput = "output";
inline constexpr std::string_view kStepCertificate = "certificate";
inline constexpr std::string_view kStepWithdrawal = "withdrawal";
inline constexpr std::string_view kStepFee = "fee";
inline constexpr std::string_view kStepTtl = "ttl";
inline constexpr std::string_view kStepConfirm = "confirm";
inline constexpr std::string_view kStepWitness = "witness";
inline constexpr std::string_view kStepAddress = "address";
inline constexpr std::string_view kStepPubkey = "pubkey";
inline constexpr std::string_view kStepEthSign = "eth_sign";
inline constexpr std::string_view kStepPin = "pin";                // PIN entry on the device
inline constexpr std::string_view kStepPassphrase = "passphrase";  // passphrase on the device
inline constexpr std::string_view kStepAny = "any";

class UserModel {
 public:
  UserModel() = default;
  UserModel(const UserModel&) = delete;
  UserModel& operator=(const UserModel&) = delete;

  // "approve" or "reject:<step>" (the --user flag); INVALID_ARGUMENT otherwise.
  absl::Status Configure(std::string_view spec);
  void Approve();
  // Rejects the prompt of `step` ("any" rejects every prompt). Steps are free-form names; the
  // mocks use the constants above.
  void RejectAt(std::string_view step);
  void SetDelayMs(uint32_t ms);
  uint32_t delay_ms() const;

  // Called by a mock whenever the real device would wait for the user on a screen of `step`.
  // Sleeps for the configured delay, then returns true (approved) or false (rejected).
  bool Decide(std::string_view step) const;

  // "approve" or "reject:<step>", for logs and the control channel.
  std::string Describe() const;

 private:
  mutable absl::Mutex mu_;
  std::string reject_step_ ABSL_GUARDED_BY(mu_);  // empty = approve everything
  uint32_t delay_ms_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace stakeward::mocks

#endif  // STAKEWARD_FIRMWARE_MOCKS_COMMON_USER_MODEL_H_
