// The EVM client against a node that lies: each row has the node answer one call wrongly (a hash
// of another transaction, a receipt of another transaction, another chain, an answer to another
// request, an HTTP error page) and shows the refusal; control rows with honest answers show the
// same calls succeed, so the refusals come from the checks, not from the test server.
#include <functional>
#include <string>

#include "chain/hash.h"
#include "gtest/gtest.h"
#include "l2/evm_rpc.h"
#include "nlohmann/json.hpp"
#include "tests/unit/chainsource/test_servers.h"

namespace stakeward::l2 {
namespace {

using chainsource::testing::HttpReply;
using chainsource::testing::HttpServer;
using Json = nlohmann::json;

const chain::Bytes kRaw = {0x02, 0xf8, 0x6b, 0x83, 0x03, 0x0d, 0x75, 0x80};  // bytes as sent

std::string Hex(chain::ByteView b) { return "0x" + chain::HexEncode(b); }

std::string ReceiptFor(const std::string& tx_hash) {
  Json r = Json::parse(R"({"blockNumber": "0x1b4", "blockHash":
    "0x2222222222222222222222222222222222222222222222222222222222222222",
    "status": "0x1", "gasUsed": "0x5208", "effectiveGasPrice": "0x3b9aca07",
    "contractAddress": null, "logs": []})");
  r["transactionHash"] = tx_hash;
  return r.dump();
}

struct Row {
  std::string name;
  // The node's "result" (JSON text) for the call, or the whole HTTP reply when `raw` is set.
  std::string result;
  bool raw = false;
  int http_status = 200;
  bool other_id = false;
  std::function<absl::Status(EvmRpc&)> call;
  absl::StatusCode want;
  std::string want_text;  // part of the message
};

const chain::Hash32 kOwnHash = chain::Keccak256(chain::View(kRaw));
const std::string kOther = "0x" + std::string(64, '1');

absl::Status Send(EvmRpc& rpc) { return rpc.SendRawTransaction(chain::View(kRaw)).status(); }
absl::Status Receipt(EvmRpc& rpc) { return rpc.GetReceipt(kOwnHash).status(); }
absl::Status Chain(EvmRpc& rpc) { return rpc.CheckChainId(200101); }

std::vector<Row> Rows() {
  const std::string own = "\"" + Hex(chain::View(kOwnHash)) + "\"";
  return {
      {"SendHonest", own, false, 200, false, Send, absl::StatusCode::kOk, ""},
      {"SendNamesAnotherHash", "\"" + kOther + "\"", false, 200, false, Send,
       absl::StatusCode::kInvalidArgument, "another transaction hash"},
      {"ReceiptHonest", ReceiptFor(Hex(chain::View(kOwnHash))), false, 200, false, Receipt,
       absl::StatusCode::kOk, ""},
      {"ReceiptOfAnotherTransaction", ReceiptFor(kOther), false, 200, false, Receipt,
       absl::StatusCode::kInvalidArgument, "receipt of another transaction"},
      {"ChainHonest", "\"0x30da5\"", false, 200, false, Chain, absl::StatusCode::kOk, ""},
      {"ChainIsAnother", "\"0x1\"", false, 200, false, Chain, absl::StatusCode::kFailedPrecondition,
       "serves chain 1, not 200101"},
      {"AnswerToAnotherRequest", own, false, 200, true, Send, absl::StatusCode::kInvalidArgument,
       "eth_sendRawTransaction"},
      {"HttpErrorPage", "<html>bad gateway</html>", true, 502, false, Send,
       absl::StatusCode::kUnavailable, "HTTP 502"},
  };
}

class LyingNode : public ::testing::TestWithParam<Row> {};

TEST_P(LyingNode, Refused) {
  const Row& row = GetParam();
  HttpServer node([&](const std::string&, const std::string&, const std::string& body) {
    if (row.raw) return HttpReply{row.http_status, row.result};
    const Json req = Json::parse(body);
    const Json id = row.other_id ? Json(req["id"].get<int64_t>() + 1000) : req["id"];
    return HttpReply{
        row.http_status,
        Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", Json::parse(row.result)}}.dump()};
  });
  absl::StatusOr<EvmRpc> rpc = EvmRpc::Create(node.url(), absl::Seconds(10));
  ASSERT_TRUE(rpc.ok()) << rpc.status();
  const absl::Status got = row.call(*rpc);
  EXPECT_EQ(got.code(), row.want) << got;
  EXPECT_NE(std::string(got.message()).find(row.want_text), std::string::npos) << got;
}

INSTANTIATE_TEST_SUITE_P(Rows, LyingNode, ::testing::ValuesIn(Rows()),
                         [](const ::testing::TestParamInfo<Row>& i) { return i.param.name; });

}  // namespace
}  // namespace stakeward::l2
