// Byte-exact tests of the pure framing functions (ledger.md §1.2, §2; trezor.md §1.1, §1.6).
#include "devices/framing/ledger_hid.h"
#include "devices/framing/speculos.h"
#include "devices/framing/trezor_v1.h"
#include "gtest/gtest.h"
#include "tests/unit/devices/scripted_device.h"

namespace stakeward::devices::framing {
namespace {

using testing::Hex;

std::string ReportHex(const HidReport& r) {
  return chain::HexEncode(chain::ByteView(r.data(), r.size()));
}
std::string Zeros(size_t n) { return std::string(2 * n, '0'); }

TEST(LedgerHidFrame, SingleFrameGetVersion) {
  auto frames = LedgerHidFrame(0x0101, chain::View(Hex("d700000000")));
  ASSERT_EQ(frames.size(), 1u);
  // channel 0101, tag 05, sequence 0000, length 0005, APDU, zero padding to 64 bytes.
  EXPECT_EQ(ReportHex(frames[0]),
            "0101050000"
            "0005"
            "d700000000" +
                Zeros(64 - 12));
}

TEST(LedgerHidFrame, MultiFrameSplitsAt57Then59) {
  chain::Bytes apdu(100);
  for (size_t i = 0; i < apdu.size(); ++i) apdu[i] = static_cast<uint8_t>(i);
  auto frames = LedgerHidFrame(0xabcd, chain::View(apdu));
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(ReportHex(frames[0]).substr(0, 14), "abcd0500000064");
  EXPECT_EQ(frames[0][7], 0);
  EXPECT_EQ(frames[0][63], 56);  // 57 APDU bytes in frame 0
  EXPECT_EQ(ReportHex(frames[1]).substr(0, 10), "abcd050001");
  EXPECT_EQ(frames[1][5], 57);
  EXPECT_EQ(frames[1][5 + 42], 99);
  EXPECT_EQ(frames[1][5 + 43], 0);  // padding
}

TEST(LedgerHidFrame, ExactBoundaryNeedsNoEmptyFrame) {
  chain::Bytes apdu(57 + 59, 0xee);
  EXPECT_EQ(LedgerHidFrame(1, chain::View(apdu)).size(), 2u);
  apdu.push_back(0xee);
  EXPECT_EQ(LedgerHidFrame(1, chain::View(apdu)).size(), 3u);
}

TEST(LedgerHidReassembler, RoundTripsAResponse) {
  chain::Bytes resp(130);
  for (size_t i = 0; i < resp.size(); ++i) resp[i] = static_cast<uint8_t>(i * 7);
  LedgerHidReassembler r(0x1234);
  for (const auto& f : LedgerHidFrame(0x1234, chain::View(resp))) {
    ASSERT_FALSE(r.done());
    ASSERT_TRUE(r.Add(chain::ByteView(f.data(), f.size())).ok());
  }
  ASSERT_TRUE(r.done());
  EXPECT_EQ(r.Take(), resp);
}

TEST(LedgerHidReassembler, RejectsWrongChannelTagSequenceAndSize) {
  auto frames = LedgerHidFrame(0x1234, chain::View(Hex("9000")));
  HidReport f = frames[0];
  {
    HidReport bad = f;
    bad[1] = 0x35;
    LedgerHidReassembler r(0x1234);
    EXPECT_EQ(r.Add(chain::ByteView(bad.data(), bad.size())).code(), absl::StatusCode::kDataLoss);
  }
  {
    HidReport bad = f;
    bad[2] = 0x02;
    LedgerHidReassembler r(0x1234);
    EXPECT_EQ(r.Add(chain::ByteView(bad.data(), bad.size())).code(), absl::StatusCode::kDataLoss);
  }
  {
    HidReport bad = f;
    bad[4] = 1;
    LedgerHidReassembler r(0x1234);
    EXPECT_EQ(r.Add(chain::ByteView(bad.data(), bad.size())).code(), absl::StatusCode::kDataLoss);
  }
  {
    LedgerHidReassembler r(0x1234);
    EXPECT_EQ(r.Add(chain::ByteView(f.data(), 40)).code(), absl::StatusCode::kDataLoss);
  }
  {
    LedgerHidReassembler r(0x1234);
    ASSERT_TRUE(r.Add(chain::ByteView(f.data(), f.size())).ok());
    EXPECT_TRUE(r.done());
    EXPECT_EQ(r.Take(), Hex("9000"));
  }
}

TEST(Speculos, FramesAndReassembles) {
  EXPECT_EQ(chain::HexEncode(SpeculosFrame(chain::View(Hex("d700000000")))), "00000005d700000000");
  SpeculosReassembler r;
  // M = 4 (the version), then 4 data bytes and the status word (ledger.md §2: M excludes SW).
  ASSERT_TRUE(r.Add(chain::View(Hex("000000040701"))).ok());
  EXPECT_FALSE(r.done());
  ASSERT_TRUE(r.Add(chain::View(Hex("03009000"))).ok());
  ASSERT_TRUE(r.done());
  EXPECT_EQ(chain::HexEncode(r.Take()), "070103009000");
}

TEST(Speculos, RejectsOversizedAndTrailingBytes) {
  SpeculosReassembler big;
  EXPECT_EQ(big.Add(chain::View(Hex("7fffffff"))).code(), absl::StatusCode::kDataLoss);
  SpeculosReassembler extra;
  EXPECT_EQ(extra.Add(chain::View(Hex("00000000900000"))).code(), absl::StatusCode::kDataLoss);
}

std::string PacketHex(const TrezorPacket& p) {
  return chain::HexEncode(chain::ByteView(p.data(), p.size()));
}

TEST(TrezorV1, InitializePacketMatchesTheRealClient) {
  // trezor.md §1.6: Initialize{derive_cardano=true}.
  auto packets = TrezorV1Frame(0, chain::View(Hex("1801")));
  ASSERT_EQ(packets.size(), 1u);
  EXPECT_EQ(PacketHex(packets[0]),
            "3f2323"
            "0000"
            "00000002"
            "1801" +
                Zeros(64 - 11));
  auto empty = TrezorV1Frame(55, {});
  ASSERT_EQ(empty.size(), 1u);
  EXPECT_EQ(PacketHex(empty[0]), "3f2323003700000000" + Zeros(64 - 9));
}

TEST(TrezorV1, Eip1559TwoPacketsMatchTheRealClient) {
  // trezor.md §1.6: 85-byte EthereumSignTxEIP1559 = 55 bytes in packet 0, 30 in packet 1.
  const std::string p0 =
      "3f232301c40000005508ac8080800808bc80808008088080808008080008641201001a01142201012a0114322a"
      "30783164316333323837363461343162646130";
  const std::string p1 = "3f34393262363662616133306334613333396666383565663a010a48005001";
  chain::Bytes payload = Hex(p0.substr(18));
  chain::Bytes rest = Hex(p1.substr(2));
  payload.insert(payload.end(), rest.begin(), rest.end());
  ASSERT_EQ(payload.size(), 85u);
  auto packets = TrezorV1Frame(452, chain::View(payload));
  ASSERT_EQ(packets.size(), 2u);
  EXPECT_EQ(PacketHex(packets[0]), p0);
  EXPECT_EQ(PacketHex(packets[1]), p1 + Zeros(64 - 31));

  TrezorV1Reassembler r;
  ASSERT_TRUE(r.Add(chain::ByteView(packets[0].data(), 64)).ok());
  EXPECT_FALSE(r.done());
  // Stale bytes in the padding of the last packet are ignored (the firmware reuses its buffer).
  TrezorPacket last = packets[1];
  last[63] = 0x77;
  ASSERT_TRUE(r.Add(chain::ByteView(last.data(), 64)).ok());
  ASSERT_TRUE(r.done());
  EXPECT_EQ(r.type(), 452);
  EXPECT_EQ(r.TakePayload(), payload);
}

TEST(TrezorV1, RejectsBadMagicSizeAndHugeLength) {
  auto packets = TrezorV1Frame(3, chain::View(Hex("0804")));
  TrezorPacket bad = packets[0];
  bad[1] = '$';
  TrezorV1Reassembler a;
  EXPECT_EQ(a.Add(chain::ByteView(bad.data(), 64)).code(), absl::StatusCode::kDataLoss);
  TrezorV1Reassembler b;
  EXPECT_EQ(b.Add(chain::ByteView(packets[0].data(), 63)).code(), absl::StatusCode::kDataLoss);
  TrezorPacket huge = packets[0];
  huge[5] = 0x7f;
  TrezorV1Reassembler c;
  EXPECT_EQ(c.Add(chain::ByteView(huge.data(), 64)).code(), absl::StatusCode::kDataLoss);
  // A continuation must start with '?'.
  chain::Bytes long_payload(100, 1);
  auto two = TrezorV1Frame(3, chain::View(long_payload));
  TrezorV1Reassembler d;
  ASSERT_TRUE(d.Add(chain::ByteView(two[0].data(), 64)).ok());
  two[1][0] = 0;
  EXPECT_EQ(d.Add(chain::ByteView(two[1].data(), 64)).code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace stakeward::devices::framing
