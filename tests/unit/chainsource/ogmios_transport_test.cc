// OgmiosSource against a tiny in-test WebSocket server that answers well, badly or never: every
// case ends with a clear Status within the deadline (no crash, no hang).
#include <string>

#include "chainsource/ogmios_source.h"
#include "chainsource/websocket_rpc.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/unit/chainsource/test_servers.h"

namespace stakeward::chainsource {
namespace {

using testing::WsReply;
using testing::WsServer;

// Echoes the request id into `result_json` for the requested method.
WsReply Answer(const std::string& request, const std::string& result_json) {
  auto j = nlohmann::json::parse(request);
  return {WsReply::kText, "{\"jsonrpc\":\"2.0\",\"method\":" + j["method"].dump() +
                              ",\"result\":" + result_json + ",\"id\":" + j["id"].dump() + "}"};
}

std::unique_ptr<OgmiosSource> Connect(const WsServer& server) {
  auto s = OgmiosSource::Create(server.url());
  EXPECT_TRUE(s.ok()) << s.status();
  return std::move(*s);
}

TEST(OgmiosTransport, GoodAnswerDecodes) {
  WsServer server([](const std::string& req) { return Answer(req, "510"); });
  auto src = Connect(server);
  auto epoch = src->QueryEpoch(absl::Seconds(30));
  ASSERT_TRUE(epoch.ok()) << epoch.status();
  EXPECT_EQ(*epoch, 510u);
  // The connection is reused for a second call.
  EXPECT_TRUE(src->QueryEpoch(absl::Seconds(30)).ok());
}

TEST(OgmiosTransport, SilentServerHitsTheDeadline) {
  WsServer server([](const std::string&) { return WsReply{WsReply::kSilent, ""}; });
  auto src = Connect(server);
  auto epoch = src->QueryEpoch(absl::Milliseconds(200));
  EXPECT_EQ(epoch.status().code(), absl::StatusCode::kDeadlineExceeded) << epoch.status();
  EXPECT_NE(epoch.status().message().find("in time"), std::string::npos);
}

TEST(OgmiosTransport, TruncatedFrameIsUnavailable) {
  WsServer server([](const std::string&) { return WsReply{WsReply::kTruncatedFrame, ""}; });
  auto src = Connect(server);
  auto epoch = src->QueryEpoch(absl::Seconds(30));
  EXPECT_EQ(epoch.status().code(), absl::StatusCode::kUnavailable) << epoch.status();
}

TEST(OgmiosTransport, ClosedConnectionIsUnavailable) {
  WsServer server([](const std::string&) { return WsReply{WsReply::kClose, ""}; });
  auto src = Connect(server);
  EXPECT_EQ(src->QueryEpoch(absl::Seconds(30)).status().code(), absl::StatusCode::kUnavailable);
}

TEST(OgmiosTransport, RefusedConnectionIsUnavailable) {
  unsigned short port;
  {
    WsServer gone([](const std::string&) { return WsReply{}; });
    port = gone.port();
  }
  auto src = OgmiosSource::Create("ws://127.0.0.1:" + std::to_string(port));
  ASSERT_TRUE(src.ok());
  EXPECT_EQ((*src)->QueryEpoch(absl::Seconds(30)).status().code(), absl::StatusCode::kUnavailable);
}

TEST(OgmiosTransport, MalformedAnswersAreInvalidArgument) {
  struct Case {
    const char* name;
    std::string reply;
  };
  const Case cases[] = {
      {"not json", "{\"jsonrpc\":\"2.0\",\"result\":"},
      {"not json-rpc", "{\"result\":5}"},
      {"wrong type",
       "{\"jsonrpc\":\"2.0\",\"method\":\"queryLedgerState/epoch\",\"result\":{\"epoch\":1}}"},
      {"huge number",
       "{\"jsonrpc\":\"2.0\",\"method\":\"queryLedgerState/"
       "epoch\",\"result\":123456789012345678901234567890}"},
      {"negative", "{\"jsonrpc\":\"2.0\",\"method\":\"queryLedgerState/epoch\",\"result\":-1}"},
      {"no result", "{\"jsonrpc\":\"2.0\",\"method\":\"queryLedgerState/epoch\"}"},
      {"other method", "{\"jsonrpc\":\"2.0\",\"method\":\"queryLedgerState/tip\",\"result\":5}"},
      {"other id",
       "{\"jsonrpc\":\"2.0\",\"method\":\"queryLedgerState/epoch\",\"result\":5,\"id\":999}"},
      {"array", "[1,2,3]"},
  };
  for (const Case& c : cases) {
    WsServer server([&c](const std::string&) { return WsReply{WsReply::kText, c.reply}; });
    auto src = Connect(server);
    auto epoch = src->QueryEpoch(absl::Seconds(30));
    EXPECT_EQ(epoch.status().code(), absl::StatusCode::kInvalidArgument)
        << c.name << ": " << epoch.status();
  }
}

TEST(OgmiosTransport, MissingFieldsNameTheField) {
  WsServer server([](const std::string& req) {
    return Answer(req, "{\"treasury\":{\"ada\":{\"lovelace\":5}}}");
  });
  auto src = Connect(server);
  auto pots = src->QueryTreasuryAndReserves(absl::Seconds(30));
  EXPECT_EQ(pots.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(pots.status().message().find("reserves"), std::string::npos) << pots.status();
}

TEST(OgmiosTransport, BinaryMessageIsRejected) {
  WsServer server([](const std::string&) { return WsReply{WsReply::kBinary, "\x01\x02"}; });
  auto src = Connect(server);
  EXPECT_EQ(src->QueryEpoch(absl::Seconds(30)).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(OgmiosTransport, SubmitErrorsCarryAdvice) {
  WsServer server([](const std::string& req) {
    auto j = nlohmann::json::parse(req);
    EXPECT_EQ(j["method"], "submitTransaction");
    EXPECT_EQ(j["params"]["transaction"]["cbor"], "84a0");
    return WsReply{WsReply::kText,
                   "{\"jsonrpc\":\"2.0\",\"method\":\"submitTransaction\",\"error\":{\"code\":3117,"
                   "\"message\":\"unknown "
                   "output references\",\"data\":{\"unknownOutputReferences\":[]}},\"id\":" +
                       j["id"].dump() + "}"};
  });
  auto src = Connect(server);
  const uint8_t tx[] = {0x84, 0xa0};
  auto r = src->SubmitTransaction(chain::ByteView(tx, 2), absl::Seconds(30));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("fresh snapshot"), std::string::npos) << r.status();
}

// Issue 13: a watched transaction is on chain while one of its outputs is unspent; its inputs all
// unspent prove it is not applied. One queryLedgerState/utxo by outputReferences asks for both.
TEST(OgmiosTransport, ObserveTransactionsAsksForOutputsAndInputs) {
  const std::string applied(64, 'a'), pending(64, 'b'), funding(64, 'c');
  nlohmann::json asked;
  WsServer server([&](const std::string& req) {
    auto j = nlohmann::json::parse(req);
    asked = j;
    const std::string addr =
        "addr_test1qz8e80xgmrud72t8gv8f5eaz5neutcg8u804nj29l280xl67t7unjkzrcat8s0p8xcah6uun78jutua"
        "7wu6hatets23qx9mrl7";
    nlohmann::json out = nlohmann::json::array();
    // `applied` output 1 is unspent; `pending`'s input (funding#0) is unspent.
    for (const auto& [tx, ix] : {std::pair{applied, 1}, std::pair{funding, 0}}) {
      out.push_back({{"transaction", {{"id", tx}}},
                     {"index", ix},
                     {"address", addr},
                     {"value", {{"ada", {{"lovelace", 5000000}}}}}});
    }
    return Answer(req, out.dump());
  });
  auto src = Connect(server);
  chain::Hash32 a{}, b{}, c{};
  a.fill(0xaa);
  b.fill(0xbb);
  c.fill(0xcc);
  const WatchedTx txs[] = {{a, 2, {chain::TxIn{c, 5}}}, {b, 1, {chain::TxIn{c, 0}}}};
  auto r = src->ObserveTransactions(txs, absl::Seconds(30));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(asked["method"], "queryLedgerState/utxo");
  // Two outputs and one input of the first, one output and one input of the second.
  EXPECT_EQ(asked["params"]["outputReferences"].size(), 5u);
  ASSERT_EQ(r->size(), 2u);
  EXPECT_TRUE((*r)[0].on_chain);
  EXPECT_FALSE((*r)[0].inputs_unspent);
  EXPECT_FALSE((*r)[0].confirmations.has_value());
  EXPECT_FALSE((*r)[1].on_chain);
  EXPECT_TRUE((*r)[1].inputs_unspent);
}

TEST(OgmiosTransport, OversizedMessageIsRejected) {
  WsServer server([](const std::string&) {
    return WsReply{WsReply::kText, std::string(4096, ' ') + "1"};
  });
  auto url = ParseWsUrl(server.url());
  ASSERT_TRUE(url.ok());
  WebSocketRpc rpc(*url, 1024);
  auto r = rpc.Call("{}", absl::Seconds(30));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted) << r.status();
}

TEST(OgmiosTransport, RejectsBadUrls) {
  EXPECT_FALSE(OgmiosSource::Create("http://127.0.0.1:1337").ok());
  EXPECT_FALSE(OgmiosSource::Create("wss://example.org").ok());
  EXPECT_FALSE(OgmiosSource::Create("ws://:1337").ok());
  EXPECT_FALSE(OgmiosSource::Create("ws://host:99999").ok());
}

}  // namespace
}  // namespace stakeward::chainsource
