// libFuzzer target for the Ledger mock's parsers (firmware-mocks/ledger/): HID reassembly of host
// reports, APDU parsing and the Cardano, Ethereum and OS instruction handlers of the emulated
// device, which read every field of a host APDU.
//
// Input: byte 0 picks the open app (low 2 bits: Cardano, Ethereum, dashboard) and the mode
// (bit 7). Raw mode: the rest is 64-byte HID reports; every message they complete is handed to
// the device. APDU mode: the rest is APDUs as (u16be length, bytes), handed to the device in turn
// (a sign-transaction stream is several APDUs).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "chain/check.h"
#include "firmware-mocks/common/screen_log.h"
#include "firmware-mocks/common/user_model.h"
#include "firmware-mocks/ledger/apdu.h"
#include "firmware-mocks/ledger/hid_framing.h"
#include "firmware-mocks/ledger/keyring.h"
#include "firmware-mocks/ledger/ledger_device.h"

namespace chain = stakeward::chain;
namespace mocks = stakeward::mocks;
namespace ml = stakeward::mocks::ledger;

namespace {

const ml::Keyring& Keys() {
  static const ml::Keyring* keys = [] {
    auto k = ml::Keyring::FromMnemonic(ml::kSpeculosDefaultMnemonic);
    SW_CHECK(k.ok());
    return new ml::Keyring(std::move(*k));
  }();
  return *keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static mocks::UserModel user;  // approves every prompt
  mocks::ScreenLog screens;
  const uint8_t op = data[0];
  const ml::AppKind app = (op & 3) == 0   ? ml::AppKind::kCardano
                          : (op & 3) == 1 ? ml::AppKind::kEthereum
                                          : ml::AppKind::kDashboard;
  ml::eth::EthOptions eth_options;
  eth_options.blind_signing = (op & 0x40) != 0;
  ml::LedgerDevice device(Keys(), &user, &screens, app, eth_options);

  data += 1;
  size -= 1;
  if (op & 0x80) {
    ml::HidReassembler reassembler;
    for (size_t off = 0; off < size; off += ml::kHidReportSize) {
      ml::HidReport report{};
      std::copy(data + off, data + std::min(size, off + ml::kHidReportSize), report.begin());
      auto msg = reassembler.Add(report);
      if (!msg.ok()) break;
      if (*msg) {
        (void)ml::ParseApdu(chain::View(**msg));
        (void)device.Exchange(chain::View(**msg));
      }
    }
    return 0;
  }
  size_t off = 0;
  while (off + 2 <= size) {
    size_t len = (size_t{data[off]} << 8) | data[off + 1];
    off += 2;
    len = std::min(len, size - off);
    const chain::ByteView apdu(data + off, len);
    if (auto parsed = ml::ParseApdu(apdu)) SW_CHECK(ml::EncodeApdu(*parsed).size() == len);
    (void)device.Exchange(apdu);
    off += len;
  }
  return 0;
}
