// The rules that judge an L2 deposit from the chain (controller/rewards/deposit_chain.h), row by
// row: each row changes one thing the chain (or a replacement request) controls.
#include "controller/rewards/deposit_chain.h"

#include <string>
#include <vector>

#include "chain/bytes.h"
#include "gtest/gtest.h"

namespace stakeward::rewards {
namespace {

namespace evm = chain::evm;

evm::Address Addr(uint8_t b) {
  evm::Address a{};
  a.fill(b);
  return a;
}

chain::Hash32 Word(uint64_t v) {
  chain::Hash32 w{};
  for (int i = 0; i < 8; ++i) w[31 - i] = static_cast<uint8_t>(v >> (8 * i));
  return w;
}
chain::Hash32 Word(const evm::Address& a) {
  chain::Hash32 w{};
  std::copy(a.begin(), a.end(), w.begin() + 12);
  return w;
}

ExpectedDeposit Want() { return {200, Addr(0xc0), Addr(0x5e), evm::U256::FromUint64(3'000'000)}; }

l2::Log Event(const ExpectedDeposit& w, uint64_t value) {
  l2::Log log;
  log.address = w.contract;
  log.topics = {PoolAccreditedTopic(), Word(w.epoch), Word(w.sender)};
  const chain::Hash32 v = Word(value), roi = Word(100);
  log.data.assign(v.begin(), v.end());
  log.data.insert(log.data.end(), roi.begin(), roi.end());
  log.block_number = 10;
  return log;
}

l2::Receipt Mined(std::vector<l2::Log> logs, bool success = true) {
  l2::Receipt r;
  r.block_number = 10;
  r.success = success;
  r.logs = std::move(logs);
  return r;
}

TEST(DepositChain, EventTopicIsKeccakOfTheSignature) {
  // From foundry: `cast keccak "PoolAccredited(uint256,address,uint256,uint256)"` (cast 1.7.1).
  EXPECT_EQ(chain::HexEncode(PoolAccreditedTopic()),
            "02854dea22d8bb06bc41dd5c92626259110fd9e25121cc724ca0490539b3cfdd");
}

TEST(DepositChain, ExactEventKDeepIsConfirmed) {
  const ExpectedDeposit w = Want();
  ReceiptVerdict v = JudgeReceipt(Mined({Event(w, 3'000'000)}), 21, 12, w);
  EXPECT_EQ(v.kind, ReceiptVerdict::Kind::kConfirmed);
  EXPECT_EQ(v.depth, 12u);
  v = JudgeReceipt(Mined({Event(w, 3'000'000)}), 20, 12, w);
  EXPECT_EQ(v.kind, ReceiptVerdict::Kind::kTooShallow);
  EXPECT_EQ(v.depth, 11u);
}

struct ReceiptRow {
  const char* name;
  std::function<void(l2::Receipt&)> change;
};

TEST(DepositChain, EveryOtherReceiptFails) {
  const ExpectedDeposit w = Want();
  const std::vector<ReceiptRow> rows = {
      {"status 0", [](l2::Receipt& r) { r.success = false; }},
      {"no event", [](l2::Receipt& r) { r.logs.clear(); }},
      {"other value", [&](l2::Receipt& r) { r.logs = {Event(w, 2'999'999)}; }},
      {"two events", [&](l2::Receipt& r) { r.logs.push_back(Event(w, 3'000'000)); }},
      {"other contract", [](l2::Receipt& r) { r.logs[0].address = Addr(0xc1); }},
      {"other epoch", [](l2::Receipt& r) { r.logs[0].topics[1] = Word(199); }},
      {"other sender", [](l2::Receipt& r) { r.logs[0].topics[2] = Word(Addr(0x5f)); }},
      {"other event", [](l2::Receipt& r) { r.logs[0].topics[0] = Word(1); }},
      {"short data", [](l2::Receipt& r) { r.logs[0].data.resize(32); }},
      {"removed log", [](l2::Receipt& r) { r.logs[0].removed = true; }},
  };
  for (const ReceiptRow& row : rows) {
    l2::Receipt r = Mined({Event(w, 3'000'000)});
    row.change(r);
    ReceiptVerdict v = JudgeReceipt(r, 100, 12, w);
    EXPECT_EQ(v.kind, ReceiptVerdict::Kind::kFailed) << row.name;
    EXPECT_FALSE(v.reason.empty()) << row.name;
  }
}

evm::Eip1559Tx Tx(uint64_t nonce, uint64_t max_fee, uint64_t prio) {
  evm::Eip1559Tx t;
  t.chain_id = 200101;
  t.nonce = evm::U256::FromUint64(nonce);
  t.max_fee_per_gas = evm::U256::FromUint64(max_fee);
  t.max_priority_fee_per_gas = evm::U256::FromUint64(prio);
  t.gas_limit = evm::U256::FromUint64(150000);
  t.to = Addr(0xc0);
  t.value = evm::U256::FromUint64(3'000'000);
  t.data = evm::EncodeAccreditToPool(evm::U256::FromUint64(100));
  return t;
}

TEST(DepositChain, ReplacementRaisesBothFeesByTenPercentAndKeepsTheNonce) {
  const evm::Eip1559Tx prev = Tx(7, 1000, 100);
  EXPECT_TRUE(CheckReplacement(prev, Tx(7, 1100, 110), false).ok());
  EXPECT_TRUE(CheckReplacement(prev, Tx(7, 5000, 500), false).ok());
  struct Row {
    const char* name;
    evm::Eip1559Tx next;
    bool failed;
  };
  evm::Eip1559Tx other_value = Tx(7, 2000, 200);
  other_value.value = evm::U256::FromUint64(3'000'001);
  evm::Eip1559Tx other_to = Tx(7, 2000, 200);
  other_to.to = Addr(0xc1);
  evm::Eip1559Tx other_chain = Tx(7, 2000, 200);
  other_chain.chain_id = 2001;
  evm::Eip1559Tx other_data = Tx(7, 2000, 200);
  other_data.data = evm::EncodeAccreditToPool(evm::U256::FromUint64(99));
  const std::vector<Row> rows = {
      {"max fee +9.9 %", Tx(7, 1099, 110), false},
      {"priority fee +9 %", Tx(7, 1100, 109), false},
      {"same fees", Tx(7, 1000, 100), false},
      {"second nonce while pending", Tx(8, 2000, 200), false},
      {"same nonce after a failure", Tx(7, 2000, 200), true},
      {"other value", other_value, false},
      {"other recipient", other_to, false},
      {"other chain", other_chain, false},
      {"other call data", other_data, false},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(CheckReplacement(prev, r.next, r.failed).code(),
              absl::StatusCode::kFailedPrecondition)
        << r.name;
  }
  // After a failure the nonce is spent: the next one, at any fee.
  EXPECT_TRUE(CheckReplacement(prev, Tx(8, 1000, 100), true).ok());
}

TEST(DepositChain, LogFilterNamesTheEventEpochAndSender) {
  const ExpectedDeposit w = Want();
  l2::LogFilter f = DepositLogFilter(w, 5);
  EXPECT_EQ(f.address, w.contract);
  EXPECT_EQ(f.from_block, 5u);
  ASSERT_EQ(f.topics.size(), 3u);
  EXPECT_EQ(*f.topics[0], PoolAccreditedTopic());
  EXPECT_EQ(*f.topics[1], Word(200));
  EXPECT_EQ(*f.topics[2], Word(w.sender));
  absl::StatusOr<evm::U256> v = AccreditedValue(Event(w, 42), w);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, evm::U256::FromUint64(42));
}

}  // namespace
}  // namespace stakeward::rewards
