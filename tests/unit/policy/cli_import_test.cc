// cardano-cli query outputs, current and historical spellings, and bad rows.
#include "policy/cli_import.h"

#include "gtest/gtest.h"
#include "test_util.h"

namespace stakeward::policy {
namespace {

const char* kPoolHex = "5a6f7d1d2a6e3c5d0f8a6a4b1f0a1c7e2b7b8f9e0d1c2b3a49586776";
const char* kPool2Hex = "0e54800ff11331412c84a6660d5789e249321a506a5c7fd6521b2487";

Snapshot Base() {
  Snapshot s = testing::MakeSnapshot({});
  std::string list = std::string("[\"") + chain::PoolIdBech32(*chain::ParsePoolId(kPoolHex)) +
                     "\", \"" + kPool2Hex + "\"]";
  EXPECT_TRUE(ImportStakePools(list, s).ok());
  return s;
}

TEST(ImportProtocolParameters, ConwayNamesWithExactDecimals) {
  Snapshot s;
  const char* pp = R"({"txFeePerByte": 44, "txFeeFixed": 155381, "utxoCostPerByte": 4310,
    "stakeAddressDeposit": 2000000, "stakePoolTargetNum": 500, "maxTxSize": 16384,
    "poolPledgeInfluence": 0.3, "monetaryExpansion": 0.003, "treasuryCut": 0.2,
    "executionUnitPrices": {"priceMemory": 0.0577, "priceSteps": 7.21e-05},
    "protocolVersion": {"major": 10, "minor": 0}})";
  ASSERT_TRUE(ImportProtocolParameters(pp, s).ok());
  EXPECT_EQ(s.params.k, 500u);
  EXPECT_EQ(s.params.a0, Ratio::Of(3, 10));
  EXPECT_EQ(s.params.rho, Ratio::Of(3, 1000));
  EXPECT_EQ(s.params.tau, Ratio::Of(1, 5));
  EXPECT_EQ(s.params.min_fee_a, 44u);
  EXPECT_EQ(s.params.min_fee_b, chain::Lovelace(155381));
  EXPECT_EQ(s.params.coins_per_utxo_byte, 4310u);
  EXPECT_EQ(s.params.protocol_major, 10u);
}

TEST(ImportProtocolParameters, LedgerAndAlonzoNames) {
  Snapshot s;
  const char* pp =
      R"({"minFeeA": 44, "minFeeB": 155381, "utxoCostPerWord": 34482, "keyDeposit": 2000000,
    "nOpt": 150, "a0": 0.3, "rho": 0.003, "tau": 0.2})";
  ASSERT_TRUE(ImportProtocolParameters(pp, s).ok());
  EXPECT_EQ(s.params.k, 150u);
  EXPECT_EQ(s.params.coins_per_utxo_byte, 4310u);
  EXPECT_FALSE(ImportProtocolParameters(R"({"nOpt": 150})", s).ok());
  EXPECT_FALSE(ImportProtocolParameters(R"({"stakePoolTargetNum": -5, "a0": 0.3})", s).ok());
}

TEST(ImportStakePools, JsonAndText) {
  Snapshot s = Base();
  EXPECT_EQ(s.pools.size(), 2u);
  Snapshot t;
  ASSERT_TRUE(ImportStakePools(std::string(kPoolHex) + "\n" + kPool2Hex + "\n", t).ok());
  EXPECT_EQ(t.pools.size(), 2u);
  absl::Status bad = ImportStakePools("[\"pool1notvalid\"]", t);
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("pool1notvalid"), std::string::npos);
  EXPECT_FALSE(
      ImportStakePools(std::string("[\"") + kPoolHex + "\", \"" + kPoolHex + "\"]", t).ok());
}

