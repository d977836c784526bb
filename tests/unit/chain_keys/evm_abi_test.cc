// ABI selector and the accreditToPool(uint256) call.
#include "chain/evm.h"
#include "gtest/gtest.h"
#include "tests/unit/chain_keys/test_util.h"

namespace stakeward::chain::evm {
namespace {

TEST(AbiTest, Selectors) {
  // ERC-20 transfer: the well-known 0xa9059cbb (EIP-20), a check on the Keccak plumbing.
  EXPECT_EQ(HexEncode(FunctionSelector("transfer(address,uint256)")), "a9059cbb");
  // Computed independently with ethers 6.17.0 (tests/interop/node_modules):
  //   node -e 'console.log(require("ethers").id("accreditToPool(uint256)").slice(0, 10))'
  //   -> 0x65b3cdef
  EXPECT_EQ(HexEncode(FunctionSelector("accreditToPool(uint256)")), "65b3cdef");
}

TEST(AbiTest, AccreditToPoolEncodeDecode) {
  U256 roi = *U256::FromDecimal("123456789012345678901234567890");
  Bytes call = EncodeAccreditToPool(roi);
  ASSERT_EQ(call.size(), 36u);
  EXPECT_EQ(HexEncode(View(call)),
            "65b3cdef"
            "00000000000000000000000000000000000000018ee90ff6c373e0ee4e3f0ad2");
  auto back = DecodeAccreditToPool(View(call));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, roi);

  EXPECT_FALSE(DecodeAccreditToPool(ByteView(call.data(), 35)).ok());
  Bytes longer = call;
  longer.push_back(0);
  EXPECT_FALSE(DecodeAccreditToPool(View(longer)).ok());
  Bytes other = call;
  other[0] ^= 1;
  EXPECT_EQ(DecodeAccreditToPool(View(other)).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace stakeward::chain::evm
