// libFuzzer target for cardano-cli TextEnvelope files (chain/text_envelope.h): arbitrary JSON text
// through every envelope reader. Invariant: an envelope that parses writes back to text that parses
// to the same type, description and CBOR.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "chain/check.h"
#include "chain/text_envelope.h"

namespace chain = stakeward::chain;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto te = chain::ParseTextEnvelope(text);
  if (te.ok()) {
    auto again = chain::ParseTextEnvelope(chain::WriteTextEnvelope(*te));
    SW_CHECK(again.ok());
    SW_CHECK(again->type == te->type && again->description == te->description &&
             again->cbor == te->cbor);
  }
  (void)chain::ParseTextEnvelopeOfType(text, {chain::kTeTx, chain::kTeWitnessedTx});
  (void)chain::ParseKeyWitnessEnvelope(text);
  (void)chain::ParseVerificationKeyEnvelope(text, {chain::kTePaymentVkey, chain::kTeStakeVkey});
  return 0;
}
