// The mock's device-side transports: the Speculos raw-APDU TCP protocol (specs/ledger.md §2) and
// 64-byte Ledger HID reports over a Unix stream socket (§1.2), both with fault injection on
// device->host frames.
#ifndef STAKEWARD_FIRMWARE_MOCKS_LEDGER_TRANSPORTS_H_
#define STAKEWARD_FIRMWARE_MOCKS_LEDGER_TRANSPORTS_H_

#include <atomic>

#include "firmware-mocks/common/fault_injector.h"
#include "firmware-mocks/ledger/ledger_device.h"

namespace stakeward::mocks::ledger {

// Largest APDU a Ledger accepts: 5-byte header + 255 data bytes.
inline constexpr size_t kMaxApduSize = 260;

// Serves one Speculos connection: `u32be N || APDU[N]` in, `u32be M || data[M] || SW1 SW2` out
// (M excludes the status word) in a single write, as the JS SpeculosTransport requires.
// Faults: drop (no reply), corrupt, truncate, disconnect; wrong-channel corrupts (no channels).
void ServeSpeculos(int fd, const std::atomic<bool>& stopping, LedgerDevice& device,
                   FaultInjector& faults);

// Serves one HID-over-Unix-socket connection: 64-byte reports in, the reply framed on the
// request's channel out. Each reply report is one frame for the fault injector.
void ServeHidSocket(int fd, const std::atomic<bool>& stopping, LedgerDevice& device,
                    FaultInjector& faults);

}  // namespace stakeward::mocks::ledger

#endif  // STAKEWARD_FIRMWARE_MOCKS_LEDGER_TRANSPORTS_H_