std::string PoolState(const char* id_key, const char* account_key, const char* margin) {
  return std::string(R"({")") + kPoolHex + R"(": {"poolParams": {")" + id_key + R"(": ")" +
         kPoolHex +
         R"(", "vrf": "c2b62ffa92ad18ffc117ea3abeb161a68885000a466f9c71db5e4731d6630061", "pledge": 1000000000,
          "cost": 340000000, "margin": )" +
         margin + R"(, ")" + account_key +
         R"(": {"network": "Testnet", "credential": {"keyHash": "00"}},
          "owners": ["0e54800ff11331412c84a6660d5789e249321a506a5c7fd6521b2487"],
          "relays": [{"single host address": {"IPv4": "10.0.0.1", "IPv6": null, "port": 3001}}],
          "metadata": {"hash": "00", "url": "https://example.com/p.json"}},
        "futurePoolParams": null, "retiring": 612}})";
}

TEST(ImportPoolState, BothSpellings) {
  for (auto [id_key, acct] : {std::pair<const char*, const char*>{"publicKey", "rewardAccount"},
                              {"poolId", "accountAddress"}}) {
    Snapshot s = Base();
    absl::Status st = ImportPoolState(PoolState(id_key, acct, "0.015"), s);
    ASSERT_TRUE(st.ok()) << st;
    const Pool* p = s.FindPool(*chain::ParsePoolId(kPoolHex));
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->margin, Ratio::Of(3, 200));
    EXPECT_EQ(p->pledge, 1000000000u);
    EXPECT_EQ(p->fixed_cost, 340000000u);
    EXPECT_EQ(p->retiring_epoch, 612u);
    EXPECT_EQ(p->owners.size(), 1u);
    EXPECT_EQ(p->relays.size(), 1u);
    EXPECT_EQ(p->metadata_url, "https://example.com/p.json");
  }
}

TEST(ImportPoolState, BadRows) {
  Snapshot s = Base();
  EXPECT_FALSE(
      ImportPoolState(PoolState("publicKey", "rewardAccount", "1.5"), s).ok());  // margin > 1
  EXPECT_FALSE(
      ImportPoolState(PoolState("publicKey", "rewardAccount", "-0.1"), s).ok());  // negative
  EXPECT_FALSE(
      ImportPoolState(PoolState("publicKey", "nothing", "0.01"), s).ok());  // no reward account
  Snapshot empty = testing::MakeSnapshot({});
  absl::Status st = ImportPoolState(PoolState("publicKey", "rewardAccount", "0.01"), empty);
  EXPECT_NE(st.message().find("unknown pool"), std::string::npos) << st;
}

TEST(ImportStakeSnapshot, AllPoolsAndSinglePool) {
  Snapshot s = Base();
  std::string all = std::string(R"({"pools": {")") + kPoolHex +
                    R"(": {"stakeMark": 123456789012, "stakeSet": 120000000000, "stakeGo": 1}},
                    "total": {"stakeMark": 1, "stakeSet": 1, "stakeGo": 1}})";
  ASSERT_TRUE(ImportStakeSnapshot(all, s).ok());
  const Pool* p = s.FindPool(*chain::ParsePoolId(kPoolHex));
  EXPECT_EQ(p->live_stake, 123456789012u);
  EXPECT_EQ(p->active_stake, 120000000000u);
  const char* single =
      R"({"poolStakeMark": 5, "poolStakeSet": 4, "poolStakeGo": 3, "activeStakeMark": 9})";
  ASSERT_TRUE(ImportStakeSnapshot(single, s, *chain::ParsePoolId(kPool2Hex)).ok());
  EXPECT_EQ(s.FindPool(*chain::ParsePoolId(kPool2Hex))->live_stake, 5u);
  EXPECT_FALSE(ImportStakeSnapshot(single, s).ok());
  std::string overflow = std::string(R"({"pools": {")") + kPoolHex +
                         R"(": {"stakeMark": 18446744073709551616, "stakeSet": 0}}})";
  EXPECT_FALSE(ImportStakeSnapshot(overflow, s).ok());
  std::string unknown =
      R"({"pools": {"00000000000000000000000000000000000000000000000000000000": {"stakeMark": 1, "stakeSet": 1}}})";
  EXPECT_NE(ImportStakeSnapshot(unknown, s).message().find("unknown pool"), std::string::npos);
}

struct InfoRow {
  const char* name;
  const char* json;
  bool registered;
  bool has_pool;
  std::optional<DRepChoice::Kind> drep;
  uint64_t rewards;
};

