// EVM JSON-RPC answers: shapes as go-ethereum's ethapi and the Ethereum execution API spec
// (execution-apis, schemas/receipt.yaml, log.yaml) define them; every malformed row is refused
// with INVALID_ARGUMENT naming the field.
#include "l2/evm_decode.h"

#include <string>

#include "gtest/gtest.h"

namespace stakeward::l2 {
namespace {

Json ReceiptJson() {
  return Json::parse(R"({
    "transactionHash": "0x1111111111111111111111111111111111111111111111111111111111111111",
    "blockNumber": "0x1b4", "blockHash":
    "0x2222222222222222222222222222222222222222222222222222222222222222",
    "status": "0x1", "gasUsed": "0x5208", "effectiveGasPrice": "0x3b9aca07",
    "contractAddress": null,
    "logs": [{"address": "0x45f48842ef34da79a5b426f427e63d9fa8b53696",
              "topics": ["0x3333333333333333333333333333333333333333333333333333333333333333"],
              "data": "0x00ff", "blockNumber": "0x1b4", "logIndex": "0x0", "removed": false,
              "transactionHash":
              "0x1111111111111111111111111111111111111111111111111111111111111111"}]})");
}

TEST(EvmDecode, Receipt) {
  auto r = DecodeReceipt(ReceiptJson());
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(r->has_value());
  EXPECT_TRUE((*r)->success);
  EXPECT_EQ((*r)->block_number, 436u);
  EXPECT_EQ((*r)->gas_used, 21000u);
  EXPECT_EQ((*r)->effective_gas_price.ToDecimal(), "1000000007");
  EXPECT_FALSE((*r)->contract_address.has_value());
  ASSERT_EQ((*r)->logs.size(), 1u);
  EXPECT_EQ((*r)->logs[0].data, (chain::Bytes{0x00, 0xff}));
  EXPECT_EQ((*r)->logs[0].topics.size(), 1u);
}

TEST(EvmDecode, PendingReceiptIsNullopt) {
  auto r = DecodeReceipt(Json(nullptr));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

struct BadReceipt {
  const char* name;
  const char* pointer;  // JSON pointer of the field to change
  Json value;
  const char* field;  // expected in the error
};

class BadReceipts : public ::testing::TestWithParam<BadReceipt> {};

TEST_P(BadReceipts, Refused) {
  const BadReceipt& row = GetParam();
  Json j = ReceiptJson();
  if (row.value.is_discarded()) {
    j.erase(std::string(row.pointer).substr(1));
  } else {
    j[Json::json_pointer(row.pointer)] = row.value;
  }
  auto r = DecodeReceipt(j);
  ASSERT_FALSE(r.ok()) << row.name;
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find(row.field), std::string::npos) << r.status();
}

INSTANTIATE_TEST_SUITE_P(
    Rows, BadReceipts,
    ::testing::Values(
        BadReceipt{"status 2", "/status", "0x2", "receipt.status"},
        BadReceipt{"status number", "/status", 1, "receipt.status"},
        BadReceipt{"no status (pre-Byzantium)", "/status", Json::value_t::discarded,
                   "receipt.status"},
        BadReceipt{"block above 2^64", "/blockNumber", "0x10000000000000000",
                   "receipt.blockNumber"},
        BadReceipt{"quantity without digits", "/gasUsed", "0x", "receipt.gasUsed"},
        BadReceipt{"quantity without 0x", "/gasUsed", "5208", "receipt.gasUsed"},
        BadReceipt{"price of 65 digits", "/effectiveGasPrice", "0x" + std::string(65, 'f'),
                   "receipt.effectiveGasPrice"},
        BadReceipt{"short hash", "/transactionHash", "0x11", "receipt.transactionHash"},
        BadReceipt{"odd data", "/logs/0/data", "0x0", "logs[0].data"},
        BadReceipt{"five topics", "/logs/0/topics",
                   Json::array({"0x" + std::string(64, '3'), "0x" + std::string(64, '3'),
                                "0x" + std::string(64, '3'), "0x" + std::string(64, '3'),
                                "0x" + std::string(64, '3')}),
                   "logs[0].topics"},
        BadReceipt{"log address of 19 bytes", "/logs/0/address", "0x" + std::string(38, '4'),
                   "logs[0].address"},
        BadReceipt{"removed as text", "/logs/0/removed", "no", "logs[0].removed"},
        BadReceipt{"logs not a list", "/logs", Json::object(), "logs"}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& c : n) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      return n;
    });

TEST(EvmDecode, AnswerEnvelope) {
  auto ok = DecodeAnswer(R"({"jsonrpc":"2.0","id":7,"result":"0x30d65"})", 7);
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_FALSE(ok->is_error);
  auto v = Quantity64(ok->result, "x");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 200037u);

  auto err = DecodeAnswer(
      R"({"jsonrpc":"2.0","id":7,"error":{"code":-32003,"message":"nonce too low"}})", 7);
  ASSERT_TRUE(err.ok());
  EXPECT_TRUE(err->is_error);
  EXPECT_EQ(err->error_code, -32003);
  EXPECT_EQ(err->error_message, "nonce too low");

  for (const char* bad : {"", "[]", "null", R"({"jsonrpc":"2.0","id":8,"result":"0x1"})",
                          R"({"jsonrpc":"2.0","id":7})", R"({"id":7,"error":{"code":"x"}})",
                          R"({"id":"7","result":"0x1"})", "{\"id\":7,\"result\":\"0x1\""}) {
    auto a = DecodeAnswer(bad, 7);
    EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(EvmDecode, NextBaseFeeIsTheLastEntry) {
  auto f = NextBaseFee(Json::parse(
      R"({"oldestBlock":"0x10","baseFeePerGas":["0x3b9aca00","0x342770c0"],"gasUsedRatio":[0.0]})"));
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->ToDecimal(), "875000000");
  EXPECT_FALSE(NextBaseFee(Json::parse(R"({"baseFeePerGas":[]})")).ok());
  EXPECT_FALSE(NextBaseFee(Json::parse(R"({})")).ok());
}

}  // namespace
}  // namespace stakeward::l2
