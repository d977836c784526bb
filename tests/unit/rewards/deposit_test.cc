#include "controller/rewards/deposit.h"

#include <fstream>

#include "chain/hash.h"
#include "controller/rewards/bridge.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/support/software_evm_signer.h"
#include "tests/unit/rewards/rewards_fixture.h"

namespace stakeward::rewards {
namespace {

namespace evm = chain::evm;

// "0x…" JSON quantity (possibly odd-length hex) to U256.
evm::U256 Quantity(const nlohmann::json& v) {
  std::string s = v.get<std::string>().substr(2);
  if (s.size() % 2) s = "0" + s;
  return *evm::U256::FromBigEndian(chain::View(*chain::HexDecode(s)));
}

evm::Address OperatorAddress() {
  auto key = testing::OperatorMaster().DerivePath(*chain::ParsePath("m/44'/60'/0'/0/0"));
  return key->EthAddress();
}

TEST(Deposit, BuildsAccreditToPoolWithValueInWei) {
  DepositParams p = testing::SampleDepositParams(OperatorAddress());
  auto tx = BuildDepositTx(p);
  ASSERT_TRUE(tx.ok()) << tx.status();
  EXPECT_EQ(tx->chain_id, 200101u);
  ASSERT_TRUE(tx->to.has_value());
  EXPECT_EQ(*tx->to, p.contract);
  // (95'000'000 − 500'000) lovelace × 10^12 wei.
  EXPECT_EQ(tx->value.ToDecimal(), "94500000000000000000");
  ASSERT_EQ(tx->data.size(), 36u);
  // Selector: first 4 bytes of keccak256("accreditToPool(uint256)").
  const chain::Hash32 k =
      chain::Keccak256(chain::View(std::string_view("accreditToPool(uint256)")));
  EXPECT_TRUE(std::equal(k.begin(), k.begin() + 4, tx->data.begin()));
  auto roi = evm::DecodeAccreditToPool(chain::View(tx->data));
  ASSERT_TRUE(roi.ok());
  EXPECT_EQ(roi->ToDecimal(), "40");
  EXPECT_EQ(tx->nonce.ToDecimal(), "7");
  EXPECT_EQ(tx->gas_limit.ToDecimal(), "120000");
}

TEST(Deposit, SignsAndRecoversTheOperator) {
  const evm::Address op = OperatorAddress();
  DepositParams p = testing::SampleDepositParams(op);
  auto tx = BuildDepositTx(p);
  ASSERT_TRUE(tx.ok());
  EvmSignFn sign = SoftwareEvmSigner(testing::OperatorMaster());
  auto sig = sign(p.operator_path, *tx);
  ASSERT_TRUE(sig.ok()) << sig.status();
  auto signed_tx = FinalizeDeposit(*tx, *sig, op);
  ASSERT_TRUE(signed_tx.ok()) << signed_tx.status();
  EXPECT_EQ(signed_tx->raw[0], 0x02);
  EXPECT_EQ(signed_tx->RawHex().substr(0, 4), "0x02");
  EXPECT_EQ(signed_tx->tx_hash, chain::Keccak256(chain::View(signed_tx->raw)));
  auto decoded = evm::DecodeSigned(chain::View(signed_tx->raw));
  ASSERT_TRUE(decoded.ok());
  auto sender = evm::RecoverSender(decoded->tx, decoded->sig);
  ASSERT_TRUE(sender.ok());
  EXPECT_EQ(*sender, op);
  // RFC 6979: signing again gives the same raw transaction.
  auto again = FinalizeDeposit(*tx, *sign(p.operator_path, *tx), op);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->raw, signed_tx->raw);
}

TEST(Deposit, RejectsASignatureFromAnotherKey) {
  const evm::Address op = OperatorAddress();
  DepositParams p = testing::SampleDepositParams(op);
  auto tx = BuildDepositTx(p);
  ASSERT_TRUE(tx.ok());
  auto sig =
      SoftwareEvmSigner(testing::OperatorMaster())(*chain::ParsePath("m/44'/60'/0'/0/1"), *tx);
  ASSERT_TRUE(sig.ok());
  auto out = FinalizeDeposit(*tx, *sig, op);
  EXPECT_EQ(out.status().code(), absl::StatusCode::kFailedPrecondition);
  // A garbage signature is refused too.
  evm::EvmSignature junk;
  junk.r.fill(0xFF);
  junk.s.fill(0xFF);
  EXPECT_EQ(FinalizeDeposit(*tx, junk, op).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(Deposit, ValidatesParameters) {
  const DepositParams good = testing::SampleDepositParams(OperatorAddress());
  ASSERT_TRUE(BuildDepositTx(good).ok());
  auto expect_invalid = [](const DepositParams& p) {
    EXPECT_EQ(BuildDepositTx(p).status().code(), absl::StatusCode::kInvalidArgument);
  };
  DepositParams p = good;
  p.chain_id = 1;
  expect_invalid(p);
  p = good;
  p.roi = evm::U256::FromUint64(0);
  expect_invalid(p);
  p.roi = evm::U256::FromUint64(101);
  expect_invalid(p);
  p = good;
  p.max_priority_fee_per_gas = evm::U256::FromUint64(70'000'000'000ULL);
  expect_invalid(p);
  p = good;
  p.gas_limit = evm::U256::FromUint64(20'999);
  expect_invalid(p);
  p = good;
  p.operator_path = *chain::ParsePath("m/44'/60'/0'/0'/0");
  expect_invalid(p);
  p.operator_path = *chain::ParsePath("m/1854'/1815'/0'/2/0");
  expect_invalid(p);
  p = good;
  p.bridge_fee_lovelace = p.bridged_lovelace;
  expect_invalid(p);
  p.bridge_fee_lovelace = p.bridged_lovelace + chain::Lovelace(1);
  expect_invalid(p);
  p = good;
  p.chain_id = kChainIdMainnet;
  EXPECT_TRUE(BuildDepositTx(p).ok());
}

// The software signer reproduces the Trezor EIP-1559 fixture (trezor-firmware
// common/tests/fixtures/ethereum/sign_tx_eip1559.json, "nodata"), the same RFC 6979 signature a
// device returns — which is what makes a re-signed deposit byte-identical.
TEST(Deposit, SoftwareSignerMatchesTrezorFixture) {
  std::ifstream f(std::string(STAKEWARD_SHARED_DIR) +
                  "/vectors/trezor/ethereum_sign_tx_eip1559.json");
  ASSERT_TRUE(f.good());
  auto j = nlohmann::json::parse(f);
  const nlohmann::json* vec = nullptr;
  for (const auto& t : j["tests"]) {
    if (t["name"] == "nodata") vec = &t;
  }
  ASSERT_NE(vec, nullptr);
  const auto& prm = (*vec)["parameters"];
  evm::Eip1559Tx tx;
  tx.chain_id = prm["chain_id"].get<uint64_t>();
  tx.nonce = Quantity(prm["nonce"]);
  tx.gas_limit = Quantity(prm["gas_limit"]);
  tx.max_fee_per_gas = Quantity(prm["max_gas_fee"]);
  tx.max_priority_fee_per_gas = Quantity(prm["max_priority_fee"]);
  tx.value = Quantity(prm["value"]);
  tx.to = *evm::ParseAddress(prm["to_address"].get<std::string>());
  auto sig = SoftwareEvmSigner(testing::OperatorMaster())(
      *chain::ParsePath(prm["path"].get<std::string>()), tx);
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->y_parity, (*vec)["result"]["sig_v"].get<int>());
  EXPECT_EQ(chain::HexEncode(sig->r), (*vec)["result"]["sig_r"].get<std::string>());
  EXPECT_EQ(chain::HexEncode(sig->s), (*vec)["result"]["sig_s"].get<std::string>());
}

TEST(Bridge, MagicAndChainIdsBelongTogether) {
  EXPECT_EQ(*MagicForChainId(2001), "mainnet.cardano-evm.c1");
  EXPECT_EQ(*MagicForChainId(200101), "devnet.cardano-evm.c1");
  EXPECT_FALSE(MagicForChainId(1).ok());
  EXPECT_TRUE(CheckMagicMatchesChain(kMagicMainnet, kChainIdMainnet).ok());
  EXPECT_EQ(CheckMagicMatchesChain(kMagicDevnet, kChainIdMainnet).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Bridge, ParseRejectsMalformedDestinations) {
  chain::Metadata md;
  md.emplace(87, chain::Metadatum::Text("devnet.cardano-evm.c1"));
  md.emplace(88, chain::Metadatum::Text("0x1234"));
  EXPECT_FALSE(ParseBridgeMetadata(md).ok());
  md[88] = chain::Metadatum::Int(5);
  EXPECT_FALSE(ParseBridgeMetadata(md).ok());
  md.erase(88);
  EXPECT_FALSE(ParseBridgeMetadata(md).ok());
}

}  // namespace
}  // namespace stakeward::rewards
