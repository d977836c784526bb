// Prints one L1 reward transaction and one signed L2 deposit, built by sw_rewards from the unit
// test fixture (2-of-3 DAO, devnet bridge, operator key m/44'/60'/0'/0/0 of the Trezor fixture
// mnemonic), as JSON for tests/interop/rewards_l2.test.mjs to parse with CSL and ethers.
#include <cstdio>

#include "chain/tx.h"
#include "controller/rewards/deposit.h"
#include "controller/rewards/reward_builder.h"
#include "nlohmann/json.hpp"
#include "tests/support/software_evm_signer.h"
#include "tests/unit/rewards/rewards_fixture.h"

namespace sr = stakeward::rewards;
namespace chain = stakeward::chain;

int main() {
  sr::RewardBuildInput in = sr::testing::BaseInput();
  in.slots = {sr::testing::Slot(0, 40'000'000, 1'000'000'000'000),
              sr::testing::Slot(1, 35'000'123, 900'000'000'000),
              sr::testing::Slot(2, 25'000'000, 600'000'000'000)};
  auto proposal = sr::BuildRewardProposal(in);
  if (!proposal.ok() || proposal->txs.size() != 1) {
    std::fprintf(stderr, "build: %s\n", proposal.status().ToString().c_str());
    return 1;
  }
  const sr::RewardTx& t = proposal->txs[0];

  const chain::evm::Secp256k1Key master = sr::testing::OperatorMaster();
  auto op_key = master.DerivePath(*chain::ParsePath("m/44'/60'/0'/0/0"));
  if (!op_key.ok()) return 1;
  sr::DepositParams params = sr::testing::SampleDepositParams(op_key->EthAddress());
  params.bridged_lovelace = t.bridged;
  auto tx = sr::BuildDepositTx(params);
  if (!tx.ok()) return 1;
  auto sig = sr::SoftwareEvmSigner(master)(params.operator_path, *tx);
  if (!sig.ok()) return 1;
  auto deposit = sr::FinalizeDeposit(*tx, *sig, op_key->EthAddress());
  if (!deposit.ok()) {
    std::fprintf(stderr, "deposit: %s\n", deposit.status().ToString().c_str());
    return 1;
  }

  nlohmann::json j;
  j["l1"] = {{"cbor_hex", chain::HexEncode(chain::EncodeTransaction(t.tx))},
             {"tx_id", chain::HexEncode(chain::TxId(t.tx))},
             {"treasury_in", t.treasury_input.coin},
             {"withdrawn", t.withdrawn},
             {"commission", t.commission},
             {"fee", t.fee},
             {"bridged", t.bridged},
             {"treasury_out", t.treasury_out},
             {"magic", in.routing.bridge_magic},
             {"operator_l2", sr::LowerHexAddress(in.routing.operator_l2)},
             {"bridge_address", sr::testing::kDevnetBridge}};
  j["l2"] = {{"raw", deposit->RawHex()},
             {"tx_hash", deposit->TxHashHex()},
             {"from", chain::evm::ToChecksumAddress(op_key->EthAddress())},
             {"to", chain::evm::ToChecksumAddress(params.contract)},
             {"chain_id", params.chain_id},
             {"roi", params.roi.ToDecimal()},
             {"value_wei", tx->value.ToDecimal()},
             {"nonce", params.nonce.ToDecimal()}};
  std::printf("%s\n", j.dump(2).c_str());
  return 0;
}
