// Shared inputs for the rewards tests: a 2-of-3 DAO with deterministic key hashes, a treasury
// script address, the devnet bridge address and the Trezor fixture mnemonic for the operator key.
#ifndef STAKEWARD_TESTS_UNIT_REWARDS_REWARDS_FIXTURE_H_
#define STAKEWARD_TESTS_UNIT_REWARDS_REWARDS_FIXTURE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "chain/address.h"
#include "chain/evm.h"
#include "chain/keys.h"
#include "chain/native_script.h"
#include "controller/rewards/bridge.h"
#include "controller/rewards/deposit.h"
#include "controller/rewards/reward_builder.h"

namespace stakeward::rewards::testing {

// A key hash whose bytes are all derived from (role, signer, index): distinct for every key.
inline chain::Hash28 FakeKeyHash(uint8_t role, uint8_t signer, uint32_t index) {
  chain::Hash28 h{};
  for (size_t i = 0; i < h.size(); ++i) {
    h[i] = static_cast<uint8_t>(role * 31 + signer * 7 + index * 13 + i * 3);
  }
  h[0] = role;
  h[1] = signer;
  h[2] = static_cast<uint8_t>(index & 0xFF);
  h[3] = static_cast<uint8_t>(index >> 8);
  return h;
}

inline chain::NativeScript MultisigScript(uint8_t role, uint32_t index, size_t m, size_t n) {
  std::vector<chain::NativeScript> sigs;
  for (size_t j = 0; j < n; ++j) {
    sigs.push_back(chain::NativeScript::Sig(FakeKeyHash(role, static_cast<uint8_t>(j), index)));
  }
  return chain::NativeScript::AtLeast(m, std::move(sigs));
}

// The devnet bridge address of the Milkomeda docs example (specs/cardano.md §7).
inline constexpr char kDevnetBridge[] =
    "addr_test1wz6lvjg3anml96vl22mls5vae3x2cgaqwy2ewp5gj3fcxdcw652wz";

// Trezor test fixtures' mnemonic (trezor-firmware common/tests/fixtures).
inline constexpr char kAllMnemonic[] = "all all all all all all all all all all all all";

inline chain::evm::Address OperatorL2() {
  chain::evm::Address a{};
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<uint8_t>(0xA0 + i);
  return a;
}

// Lovelace from a literal, for expected values.
constexpr chain::Lovelace L(uint64_t v) { return chain::Lovelace(v); }

inline SlotRewardState Slot(uint32_t index, uint64_t rewards, uint64_t staked = 0, size_t m = 2,
                            size_t n = 3) {
  SlotRewardState s;
  s.slot = index;
  s.stake_script = MultisigScript(2, index, m, n);
  s.registered = true;
  s.drep_delegated = true;
  s.reward_balance = L(rewards);
  s.staked_lovelace = L(staked);
  return s;
}

inline TreasuryUtxo Utxo(uint8_t tag, uint32_t index, uint64_t coin) {
  TreasuryUtxo u;
  u.input.tx_id.fill(tag);
  u.input.index = index;
  u.coin = L(coin);
  return u;
}

inline RewardBuildInput BaseInput(size_t m = 2, size_t n = 3) {
  RewardBuildInput in;
  in.epoch = 510;
  in.network = chain::Network::kTestnet;
  in.protocol_major = 10;
  in.ttl = 150'000'000;
  in.routing.commission_bps = 500;
  in.routing.treasury_script = MultisigScript(0, 0, m, n);
  chain::Credential pay{chain::Credential::Kind::kScriptHash,
                        chain::NativeScriptHash(in.routing.treasury_script)};
  in.routing.treasury_address = chain::Address::Enterprise(chain::Network::kTestnet, pay).ToBytes();
  auto bridge = chain::ParseAddress(kDevnetBridge);
  if (bridge.ok()) in.routing.bridge_address = bridge->ToBytes();
  in.routing.bridge_magic = std::string(kMagicDevnet);
  in.routing.operator_l2 = OperatorL2();
  in.routing.bridge_min_lovelace = L(3'000'000);
  in.treasury_utxos = {Utxo(0x11, 0, 5'000'000), Utxo(0x22, 1, 5'000'000), Utxo(0x33, 0, 5'000'000),
                       Utxo(0x44, 2, 5'000'000)};
  return in;
}

inline chain::evm::Secp256k1Key OperatorMaster() {
  auto seed = chain::MnemonicToSeed(kAllMnemonic, "");
  auto master = chain::evm::Secp256k1Key::MasterFromSeed(chain::View(*seed));
  return *master;
}

inline DepositParams SampleDepositParams(const chain::evm::Address& operator_address) {
  DepositParams p;
  p.chain_id = kChainIdDevnet;
  p.contract = *chain::evm::ParseAddress("0x45f48842ef34da79a5b426f427e63d9fa8b53696");
  p.roi = chain::evm::U256::FromUint64(40);
  p.operator_address = operator_address;
  p.operator_path = *chain::ParsePath("m/44'/60'/0'/0/0");
  p.nonce = chain::evm::U256::FromUint64(7);
  p.gas_limit = chain::evm::U256::FromUint64(120'000);
  p.max_fee_per_gas = chain::evm::U256::FromUint64(60'000'000'000ULL);
  p.max_priority_fee_per_gas = chain::evm::U256::FromUint64(1'000'000'000ULL);
  p.bridged_lovelace = L(95'000'000);
  p.bridge_fee_lovelace = L(500'000);
  return p;
}

}  // namespace stakeward::rewards::testing

#endif  // STAKEWARD_TESTS_UNIT_REWARDS_REWARDS_FIXTURE_H_
