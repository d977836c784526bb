// libFuzzer target for the transaction decoder. Invariants, for any input the decoder accepts:
//  - EncodeTransaction of the result decodes again, with the same body bytes (so the same tx id),
//    and re-encoding that is a fixed point;
//  - the parsed body re-encodes (canonically) to bytes the decoder accepts;
//  - metadata that decodes re-encodes and decodes to the same encoding;
//  - the hardware-wallet check, fee sizing and descriptions run without crashing;
//  - DecodeTransaction's fast path accepts nothing the general decoder refuses, and what it
//    accepts it reads exactly as the general decoder does.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "chain/certificate.h"
#include "chain/check.h"
#include "chain/tx.h"
#include "chain/tx_internal.h"
#include "tests/common/tx_same.h"

using namespace stakeward::chain;  // NOLINT(build/namespaces): a single-function fuzz target

namespace {

void CheckFastPath(ByteView input) {
  Transaction fast;
  if (!tx_internal::FastTransactionInto(input, fast)) return;
  auto general = tx_internal::DecodeTransactionGeneral(input);
  if (!general.ok()) {
    std::fprintf(stderr, "fast path accepted what the general decoder refuses: %s\n",
                 std::string(general.status().message()).c_str());
    std::abort();
  }
  SW_CHECK(stakeward::testing::SameTransaction(fast, *general));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  CheckFastPath(ByteView(data, size));
  auto tx = DecodeTransaction(ByteView(data, size));
  if (!tx.ok()) return 0;

  const Bytes re = EncodeTransaction(*tx);
  auto again = DecodeTransaction(View(re));
  if (!again.ok()) {
    std::fprintf(stderr, "re-encoded transaction does not decode: %s\n",
                 std::string(again.status().message()).c_str());
    std::abort();
  }
  SW_CHECK(again->body_bytes == tx->body_bytes);
  SW_CHECK(TxId(*again) == TxId(*tx));
  SW_CHECK(EncodeTransaction(*again) == re);

  const Bytes body = EncodeBody(tx->body);
  auto body_again = DecodeBody(View(body));
  if (!body_again.ok()) {
    std::fprintf(stderr, "re-encoded body does not decode: %s\n",
                 std::string(body_again.status().message()).c_str());
    std::abort();
  }
  SW_CHECK(EncodeBody(*body_again) == body);

  if (tx->aux_data) {
    auto md = DecodeAuxDataMetadata(View(*tx->aux_data));
    if (md.ok()) {
      auto enc = EncodeAuxData(*md);
      SW_CHECK(enc.ok());
      auto md2 = DecodeAuxDataMetadata(View(*enc));
      SW_CHECK(md2.ok());
      auto enc2 = EncodeAuxData(*md2);
      SW_CHECK(enc2.ok() && *enc2 == *enc);
    }
  }

  (void)CheckHardwareWalletCompatible(View(tx->body_bytes));
  (void)FinalTxSize(*tx, 3, tx->witnesses.scripts);
  for (const auto& c : tx->body.certificates) (void)DescribeCertificate(c, Network::kMainnet);
  for (const auto& out : tx->body.outputs) (void)FormatAddress(View(out.address));
  return 0;
}
