// libFuzzer target for the host side of the Ledger protocol (devices/): HID reassembly
// (devices/framing/ledger_hid.h), APDU reply splitting (devices/ledger/apdu.h) and the reply
// parsing of the Cardano and Ethereum app clients, fed by a transport that plays back fuzz bytes.
//
// Input: byte 0 picks the call (low 4 bits) and the mode (bit 7). Raw mode: the rest is a
// sequence of 64-byte HID reports, played back as they are except that the channel is set to the
// one the host chose (random per channel, so a fuzzer could not guess it). Message mode: the rest
// is replies as (u16be length, bytes), each cut into reports by LedgerHidFrame, so the fuzzer
// reaches the app clients' reply parsers.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "chain/keys.h"
#include "devices/framing/ledger_hid.h"
#include "devices/ledger/apdu.h"
#include "devices/ledger/cardano_app.h"
#include "devices/ledger/eth_app.h"
#include "devices/transport/transport.h"

namespace chain = stakeward::chain;
namespace devices = stakeward::devices;
namespace framing = stakeward::devices::framing;
namespace ledger = stakeward::devices::ledger;

namespace {

class PlaybackTransport : public devices::Transport {
 public:
  PlaybackTransport(const uint8_t* data, size_t size, bool raw) : raw_(raw) {
    if (raw) {
      for (size_t off = 0; off < size; off += 64) {
        chunks_.emplace_back(data + off, data + std::min(size, off + 64));
      }
    } else {
      size_t off = 0;
      while (off + 2 <= size) {
        size_t len = (size_t{data[off]} << 8) | data[off + 1];
        off += 2;
        len = std::min(len, size - off);
        chunks_.emplace_back(data + off, data + off + len);
        off += len;
      }
    }
  }
  Kind kind() const override { return Kind::kReports; }
  absl::Status Write(chain::ByteView chunk, absl::Time) override {
    if (chunk.size() >= 2) channel_ = static_cast<uint16_t>((chunk[0] << 8) | chunk[1]);
    return absl::OkStatus();
  }
  absl::StatusOr<chain::Bytes> Read(absl::Time) override {
    if (!raw_ && reports_.empty() && !chunks_.empty()) {
      for (const auto& r : framing::LedgerHidFrame(channel_, chain::View(chunks_.front()))) {
        reports_.emplace_back(r.begin(), r.end());
      }
      chunks_.pop_front();
    }
    std::deque<chain::Bytes>& q = raw_ ? chunks_ : reports_;
    if (q.empty()) return absl::DeadlineExceededError("fuzz input exhausted");
    chain::Bytes next = std::move(q.front());
    q.pop_front();
    if (raw_ && next.size() >= 2) {
      next[0] = static_cast<uint8_t>(channel_ >> 8);
      next[1] = static_cast<uint8_t>(channel_);
    }
    return next;
  }
  std::string uri() const override { return "fuzz:ledger"; }

 private:
  bool raw_;
  uint16_t channel_ = 0;
  std::deque<chain::Bytes> chunks_;
  std::deque<chain::Bytes> reports_;
};

chain::Path P(std::initializer_list<uint32_t> idx) {
  return chain::Path{std::vector<uint32_t>(idx)};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)ledger::ParseApduResponse(chain::ByteView(data, size));
  framing::LedgerHidReassembler direct(0x0101);
  for (size_t off = 0; off < size && !direct.done(); off += 64) {
    if (!direct.Add(chain::ByteView(data + off, std::min<size_t>(64, size - off))).ok()) break;
  }
  if (direct.done()) (void)direct.Take();
  if (size == 0) return 0;

  const uint8_t op = data[0];
  ledger::ApduChannel ch(std::make_unique<PlaybackTransport>(data + 1, size - 1, (op & 0x80) != 0));
  const absl::Duration timeout = absl::Seconds(5);
  ledger::CardanoApp ada(&ch, timeout);
  ledger::EthApp eth(&ch, timeout);
  const uint32_t h = chain::kHardened;
  ledger::cardano_wire::AddressParams base;
  base.address_type = 0x00;
  base.network_id = 0;
  base.payment_path = P({1852 | h, 1815 | h, h, 0, 0});
  base.staking_path = P({1852 | h, 1815 | h, h, 2, 0});
  switch (op & 0x0f) {
    case 0:
      (void)ada.GetVersion();
      break;
    case 1:
      (void)ada.GetSerial();
      break;
    case 2:
      (void)ada.GetExtendedPublicKeys({P({1854 | h, 1815 | h, h}), P({1852 | h, 1815 | h, h})});
      break;
    case 3:
      (void)ada.DeriveAddress(base);
      break;
    case 4:
      (void)ada.ShowAddress(base);
      break;
    case 5:
      (void)eth.GetConfiguration();
      break;
    case 6:
      (void)eth.GetAddress(P({44 | h, 60 | h, h, 0, 0}), false);
      break;
    case 7: {
      // 0x02 || rlp([chain id 1, nonce 0, 1, 2, 21000, to, 1, "", []]).
      static const uint8_t kTx[] = {0x02, 0xdf, 0x01, 0x80, 0x01, 0x02, 0x82, 0x52, 0x08,
                                    0x94, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
                                    0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
                                    0x11, 0x11, 0x11, 0x01, 0x80, 0xc0};
      (void)eth.SignTransaction(P({44 | h, 60 | h, h, 0, 0}), chain::ByteView(kTx, sizeof(kTx)));
      break;
    }
    default: {
      // Several calls on one channel: the second must fail cleanly once the first broke it.
      (void)ada.GetVersion();
      (void)ada.GetExtendedPublicKeys({P({1854 | h, 1815 | h, h})});
      break;
    }
  }
  return 0;
}
