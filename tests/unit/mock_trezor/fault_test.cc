// Transport faults on device->host packets: the host always gets a clean, bounded error (never a
// hang), and the mock keeps serving afterwards. Also the control channel that arms them.
#include <string>

#include "firmware-mocks/common/socket_util.h"
#include "proto/trezor/messages_cardano.pb.h"
#include "proto/trezor/messages_common.pb.h"
#include "tests/unit/mock_trezor/fixture_util.h"

namespace stakeward::mocks::trezor::testing {
namespace {

namespace cm = hw::trezor::messages::cardano;

struct FaultCase {
  Fault fault;
  uint32_t after;
  absl::StatusCode expected;
};

class FaultInjection : public ::testing::TestWithParam<FaultCase> {};

TEST_P(FaultInjection, HostSeesCleanErrorThenDeviceRecovers) {
  auto rig = Rig::Start();
  ASSERT_NE(rig, nullptr);
  rig->mock->faults().Arm(GetParam().fault, GetParam().after);
  // Features is several packets long, so "after 1" hits a continuation packet.
  ASSERT_TRUE(rig->host->Send(55, {}).ok());
  const absl::Time start = absl::Now();
  auto reply = rig->host->Receive(absl::Milliseconds(700));
  EXPECT_LT(absl::Now() - start, absl::Seconds(3));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), GetParam().expected) << reply.status();
  EXPECT_EQ(rig->mock->faults().fired(), 1u);

  rig->host->Drain();
  auto again = rig->host->Call(55, chain::ByteView());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->type, 17);
}

INSTANTIATE_TEST_SUITE_P(
    Faults, FaultInjection,
    // Dropping the first packet leaves the host with a continuation packet where a header
    // belongs: it sees a framing error. Dropping a later one leaves it waiting.
    ::testing::Values(FaultCase{Fault::kDrop, 0, absl::StatusCode::kDataLoss},
                      FaultCase{Fault::kDrop, 1, absl::StatusCode::kDeadlineExceeded},
                      FaultCase{Fault::kCorrupt, 0, absl::StatusCode::kDataLoss},
                      FaultCase{Fault::kCorrupt, 1, absl::StatusCode::kDataLoss},
                      FaultCase{Fault::kTruncate, 0, absl::StatusCode::kDataLoss},
                      FaultCase{Fault::kWrongChannel, 0, absl::StatusCode::kDataLoss},
                      FaultCase{Fault::kDisconnect, 0, absl::StatusCode::kDeadlineExceeded},
                      FaultCase{Fault::kDisconnect, 1, absl::StatusCode::kDeadlineExceeded}));

TEST(FaultInjection, DisconnectLosesTheSession) {
  auto rig = Rig::Start();
  ASSERT_NE(rig, nullptr);
  rig->Initialize(/*derive_cardano=*/true);
  rig->mock->faults().Arm(Fault::kDisconnect, 0);
  ASSERT_TRUE(rig->host->Send(55, {}).ok());
  EXPECT_FALSE(rig->host->Receive(absl::Milliseconds(300)).ok());

  cm::CardanoGetPublicKey req;
  for (uint32_t i : PathOf("m/1852'/1815'/0'")) req.add_address_n(i);
  req.set_derivation_type(cm::ICARUS);
  auto reply = rig->host->Call(305, req);
  ASSERT_TRUE(reply.ok());
  ASSERT_EQ(reply->type, 3);
  hw::trezor::messages::common::Failure f;
  ASSERT_TRUE(f.ParseFromArray(reply->payload.data(), reply->payload.size()));
  EXPECT_EQ(f.message(), "Cardano derivation is not enabled for this session");
}

TEST(FaultInjection, PingAnsweredInTheMiddleOfAMultiPacketMessage) {
  auto rig = Rig::Start();
  ASSERT_NE(rig, nullptr);
  // First packet of a 2-packet CardanoGetPublicKey-sized message, then a ping, then the rest.
  std::string payload(80, '\0');
  const auto packets = EncodePackets(55, chain::View(std::string_view(payload)));
  ASSERT_EQ(packets.size(), 2u);
  ASSERT_TRUE(rig->host->SendRaw(chain::ByteView(packets[0].data(), 64)).ok());
  EXPECT_TRUE(rig->host->Ping());
  ASSERT_TRUE(rig->host->SendRaw(chain::ByteView(packets[1].data(), 64)).ok());
  auto reply = rig->host->Receive();
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->type, 17);
}

