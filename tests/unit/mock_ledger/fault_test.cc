// Fault injection: for every fault, a host with a deadline sees a clean error (timeout, closed
// connection or bad frame), never a hang, and the mock keeps serving new connections.
#include <memory>
#include <string>

#include "firmware-mocks/ledger/ledger_mock.h"
#include "gtest/gtest.h"
#include "tests/unit/mock_ledger/test_host.h"

namespace stakeward::mocks::ledger {
namespace {

using testing::Hex;
using testing::HidClient;
using testing::SpeculosClient;

constexpr absl::Duration kDeadline = absl::Milliseconds(400);
// GET_EXT_PUBLIC_KEY 1852'/1815'/0'/0/0: a 66-byte reply, two HID reports.
constexpr char kXPubApdu[] = "d710000015058000073c80000717800000000000000000000000";

struct FaultCase {
  const char* fault;
  absl::StatusCode code;
};

class SpeculosFaultTest : public ::testing::TestWithParam<FaultCase> {};

TEST_P(SpeculosFaultTest, ClientSeesCleanError) {
  LedgerMock mock(LedgerMockOptions{});
  ASSERT_TRUE(mock.Start().ok());
  absl::StatusOr<SpeculosClient> c = SpeculosClient::Connect(mock.apdu_port());
  ASSERT_TRUE(c.ok());
  // The first reply passes, the second is hit ("after 1").
  ASSERT_EQ(mock.Control(std::string("fault ") + GetParam().fault + " after 1")[0].substr(0, 2),
            "OK");
  ASSERT_TRUE(c->Exchange(Hex("d700000000"), kDeadline).ok());
  const absl::Time start = absl::Now();
  absl::StatusOr<chain::Bytes> r = c->Exchange(Hex("d700000000"), kDeadline);
  EXPECT_LT(absl::Now() - start, kDeadline + absl::Seconds(1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), GetParam().code) << r.status();
  EXPECT_EQ(mock.faults().fired(), 1u);
  // The fault was one-shot: a fresh connection is served normally.
  absl::StatusOr<SpeculosClient> c2 = SpeculosClient::Connect(mock.apdu_port());
  ASSERT_TRUE(c2.ok());
  absl::StatusOr<chain::Bytes> ok = c2->Exchange(Hex("d700000000"), absl::Seconds(5));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(chain::HexEncode(chain::View(*ok)), "070103009000");
}

INSTANTIATE_TEST_SUITE_P(Faults, SpeculosFaultTest,
                         ::testing::Values(FaultCase{"drop", absl::StatusCode::kDeadlineExceeded},
                                           FaultCase{"corrupt", absl::StatusCode::kDataLoss},
                                           FaultCase{"truncate",
                                                     absl::StatusCode::kDeadlineExceeded},
                                           FaultCase{"disconnect", absl::StatusCode::kUnavailable},
                                           FaultCase{"wrong-channel", absl::StatusCode::kDataLoss}),
                         [](const ::testing::TestParamInfo<FaultCase>& i) {
                           std::string n = i.param.fault;
                           for (char& ch : n) {
                             if (ch == '-') ch = '_';
                           }
                           return n;
                         });

class HidFaultTest : public ::testing::TestWithParam<FaultCase> {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "mock_ledger_hid_" + std::to_string(::getpid()) + ".sock";
    LedgerMockOptions o;
    o.hid_socket = path_;
    mock_ = std::make_unique<LedgerMock>(o);
    ASSERT_TRUE(mock_->Start().ok());
  }
  std::string path_;
  std::unique_ptr<LedgerMock> mock_;
};

TEST_P(HidFaultTest, ClientSeesCleanError) {
  absl::StatusOr<HidClient> c = HidClient::Connect(path_, 0x0101);
  ASSERT_TRUE(c.ok()) << c.status();
  // The second report of the 66-byte reply is hit.
  ASSERT_EQ(mock_->Control(std::string("fault ") + GetParam().fault + " after 1")[0].substr(0, 2),
            "OK");
  const absl::Time start = absl::Now();
  absl::StatusOr<chain::Bytes> r = c->Exchange(Hex(kXPubApdu), kDeadline);
  EXPECT_LT(absl::Now() - start, kDeadline + absl::Seconds(1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), GetParam().code) << r.status();
  absl::StatusOr<HidClient> c2 = HidClient::Connect(path_, 0x2a2a);
  ASSERT_TRUE(c2.ok());
  absl::StatusOr<chain::Bytes> ok = c2->Exchange(Hex(kXPubApdu), absl::Seconds(5));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->size(), 66u);
}

INSTANTIATE_TEST_SUITE_P(Faults, HidFaultTest,
                         ::testing::Values(FaultCase{"drop", absl::StatusCode::kDeadlineExceeded},
                                           FaultCase{"corrupt", absl::StatusCode::kDataLoss},
                                           FaultCase{"truncate",
                                                     absl::StatusCode::kDeadlineExceeded},
                                           FaultCase{"disconnect", absl::StatusCode::kUnavailable},
                                           FaultCase{"wrong-channel", absl::StatusCode::kDataLoss}),
                         [](const ::testing::TestParamInfo<FaultCase>& i) {
                           std::string n = i.param.fault;
                           for (char& ch : n) {
                             if (ch == '-') ch = '_';
                           }
                           return n;
                         });

TEST(HidSocketTest, MultiFrameExchangeOnTheRequestChannel) {
  const std::string path =
      ::testing::TempDir() + "mock_ledger_hid_ok_" + std::to_string(::getpid()) + ".sock";
  LedgerMockOptions o;
  o.hid_socket = path;
  LedgerMock mock(o);
  ASSERT_TRUE(mock.Start().ok());
  EXPECT_EQ(mock.DeviceUris().back(), "hidsock:" + path);
  absl::StatusOr<HidClient> c = HidClient::Connect(path, 0xbeef);
  ASSERT_TRUE(c.ok());
  absl::StatusOr<chain::Bytes> v = c->Exchange(Hex("d700000000"));
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(chain::HexEncode(chain::View(*v)), "070103009000");
  absl::StatusOr<chain::Bytes> x = c->Exchange(Hex(kXPubApdu));
  ASSERT_TRUE(x.ok()) << x.status();
  EXPECT_EQ(chain::HexEncode(chain::ByteView(x->data(), 32)),
            "a2407e58763716a3923508a49489a4897e1f36d3b623c120554c6257dc3dc0b9");
}

}  // namespace
}  // namespace stakeward::mocks::ledger
