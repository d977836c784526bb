// U256 arithmetic, decimal conversion and the lovelace -> wei conversion.
#include "chain/evm.h"
#include "gtest/gtest.h"

namespace stakeward::chain::evm {
namespace {

constexpr char kMax[] =
    "115792089237316195423570985008687907853269984665640564039457584007913129639935";  // 2^256-1

TEST(U256Test, DecimalRoundTrip) {
  for (const char* d : {"0", "1", "9", "10", "255", "256", "18446744073709551615",
                        "18446744073709551616", "1000000000000000000", kMax}) {
    auto v = U256::FromDecimal(d);
    ASSERT_TRUE(v.ok()) << d;
    EXPECT_EQ(v->ToDecimal(), d);
  }
  EXPECT_EQ(U256::FromDecimal("007")->ToDecimal(), "7");
  EXPECT_EQ(U256::FromUint64(0xFFFFFFFFFFFFFFFFull).ToDecimal(), "18446744073709551615");
  EXPECT_EQ(HexEncode(View(U256::FromDecimal("18446744073709551616")->MinimalBigEndian())),
            "010000000000000000");
}

TEST(U256Test, RejectsBadDecimal) {
  for (const char* d :
       {"", "-1", "+1", "1.0", "0x10", " 1", "1e3",
        "115792089237316195423570985008687907853269984665640564039457584007913129639936"}) {
    EXPECT_EQ(U256::FromDecimal(d).status().code(), absl::StatusCode::kInvalidArgument) << d;
  }
  EXPECT_FALSE(U256::FromDecimal(std::string(200, '0')).ok());
}

TEST(U256Test, CheckedArithmetic) {
  U256 max = *U256::FromDecimal(kMax);
  EXPECT_FALSE(max.CheckedAdd(U256::FromUint64(1)).has_value());
  EXPECT_EQ(max.CheckedAdd(U256()), max);
  EXPECT_FALSE(U256::FromUint64(1).CheckedSub(U256::FromUint64(2)).has_value());
  EXPECT_EQ(U256::FromUint64(1000).CheckedSub(U256::FromUint64(1)), U256::FromUint64(999));
  EXPECT_TRUE(U256::FromUint64(2).CheckedSub(U256::FromUint64(2))->IsZero());
  EXPECT_FALSE(max.CheckedMulSmall(2).has_value());
  EXPECT_EQ(max.CheckedMulSmall(1), max);
  EXPECT_TRUE(max.CheckedMulSmall(0)->IsZero());
  // Carry across the 64-bit boundary.
  EXPECT_EQ(U256::FromUint64(0xFFFFFFFFFFFFFFFFull).CheckedAdd(U256::FromUint64(1))->ToDecimal(),
            "18446744073709551616");
  EXPECT_LT(U256::FromUint64(5), U256::FromUint64(6));
  EXPECT_EQ(U256::FromBigEndian(Bytes(33, 0)).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(U256::FromBigEndian(ByteView())->IsZero());
  EXPECT_TRUE(U256().MinimalBigEndian().empty());
}

TEST(U256Test, LovelaceToWei) {
  // 1 ADA = 10^6 lovelace = 10^18 wei (mADA has 18 decimals).
  EXPECT_EQ(LovelaceToWei(Lovelace(1)).ToDecimal(), "1000000000000");
  EXPECT_EQ(LovelaceToWei(Lovelace(1000000)).ToDecimal(), "1000000000000000000");
  EXPECT_EQ(LovelaceToWei(Lovelace(0)).ToDecimal(), "0");
  EXPECT_EQ(LovelaceToWei(Lovelace(0xFFFFFFFFFFFFFFFFull)).ToDecimal(),
            "18446744073709551615000000000000");
}

// JSON-RPC QUANTITY strings (ethereum.org JSON-RPC "hex value encoding": 0x41 is 65, 0x400 is
// 1024, 0x0 is zero) and decimals; the same parser serves the CLI flags and the controller's RPC.
TEST(U256Test, ParseQuantityRows) {
  struct Row {
    const char* text;
    const char* decimal;  // nullptr: refused with INVALID_ARGUMENT
  };
  const Row rows[] = {
      {"0", "0"},
      {"65", "65"},
      {"0x41", "65"},
      {"0x400", "1024"},
      {"0x0", "0"},
      {"0X1f", "31"},
      {"0xDE0B6B3A7640000", "1000000000000000000"},  // 10^18 wei, 1 ether
      {"0x0041", "65"},                              // leading zeros tolerated on input
      {"0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", kMax},
      {kMax, kMax},
      {"", nullptr},
      {"0x", nullptr},
      {"0x1g", nullptr},
      {"0x 1", nullptr},
      {"-1", nullptr},
      {"+1", nullptr},
      {" 1", nullptr},
      {"1.5", nullptr},
      {"1e18", nullptr},
      {"0x10000000000000000000000000000000000000000000000000000000000000000",
       nullptr},  // 65 digits
      {"115792089237316195423570985008687907853269984665640564039457584007913129639936",
       nullptr},  // 2^256
  };
  for (const Row& r : rows) {
    absl::StatusOr<U256> v = U256::ParseQuantity(r.text);
    if (r.decimal == nullptr) {
      EXPECT_EQ(v.status().code(), absl::StatusCode::kInvalidArgument) << "'" << r.text << "'";
    } else {
      ASSERT_TRUE(v.ok()) << "'" << r.text << "': " << v.status();
      EXPECT_EQ(v->ToDecimal(), r.decimal) << r.text;
    }
  }
}

}  // namespace
}  // namespace stakeward::chain::evm
