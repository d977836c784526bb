// The simulated user rejecting each confirmation step of a signing flow: the host gets
// Failure(ActionCancelled, "Cancelled") at that step, the screen log shows what was on the display,
// and the device serves the next request normally.
#include <string>

#include "proto/trezor/messages_common.pb.h"
#include "tests/unit/mock_trezor/fixture_util.h"

namespace stakeward::mocks::trezor::testing {
namespace {

struct RejectCase {
  std::string description;  // transcript to replay
  std::string step;         // user-model step to reject
  std::string screen;       // substring of the rejected screen's log line
};

class UserRejects : public ::testing::TestWithParam<RejectCase> {};

TEST_P(UserRejects, HostGetsActionCancelled) {
  const auto all = LoadVector("cardano_sign_tx_transcripts.json");
  const nlohmann::json* transcript = nullptr;
  for (const auto& t : all["transcripts"]) {
    if (t["description"] == GetParam().description) transcript = &t;
  }
  ASSERT_NE(transcript, nullptr);
  MockTrezorOptions options;
  options.user = "reject:" + GetParam().step;
  auto rig = Rig::Start(options);
  ASSERT_NE(rig, nullptr);
  rig->Initialize();
  bool cancelled = false;
  for (const auto& step : (*transcript)["steps"]) {
    const chain::Bytes payload = Unhex(step["host"]["payload_hex"]);
    auto reply = rig->host->Call(step["host"]["type"].get<uint16_t>(), chain::View(payload));
    ASSERT_TRUE(reply.ok()) << reply.status();
    if (reply->type == 3) {
      hw::trezor::messages::common::Failure f;
      ASSERT_TRUE(f.ParseFromArray(reply->payload.data(), reply->payload.size()));
      EXPECT_EQ(f.code(), hw::trezor::messages::common::Failure::Failure_ActionCancelled);
      EXPECT_EQ(f.message(), "Cancelled");
      cancelled = true;
      break;
    }
  }
  ASSERT_TRUE(cancelled) << "no screen of step " << GetParam().step;
  const auto lines = rig->mock->screens().Lines();
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines.back().find(GetParam().screen), std::string::npos) << lines.back();
  auto features = rig->host->Call(55, chain::ByteView());
  ASSERT_TRUE(features.ok());
  EXPECT_EQ(features->type, 17);
}

const char kMultisig[] =
    "Multisig transaction with stake registration and stake delegation certificates";
const char kDeregWithdrawal[] = "transaction with stake deregistration and withdrawal";

INSTANTIATE_TEST_SUITE_P(
    Steps, UserRejects,
    ::testing::Values(RejectCase{kMultisig, "init", "multisig"},
                      RejectCase{kMultisig, "output", "Send 0.000001 ADA to addr1"},
                      RejectCase{kMultisig, "certificate", "Stake key registration: script"},
                      RejectCase{kMultisig, "fee", "Transaction fee: 0.000042 ADA"},
                      RejectCase{kMultisig, "ttl", "Valid until slot 10"},
                      RejectCase{kMultisig, "confirm", "Sign multisig transaction?"},
                      RejectCase{kMultisig, "witness", "m/1854'/1815'/0'/0/0"},
                      RejectCase{kMultisig, "any", "multisig"},
                      RejectCase{kDeregWithdrawal, "withdrawal", "Withdraw 0.001 ADA from stake1"}),
    [](const ::testing::TestParamInfo<RejectCase>& info) {
      return std::to_string(info.index) + "_" + info.param.step;
    });

}  // namespace
}  // namespace stakeward::mocks::trezor::testing
