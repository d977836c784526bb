// The control channel over TCP, and the common building blocks (user model, fault counting,
// screen log, HID framing, READY line).
#include <string>
#include <vector>

#include "firmware-mocks/common/control_server.h"
#include "firmware-mocks/common/ready.h"
#include "firmware-mocks/common/socket_util.h"
#include "firmware-mocks/ledger/hid_framing.h"
#include "firmware-mocks/ledger/ledger_mock.h"
#include "gtest/gtest.h"
#include "tests/unit/mock_ledger/test_host.h"

namespace stakeward::mocks::ledger {
namespace {

using testing::Hex;
using testing::SpeculosClient;

class ControlClient {
 public:
  explicit ControlClient(uint16_t port) : fd_(*ConnectTcp(port)) {}
  std::string Line() {
    absl::StatusOr<std::string> l = ReadLine(fd_.get(), 4096, absl::Now() + absl::Seconds(5));
    return l.ok() ? *l : "<" + l.status().ToString() + ">";
  }
  std::string Cmd(const std::string& c) {
    EXPECT_TRUE(WriteAll(fd_.get(), chain::View(c + "\n")).ok());
    return Line();
  }

 private:
  UniqueFd fd_;
};

TEST(ControlTest, ProtocolOverTcp) {
  LedgerMockOptions o;
  o.control_port = 0;
  LedgerMock mock(o);
  ASSERT_TRUE(mock.Start().ok());
  ASSERT_NE(mock.control_port(), 0);
  ControlClient ctl(mock.control_port());
  EXPECT_EQ(ctl.Cmd("ping"), "OK pong");
  EXPECT_EQ(ctl.Cmd("user reject confirm"), "OK user reject confirm");
  EXPECT_EQ(mock.user().Describe(), "reject:confirm");
  EXPECT_EQ(ctl.Cmd("user approve"), "OK user approve");
  EXPECT_EQ(ctl.Cmd("delay 5"), "OK delay 5");
  EXPECT_EQ(mock.user().delay_ms(), 5u);
  EXPECT_EQ(ctl.Cmd("delay 0"), "OK delay 0");
  EXPECT_EQ(ctl.Cmd("fault explode").substr(0, 4), "ERR ");
  EXPECT_EQ(ctl.Cmd("fault drop after x").substr(0, 4), "ERR ");
  EXPECT_EQ(ctl.Cmd("fault none"), "OK fault none after 0");
  EXPECT_EQ(ctl.Cmd("frobnicate").substr(0, 4), "ERR ");
  EXPECT_EQ(ctl.Cmd("app bitcoin").substr(0, 4), "ERR ");

  // Stats count every APDU exchange and its bytes.
  EXPECT_EQ(ctl.Cmd("stats reset"), "OK stats reset");
  absl::StatusOr<SpeculosClient> c = SpeculosClient::Connect(mock.apdu_port());
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(c->ExchangeHex("d700000000").ok());
  ASSERT_TRUE(c->ExchangeHex("d701000000").ok());
  EXPECT_EQ(ctl.Cmd("stats"), "OK exchanges=2 bytes_in=10 bytes_out=15");

  // Switching apps: the Ethereum app answers, the Cardano APDU gets CLA not supported.
  EXPECT_EQ(ctl.Cmd("app ethereum"), "OK app ethereum");
  absl::StatusOr<chain::Bytes> cfg = c->ExchangeHex("e006000000");
  ASSERT_TRUE(cfg.ok());
  EXPECT_EQ(chain::HexEncode(chain::View(*cfg)), "02010d009000");
  EXPECT_EQ(chain::HexEncode(chain::View(*c->ExchangeHex("d700000000"))), "6e00");
  // B0 01 reports the open app ("Ethereum", version 1.13.0).
  EXPECT_EQ(chain::HexEncode(chain::View(*c->ExchangeHex("b001000000"))),
            "0108457468657265756d06312e31332e300100"
            "9000");
  EXPECT_EQ(ctl.Cmd("app cardano"), "OK app cardano");

  // Screens: a displayed address lands in the log; `screens` lists it, `screens clear` empties.
  EXPECT_EQ(ctl.Cmd("screens clear"), "OK screens clear");
  absl::StatusOr<chain::Bytes> shown = c->ExchangeHex(
      "d7110200180601058000073c80000717800000000000000000000000"
      "11");
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(chain::HexEncode(chain::View(*shown)), "9000");
  EXPECT_EQ(ctl.Cmd("screens"), "OK 1");
  // specs/ledger.md §7.2 mainnet enterprise address (payment 1852'/1815'/0'/0/0).
  EXPECT_EQ(ctl.Line(), "Address addr1v9kl5z2zd9vakyprvw0g68c8hv0y0rnj93htc82hh2rs8wg563rg5");
  EXPECT_EQ(ctl.Cmd("screens clear"), "OK screens clear");
  EXPECT_EQ(ctl.Cmd("screens"), "OK 0");

  // A rejection set over the control channel reaches the device.
  EXPECT_EQ(ctl.Cmd("user reject address"), "OK user reject address");
  absl::StatusOr<chain::Bytes> refused = c->ExchangeHex(
      "d7110200180601058000073c80000717800000000000000000000000"
      "11");
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(chain::HexEncode(chain::View(*refused)), "6e09");
}

TEST(CommonTest, UserModel) {
  UserModel u;
  EXPECT_TRUE(u.Decide("fee"));
  ASSERT_TRUE(u.Configure("reject:fee").ok());
  EXPECT_FALSE(u.Decide("fee"));
  EXPECT_TRUE(u.Decide("confirm"));
  ASSERT_TRUE(u.Configure("reject:any").ok());
  EXPECT_FALSE(u.Decide("confirm"));
  ASSERT_TRUE(u.Configure("approve").ok());
  EXPECT_TRUE(u.Decide("confirm"));
  EXPECT_FALSE(u.Configure("reject:").ok());
  EXPECT_FALSE(u.Configure("maybe").ok());
}

TEST(CommonTest, FaultInjectorCountsFrames) {
  FaultInjector f;
  EXPECT_EQ(f.NextFrame(), Fault::kNone);
  f.Arm(Fault::kTruncate, 2);
  EXPECT_EQ(f.NextFrame(), Fault::kNone);
  EXPECT_EQ(f.NextFrame(), Fault::kNone);
  EXPECT_EQ(f.NextFrame(), Fault::kTruncate);
  EXPECT_EQ(f.NextFrame(), Fault::kNone);  // one-shot
  EXPECT_EQ(f.fired(), 1u);
  chain::Bytes b = {1, 2, 3, 4, 5};
  FaultInjector::Truncate(b);
  EXPECT_EQ(b.size(), 2u);
  chain::Bytes c = {0, 0, 0};
  FaultInjector::Corrupt(c);
  EXPECT_NE(c, (chain::Bytes{0, 0, 0}));
  EXPECT_FALSE(ParseFault("melt").ok());
  EXPECT_EQ(*ParseFault("wrong-channel"), Fault::kWrongChannel);
}

TEST(CommonTest, ScreenLogFormatsAda) {
  EXPECT_EQ(ScreenLog::FormatAda(171000), "0.171 ADA");
  EXPECT_EQ(ScreenLog::FormatAda(2000000), "2 ADA");
  EXPECT_EQ(ScreenLog::FormatAda(1), "0.000001 ADA");
  EXPECT_EQ(ScreenLog::FormatAda(45'000'000'000'000'000ull), "45000000000 ADA");
  ScreenLog log;
  log.Add("two\nlines");
  EXPECT_EQ(log.Lines(), std::vector<std::string>{"two lines"});
}

TEST(CommonTest, ReadyLine) {
  EXPECT_EQ(FormatReadyLine({TcpUri(9999), "hidsock:/tmp/x"}, 4242),
            "READY tcp:127.0.0.1:9999 hidsock:/tmp/x control:127.0.0.1:4242");
}

TEST(HidFramingTest, RoundTripAndErrors) {
  chain::Bytes msg(150);
  for (size_t i = 0; i < msg.size(); ++i) msg[i] = static_cast<uint8_t>(i);
  std::vector<HidReport> reports = FrameMessage(0x0101, chain::View(msg));
  ASSERT_EQ(reports.size(), 3u);  // 57 + 59 + 34
  EXPECT_EQ(chain::HexEncode(chain::ByteView(reports[0].data(), 7)), "01010500000096");
  EXPECT_EQ(chain::HexEncode(chain::ByteView(reports[2].data(), 5)), "0101050002");
  HidReassembler r;
  std::optional<chain::Bytes> out;
  for (const HidReport& rep : reports) {
    absl::StatusOr<std::optional<chain::Bytes>> s = r.Add(rep);
    ASSERT_TRUE(s.ok());
    if (s->has_value()) out = **s;
  }
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(*out, msg);
  // Sequence gap and bad tag are errors.
  HidReassembler r2;
  ASSERT_TRUE(r2.Add(reports[0]).ok());
  EXPECT_FALSE(r2.Add(reports[2]).ok());
  HidReport bad = reports[0];
  bad[2] = 0x02;
  EXPECT_FALSE(HidReassembler().Add(bad).ok());
}

}  // namespace
}  // namespace stakeward::mocks::ledger
