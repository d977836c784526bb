// The reserve report's arithmetic and signature (controller/rewards/reserve.h).
#include "controller/rewards/reserve.h"

#include <limits>

#include "gtest/gtest.h"

namespace stakeward::rewards {
namespace {

namespace evm = chain::evm;

ReserveInputs Inputs(uint64_t supply_ada) {
  ReserveInputs in;
  in.epoch = 200;
  in.slots = {{0, chain::Lovelace(3'000'000)}, {1, chain::Lovelace(4'000'000)}};  // 7 ADA
  in.total_supply_wei = evm::LovelaceToWei(chain::Lovelace(supply_ada * 1'000'000));
  in.total_accredited_wei = evm::U256::FromUint64(5);
  in.ledger_deposited_wei = evm::U256::FromUint64(7);
  return in;
}

TEST(Reserve, DifferenceIsSignedAndAShortfallIsFlagged) {
  auto backed = ComputeReserve(Inputs(6));
  ASSERT_TRUE(backed.ok());
  EXPECT_FALSE(backed->shortfall);
  EXPECT_EQ(backed->difference_wei, "1000000000000000000");  // 1 ADA = 10^18 wei
  EXPECT_EQ(backed->body["status"], "BACKED");
  EXPECT_EQ(backed->body["accredited_not_in_ledger_wei"], "-2");
  auto exact = ComputeReserve(Inputs(7));
  EXPECT_EQ(exact->difference_wei, "0");
  EXPECT_FALSE(exact->shortfall);
  auto short_by_one = ComputeReserve(Inputs(8));
  EXPECT_TRUE(short_by_one->shortfall);
  EXPECT_EQ(short_by_one->difference_wei, "-1000000000000000000");
  EXPECT_DOUBLE_EQ(short_by_one->difference_lovelace, -1e6);
}

TEST(Reserve, OverflowingBalancesAreRefused) {
  ReserveInputs in = Inputs(1);
  in.slots = {{0, chain::Lovelace(std::numeric_limits<uint64_t>::max())}, {1, chain::Lovelace(1)}};
  EXPECT_EQ(ComputeReserve(in).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Reserve, SignatureCoversEveryFieldAndNamesItsKey) {
  std::array<uint8_t, 32> seed{};
  seed.fill(7);
  auto r = ComputeReserve(Inputs(6));
  nlohmann::json s = SignReserve(*r, seed);
  const std::array<uint8_t, 32> pk = chain::Ed25519SeedPublicKey(seed);
  EXPECT_TRUE(VerifyReserve(s, pk).ok());
  nlohmann::json altered = s;
  altered["report"]["l1"]["staked_lovelace"] = 8'000'000;
  EXPECT_EQ(VerifyReserve(altered, pk).code(), absl::StatusCode::kPermissionDenied);
  std::array<uint8_t, 32> other = pk;
  other[0] ^= 1;
  EXPECT_EQ(VerifyReserve(s, other).code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(VerifyReserve(nlohmann::json::object(), pk).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace stakeward::rewards
