// One-shot transport faults for mock devices, applied to a chosen device->host frame (a Speculos
// reply, a HID report, a Trezor UDP packet). Thread-safe.
//
// Counting: Arm(fault, after) lets `after` device->host frames pass untouched and applies the
// fault to the next one (after = 0: the very next frame). The fault then disarms itself.
#ifndef STAKEWARD_FIRMWARE_MOCKS_COMMON_FAULT_INJECTOR_H_
#define STAKEWARD_FIRMWARE_MOCKS_COMMON_FAULT_INJECTOR_H_

#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "chain/bytes.h"

namespace stakeward::mocks {

enum class Fault {
  kNone,
  kDrop,          // the frame is never sent (the host must time out)
  kCorrupt,       // bytes of the frame are flipped (the header too, so framing checks fire)
  kTruncate,      // only part of the frame is sent
  kDisconnect,    // the connection is closed instead of sending the frame
  kWrongChannel,  // HID: the frame goes out on another channel id (other transports: corrupt)
};

absl::StatusOr<Fault> ParseFault(std::string_view name);  // drop|corrupt|truncate|...|none
std::string_view FaultName(Fault f);

class FaultInjector {
 public:
  FaultInjector() = default;
  FaultInjector(const FaultInjector&) = delete;
  FaultInjector& operator=(const FaultInjector&) = delete;

  void Arm(Fault fault, uint32_t after = 0);
  void Disarm();
  // Called once per device->host frame, just before it is sent: returns the fault to apply to
  // this frame (kNone almost always) and advances the counter.
  Fault NextFrame();
  // Faults applied so far (for tests).
  uint32_t fired() const;

  // Byte helpers for the transports. Corrupt flips every byte of the first 8 and the last byte;
  // Truncate keeps the first half (at least one byte fewer than the input, possibly none).
  static void Corrupt(chain::Bytes& frame);
  static void Truncate(chain::Bytes& frame);

 private:
  mutable absl::Mutex mu_;
  Fault armed_ ABSL_GUARDED_BY(mu_) = Fault::kNone;
  uint32_t skip_ ABSL_GUARDED_BY(mu_) = 0;
  uint32_t fired_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace stakeward::mocks

#endif  // STAKEWARD_FIRMWARE_MOCKS_COMMON_FAULT_INJECTOR_H_
