// libFuzzer target for the Koios v1 answer decoding (chainsource/koios_decode.h): the row-array
// check and the decoder of every endpoint KoiosSource reads. Input: byte 0 picks the endpoint;
// the rest is the answer body.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "chainsource/koios_decode.h"

namespace koios = stakeward::chainsource::koios;
using stakeward::chainsource::Json;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int pick = data[0] % 10;
  const absl::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  if (pick == 9) {
    (void)koios::DecodeSubmit(text);
    return 0;
  }
  auto rows = koios::Rows(text, "fuzz");
  if (!rows.ok()) return 0;
  const Json& r = *rows;
  switch (pick) {
    case 0:
      (void)koios::DecodeTip(r);
      break;
    case 1:
      (void)koios::DecodeEpochParams(r);
      break;
    case 2:
      (void)koios::DecodePoolList(r);
      break;
    case 3:
      (void)koios::DecodePoolInfo(r);
      break;
    case 4:
      (void)koios::DecodePoolHistory(r, 21600);
      break;
    case 5:
      (void)koios::DecodeAccountInfo(r);
      break;
    case 6:
      (void)koios::DecodeAddressUtxos(r);
      break;
    case 7:
      (void)koios::DecodeTotals(r);
      break;
    default:
      (void)koios::DecodeTxStatus(r);
      break;
  }
  return 0;
}
