// Checked lovelace arithmetic.
#include "chain/lovelace.h"

#include <type_traits>

#include "gtest/gtest.h"

namespace stakeward::chain {
namespace {

TEST(LovelaceTest, AddAndSub) {
  EXPECT_EQ(*AddLovelace(Lovelace(1), Lovelace(2)), Lovelace(3));
  EXPECT_FALSE(AddLovelace(Lovelace(UINT64_MAX), Lovelace(1)).ok());
  EXPECT_EQ(AddLovelace(Lovelace(UINT64_MAX), Lovelace(1), "total").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*SubLovelace(Lovelace(5), Lovelace(5)), Lovelace(0));
  EXPECT_FALSE(SubLovelace(Lovelace(4), Lovelace(5)).ok());
}

// Amounts are kept apart from plain integers (counts, epochs, sizes, rates): no implicit
// conversion either way.
static_assert(!std::is_convertible_v<uint64_t, Lovelace>);
static_assert(!std::is_convertible_v<Lovelace, uint64_t>);
static_assert(!std::is_convertible_v<int, Lovelace>);

TEST(LovelaceTest, OperatorsAreChecked) {
  Lovelace a(UINT64_MAX - 1);
  EXPECT_EQ(a + Lovelace(1), Lovelace(UINT64_MAX));
  EXPECT_EQ(Lovelace(7) - Lovelace(7), Lovelace(0));
  EXPECT_LT(Lovelace(1), Lovelace(2));
  EXPECT_EQ(CheckedAdd(a, Lovelace(2)), std::nullopt);
  EXPECT_EQ(CheckedSub(Lovelace(1), Lovelace(2)), std::nullopt);
  EXPECT_EQ(*CheckedAdd(Lovelace(1), Lovelace(2)), Lovelace(3));
  // Past the range is a bug in the caller (untrusted sums use CheckedAdd): abort, never wrap.
  EXPECT_DEATH(a += Lovelace(2), "lovelace arithmetic out of range");
  EXPECT_DEATH((void)(Lovelace(1) - Lovelace(2)), "lovelace arithmetic out of range");
  EXPECT_EQ(*MulDiv(Lovelace(10), 3, 4), Lovelace(7));
}

TEST(LovelaceTest, MulDivUses128Bits) {
  EXPECT_EQ(*MulDiv(UINT64_MAX, UINT64_MAX, UINT64_MAX), UINT64_MAX);
  EXPECT_EQ(*MulDiv(10, 3, 4), 7u);  // floor(7.5)
  EXPECT_EQ(*MulDiv(45000000000000000ULL, 300, 10000), 1350000000000000ULL);
  EXPECT_FALSE(MulDiv(UINT64_MAX, 2, 1).ok());
  EXPECT_FALSE(MulDiv(1, 1, 0).ok());
}

TEST(LovelaceTest, FormatAdaIsExact) {
  EXPECT_EQ(FormatAda(Lovelace(0)), "0.000000 ADA");
  EXPECT_EQ(FormatAda(Lovelace(1)), "0.000001 ADA");
  EXPECT_EQ(FormatAda(Lovelace(1234567890)), "1234.567890 ADA");
  EXPECT_EQ(FormatAda(Lovelace(UINT64_MAX)), "18446744073709.551615 ADA");
}

}  // namespace
}  // namespace stakeward::chain
