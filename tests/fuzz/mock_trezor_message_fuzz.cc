// libFuzzer target for the Trezor mock's parsers (firmware-mocks/trezor/): codec v1 reassembly of
// host packets and the emulated firmware's message handling (protobuf parsing of every request,
// session gates, Cardano and Ethereum workflows).
//
// Input: byte 0 picks the mode (bit 7). Raw mode: the rest is 64-byte packets; every message they
// complete is handed to the device. Message mode: the rest is messages as (u16be type, u16be
// length, payload), handed to the device in turn. One device is kept across inputs (creating it
// derives the seed, which is slow); Reset() forgets the session before each input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "chain/check.h"
#include "firmware-mocks/common/screen_log.h"
#include "firmware-mocks/common/user_model.h"
#include "firmware-mocks/trezor/codec_v1.h"
#include "firmware-mocks/trezor/device.h"
#include "google/protobuf/stubs/logging.h"

namespace chain = stakeward::chain;
namespace mocks = stakeward::mocks;
namespace mt = stakeward::mocks::trezor;

// Protobuf logs every parse failure (missing required fields) to stderr; the parsers under test
// report those as errors themselves, and the log lines would slow the fuzzer down.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static mocks::UserModel user;  // approves every prompt
  static mocks::ScreenLog screens;
  static mt::TrezorDevice* device = [] {
    auto d = mt::TrezorDevice::Create(mt::kDefaultMnemonic, &user, &screens);
    SW_CHECK(d.ok());
    return d->release();
  }();
  device->Reset();
  screens.Clear();

  const bool raw = (data[0] & 0x80) != 0;
  data += 1;
  size -= 1;
  if (raw) {
    mt::Reassembler reassembler;
    for (size_t off = 0; off < size; off += mt::kPacketSize) {
      auto msg =
          reassembler.Feed(chain::ByteView(data + off, std::min(mt::kPacketSize, size - off)));
      if (!msg.ok()) continue;  // the partial message is dropped; the next packet may start anew
      if (*msg) (void)device->Handle(**msg);
    }
    return 0;
  }
  size_t off = 0;
  while (off + 4 <= size) {
    mt::WireMessage in;
    in.type = static_cast<uint16_t>((data[off] << 8) | data[off + 1]);
    size_t len = (size_t{data[off + 2]} << 8) | data[off + 3];
    off += 4;
    len = std::min(len, size - off);
    in.payload.assign(data + off, data + off + len);
    off += len;
    (void)device->Handle(in);
  }
  return 0;
}
