// libFuzzer target for EVM node answers (l2/evm_decode.h): the JSON-RPC envelope and, on its
// result, every decoder the L2 client uses. Input: byte 0 picks the decoder; the rest is the body.
#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "l2/evm_decode.h"

namespace l2 = stakeward::l2;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const int pick = data[0] % 6;
  const absl::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto a = l2::DecodeAnswer(body, 1);
  if (!a.ok() || a->is_error) return 0;
  const l2::Json& r = a->result;
  switch (pick) {
    case 0:
      (void)l2::Quantity(r, "fuzz");
      (void)l2::Quantity64(r, "fuzz");
      break;
    case 1:
      (void)l2::Data(r, "fuzz");
      (void)l2::Hash(r, "fuzz");
      (void)l2::AddressOf(r, "fuzz");
      break;
    case 2:
      (void)l2::DecodeReceipt(r);
      break;
    case 3:
      (void)l2::DecodeLogs(r);
      break;
    case 4:
      (void)l2::NextBaseFee(r);
      break;
    default:
      if (r.is_object()) (void)l2::DecodeLog(r, "fuzz");
      break;
  }
  return 0;
}
