// The EVM JSON-RPC client (l2/evm_rpc.h) against a real node: anvil 1.7.1 from the pinned npm
// package (chain id 200101, London, blocks mined on request), with
// tests/interop/l2/LiquidStakingPool.sol compiled by the pinned solc-js. Transactions are signed
// with chain/evm.h by anvil's first dev account. Each refusal anvil gives (wrong chain, nonce too
// low, fee below base fee, insufficient funds, a revert) reaches the caller as a status with the
// next step. Fails, never skips, when anvil or node is missing (scripts/install-npm.sh installs
// them).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "chain/evm.h"
#include "chain/hash.h"
#include "chain/keys.h"
#include "chainsource/http_client.h"
#include "gtest/gtest.h"
#include "l2/evm_rpc.h"
#include "tests/support/anvil_node.h"

namespace stakeward::l2 {
namespace {

namespace evm = chain::evm;
using evm::U256;

using testing::AnvilNode;
using testing::kAnvilMnemonic;

chain::Bytes Word(const U256& v) {
  return chain::Bytes(v.big_endian().begin(), v.big_endian().end());
}
chain::Bytes Word(const evm::Address& a) {
  chain::Bytes w(12, 0);
  w.insert(w.end(), a.begin(), a.end());
  return w;
}

class AnvilRpc : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    anvil_ = new AnvilNode;
    absl::StatusOr<std::string> url = anvil_->Start({"--no-mining"});
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
  }
  static void TearDownTestSuite() {
    delete anvil_;
    anvil_ = nullptr;
  }

  void SetUp() override {
    auto rpc = EvmRpc::Create(url_, absl::Seconds(20));
    ASSERT_TRUE(rpc.ok()) << rpc.status();
    rpc_.emplace(std::move(*rpc));
    auto seed = chain::MnemonicToSeed(kAnvilMnemonic, "");
    ASSERT_TRUE(seed.ok());
    auto master = evm::Secp256k1Key::MasterFromSeed(chain::View(*seed));
    ASSERT_TRUE(master.ok());
    auto path = chain::ParsePath("m/44'/60'/0'/0/0");
    ASSERT_TRUE(path.ok());
    auto key = master->DerivePath(*path);
    ASSERT_TRUE(key.ok());
    key_ = *key;
    me_ = key_.EthAddress();
  }

  // A transaction from anvil's account 0 with the node's pending nonce and suggested fees.
  evm::Eip1559Tx Tx(std::optional<evm::Address> to, U256 value, chain::Bytes data, uint64_t gas) {
    evm::Eip1559Tx tx;
    tx.chain_id = 200101;
    auto nonce = rpc_->Nonce(me_, true);
    EXPECT_TRUE(nonce.ok()) << nonce.status();
    tx.nonce = U256::FromUint64(nonce.value_or(0));
    auto fees = rpc_->Fees({U256::FromUint64(1000000000000), U256::FromUint64(2000000000)});
    EXPECT_TRUE(fees.ok()) << fees.status();
    if (fees.ok()) {
      tx.max_fee_per_gas = fees->max_fee_per_gas;
      tx.max_priority_fee_per_gas = fees->max_priority_fee_per_gas;
    }
    tx.gas_limit = U256::FromUint64(gas);
    tx.to = to;
    tx.value = value;
    tx.data = std::move(data);
    return tx;
  }
  chain::Bytes Signed(const evm::Eip1559Tx& tx) {
    return evm::EncodeSigned(tx, evm::SignHash(key_, evm::SigningHash(tx)));
  }
  // anvil runs with --no-mining: evm_mine (anvil's RPC, not part of EvmRpc) makes the block and
  // returns once it is mined, so the receipt exists without waiting.
  static void Mine() {
    chainsource::HttpRequest req;
    req.method = "POST";
    req.url = url_;
    req.body = R"({"jsonrpc":"2.0","id":1,"method":"evm_mine","params":[]})";
    auto r = chainsource::HttpFetch(req, absl::Seconds(20), 1 << 16);
    ASSERT_TRUE(r.ok() && r->status == 200) << "evm_mine failed";
  }
  Receipt SendAndMine(const evm::Eip1559Tx& tx) {
    chain::Bytes raw = Signed(tx);
    auto h = rpc_->SendRawTransaction(chain::View(raw));
    EXPECT_TRUE(h.ok()) << h.status();
    if (!h.ok()) return {};
    auto pending = rpc_->GetReceipt(*h);
    EXPECT_TRUE(pending.ok() && !pending->has_value()) << "a receipt before the block was mined";
    Mine();
    auto r = rpc_->GetReceipt(*h);
    EXPECT_TRUE(r.ok()) << r.status();
    EXPECT_TRUE(r.ok() && r->has_value()) << "no receipt after evm_mine";
    return r.ok() && r->has_value() ? **r : Receipt{};
  }
  evm::Address Deploy() {
    auto code = testing::LiquidStakingPoolBytecode();
    EXPECT_TRUE(code.ok() && !code->empty()) << "solc-js compile failed";
    chain::Bytes data = code.ok() ? *code : chain::Bytes{};
    for (const auto& w : {Word(me_), Word(U256::FromUint64(200))}) {
      data.insert(data.end(), w.begin(), w.end());
    }
    Receipt r = SendAndMine(Tx(std::nullopt, U256(), data, 1500000));
    EXPECT_TRUE(r.success);
    EXPECT_TRUE(r.contract_address.has_value());
    return r.contract_address.value_or(evm::Address{});
  }
  absl::Status Refusal(const evm::Eip1559Tx& tx) {
    chain::Bytes raw = Signed(tx);
    return rpc_->SendRawTransaction(chain::View(raw)).status();
  }

