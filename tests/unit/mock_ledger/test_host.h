// Test-side host for the Ledger mock: a Speculos-protocol client with deadlines, a HID-socket
// client, and hex helpers.
#ifndef STAKEWARD_TESTS_UNIT_MOCK_LEDGER_TEST_HOST_H_
#define STAKEWARD_TESTS_UNIT_MOCK_LEDGER_TEST_HOST_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chain/bytes.h"
#include "firmware-mocks/common/socket_util.h"
#include "firmware-mocks/ledger/hid_framing.h"

namespace stakeward::mocks::ledger::testing {

inline chain::Bytes Hex(std::string_view hex) {
  absl::StatusOr<chain::Bytes> b = chain::HexDecode(hex);
  if (!b.ok()) return {};
  return *b;
}

// Speculos raw-APDU client: `u32be N || APDU`, reply `u32be M || data[M] || SW`.
class SpeculosClient {
 public:
  static absl::StatusOr<SpeculosClient> Connect(uint16_t port) {
    absl::StatusOr<UniqueFd> fd = ConnectTcp(port);
    if (!fd.ok()) return fd.status();
    SpeculosClient c;
    c.fd_ = std::move(*fd);
    return c;
  }
  // Returns data || SW. DEADLINE_EXCEEDED / UNAVAILABLE / DATA_LOSS (bad frame) on faults.
  absl::StatusOr<chain::Bytes> Exchange(chain::ByteView apdu,
                                        absl::Duration timeout = absl::Seconds(5)) {
    const absl::Time deadline = absl::Now() + timeout;
    chain::Bytes req = {0, 0, static_cast<uint8_t>(apdu.size() >> 8),
                        static_cast<uint8_t>(apdu.size())};
    req.insert(req.end(), apdu.begin(), apdu.end());
    if (absl::Status s = WriteAll(fd_.get(), chain::View(req)); !s.ok()) return s;
    absl::StatusOr<chain::Bytes> head = ReadExact(fd_.get(), 4, deadline);
    if (!head.ok()) return head.status();
    const uint32_t m =
        static_cast<uint32_t>((*head)[0]) << 24 | (*head)[1] << 16 | (*head)[2] << 8 | (*head)[3];
    if (m > 255) return absl::DataLossError("reply length out of range");
    return ReadExact(fd_.get(), m + 2, deadline);
  }
  absl::StatusOr<chain::Bytes> ExchangeHex(std::string_view hex) { return Exchange(Hex(hex)); }

 private:
  UniqueFd fd_;
};

// HID-over-Unix-socket client on a fixed channel.
class HidClient {
 public:
  static absl::StatusOr<HidClient> Connect(const std::string& path, uint16_t channel) {
    absl::StatusOr<UniqueFd> fd = ConnectUnix(path);
    if (!fd.ok()) return fd.status();
    HidClient c;
    c.fd_ = std::move(*fd);
    c.channel_ = channel;
    return c;
  }
  absl::StatusOr<chain::Bytes> Exchange(chain::ByteView apdu,
                                        absl::Duration timeout = absl::Seconds(5)) {
    const absl::Time deadline = absl::Now() + timeout;
    for (const HidReport& r : FrameMessage(channel_, apdu)) {
      if (absl::Status s = WriteAll(fd_.get(), chain::ByteView(r.data(), r.size())); !s.ok()) {
        return s;
      }
    }
    HidReassembler reassembler;
    while (true) {
      absl::StatusOr<chain::Bytes> raw = ReadExact(fd_.get(), kHidReportSize, deadline);
      if (!raw.ok()) return raw.status();
      HidReport report{};
      std::copy(raw->begin(), raw->end(), report.begin());
      if ((report[0] << 8 | report[1]) != channel_) {
        return absl::DataLossError("reply on another channel");
      }
      absl::StatusOr<std::optional<chain::Bytes>> msg = reassembler.Add(report);
      if (!msg.ok()) return absl::DataLossError(msg.status().message());
      if (msg->has_value()) return **msg;
    }
  }

 private:
  UniqueFd fd_;
  uint16_t channel_ = 0;
};

}  // namespace stakeward::mocks::ledger::testing

#endif  // STAKEWARD_TESTS_UNIT_MOCK_LEDGER_TEST_HOST_H_
