// libFuzzer target for the host side of the Trezor protocol (devices/): codec v1 reassembly
// (devices/framing/trezor_v1.h), the typed client's reply handling (ButtonRequest, Passphrase,
// Failure, unexpected types; devices/trezor/client.h) and the reply parsing of the Cardano,
// Ethereum and session flows (devices/trezor/apps.h), fed by a transport playing back fuzz bytes.
//
// Input: byte 0 picks the flow (low 4 bits) and the mode (bit 7). Raw mode: the rest is 64-byte
// packets played back as they are. Message mode: the rest is replies as (u16be type, u16be
// length, payload), each cut into packets by TrezorV1Frame, so the fuzzer reaches the protobuf
// replies.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>

#include "absl/time/time.h"
#include "chain/evm.h"
#include "chain/keys.h"
#include "devices/framing/trezor_v1.h"
#include "devices/transport/transport.h"
#include "devices/trezor/apps.h"
#include "devices/trezor/client.h"
#include "google/protobuf/stubs/logging.h"

namespace chain = stakeward::chain;
namespace devices = stakeward::devices;
namespace framing = stakeward::devices::framing;
namespace trezor = stakeward::devices::trezor;

namespace {

class PlaybackTransport : public devices::Transport {
 public:
  PlaybackTransport(const uint8_t* data, size_t size, bool raw) {
    if (raw) {
      for (size_t off = 0; off < size; off += 64) {
        packets_.emplace_back(data + off, data + std::min(size, off + 64));
      }
      return;
    }
    size_t off = 0;
    while (off + 4 <= size) {
      const uint16_t type = static_cast<uint16_t>((data[off] << 8) | data[off + 1]);
      size_t len = (size_t{data[off + 2]} << 8) | data[off + 3];
      off += 4;
      len = std::min(len, size - off);
      for (const auto& p : framing::TrezorV1Frame(type, chain::ByteView(data + off, len))) {
        packets_.emplace_back(p.begin(), p.end());
      }
      off += len;
    }
  }
  Kind kind() const override { return Kind::kReports; }
  absl::Status Write(chain::ByteView, absl::Time) override { return absl::OkStatus(); }
  absl::StatusOr<chain::Bytes> Read(absl::Time) override {
    if (packets_.empty()) return absl::DeadlineExceededError("fuzz input exhausted");
    chain::Bytes next = std::move(packets_.front());
    packets_.pop_front();
    return next;
  }
  std::string uri() const override { return "fuzz:trezor"; }

 private:
  std::deque<chain::Bytes> packets_;
};

chain::Path P(std::initializer_list<uint32_t> idx) {
  return chain::Path{std::vector<uint32_t>(idx)};
}

}  // namespace

// Protobuf logs every parse failure (missing required fields) to stderr; the parsers under test
// report those as errors themselves, and the log lines would slow the fuzzer down.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  framing::TrezorV1Reassembler direct;
  for (size_t off = 0; off < size && !direct.done(); off += 64) {
    if (!direct.Add(chain::ByteView(data + off, std::min<size_t>(64, size - off))).ok()) break;
  }
  if (direct.done()) (void)direct.TakePayload();
  if (size == 0) return 0;

  const uint8_t op = data[0];
  trezor::Client c(std::make_unique<PlaybackTransport>(data + 1, size - 1, (op & 0x80) != 0),
                   absl::Seconds(5), [](std::string_view) {});
  const uint32_t h = chain::kHardened;
  const chain::Path eth_path = P({44 | h, 60 | h, h, 0, 0});
  switch (op & 0x0f) {
    case 0: {
      auto f = trezor::OpenSession(c);
      if (f.ok()) {
        (void)trezor::VersionOf(*f);
        (void)trezor::HasCapability(*f, trezor::kCapabilityCardano);
      }
      break;
    }
    case 1:
      (void)trezor::CardanoGetPublicKeys(
          c, {P({1854 | h, 1815 | h, h}), P({1852 | h, 1815 | h, h})}, chain::Derivation::kIcarus);
      break;
    case 2:
      (void)trezor::CardanoShowAddress(c, 0, 1, P({1852 | h, 1815 | h, h, 0, 0}),
                                       P({1852 | h, 1815 | h, h, 2, 0}), chain::Derivation::kIcarus,
                                       false);
      break;
    case 3:
      (void)trezor::EthereumGetAddress(c, eth_path, false);
      break;
    case 4: {
      chain::evm::Eip1559Tx tx;
      tx.chain_id = 1;
      tx.gas_limit = chain::evm::U256::FromUint64(21000);
      tx.to = chain::evm::Address{};
      tx.data = chain::Bytes(100, 0xab);  // longer than the first chunk: DataRequest replies
      (void)trezor::EthereumSignEip1559(c, eth_path, tx);
      break;
    }
    default:
      c.SetHostPassphrase(std::string("fuzz"));
      (void)trezor::OpenSession(c);
      (void)trezor::EthereumGetAddress(c, eth_path, true);
      break;
  }
  return 0;
}
