// vectors/cardano/protocol_params.json: min-UTxO examples (and the min-fee one, see
// cli_golden_transactions_test.cc).
#include <string>

#include "chain/address.h"
#include "chain/tx.h"
#include "gtest/gtest.h"
#include "vectors.h"

namespace stakeward::chain {
namespace {

using ::stakeward::chain::testing::Hex;
using ::stakeward::chain::testing::LoadVector;

TEST(ProtocolParamsTest, MinUtxoExamples) {
  const auto v = LoadVector("cardano/protocol_params.json");
  const auto& ex = v["min_utxo_example_from_ledger_comment"];
  FeeParams p;
  p.coins_per_utxo_byte = ex["coinsPerUTxOByte"];
  EXPECT_EQ(p.coins_per_utxo_byte, v["cli_json_keys_conway_preview_example"]["utxoCostPerByte"]);
  const auto cip19 = LoadVector("cardano/cip19_addresses.json");

  // A base address in the post-Alonzo map form with a 4-byte coin: 67 bytes.
  TxOut base;
  base.map_form = true;
  base.address = Hex(cip19["decoded_hex"]["mainnet"]["type-00"]);
  base.coin = chain::Lovelace(ex["computed_min_for_67_bytes"].get<uint64_t>());
  ASSERT_EQ(EncodeTxOut(base).size(), ex["base_address_ada_only_output_size_bytes"].get<size_t>());
  auto min = MinUtxo(base, p);
  ASSERT_TRUE(min.ok());
  EXPECT_EQ(min->value(), ex["computed_min_for_67_bytes"].get<uint64_t>());

  TxOut ent;
  ent.map_form = true;
  ent.address = Hex(cip19["decoded_hex"]["mainnet"]["type-06"]);
  ent.coin = chain::Lovelace(ex["computed_min_for_39_bytes"].get<uint64_t>());
  ASSERT_EQ(EncodeTxOut(ent).size(), ex["enterprise_output_min_size_bytes"].get<size_t>());
  min = MinUtxo(ent, p);
  ASSERT_TRUE(min.ok());
  EXPECT_EQ(min->value(), ex["computed_min_for_39_bytes"].get<uint64_t>());

  // The legacy array form is 2 bytes shorter.
  base.map_form = false;
  min = MinUtxo(base, p);
  ASSERT_TRUE(min.ok());
  EXPECT_EQ(min->value(), (160u + 65u) * 4310u);
}

TEST(ProtocolParamsTest, DefaultFeeParamsAreMainnet) {
  const auto v = LoadVector("cardano/protocol_params.json");
  const auto& pp = v["cli_json_keys_conway_preview_example"];
  const FeeParams p;
  EXPECT_EQ(p.min_fee_a, pp["txFeePerByte"].get<uint64_t>());
  EXPECT_EQ(p.min_fee_b.value(), pp["txFeeFixed"].get<uint64_t>());
  EXPECT_EQ(p.key_deposit.value(), pp["stakeAddressDeposit"].get<uint64_t>());
  EXPECT_EQ(p.max_tx_size, pp["maxTxSize"].get<uint64_t>());
}

}  // namespace
}  // namespace stakeward::chain
