// Client of the Ledger Ethereum app (CLA 0xE0), ledger.md §6.
#ifndef STAKEWARD_DEVICES_LEDGER_ETH_APP_H_
#define STAKEWARD_DEVICES_LEDGER_ETH_APP_H_

#include <array>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "chain/evm.h"
#include "chain/keys.h"
#include "devices/ledger/apdu.h"
#include "devices/ledger/errors.h"

namespace stakeward::devices::ledger {

struct EthAppConfig {
  uint8_t flags = 0;  // bit 0x01: Blind signing allowed (kEthFlagBlindSigning)
  bool blind_signing() const { return (flags & kEthFlagBlindSigning) != 0; }
  uint8_t major = 0, minor = 0, patch = 0;
  std::string VersionString() const;
};

struct EthAddressReply {
  std::array<uint8_t, 65> public_key{};
  chain::evm::Address address{};
};

class EthApp {
 public:
  EthApp(ApduChannel* channel, absl::Duration timeout) : ch_(channel), timeout_(timeout) {}
  absl::StatusOr<EthAppConfig> GetConfiguration();
  // The address the app reports is checked against its own public key.
  absl::StatusOr<EthAddressReply> GetAddress(const chain::Path& path, bool show);
  // Streams 0x02 || rlp(...) in chunks of at most 255 data bytes; returns (y parity, r, s).
  // `has_calldata` turns the app's 0x6A80 into the "enable Blind signing" instruction.
  absl::StatusOr<chain::evm::EvmSignature> SignTransaction(const chain::Path& path,
                                                           chain::ByteView unsigned_tx,
                                                           bool has_calldata = false);

 private:
  absl::StatusOr<chain::Bytes> Call(uint8_t ins, uint8_t p1, uint8_t p2, chain::Bytes data,
                                    absl::string_view operation, SwContext context = {});
  ApduChannel* ch_;
  absl::Duration timeout_;
};

// Path encoding of the Ethereum app: u8 n (<= 10) || n × u32be.
absl::StatusOr<chain::Bytes> EncodeEthPath(const chain::Path& path);
// The APDUs SignTransaction sends, for unit tests.
absl::StatusOr<std::vector<Apdu>> EthSignApdus(const chain::Path& path,
                                               chain::ByteView unsigned_tx);

}  // namespace stakeward::devices::ledger

#endif  // STAKEWARD_DEVICES_LEDGER_ETH_APP_H_
