// The canonical CBOR writer and the strict decoder, including malformed input.
#include "chain/cbor.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "vectors.h"

namespace stakeward::chain::cbor {
namespace {

using ::stakeward::chain::testing::Hex;
using ::testing::HasSubstr;

std::string Enc(Writer& w) { return HexEncode(View(w.data())); }

TEST(CborWriterTest, ShortestHeads) {
  Writer w;
  w.Uint(0)
      .Uint(23)
      .Uint(24)
      .Uint(255)
      .Uint(256)
      .Uint(65535)
      .Uint(65536)
      .Uint(0xffffffffULL)
      .Uint(0x100000000ULL);
  EXPECT_EQ(Enc(w),
            "0017181818ff19010019ffff"
            "1a000100001affffffff1b0000000100000000");
}

TEST(CborWriterTest, NegativeAndExtremes) {
  Writer w;
  w.Int(-1).Int(-24).Int(-25).Int(INT64_MIN).NegativeArg(UINT64_MAX);
  EXPECT_EQ(Enc(w),
            "203738"
            "18"
            "3b7fffffffffffffff"
            "3bffffffffffffffff");
}

TEST(CborWriterTest, StringsContainersAndSimple) {
  Writer w;
  w.Bytes(View(Bytes{1, 2}))
      .Text("a")
      .ArrayHeader(0)
      .MapHeader(1)
      .Tag(258)
      .Bool(true)
      .Bool(false)
      .Null();
  EXPECT_EQ(Enc(w), "420102616180a1d90102f5f4f6");
}

TEST(CborWriterTest, MapBuilderSortsShorterKeysFirstThenBytewise) {
  MapBuilder mb;
  mb.Add(Writer().Uint(24).Take(), Writer().Uint(1).Take());   // 1818
  mb.Add(Writer().Uint(2).Take(), Writer().Uint(2).Take());    // 02
  mb.Add(Writer().Text("a").Take(), Writer().Uint(3).Take());  // 6161
  mb.AddUintKey(1, Writer().Uint(4).Take());                   // 01
  EXPECT_EQ(HexEncode(View(mb.Encode())),
            "a40104020218180161610"
            "3");
  EXPECT_TRUE(CanonicalKeyLess(View(Bytes{0x05}), View(Bytes{0x18, 0x18})));
  EXPECT_TRUE(CanonicalKeyLess(View(Bytes{0x18, 0x18}), View(Bytes{0x61, 0x61})));
  EXPECT_FALSE(CanonicalKeyLess(View(Bytes{0x61}), View(Bytes{0x61})));
}

TEST(CborDecodeTest, RecordsOffsetsAndLengths) {
  const Bytes data = Hex("83014201028102");
  auto doc = Decode(View(data));
  ASSERT_TRUE(doc.ok()) << doc.status();
  const Item* item = &doc->root();
  ASSERT_EQ(item->children.size(), 3u);
  EXPECT_EQ(item->length, data.size());
  EXPECT_EQ(item->children[1].offset, 2u);
  EXPECT_EQ(item->children[1].length, 3u);
  EXPECT_EQ(CopyBytes(item->children[1].bytes), (Bytes{1, 2}));
  EXPECT_EQ(HexEncode(Span(View(data), item->children[2])), "8102");
  EXPECT_EQ(EncodeCanonical(*item), data);
}

TEST(CborDecodeTest, DecodesEveryType) {
  const Bytes data = Hex("a401200261620382f5f604d9010280");
  auto doc = Decode(View(data));
  ASSERT_TRUE(doc.ok()) << doc.status();
  const Item* item = &doc->root();
  EXPECT_EQ(item->map_value(0).type, MajorType::kNegative);
  EXPECT_EQ(item->map_value(1).text(), "b");
  EXPECT_TRUE(item->map_value(2).children[0].IsBool());
  EXPECT_TRUE(item->map_value(2).children[1].IsNull());
}

// Items live in blocks the document owns: they stay valid when the document moves, and inputs
// with more items than the first block holds spill into further blocks.
TEST(CborDecodeTest, ItemsOutliveMovesAndSpanBlocks) {
  Writer w;
  w.ArrayHeader(3);
  w.ArrayHeader(3000);
  for (uint64_t i = 0; i < 3000; ++i) w.Uint(i % 24);
  w.MapHeader(2);
  w.Uint(1).Bytes(View(Bytes{9, 8}));
  w.Uint(2).ArrayHeader(2).Text("x").Uint(500);
  w.Tag(258).ArrayHeader(1).Uint(7);
  const Bytes data = w.Take();
  auto decoded = Decode(View(data));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  Document doc = std::move(*decoded);
  const Item& root = doc.root();
  ASSERT_EQ(root.children.size(), 3u);
  ASSERT_EQ(root.children[0].children.size(), 3000u);
  for (uint64_t i = 0; i < 3000; ++i) ASSERT_EQ(root.children[0].children[i].arg, i % 24);
  EXPECT_EQ(CopyBytes(root.children[1].map_value(0).bytes), (Bytes{9, 8}));
  EXPECT_EQ(root.children[1].map_value(1).children[0].text(), "x");
  EXPECT_EQ(root.children[1].map_value(1).children[1].arg, 500u);
  EXPECT_TRUE(root.children[2].IsTag(258));
  EXPECT_EQ(root.children[2].children[0].children[0].arg, 7u);
  EXPECT_EQ(EncodeCanonical(root), data);
}

TEST(CborDecodeTest, DecodePrefixReportsConsumed) {
  size_t consumed = 0;
  const Bytes data = Hex("820102ff");
  auto doc = DecodePrefix(View(data), &consumed);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->root().children.size(), 2u);
  EXPECT_EQ(consumed, 3u);
}

void ExpectError(const std::string& hex, const std::string& message, const Limits& limits = {}) {
  const Bytes data = Hex(hex);
  auto item = Decode(View(data), limits);
  ASSERT_FALSE(item.ok()) << hex;
  EXPECT_EQ(item.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(item.status().message()), HasSubstr(message)) << hex;
}

TEST(CborMalformedTest, Truncated) {
  ExpectError("", "at byte 0: unexpected end of input");
  ExpectError("828101", "at byte 3: unexpected end of input");
  ExpectError("8201", "count 2 exceeds the remaining input");
  ExpectError("19ff", "truncated head");
  ExpectError("4401", "length 4 exceeds the remaining 1 bytes");
}

TEST(CborMalformedTest, IndefiniteLengthRejectedUnlessAllowed) {
  ExpectError("9f01ff", "indefinite length not allowed");
  ExpectError("bf0102ff", "indefinite length not allowed");
  ExpectError("5f4101ff", "indefinite length not allowed");
  Limits lenient;
  lenient.allow_indefinite = true;
  const Bytes arr_data = Hex("9f0102ff");
  auto arr = Decode(View(arr_data), lenient);
  ASSERT_TRUE(arr.ok()) << arr.status();
  EXPECT_EQ(arr->root().children.size(), 2u);
  EXPECT_EQ(arr->root().children[1].arg, 2u);
  const Bytes str_data = Hex("5f41014102ff");
  auto str = Decode(View(str_data), lenient);
  ASSERT_TRUE(str.ok()) << str.status();
  EXPECT_EQ(CopyBytes(str->root().bytes), (Bytes{1, 2}));
  EXPECT_EQ(str->root().arg, 2u);
  // Nested indefinite containers: each keeps its own children.
  const Bytes nested_data = Hex("9f9f01ff029f0304ffff");
  auto nested = Decode(View(nested_data), lenient);
  ASSERT_TRUE(nested.ok()) << nested.status();
  const Item& root = nested->root();
  ASSERT_EQ(root.children.size(), 3u);
  ASSERT_EQ(root.children[0].children.size(), 1u);
  EXPECT_EQ(root.children[1].arg, 2u);
  ASSERT_EQ(root.children[2].children.size(), 2u);
  EXPECT_EQ(root.children[2].children[1].arg, 4u);
  EXPECT_EQ(EncodeCanonical(root), Hex("83810102820304"));
  ExpectError("5f6101ff", "invalid chunk", lenient);
  ExpectError("9f01", "unterminated", lenient);
  ExpectError("1f", "invalid indefinite length", lenient);
}

TEST(CborMalformedTest, DuplicateMapKeys) {
  ExpectError("a201010102", "at byte 3: duplicate map key");
  Limits lenient;
  lenient.require_canonical = false;
  ExpectError("a201010102", "duplicate map key", lenient);
  // The same key with a longer head is still the same key.
  ExpectError("a20101180102", "duplicate map key", lenient);
  // Keys in canonical byte order whose values are still equal: a map key holding an unsorted
  // map, and an indefinite byte string against its definite form.
  ExpectError("a2a20100020000a20200010001", "duplicate map key", lenient);
  lenient.allow_indefinite = true;
  ExpectError(
      "a242010200"
      "5f41014102ff01",
      "duplicate map key", lenient);
}

TEST(CborMalformedTest, UnsortedMapKeys) {
  ExpectError("a202010101", "map keys not in canonical order");
  ExpectError("a21818010101", "map keys not in canonical order");
  Limits lenient;
  lenient.require_canonical = false;
  EXPECT_TRUE(Decode(View(Hex("a202010101")), lenient).ok());
}

TEST(CborMalformedTest, TooDeepNesting) {
  std::string deep(2 * 100, '8');
  for (size_t i = 1; i < deep.size(); i += 2) deep[i] = '1';
  ExpectError(deep + "00", "nesting deeper than 64");
  Limits shallow;
  shallow.max_depth = 3;
  ExpectError("8181818100", "nesting deeper than 3", shallow);
  EXPECT_TRUE(Decode(View(Hex("81818100")), shallow).ok());
}

TEST(CborMalformedTest, OversizeLengthsDoNotAllocate) {
  // A byte string claiming 2^40 bytes, an array claiming 2^40 items and a map claiming 2^62
  // pairs: refused from the head, before any allocation.
  ExpectError("5b0000010000000000aabb", "exceeds the remaining 2 bytes");
  ExpectError("7b000001000000000061", "exceeds the remaining");
  ExpectError("9b00000100000000000102", "count 1099511627776 exceeds the remaining input");
  ExpectError("bb40000000000000000102", "exceeds the remaining input");
}

TEST(CborMalformedTest, TooManyItems) {
  Limits few;
  few.max_items = 3;
  ExpectError("8401020304", "more than 3 items", few);
  // The announced count is checked against the item budget before the children are allocated.
  few.max_items = 100;
  ExpectError("9901f4" + std::string(1000, '0'), "at byte 0: more than 100 items", few);
}

TEST(CborMalformedTest, TrailingBytes) { ExpectError("0000", "at byte 1: 1 trailing bytes"); }

TEST(CborMalformedTest, NonCanonicalIntegers) {
  ExpectError("1801", "non-canonical");
  ExpectError("190001", "non-canonical");
  ExpectError("1a0000ffff", "non-canonical");
  ExpectError("1b00000000ffffffff", "non-canonical");
  ExpectError("5801aa", "non-canonical");
  ExpectError("9800", "non-canonical");
  Limits lenient;
  lenient.require_canonical = false;
  const Bytes data = Hex("1801");
  auto v = Decode(View(data), lenient);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->root().arg, 1u);
}

TEST(CborMalformedTest, FloatsAndReservedValues) {
  ExpectError("f93c00", "floating-point");
  ExpectError("fa3f800000", "floating-point");
  ExpectError("fb3ff0000000000000", "floating-point");
  ExpectError("f800", "simple");
  ExpectError("e0", "unsupported simple value 0");
  ExpectError("1c", "reserved additional information");
  ExpectError("ff", "unexpected break");
}

TEST(CborMalformedTest, InvalidUtf8) {
  ExpectError("62c328", "invalid UTF-8");
  ExpectError("62c0af", "invalid UTF-8");      // overlong
  ExpectError("63eda080", "invalid UTF-8");    // surrogate
  ExpectError("64f4908080", "invalid UTF-8");  // above U+10FFFF
  const Bytes data = Hex("63e282ac");          // U+20AC
  auto ok = Decode(View(data));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->root().text(), "\xe2\x82\xac");
}

}  // namespace
}  // namespace stakeward::chain::cbor