// @trezor/transport re-pings every 500 ms while listening: liveness must not wait for the user.
TEST(FaultInjection, PingAnsweredWhileTheUserThinks) {
  MockTrezorOptions options;
  options.delay_ms = 1500;
  auto rig = Rig::Start(options);
  ASSERT_NE(rig, nullptr);
  rig->Initialize();
  cm::CardanoGetPublicKey req;
  for (uint32_t i : PathOf("m/1852'/1815'/0'")) req.add_address_n(i);
  req.set_derivation_type(cm::ICARUS_TREZOR);
  req.set_show_display(true);
  const std::string bytes = req.SerializeAsString();
  ASSERT_TRUE(rig->host->Send(305, chain::View(std::string_view(bytes))).ok());
  auto button = rig->host->Receive();
  ASSERT_TRUE(button.ok());
  ASSERT_EQ(button->type, 26);
  ASSERT_TRUE(rig->host->Send(27, {}).ok());  // the user now "thinks" for 1.5 s
  const absl::Time start = absl::Now();
  EXPECT_TRUE(rig->host->Ping(absl::Milliseconds(500)));
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(1000));
  auto pk = rig->host->Receive();
  ASSERT_TRUE(pk.ok()) << pk.status();
  EXPECT_EQ(pk->type, 306);
}

TEST(ControlChannel, ArmsFaultsAndReportsScreens) {
  MockTrezorOptions options;
  MockTrezor mock(options);
  ASSERT_TRUE(mock.Start().ok());
  auto host = UdpHost::Connect(mock.port());
  ASSERT_TRUE(host.ok());
  auto ctl = ConnectTcp(mock.control_port());
  ASSERT_TRUE(ctl.ok()) << ctl.status();
  auto command = [&](const std::string& line) {
    EXPECT_TRUE(WriteAll(ctl->get(), chain::View(std::string_view(line + "\n"))).ok());
    auto reply = ReadLine(ctl->get(), 4096, absl::Now() + absl::Seconds(5));
    EXPECT_TRUE(reply.ok());
    return reply.ok() ? *reply : std::string();
  };
  EXPECT_EQ(command("ping"), "OK pong");
  EXPECT_EQ(command("fault drop").rfind("OK", 0), 0u);
  // Success{message} fits in one packet, so the drop loses the whole reply.
  hw::trezor::messages::management::Ping ping;
  ping.set_message("x");
  const std::string ping_bytes = ping.SerializeAsString();
  ASSERT_TRUE(host->Send(1, chain::View(std::string_view(ping_bytes))).ok());
  auto lost = host->Receive(absl::Milliseconds(300));
  EXPECT_EQ(lost.status().code(), absl::StatusCode::kDeadlineExceeded);
  host->Drain();

  // A public key shown on the display produces a ButtonRequest and a screen line.
  hw::trezor::messages::management::Initialize init;
  init.set_derive_cardano(true);
  ASSERT_TRUE(host->Call(0, init).ok());
  cm::CardanoGetPublicKey req;
  for (uint32_t i : PathOf("m/1852'/1815'/0'")) req.add_address_n(i);
  req.set_derivation_type(cm::ICARUS_TREZOR);
  req.set_show_display(true);
  int button_requests = 0;
  auto pk = host->Call(305, req, &button_requests);
  ASSERT_TRUE(pk.ok());
  EXPECT_EQ(pk->type, 306);
  EXPECT_EQ(button_requests, 1);
  EXPECT_EQ(command("screens"), "OK 1");
  const std::string line = *ReadLine(ctl->get(), 4096, absl::Now() + absl::Seconds(5));
  EXPECT_NE(line.find("m/1852'/1815'/0'"), std::string::npos) << line;

  EXPECT_EQ(command("user reject pubkey"), "OK user reject pubkey");
  auto rejected = host->Call(305, req);
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->type, 3);
  mock.Stop();
}

}  // namespace
}  // namespace stakeward::mocks::trezor::testing