  static AnvilNode* anvil_;
  static std::string url_;
  std::optional<EvmRpc> rpc_;
  evm::Secp256k1Key key_;
  evm::Address me_{};
};

AnvilNode* AnvilRpc::anvil_ = nullptr;
std::string AnvilRpc::url_;

TEST_F(AnvilRpc, ChainIdIsChecked) {
  auto id = rpc_->ChainId();
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, 200101u);
  EXPECT_TRUE(rpc_->CheckChainId(200101).ok());
  absl::Status wrong = rpc_->CheckChainId(2001);
  EXPECT_EQ(wrong.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(wrong.message().find("serves chain 200101, not 2001"), std::string::npos) << wrong;
}

TEST_F(AnvilRpc, DepositIsMinedWithItsEventAndTotals) {
  const evm::Address pool = Deploy();
  const U256 value = evm::LovelaceToWei(chain::Lovelace(1369669115));
  const chain::Bytes call = evm::EncodeAccreditToPool(U256::FromUint64(100));
  auto gas = rpc_->EstimateGas({me_, pool, value, call});
  ASSERT_TRUE(gas.ok()) << gas.status();
  auto before = rpc_->Balance(pool);
  ASSERT_TRUE(before.ok());
  Receipt r = SendAndMine(Tx(pool, value, call, *gas + *gas / 5));
  ASSERT_TRUE(r.success);
  auto after = rpc_->Balance(pool);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, *before->CheckedAdd(value));

  // One PoolAccredited(epoch indexed, from indexed, value, roi) for epoch 200.
  const chain::Hash32 topic =
      chain::Keccak256(chain::View(std::string("PoolAccredited(uint256,address,uint256,uint256)")));
  ASSERT_EQ(r.logs.size(), 1u);
  EXPECT_EQ(r.logs[0].address, pool);
  ASSERT_EQ(r.logs[0].topics.size(), 3u);
  EXPECT_EQ(r.logs[0].topics[0], topic);
  chain::Hash32 epoch_topic{};
  epoch_topic[31] = 200;
  EXPECT_EQ(r.logs[0].topics[1], epoch_topic);
  chain::Bytes want_data = Word(value);
  chain::Bytes roi = Word(U256::FromUint64(100));
  want_data.insert(want_data.end(), roi.begin(), roi.end());
  EXPECT_EQ(r.logs[0].data, want_data);

  // The same event found by a log query for that epoch, and none for another epoch.
  auto logs = rpc_->GetLogs({pool, {topic, epoch_topic}, 0, std::nullopt});
  ASSERT_TRUE(logs.ok()) << logs.status();
  EXPECT_EQ(logs->size(), 1u);
  chain::Hash32 other = epoch_topic;
  other[31] = 201;
  auto none = rpc_->GetLogs({pool, {topic, other}, 0, std::nullopt});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  // eth_call of accreditedInEpoch(200) reads the contract's accounting.
  auto sel = evm::FunctionSelector("accreditedInEpoch(uint256)");
  chain::Bytes q(sel.begin(), sel.end());
  chain::Bytes e = Word(U256::FromUint64(200));
  q.insert(q.end(), e.begin(), e.end());
  auto got = rpc_->Call({std::nullopt, pool, U256(), q});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, Word(value));
}

TEST_F(AnvilRpc, RefusalsCarryTheNextStep) {
  const evm::Address pool = Deploy();
  const chain::Bytes call = evm::EncodeAccreditToPool(U256::FromUint64(100));
  const U256 one = U256::FromUint64(1);

  evm::Eip1559Tx wrong_chain = Tx(pool, one, call, 100000);
  wrong_chain.chain_id = 2001;
  absl::Status s = Refusal(wrong_chain);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("another chain"), std::string::npos) << s;

  evm::Eip1559Tx cheap = Tx(pool, one, call, 100000);
  cheap.max_fee_per_gas = one;
  cheap.max_priority_fee_per_gas = one;
  s = Refusal(cheap);
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("higher max fee"), std::string::npos) << s;

  auto rich = U256::FromDecimal("1000000000000000000000000000");  // 10^9 ETH
  ASSERT_TRUE(rich.ok());
  s = Refusal(Tx(pool, *rich, call, 100000));
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("fund the operator"), std::string::npos) << s;

  evm::Eip1559Tx first = Tx(pool, one, call, 100000);
  ASSERT_TRUE(SendAndMine(first).success);
  s = Refusal(first);  // the same nonce again
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition) << s;
  EXPECT_NE(s.message().find("adopt it"), std::string::npos) << s;

  // A zero-value accredit reverts: the estimate says so, and once mined the receipt has status 0.
  auto est = rpc_->EstimateGas({me_, pool, U256(), call});
  EXPECT_EQ(est.status().code(), absl::StatusCode::kFailedPrecondition) << est.status();
  EXPECT_NE(est.status().message().find("contract refused"), std::string::npos) << est.status();
  Receipt reverted = SendAndMine(Tx(pool, U256(), call, 100000));
  EXPECT_FALSE(reverted.success);
}

TEST(EvmRpcTransport, UnreachableNodeIsUnavailable) {
  auto rpc = EvmRpc::Create("http://127.0.0.1:1", absl::Seconds(5));
  ASSERT_TRUE(rpc.ok());
  EXPECT_EQ(rpc->ChainId().status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(EvmRpc::Create("ws://127.0.0.1:1", absl::Seconds(5)).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace stakeward::l2
