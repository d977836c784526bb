// The treasury balancing shared by the re-balance and MIGRATE builders: coins taken in order
// until the change covers deposits, fee and its minimum; value conserved; clear refusals.
#include "controller/build/tx_balance.h"

#include <cstdint>
#include <vector>

#include "chain/address.h"
#include "gtest/gtest.h"

namespace stakeward::controller {
namespace {

constexpr uint64_t kAda = 1'000'000;

chain::Bytes ChangeAddress() {
  chain::Credential c;
  c.kind = chain::Credential::Kind::kScriptHash;
  c.hash.fill(0x42);
  return chain::Address::Enterprise(chain::Network::kTestnet, c).ToBytes();
}

TreasuryCoin Coin(uint8_t id, uint64_t lovelace) {
  TreasuryCoin c;
  c.in.tx_id.fill(id);
  c.lovelace = chain::Lovelace(lovelace);
  return c;
}

class TxBalanceTest : public ::testing::Test {
 protected:
  BalanceRequest Request(const std::vector<TreasuryCoin>& treasury) {
    coins_ = treasury;
    BalanceRequest r;
    r.body.ttl = 1000;
    r.deposits = chain::Lovelace(2 * kAda);
    r.treasury = coins_;
    r.first_take = 1;
    r.change_address = ChangeAddress();
    r.witnesses = 2;
    r.scripts = &scripts_;
    r.name = "transaction 1";
    return r;
  }
  std::vector<TreasuryCoin> coins_;
  std::vector<chain::NativeScript> scripts_;
  chain::FeeParams fees_;
};

TEST_F(TxBalanceTest, TakesCoinsInOrderUntilTheChangeCoversEverything) {
  // 3 ADA cannot pay 2 ADA of deposits, a fee of ~0.17 ADA and a change of ~0.86 ADA minimum.
  absl::StatusOr<Balanced> b = BalanceWithTreasury(
      Request({Coin(1, 3 * kAda), Coin(2, 2 * kAda), Coin(3, 10 * kAda)}), fees_);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->taken, 2u);
  ASSERT_EQ(b->tx.body.inputs.size(), 2u);
  ASSERT_EQ(b->tx.body.outputs.size(), 1u);
  // Value conserved: inputs = change + deposits + fee.
  EXPECT_EQ(5 * kAda, b->change.value() + 2 * kAda + b->fee.value());
  EXPECT_EQ(b->tx.body.outputs[0].coin, b->change);
  EXPECT_EQ(b->tx.body.fee, b->fee);
  // The fee covers the final size (Shelley: a × size + b).
  const size_t size = chain::FinalTxSize(b->tx, 2, scripts_);
  EXPECT_GE(b->fee.value(), fees_.min_fee_a * size + fees_.min_fee_b.value());
  EXPECT_GE(b->change, *chain::MinUtxo(b->tx.body.outputs[0], fees_));
}

TEST_F(TxBalanceTest, RefusalsNameTheTransaction) {
  absl::StatusOr<Balanced> empty = BalanceWithTreasury(Request({}), fees_);
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(empty.status().message().find("cannot pay fees and deposits of transaction 1"),
            std::string::npos)
      << empty.status();
  absl::StatusOr<Balanced> poor = BalanceWithTreasury(Request({Coin(1, 1 * kAda)}), fees_);
  EXPECT_EQ(poor.status().code(), absl::StatusCode::kFailedPrecondition);
  BalanceRequest huge = Request({Coin(1, UINT64_MAX)});
  huge.extra_in = chain::Lovelace(1);
  absl::StatusOr<Balanced> overflow = BalanceWithTreasury(huge, fees_);
  EXPECT_EQ(overflow.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(overflow.status().message().find("overflow"), std::string::npos);
}

}  // namespace
}  // namespace stakeward::controller
