#include "controller/rewards/reward_builder.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "chain/hash.h"
#include "chain/tx.h"
#include "controller/rewards/bridge.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tests/unit/rewards/rewards_fixture.h"

namespace stakeward::rewards {
namespace {

using testing::BaseInput;
using ::testing::HasSubstr;
using testing::L;
using testing::Slot;
using testing::Utxo;

uint64_t SumOutputs(const chain::TxBody& b) {
  uint64_t s = 0;
  for (const auto& o : b.outputs) s += o.coin.value();
  return s;
}

uint64_t SumWithdrawals(const chain::TxBody& b) {
  uint64_t s = 0;
  for (const auto& w : b.withdrawals) s += w.coin.value();
  return s;
}

// Checks everything a signer would check on one reward transaction.
void CheckTx(const RewardBuildInput& in, const RewardTx& t) {
  const chain::Bytes cbor = chain::EncodeTransaction(t.tx);
  auto decoded = chain::DecodeTransaction(chain::View(cbor));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  const chain::TxBody& b = decoded->body;
  EXPECT_TRUE(chain::CheckHardwareWalletCompatible(chain::View(decoded->body_bytes)).ok());
  // Exact lovelace accounting: inputs (treasury UTxO + withdrawals) = outputs + fee.
  ASSERT_EQ(b.inputs.size(), 1u);
  EXPECT_EQ(b.inputs[0], t.treasury_input.input);
  EXPECT_EQ(t.treasury_input.coin.value() + SumWithdrawals(b), SumOutputs(b) + b.fee.value());
  EXPECT_EQ(SumWithdrawals(b), t.withdrawn.value());
  EXPECT_EQ(b.fee, t.fee);
  // The fee covers the final size with the witnesses and scripts, and is the fixed point.
  auto min_fee = chain::MinFee(t.tx, t.vkey_witnesses, t.scripts, in.fee_params);
  ASSERT_TRUE(min_fee.ok());
  EXPECT_LE(*min_fee, b.fee);
  EXPECT_LE((b.fee - *min_fee).value(), 10 * in.fee_params.min_fee_a);
  EXPECT_LE(t.final_size, in.fee_params.max_tx_size);
  // Withdrawals: script reward accounts, canonical order, no duplicates.
  for (size_t i = 0; i < b.withdrawals.size(); ++i) {
    ASSERT_EQ(b.withdrawals[i].reward_account.size(), 29u);
    EXPECT_EQ(b.withdrawals[i].reward_account[0], 0xF0);
    if (i > 0) {
      EXPECT_LT(b.withdrawals[i - 1].reward_account, b.withdrawals[i].reward_account);
    }
  }
  // Outputs: treasury first; bridge second when bridging, each above its min-UTxO.
  ASSERT_GE(b.outputs.size(), 1u);
  EXPECT_EQ(b.outputs[0].address, in.routing.treasury_address);
  for (const auto& o : b.outputs) {
    EXPECT_GE(o.coin, *chain::MinUtxo(o, in.fee_params));
  }
  if (t.bridged > L(0)) {
    ASSERT_EQ(b.outputs.size(), 2u);
    EXPECT_EQ(b.outputs[1].address, in.routing.bridge_address);
    EXPECT_EQ(b.outputs[1].coin, t.bridged);
    EXPECT_GE(t.bridged, in.routing.bridge_min_lovelace);
    ASSERT_TRUE(decoded->aux_data.has_value());
    ASSERT_TRUE(b.aux_data_hash.has_value());
    EXPECT_EQ(*b.aux_data_hash, chain::Blake2b256(chain::View(*decoded->aux_data)));
  } else {
    EXPECT_EQ(b.outputs.size(), 1u);
  }
}

TEST(RewardBuilder, WithdrawsEverySlotInFullAndConservesLovelace) {
  RewardBuildInput in = BaseInput();
  in.slots = {Slot(0, 40'000'000, 1'000'000'000'000), Slot(1, 35'000'123, 900'000'000'000),
              Slot(2, 25'000'000, 600'000'000'000)};
  auto p = BuildRewardProposal(in);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_TRUE(p->has_transactions);
  ASSERT_EQ(p->txs.size(), 1u);
  const RewardTx& t = p->txs[0];
  CheckTx(in, t);
  EXPECT_EQ(t.withdrawn, L(100'000'123));
  EXPECT_EQ(t.tx.body.withdrawals.size(), 3u);
  // Commission per slot, floor: 2'000'000 + 1'750'006 (1'750'006.15) + 1'250'000.
  EXPECT_EQ(t.commission, L(5'000'006));
  EXPECT_EQ(p->total_commission, L(5'000'006));
  EXPECT_EQ(t.bridged, L(100'000'123) - L(5'000'006) - t.fee);
  EXPECT_EQ(t.treasury_out, L(5'000'000) + L(5'000'006));
  EXPECT_EQ(t.carry_out, L(0));
  EXPECT_EQ(t.fee_from_treasury, L(0));
  EXPECT_EQ(p->total_staked, L(2'500'000'000'000));
  // 2-of-3 on the treasury script and on each of the three stake scripts.
  EXPECT_EQ(t.vkey_witnesses, 8u);
  EXPECT_EQ(t.scripts.size(), 4u);
  for (const auto& line : p->slots) {
    EXPECT_EQ(line.outcome, SlotOutcome::kWithdrawn);
    EXPECT_EQ(line.tx_index, 0);
    EXPECT_EQ(line.net, line.rewards - line.commission);
  }
}

TEST(RewardBuilder, IsDeterministicWhateverTheInputOrder) {
  RewardBuildInput a = BaseInput();
  a.slots = {Slot(0, 10'000'000), Slot(1, 20'000'000), Slot(2, 30'000'000)};
  RewardBuildInput b = a;
  std::reverse(b.slots.begin(), b.slots.end());
  std::reverse(b.treasury_utxos.begin(), b.treasury_utxos.end());
  auto pa = BuildRewardProposal(a);
  auto pb = BuildRewardProposal(b);
  auto pa2 = BuildRewardProposal(a);
  ASSERT_TRUE(pa.ok() && pb.ok() && pa2.ok());
  ASSERT_EQ(pa->txs.size(), 1u);
  EXPECT_EQ(chain::EncodeTransaction(pa->txs[0].tx), chain::EncodeTransaction(pb->txs[0].tx));
  EXPECT_EQ(chain::EncodeTransaction(pa->txs[0].tx), chain::EncodeTransaction(pa2->txs[0].tx));
  EXPECT_EQ(pa->summary, pb->summary);
}

TEST(RewardBuilder, MetadataCarriesMagicAndOperatorAddress) {
  RewardBuildInput in = BaseInput();
  in.slots = {Slot(0, 50'000'000)};
  auto p = BuildRewardProposal(in);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_TRUE(p->txs[0].tx.aux_data.has_value());
  auto md = chain::DecodeAuxDataMetadata(chain::View(*p->txs[0].tx.aux_data));
  ASSERT_TRUE(md.ok()) << md.status();
  EXPECT_EQ(md->size(), 2u);
  auto route = ParseBridgeMetadata(*md);
  ASSERT_TRUE(route.ok()) << route.status();
  EXPECT_EQ(route->magic, "devnet.cardano-evm.c1");
  EXPECT_EQ(route->destination, testing::OperatorL2());
  EXPECT_EQ(md->at(88).text, "0xa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3");
}

// vectors/cardano/milkomeda_c1.json, self_computed_example (regression: the independent
// implementation behind specs/cardano.md computed these bytes and hash).
TEST(RewardBuilder, MetadataMatchesMilkomedaVector) {
  std::ifstream f(std::string(STAKEWARD_SHARED_DIR) + "/vectors/cardano/milkomeda_c1.json");
  ASSERT_TRUE(f.good());
  auto j = nlohmann::json::parse(f);
  const auto& ex = j["self_computed_example_NOT_external"];
  chain::evm::Address dest{};
  dest[19] = 1;
  auto md = BridgeMetadata(kMagicMainnet, dest);
  ASSERT_TRUE(md.ok());
  auto aux = chain::EncodeAuxData(*md);
  ASSERT_TRUE(aux.ok());
  EXPECT_EQ(chain::HexEncode(*aux), ex["metadata_cbor_hex"].get<std::string>());
  EXPECT_EQ(chain::HexEncode(chain::Blake2b256(chain::View(*aux))),
            ex["aux_data_hash_if_aux_is_bare_metadata_map"].get<std::string>());
}

TEST(RewardBuilder, CommissionIsFlooredPerSlot) {
  RewardBuildInput in = BaseInput();
  in.routing.commission_bps = 333;
  in.slots = {Slot(0, 30'000'001), Slot(1, 9'999)};
  auto p = BuildRewardProposal(in);
  ASSERT_TRUE(p.ok()) << p.status();
  // floor(30'000'001 * 333 / 10000) = floor(999'000.0333) and floor(9'999 * 333 / 10000) = 332.
  EXPECT_EQ(p->slots[0].commission, L(999'000));
  EXPECT_EQ(p->slots[1].commission, L(332));
  EXPECT_EQ(p->total_commission, L(999'332));
  CheckTx(in, p->txs[0]);

  in.routing.commission_bps = 10'001;
  EXPECT_EQ(BuildRewardProposal(in).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RewardBuilder, RemainderBelowBridgeMinimumIsCarriedAndRecorded) {
  RewardBuildInput in = BaseInput();
  in.routing.bridge_min_lovelace = L(10'000'000);
  in.slots = {Slot(0, 4'000'000)};
  auto p = BuildRewardProposal(in);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->txs.size(), 1u);
  const RewardTx& t = p->txs[0];
  CheckTx(in, t);
  EXPECT_EQ(t.bridged, L(0));
  EXPECT_FALSE(t.tx.aux_data.has_value());
  EXPECT_EQ(t.tx.body.withdrawals[0].coin, L(4'000'000));  // still withdrawn in full
  EXPECT_EQ(t.carry_out, L(4'000'000) - L(200'000) - t.fee);
  EXPECT_EQ(p->carry_out, t.carry_out);
  ASSERT_TRUE(p->carry_output.has_value());
  EXPECT_EQ(*p->carry_output, (chain::TxIn{chain::TxId(t.tx), 0}));
  EXPECT_EQ(t.treasury_out, L(5'000'000) + L(4'000'000) - t.fee);
  EXPECT_THAT(p->summary, HasSubstr("carried"));

  // Next epoch: the carry is paid to the bridge out of the treasury UTxO that holds it.
  RewardBuildInput next = BaseInput();
  next.routing.bridge_min_lovelace = L(10'000'000);
  next.carry_in = p->carry_out;
  next.carry_input = Utxo(0x55, 0, 0).input;
  // The carrying output is spent although another treasury UTxO sorts first.
  next.treasury_utxos = {Utxo(0x01, 0, 50'000'000), Utxo(0x55, 0, t.treasury_out.value())};
  next.slots = {Slot(0, 9'000'000)};
  auto q = BuildRewardProposal(next);
  ASSERT_TRUE(q.ok()) << q.status();
  const RewardTx& u = q->txs[0];
  CheckTx(next, u);
  EXPECT_EQ(u.carry_in, p->carry_out);
  EXPECT_EQ(u.tx.body.inputs[0], *next.carry_input);
  EXPECT_FALSE(q->carry_output.has_value());
  EXPECT_EQ(u.bridged, L(9'000'000) - L(450'000) + p->carry_out - u.fee);
  EXPECT_EQ(u.carry_out, L(0));
  EXPECT_EQ(u.treasury_out, t.treasury_out + L(450'000) - p->carry_out);
}

TEST(RewardBuilder, CarryInLargerThanTreasuryUtxoIsRefused) {
  RewardBuildInput in = BaseInput();
  in.carry_in = L(9'000'000);
  in.carry_input = Utxo(0x11, 0, 0).input;
  in.treasury_utxos = {Utxo(0x11, 0, 2'000'000)};
  in.slots = {Slot(0, 20'000'000)};
  EXPECT_EQ(BuildRewardProposal(in).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(RewardBuilder, TreasuryPaysTheFeeWhenRewardsAreTooSmall) {
  RewardBuildInput in = BaseInput();
  in.routing.commission_bps = 0;
  in.slots = {Slot(0, 100'000)};
  auto p = BuildRewardProposal(in);
  ASSERT_TRUE(p.ok()) << p.status();
  const RewardTx& t = p->txs[0];
  CheckTx(in, t);
  EXPECT_EQ(t.fee_from_treasury, t.fee - L(100'000));
  EXPECT_EQ(t.carry_out, L(0));
  EXPECT_EQ(t.bridged, L(0));
  EXPECT_EQ(t.treasury_out, L(5'000'000) + L(100'000) - t.fee);
}

TEST(RewardBuilder, ZeroRewardsBuildNoTransaction) {
  RewardBuildInput in = BaseInput();
  in.slots = {Slot(0, 0, 5), Slot(1, 0, 7)};
  auto p = BuildRewardProposal(in);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_FALSE(p->has_transactions);
  EXPECT_TRUE(p->txs.empty());
  EXPECT_EQ(p->summary, "no rewards to withdraw");
  EXPECT_EQ(p->slots[0].outcome, SlotOutcome::kSkippedZero);

  in.carry_in = L(1'234);
  in.carry_input = Utxo(0x77, 0, 0).input;
  p = BuildRewardProposal(in);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->carry_out, L(1'234));
  EXPECT_EQ(p->carry_output, in.carry_input);  // nothing spent: the carry stays where it is
  EXPECT_THAT(p->summary, HasSubstr("carried"));
}

TEST(RewardBuilder, DeregisteredSlotIsSkippedWithAReason) {
  RewardBuildInput in = BaseInput();
  in.slots = {Slot(0, 10'000'000), Slot(1, 7'000'000)};
  in.slots[1].registered = false;
  auto p = BuildRewardProposal(in);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->slots.size(), 2u);
  EXPECT_EQ(p->slots[1].outcome, SlotOutcome::kSkippedDeregistered);
  EXPECT_THAT(p->slots[1].reason, HasSubstr("not registered"));
  EXPECT_EQ(p->slots[1].tx_index, -1);
  ASSERT_EQ(p->txs[0].tx.body.withdrawals.size(), 1u);
  EXPECT_EQ(p->txs[0].tx.body.withdrawals[0].reward_account, p->slots[0].reward_account);
  EXPECT_EQ(p->total_rewards, L(10'000'000));
}

TEST(RewardBuilder, RejectsOverflowAndImpossibleAmounts) {
  RewardBuildInput in = BaseInput();
  in.slots = {Slot(0, UINT64_MAX)};
  EXPECT_EQ(BuildRewardProposal(in).status().code(), absl::StatusCode::kInvalidArgument);
  // Each below the supply, the sum above it.
  in.slots = {Slot(0, 30'000'000'000'000'000ULL), Slot(1, 30'000'000'000'000'000ULL)};
  EXPECT_EQ(BuildRewardProposal(in).status().code(), absl::StatusCode::kInvalidArgument);
  in.slots = {Slot(0, 1'000'000, UINT64_MAX)};
  EXPECT_EQ(BuildRewardProposal(in).status().code(), absl::StatusCode::kInvalidArgument);
  in.slots = {Slot(0, 1'000'000)};
  in.carry_in = L(UINT64_MAX);
  in.carry_input = in.treasury_utxos[0].input;
  EXPECT_EQ(BuildRewardProposal(in).status().code(), absl::StatusCode::kInvalidArgument);
  in.carry_in = L(0);
  in.carry_input.reset();
  in.treasury_utxos = {Utxo(1, 0, UINT64_MAX)};
  EXPECT_EQ(BuildRewardProposal(in).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RewardBuilder, RejectsMalformedRouting) {
  RewardBuildInput in = BaseInput();
  in.slots = {Slot(0, 10'000'000), Slot(0, 5)};
  EXPECT_EQ(BuildRewardProposal(in).status().code(), absl::StatusCode::kInvalidArgument);
  in.slots = {Slot(0, 10'000'000)};
  RewardBuildInput bad = in;
  bad.routing.bridge_magic = "testnet.cardano-evm.c1";
  EXPECT_EQ(BuildRewardProposal(bad).status().code(), absl::StatusCode::kInvalidArgument);
  bad = in;
  bad.routing.treasury_script = testing::MultisigScript(9, 0, 2, 3);  // not the address's script
  EXPECT_EQ(BuildRewardProposal(bad).status().code(), absl::StatusCode::kInvalidArgument);
  bad = in;
  bad.network = chain::Network::kMainnet;  // addresses are testnet
  EXPECT_EQ(BuildRewardProposal(bad).status().code(), absl::StatusCode::kInvalidArgument);
  bad = in;
  bad.extra_metadata[87] = chain::Metadatum::Text("x");
  EXPECT_EQ(BuildRewardProposal(bad).status().code(), absl::StatusCode::kInvalidArgument);
  bad = in;
  bad.treasury_utxos = {Utxo(1, 0, 5'000'000), Utxo(1, 0, 5'000'000)};
  EXPECT_EQ(BuildRewardProposal(bad).status().code(), absl::StatusCode::kInvalidArgument);
}

// Transactions chain through the treasury output: transaction i + 1 spends transaction i's
// output 0, so one treasury UTxO serves any number of transactions and a carry ends up in the
// last one's output.
TEST(RewardBuilder, SplitsUnderTheSizeLimitAsAChainThroughTheTreasuryOutput) {
  RewardBuildInput in = BaseInput(3, 5);
  in.routing.bridge_min_lovelace = L(1'000'000'000);  // nothing bridges: every transaction carries
  in.slots.clear();
  for (uint32_t i = 0; i < 60; ++i) in.slots.push_back(Slot(i, 3'000'000 + i, 0, 3, 5));
  in.treasury_utxos = {Utxo(0x09, 0, 5'000'000)};
  auto p = BuildRewardProposal(in);
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_GE(p->txs.size(), 2u);
  std::set<chain::Bytes> seen;
  chain::Lovelace withdrawn;
  for (size_t i = 0; i < p->txs.size(); ++i) {
    const RewardTx& t = p->txs[i];
    CheckTx(in, t);
    for (const auto& w : t.tx.body.withdrawals) EXPECT_TRUE(seen.insert(w.reward_account).second);
    withdrawn += t.withdrawn;
    if (i == 0) {
      EXPECT_EQ(t.treasury_input.input, in.treasury_utxos[0].input);
      EXPECT_EQ(t.carry_in, L(0));
    } else {
      const RewardTx& prev = p->txs[i - 1];
      EXPECT_EQ(t.treasury_input.input, (chain::TxIn{chain::TxId(prev.tx), 0}));
      EXPECT_EQ(t.treasury_input.coin, prev.treasury_out);
      EXPECT_EQ(t.carry_in, prev.carry_out);
    }
  }
  EXPECT_EQ(seen.size(), 60u);
  EXPECT_EQ(withdrawn, p->total_rewards);
  // The whole carry sits in the last output: what the next epoch's transaction 0 spends.
  EXPECT_EQ(p->carry_out, p->txs.back().carry_out);
  EXPECT_EQ(p->carry_out, p->total_rewards - p->total_commission - p->total_fee);
  EXPECT_EQ(p->carry_output, (chain::TxIn{chain::TxId(p->txs.back().tx), 0}));

  in.treasury_utxos.clear();
  EXPECT_EQ(BuildRewardProposal(in).status().code(), absl::StatusCode::kFailedPrecondition);
}

// A carry must name the output that holds it, and that output must be a listed treasury UTxO.
TEST(RewardBuilder, CarryNeedsItsListedOutput) {
  RewardBuildInput in = BaseInput();
  in.slots = {Slot(0, 10'000'000)};
  in.carry_in = L(2'000'000);
  EXPECT_EQ(BuildRewardProposal(in).status().code(), absl::StatusCode::kInvalidArgument);
  in.carry_input = Utxo(0x99, 0, 0).input;  // not among the treasury UTxOs
  auto missing = BuildRewardProposal(in);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(missing.status().message(), HasSubstr("does not list"));
  in.carry_in = L(0);
  EXPECT_EQ(BuildRewardProposal(in).status().code(), absl::StatusCode::kInvalidArgument);
}

// specs/cardano.md §6: key-hash reward accounts need a DRep delegation from protocol version 10;
// script-hash accounts (all Stakeward slots) are exempt.
TEST(RewardBuilder, KeyRewardAccountsNeedADRepDelegation) {
  chain::Bytes key_account(29, 0x11);
  key_account[0] = 0xE0;
  chain::Bytes script_account = key_account;
  script_account[0] = 0xF1;
  EXPECT_EQ(CheckWithdrawalDelegation(chain::View(key_account), false, 10).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckWithdrawalDelegation(chain::View(key_account), true, 10).ok());
  EXPECT_TRUE(CheckWithdrawalDelegation(chain::View(key_account), false, 9).ok());
  EXPECT_TRUE(CheckWithdrawalDelegation(chain::View(script_account), false, 11).ok());
  EXPECT_EQ(CheckWithdrawalDelegation(chain::ByteView(key_account.data(), 28), true, 10).code(),
            absl::StatusCode::kInvalidArgument);
  // The builder applies it to every slot; slots without a DRep still withdraw (script accounts).
  RewardBuildInput in = BaseInput();
  in.slots = {Slot(0, 10'000'000)};
  in.slots[0].drep_delegated = false;
  EXPECT_TRUE(BuildRewardProposal(in).ok());
}

TEST(RewardBuilder, MinimumSignaturesOfScripts) {
  EXPECT_EQ(MinimumSignatures(testing::MultisigScript(0, 0, 2, 3)), 2u);
  EXPECT_EQ(MinimumSignatures(testing::MultisigScript(0, 0, 3, 5)), 3u);
  auto all = chain::NativeScript::All(
      {testing::MultisigScript(0, 0, 2, 3), testing::MultisigScript(0, 1, 1, 2)});
  EXPECT_EQ(MinimumSignatures(all), 3u);
  auto any = chain::NativeScript::Any({all, testing::MultisigScript(0, 2, 1, 4)});
  EXPECT_EQ(MinimumSignatures(any), 1u);
}

}  // namespace
}  // namespace stakeward::rewards
