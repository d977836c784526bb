// Helpers shared by the policy tests.
#ifndef STAKEWARD_TESTS_UNIT_POLICY_TEST_UTIL_H_
#define STAKEWARD_TESTS_UNIT_POLICY_TEST_UTIL_H_

#include <fstream>
#include <sstream>
#include <string>

#include "chain/keys.h"
#include "gtest/gtest.h"
#include "policy/policy.h"
#include "policy/snapshot.h"

namespace stakeward::policy::testing {

inline constexpr uint64_t kAda = 1000000;

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string SamplePath(const std::string& name) {
  return std::string(STAKEWARD_SOURCE_DIR) + "/policy/samples/" + name;
}

// The signers' mnemonics of the sample policy (firmware mocks' defaults).
inline constexpr const char* kAliceMnemonic = "all all all all all all all all all all all all";
inline constexpr const char* kBobMnemonic =
    "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
inline constexpr const char* kCarolMnemonic =
    "glory promote mansion idle axis finger extra february uncover one trip resource lawn turtle "
    "enact "
    "monster seven myth punch hobby comfort wild raise skin";

inline chain::XPrv AccountKey(const char* mnemonic, chain::Derivation d) {
  auto master = chain::MasterKeyFromMnemonic(mnemonic, "", d);
  EXPECT_TRUE(master.ok()) << master.status();
  auto path = chain::ParsePath("m/1854'/1815'/0'");
  EXPECT_TRUE(path.ok());
  return chain::DerivePath(*master, *path);
}

// A policy built in code (no YAML) with permissive gates; signer keys are the sample signers'.
inline Policy TestPolicyUncached() {
  Policy p;
  p.network = chain::Network::kTestnet;
  p.protocol_magic = 1;
  p.threshold = 2;
  p.max_slots = 50;
  const char* names[] = {"alice", "bob", "carol"};
  const char* mn[] = {kAliceMnemonic, kBobMnemonic, kCarolMnemonic};
  chain::Derivation ds[] = {chain::Derivation::kIcarusTrezor, chain::Derivation::kIcarus,
                            chain::Derivation::kLedger};
  for (int i = 0; i < 3; ++i) {
    Signer s;
    s.name = names[i];
    s.account_xpub = chain::ToPublic(AccountKey(mn[i], ds[i]));
    s.device = i == 2 ? DeviceKind::kLedger : DeviceKind::kTrezor;
    p.signers.push_back(s);
  }
  p.gates.retiring_within_epochs = 2;
  p.allocation.strategy = Strategy::kMaxRewards;
  p.allocation.min_pools = 1;
  p.allocation.max_pools = 10;
  p.allocation.saturation_headroom_bps = 9500;
  p.rewards.commission_bps = 500;
  p.rewards.bridge_min_lovelace = 3 * kAda;
  return p;
}

// Key derivation (PBKDF2) is slow, so the policy is built once per test binary.
inline Policy TestPolicy() {
  static const Policy cached = TestPolicyUncached();
  return cached;
}

// A pool with sane defaults: 5M ADA stake, 1% margin, 340 ADA cost, perfect performance.
inline Pool MakePool(uint8_t tag, uint64_t stake, uint64_t epoch = 500) {
  Pool p;
  p.id.fill(0);
  p.id[0] = tag;
  p.id[27] = 0x5a;
  p.vrf.fill(tag);
  p.pledge = 100000 * kAda;
  p.live_pledge = p.pledge;
  p.margin = Ratio::Of(1, 100);
  p.fixed_cost = 340 * kAda;
  p.registered_epoch = epoch > 100 ? epoch - 100 : 0;
  p.live_stake = stake;
  p.active_stake = stake;
  p.owners.push_back(chain::Hash28{});
  p.owners[0][0] = tag;
  for (uint64_t e = epoch - 5; e < epoch; ++e) p.blocks.push_back({e, 10, Ratio::Of(10, 1)});
  return p;
}

// A snapshot around the given pools; our slots are added by the caller.
inline Snapshot MakeSnapshot(std::vector<Pool> pools, uint64_t epoch = 500) {
  Snapshot s;
  s.network = chain::Network::kTestnet;
  s.epoch = epoch;
  s.circulating = 35000000000ull * kAda;
  s.reserves = 8000000000ull * kAda;
  s.pools = std::move(pools);
  Utxo t;
  t.tx.fill(0xee);
  t.lovelace = chain::Lovelace(100000 * kAda);
  s.treasury.push_back(t);
  return s;
}

inline void AddSlot(Snapshot& s, uint32_t index, const Pool* pool, uint64_t balance) {
  SlotState sl;
  sl.index = index;
  sl.registered = pool != nullptr;
  if (pool != nullptr) {
    sl.pool = pool->id;
    sl.drep = DRepChoice{};
    for (Pool& p : s.pools) {
      if (p.id == pool->id) p.live_stake += balance;
    }
  }
  sl.balance = chain::Lovelace(balance);
  s.slots.push_back(sl);
}

}  // namespace stakeward::policy::testing

#endif  // STAKEWARD_TESTS_UNIT_POLICY_TEST_UTIL_H_
