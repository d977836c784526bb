// Checked lovelace arithmetic.
#include "chain/lovelace.h"

#include "gtest/gtest.h"

namespace stakeward::chain {
namespace {

TEST(LovelaceTest, AddAndSub) {
  EXPECT_EQ(*AddLovelace(1, 2), 3u);
  EXPECT_FALSE(AddLovelace(UINT64_MAX, 1).ok());
  EXPECT_EQ(AddLovelace(UINT64_MAX, 1, "total").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*SubLovelace(5, 5), 0u);
  EXPECT_FALSE(SubLovelace(4, 5).ok());
}

TEST(LovelaceTest, MulDivUses128Bits) {
  EXPECT_EQ(*MulDiv(UINT64_MAX, UINT64_MAX, UINT64_MAX), UINT64_MAX);
  EXPECT_EQ(*MulDiv(10, 3, 4), 7u);  // floor(7.5)
  EXPECT_EQ(*MulDiv(45000000000000000ULL, 300, 10000), 1350000000000000ULL);
  EXPECT_FALSE(MulDiv(UINT64_MAX, 2, 1).ok());
  EXPECT_FALSE(MulDiv(1, 1, 0).ok());
}

TEST(LovelaceTest, FormatAdaIsExact) {
  EXPECT_EQ(FormatAda(0), "0.000000 ADA");
  EXPECT_EQ(FormatAda(1), "0.000001 ADA");
  EXPECT_EQ(FormatAda(1234567890), "1234.567890 ADA");
  EXPECT_EQ(FormatAda(UINT64_MAX), "18446744073709.551615 ADA");
}

}  // namespace
}  // namespace stakeward::chain
