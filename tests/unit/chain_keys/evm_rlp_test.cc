// RLP encoding examples (ethereum.org "Recursive-length prefix (RLP) serialization") and strict
// decoding of malformed input.
#include <string>

#include "chain/evm.h"
#include "gtest/gtest.h"
#include "tests/unit/chain_keys/test_util.h"

namespace stakeward::chain::evm {
namespace {

std::string Enc(const Bytes& b) { return HexEncode(View(b)); }
Bytes Str(std::string_view s) { return Bytes(s.begin(), s.end()); }

TEST(RlpTest, PublishedExamples) {
  EXPECT_EQ(Enc(rlp::EncodeBytes(View(Str("dog")))), "83646f67");
  EXPECT_EQ(Enc(rlp::EncodeList(
                {rlp::EncodeBytes(View(Str("cat"))), rlp::EncodeBytes(View(Str("dog")))})),
            "c88363617483646f67");
  EXPECT_EQ(Enc(rlp::EncodeBytes(ByteView())), "80");
  EXPECT_EQ(Enc(rlp::EncodeList({})), "c0");
  EXPECT_EQ(Enc(rlp::EncodeUint(U256())), "80");
  EXPECT_EQ(Enc(rlp::EncodeBytes(View(Bytes{0x00}))), "00");
  EXPECT_EQ(Enc(rlp::EncodeUint(U256::FromUint64(15))), "0f");
  EXPECT_EQ(Enc(rlp::EncodeUint(U256::FromUint64(1024))), "820400");
  // [ [], [[]], [ [], [[]] ] ]
  Bytes empty = rlp::EncodeList({});
  Bytes one = rlp::EncodeList({empty});
  EXPECT_EQ(Enc(rlp::EncodeList({empty, one, rlp::EncodeList({empty, one})})), "c7c0c1c0c3c0c1c0");
  const std::string lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit";
  Bytes enc = rlp::EncodeBytes(View(Str(lorem)));
  EXPECT_EQ(Enc(Bytes(enc.begin(), enc.begin() + 2)), "b838");
  EXPECT_EQ(enc.size(), 58u);
}

TEST(RlpTest, DecodeRoundTrip) {
  Bytes long_payload(1000, 0xaa);
  Bytes encoded = rlp::EncodeList({rlp::EncodeBytes(View(Str("cat"))),
                                   rlp::EncodeList({rlp::EncodeBytes(View(long_payload))}),
                                   rlp::EncodeUint(U256::FromUint64(0x7f))});
  auto item = rlp::Decode(View(encoded));
  ASSERT_TRUE(item.ok()) << item.status();
  ASSERT_TRUE(item->is_list);
  ASSERT_EQ(item->items.size(), 3u);
  EXPECT_EQ(item->items[0].bytes, Str("cat"));
  EXPECT_EQ(item->items[1].items[0].bytes, long_payload);
  EXPECT_EQ(item->items[2].bytes, Bytes{0x7f});
  auto lorem = rlp::Decode(View(rlp::EncodeBytes(View(Bytes(56, 'x')))));
  ASSERT_TRUE(lorem.ok());
  EXPECT_EQ(lorem->bytes.size(), 56u);
}

TEST(RlpTest, RejectsMalformed) {
  for (const char* hex : {
           "",                    // nothing
           "8100",                // single byte below 0x80 wrapped
           "817f",                // same
           "b800",                // long form for a short length
           "b837",                // long form for length 55 (and truncated)
           "b90038",              // length with a leading zero
           "836465",              // truncated string
           "c3836465",            // truncated inside a list
           "c0c0",                // trailing bytes
           "8000",                // trailing bytes
           "c2c0",                // list length beyond the input
           "f800",                // long list form for a short length
           "bf0100000000000000",  // absurd length
           "c18100",              // non-canonical item inside a list
       }) {
    EXPECT_EQ(rlp::Decode(View(testing::Hex(hex))).status().code(),
              absl::StatusCode::kInvalidArgument)
        << hex;
  }
  // Deep nesting is refused rather than recursed into without bound.
  Bytes nested = rlp::EncodeList({});
  for (int depth = 1; depth <= 100; ++depth) {
    nested = rlp::EncodeList({nested});
    if (depth == 20) {
      EXPECT_TRUE(rlp::Decode(View(nested)).ok());
    }
  }
  EXPECT_EQ(rlp::Decode(View(nested)).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace stakeward::chain::evm
