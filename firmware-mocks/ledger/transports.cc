#include "firmware-mocks/ledger/transports.h"

#include "firmware-mocks/common/socket_util.h"
#include "firmware-mocks/ledger/hid_framing.h"

namespace stakeward::mocks::ledger {

void ServeSpeculos(int fd, const std::atomic<bool>& stopping, LedgerDevice& device,
                   FaultInjector& faults) {
  while (!stopping) {
    absl::StatusOr<chain::Bytes> header = ReadExact(fd, 4, absl::InfiniteFuture());
    if (!header.ok()) return;
    const uint32_t n = static_cast<uint32_t>((*header)[0]) << 24 | (*header)[1] << 16 |
                       (*header)[2] << 8 | (*header)[3];
    if (n > kMaxApduSize) return;  // not a Ledger APDU: drop the connection
    absl::StatusOr<chain::Bytes> apdu = ReadExact(fd, n, absl::InfiniteFuture());
    if (!apdu.ok()) return;
    chain::Bytes reply = device.Exchange(chain::View(*apdu));
    const uint32_t m = static_cast<uint32_t>(reply.size() - 2);
    chain::Bytes frame = {static_cast<uint8_t>(m >> 24), static_cast<uint8_t>(m >> 16),
                          static_cast<uint8_t>(m >> 8), static_cast<uint8_t>(m)};
    frame.insert(frame.end(), reply.begin(), reply.end());
    switch (faults.NextFrame()) {
      case Fault::kNone:
        break;
      case Fault::kDrop:
        continue;
      case Fault::kCorrupt:
      case Fault::kWrongChannel:
        FaultInjector::Corrupt(frame);
        break;
      case Fault::kTruncate:
        FaultInjector::Truncate(frame);
        break;
      case Fault::kDisconnect:
        return;
    }
    if (!WriteAll(fd, chain::View(frame)).ok()) return;
  }
}

void ServeHidSocket(int fd, const std::atomic<bool>& stopping, LedgerDevice& device,
                    FaultInjector& faults) {
  HidReassembler reassembler;
  while (!stopping) {
    absl::StatusOr<chain::Bytes> raw = ReadExact(fd, kHidReportSize, absl::InfiniteFuture());
    if (!raw.ok()) return;
    HidReport report{};
    std::copy(raw->begin(), raw->end(), report.begin());
    absl::StatusOr<std::optional<chain::Bytes>> msg = reassembler.Add(report);
    // A malformed report is ignored, as the device firmware discards it; the host times out.
    if (!msg.ok() || !msg->has_value()) continue;
    chain::Bytes reply = device.Exchange(chain::View(**msg));
    for (HidReport& out : FrameMessage(reassembler.channel(), chain::View(reply))) {
      chain::Bytes frame(out.begin(), out.end());
      switch (faults.NextFrame()) {
        case Fault::kNone:
          break;
        case Fault::kDrop:
          continue;
        case Fault::kCorrupt:
          FaultInjector::Corrupt(frame);
          break;
        case Fault::kTruncate:
          FaultInjector::Truncate(frame);
          break;
        case Fault::kWrongChannel:
          frame[0] ^= 0x5A;
          frame[1] ^= 0xA5;
          break;
        case Fault::kDisconnect:
          return;
      }
      if (!WriteAll(fd, chain::View(frame)).ok()) return;
    }
  }
}

}  // namespace stakeward::mocks::ledger