class StakeAddressInfo : public ::testing::TestWithParam<InfoRow> {};

TEST_P(StakeAddressInfo, Parses) {
  const InfoRow& r = GetParam();
  Snapshot s = Base();
  absl::Status st = ImportStakeAddressInfo(r.json, 3, s);
  ASSERT_TRUE(st.ok()) << r.name << ": " << st;
  ASSERT_EQ(s.slots.size(), 1u);
  const SlotState& sl = s.slots[0];
  EXPECT_EQ(sl.index, 3u);
  EXPECT_EQ(sl.registered, r.registered) << r.name;
  EXPECT_EQ(sl.pool.has_value(), r.has_pool) << r.name;
  if (r.has_pool) {
    EXPECT_EQ(chain::HexEncode(*sl.pool), kPoolHex);
  }
  EXPECT_EQ(sl.drep.has_value(), r.drep.has_value()) << r.name;
  if (r.drep.has_value() && sl.drep.has_value()) {
    EXPECT_EQ(sl.drep->kind, *r.drep);
  }
  EXPECT_EQ(sl.rewards.value(), r.rewards);
}

#define ADDR "\"address\": \"stake_test1urj40zgr2gy4788kl54h6x3gu0pukq5lfr8nflufpg5dzas324ywz\""
#define POOL_HEX "5a6f7d1d2a6e3c5d0f8a6a4b1f0a1c7e2b7b8f9e0d1c2b3a49586776"

