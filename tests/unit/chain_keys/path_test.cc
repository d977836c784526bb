// Derivation path parsing and formatting, derivation names.
#include "chain/keys.h"
#include "gtest/gtest.h"

namespace stakeward::chain {
namespace {

TEST(PathTest, ParsesAndFormats) {
  absl::StatusOr<Path> p = ParsePath("m/1854'/1815'/0'/2/3");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->indexes,
            (std::vector<uint32_t>{kHardened | 1854, kHardened | 1815, kHardened, 2, 3}));
  EXPECT_EQ(FormatPath(*p), "m/1854'/1815'/0'/2/3");
  EXPECT_EQ(*ParsePath("1854h/1815H/0'/2/3"), *p);
  EXPECT_EQ(*ParsePath("M/1854'/1815'/0h/2/3"), *p);
  EXPECT_EQ(ParsePath("m")->indexes.size(), 0u);
  EXPECT_EQ(FormatPath(Path{}), "m");
  EXPECT_EQ(ParsePath("m/2147483647")->indexes[0], 2147483647u);
  EXPECT_EQ(ParsePath("m/2147483647'")->indexes[0], 0xFFFFFFFFu);
}

TEST(PathTest, RejectsMalformed) {
  for (const char* bad : {"", "m/", "/0", "m//0", "m/0/", "m/-1", "m/+1", "m/1''", "m/2147483648",
                          "m/99999999999999999999", "m/01", "m/0x10", "m/1 /2", "x/1", "m/1'h"}) {
    EXPECT_EQ(ParsePath(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  std::string deep = "m";
  for (int i = 0; i < 300; ++i) deep += "/0";
  EXPECT_FALSE(ParsePath(deep).ok());
}

TEST(PathTest, DerivationNames) {
  for (Derivation d : {Derivation::kIcarus, Derivation::kIcarusTrezor, Derivation::kLedger}) {
    EXPECT_EQ(*ParseDerivation(DerivationName(d)), d);
  }
  EXPECT_EQ(DerivationName(Derivation::kIcarusTrezor), "icarus-trezor");
  EXPECT_FALSE(ParseDerivation("Ledger").ok());
  EXPECT_FALSE(ParseDerivation("").ok());
}

}  // namespace
}  // namespace stakeward::chain
