// libFuzzer target for the Ogmios v6 JSON-RPC answer decoding (chainsource/ogmios_decode.h): the
// envelope check (Unwrap, including JSON-RPC errors) and the result decoder of every method
// OgmiosSource calls. Input: byte 0 picks the method; the rest is the answer text.
#include <cstddef>
#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"
#include "chainsource/ogmios_decode.h"

namespace ogmios = stakeward::chainsource::ogmios;
using stakeward::chainsource::Json;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static constexpr absl::string_view kMethods[] = {
      "queryNetwork/tip",
      "queryNetwork/blockHeight",
      "queryLedgerState/epoch",
      "queryLedgerState/protocolParameters",
      "queryLedgerState/stakePools",
      "queryLedgerState/liveStakeDistribution",
      "queryLedgerState/stakePoolsPerformances",
      "queryLedgerState/rewardAccountSummaries",
      "queryLedgerState/utxo",
      "queryLedgerState/treasuryAndReserves",
      "submitTransaction",
      "queryLedgerState/tip",
  };
  const size_t pick = data[0] % (sizeof(kMethods) / sizeof(kMethods[0]));
  const absl::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  // With an id when bit 7 is set: answers must then echo it.
  const std::optional<uint64_t> id = (data[0] & 0x80) ? std::optional<uint64_t>(7) : std::nullopt;
  auto result = ogmios::Unwrap(text, kMethods[pick], id);
  if (!result.ok()) return 0;
  const Json& r = *result;
  switch (pick) {
    case 0:
    case 11:
      (void)ogmios::DecodeTip(r);
      break;
    case 1:
      (void)ogmios::DecodeBlockHeight(r);
      break;
    case 2:
      (void)ogmios::DecodeEpoch(r);
      break;
    case 3:
      (void)ogmios::DecodeProtocolParameters(r);
      break;
    case 4:
      (void)ogmios::DecodeStakePools(r);
      break;
    case 5:
      (void)ogmios::DecodeLiveStakeDistribution(r);
      break;
    case 6:
      (void)ogmios::DecodeStakePoolsPerformances(r);
      break;
    case 7:
      (void)ogmios::DecodeRewardAccountSummaries(r);
      break;
    case 8:
      (void)ogmios::DecodeUtxo(r);
      break;
    case 9:
      (void)ogmios::DecodeTreasuryAndReserves(r);
      break;
    default:
      (void)ogmios::DecodeSubmitResult(r);
      break;
  }
  return 0;
}
