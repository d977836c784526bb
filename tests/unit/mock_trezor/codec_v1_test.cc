// Codec v1 framing against the byte-exact packets of specs/trezor.md §1.6 (captured from
// @trezor/transport 1.6.3) and the reassembler's error paths.
#include "firmware-mocks/trezor/codec_v1.h"

#include <string>

#include "gtest/gtest.h"

namespace stakeward::mocks::trezor {
namespace {

std::string Hex(const Packet& p) { return chain::HexEncode(chain::ByteView(p.data(), p.size())); }
chain::Bytes Unhex(const std::string& h) { return *chain::HexDecode(h); }
std::string Zeros(size_t bytes) { return std::string(bytes * 2, '0'); }

TEST(CodecV1, InitializeIsOnePacket) {
  const auto packets = EncodePackets(0, chain::View(Unhex("1801")));
  ASSERT_EQ(packets.size(), 1u);
  EXPECT_EQ(Hex(packets[0]),
            "3f2323000000000002"
            "1801" +
                Zeros(53));
}

TEST(CodecV1, Eip1559ExampleSplitsIntoTwoPackets) {
  const std::string payload =
      "08ac8080800808bc80808008088080808008080008641201001a01142201012a0114322a3078316431633332"
      "3837363461343162646130"
      "34393262363662616133306334613333396666383565663a010a48005001";
  const chain::Bytes bytes = Unhex(payload);
  ASSERT_EQ(bytes.size(), 85u);
  const auto packets = EncodePackets(452, chain::View(bytes));
  ASSERT_EQ(packets.size(), 2u);
  EXPECT_EQ(Hex(packets[0]), "3f232301c400000055" + payload.substr(0, 110));
  EXPECT_EQ(Hex(packets[1]), "3f" + payload.substr(110) + Zeros(33));

  Reassembler r;
  auto first = r.Feed(chain::ByteView(packets[0].data(), 64));
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->has_value());
  auto second = r.Feed(chain::ByteView(packets[1].data(), 64));
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE(second->has_value());
  EXPECT_EQ((*second)->type, 452);
  EXPECT_EQ((*second)->payload, bytes);
}

TEST(CodecV1, PacketCountFollowsFormula) {
  for (size_t len : {0u, 55u, 56u, 118u, 119u, 1000u}) {
    const chain::Bytes payload(len, 0xAB);
    const size_t expected = 1 + (len > 55 ? (len - 55 + 62) / 63 : 0);
    EXPECT_EQ(EncodePackets(1, chain::View(payload)).size(), expected) << len;
  }
}

TEST(CodecV1, RejectsBadMagicAndOversizedMessages) {
  Reassembler r;
  Packet bad{};
  bad[0] = '?';
  bad[1] = '#';
  bad[2] = '!';
  EXPECT_FALSE(r.Feed(chain::ByteView(bad.data(), 64)).ok());

  const auto packets = EncodePackets(55, chain::View(chain::Bytes(100, 1)));
  ASSERT_TRUE(r.Feed(chain::ByteView(packets[0].data(), 64)).ok());
  Packet cont = packets[1];
  cont[0] = '!';
  EXPECT_FALSE(r.Feed(chain::ByteView(cont.data(), 64)).ok());
  EXPECT_FALSE(r.in_progress());

  Packet huge{};
  huge[0] = '?';
  huge[1] = '#';
  huge[2] = '#';
  huge[5] = 0xFF;  // 4 GiB announced
  auto s = r.Feed(chain::ByteView(huge.data(), 64));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), "Message too large");
  EXPECT_FALSE(r.Feed(chain::ByteView(huge.data(), 5)).ok());  // shorter than a header
}

}  // namespace
}  // namespace stakeward::mocks::trezor