INSTANTIATE_TEST_SUITE_P(
    Spellings, StakeAddressInfo,
    ::testing::Values(
        InfoRow{"unregistered", "[]", false, false, std::nullopt, 0},
        InfoRow{
            "head",
            "[{" ADDR
            ", \"stakeDelegation\": {\"stakePoolBech32\": null, \"stakePoolHex\": \"" POOL_HEX
            "\"}, "
            "\"voteDelegation\": {\"keyHash\": "
            "\"a5b45515a3ff8cb7c02ce351834da324eb6dfc41b5779cb5e6b832aa\", \"cip129Hex\": \"22\"}, "
            "\"rewardAccountBalance\": 1234, \"stakeRegistrationDeposit\": 2000000, "
            "\"govActionDeposits\": {}}]",
            true, true, DRepChoice::Kind::kDRep, 1234},
        InfoRow{"head abstain, no pool",
                "[{" ADDR ", \"stakeDelegation\": null, \"voteDelegation\": \"alwaysAbstain\", "
                "\"rewardAccountBalance\": 0, \"stakeRegistrationDeposit\": 2000000}]",
                true, false, DRepChoice::Kind::kAbstain, 0},
        InfoRow{"10.4 strings",
                "[{" ADDR ", \"stakeDelegation\": \"" POOL_HEX "\", "
                "\"voteDelegation\": "
                "\"scriptHash-a5b45515a3ff8cb7c02ce351834da324eb6dfc41b5779cb5e6b832aa\", "
                "\"rewardAccountBalance\": 7, \"stakeRegistrationDeposit\": 2000000}]",
                true, true, DRepChoice::Kind::kDRep, 7},
        InfoRow{"10.4 no confidence",
                "[{" ADDR ", \"stakeDelegation\": \"" POOL_HEX
                "\", \"voteDelegation\": \"alwaysNoConfidence\", "
                "\"rewardAccountBalance\": 0, \"stakeRegistrationDeposit\": 2000000}]",
                true, true, DRepChoice::Kind::kNoConfidence, 0},
        InfoRow{"10.1 delegationDeposit",
                "[{" ADDR ", \"stakeDelegation\": \"" POOL_HEX
                "\", \"delegationDeposit\": 2000000, "
                "\"rewardAccountBalance\": 99}]",
                true, true, std::nullopt, 99},
        InfoRow{"pre-Conway delegation",
                "[{" ADDR ", \"delegation\": \"" POOL_HEX "\", \"rewardAccountBalance\": 5}]", true,
                true, std::nullopt, 5},
        InfoRow{"deposit null means not registered",
                "[{" ADDR ", \"stakeDelegation\": null, \"stakeRegistrationDeposit\": null, "
                "\"rewardAccountBalance\": 0}]",
                false, false, std::nullopt, 0}),
    [](const ::testing::TestParamInfo<InfoRow>& info) {
      std::string n = info.param.name;
      for (char& c : n) {
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return n;
    });

TEST(StakeAddressInfoErrors, BadRows) {
  Snapshot s = Base();
  EXPECT_FALSE(ImportStakeAddressInfo("[{\"stakeDelegation\": \"pool1xyz\"}]", 0, s).ok());
  EXPECT_FALSE(ImportStakeAddressInfo("[{\"address\": "
                                      "\"addr_"
                                      "test1qq8ac7qqy0vtulyl7wntmsxc6wex80gvcyjy33qffrhm7sh927ysx5s"
                                      "ftuw0dlft05dz3c7revpf7jx0xnlcjz3g69mqkt5dmn\"}]",
                                      0, s)
                   .ok());
  EXPECT_FALSE(ImportStakeAddressInfo("[{\"rewardAccountBalance\": -1}]", 0, s).ok());
  EXPECT_FALSE(ImportStakeAddressInfo("[{\"voteDelegation\": \"keyHash-zz\"}]", 0, s).ok());
  EXPECT_FALSE(ImportStakeAddressInfo("{}", 0, s).ok());
}

TEST(ImportUtxo, SlotAndTreasury) {
  Snapshot s = Base();
  const char* utxo = R"({
    "bdfa4c4a7a6e4c7b8bfb8d1e6bcd0e3a0c2b5b0f5c0d0e0f1a2b3c4d5e6f7a8b#0": {
      "address": "addr_test1qq8ac7qqy0vtulyl7wntmsxc6wex80gvcyjy33qffrhm7sh927ysx5sftuw0dlft05dz3c7revpf7jx0xnlcjz3g69mqkt5dmn",
      "datum": null, "datumhash": null, "inlineDatum": null, "referenceScript": null,
      "value": {"lovelace": 5000000}},
    "bdfa4c4a7a6e4c7b8bfb8d1e6bcd0e3a0c2b5b0f5c0d0e0f1a2b3c4d5e6f7a8b#1": {
      "address": "addr_test1qq8ac7qqy0vtulyl7wntmsxc6wex80gvcyjy33qffrhm7sh927ysx5sftuw0dlft05dz3c7revpf7jx0xnlcjz3g69mqkt5dmn",
      "value": {"lovelace": 7}}})";
  ASSERT_TRUE(ImportUtxo(utxo, 2, s).ok());
  ASSERT_EQ(s.slots.size(), 1u);
  EXPECT_EQ(s.slots[0].balance, chain::Lovelace(5000007));
  EXPECT_EQ(s.slots[0].utxos.size(), 2u);
  ASSERT_TRUE(ImportUtxo(utxo, std::nullopt, s).ok());
  EXPECT_EQ(s.treasury.size(), 2u);
  const char* tokens = R"({"bdfa4c4a7a6e4c7b8bfb8d1e6bcd0e3a0c2b5b0f5c0d0e0f1a2b3c4d5e6f7a8b#0": {
      "address": "addr_test1wz6lvjg3anml96vl22mls5vae3x2cgaqwy2ewp5gj3fcxdcw652wz",
      "value": {"lovelace": 5, "0123": {"41": 1}}}})";
  EXPECT_NE(ImportUtxo(tokens, std::nullopt, s).message().find("native tokens"), std::string::npos);
  EXPECT_FALSE(ImportUtxo(R"({"nothex#0": {"value": {"lovelace": 1}}})", std::nullopt, s).ok());
  EXPECT_FALSE(
      ImportUtxo(
          R"({"bdfa4c4a7a6e4c7b8bfb8d1e6bcd0e3a0c2b5b0f5c0d0e0f1a2b3c4d5e6f7a8b#0": {"value": {"lovelace": 1.5}}})",
          std::nullopt, s)
          .ok());
}

}  // namespace
}  // namespace stakeward::policy
