#include "tests/unit/chainsource/chain_state_fixture.h"

#include "chain/address.h"

namespace stakeward::chainsource::testing {
namespace {

using J = nlohmann::json;

std::string Bech32(const std::string& hex) { return chain::PoolIdBech32(*chain::ParsePoolId(hex)); }

std::string OwnerStakeAddress(const std::string& hex) {
  chain::Credential c{chain::Credential::Kind::kKeyHash, *chain::HexDecodeFixed<28>(hex)};
  return chain::Address::Reward(chain::Network::kTestnet, c).ToBech32();
}

std::string RewardAddress(const BridgeLayout& layout, uint32_t index) {
  return chain::Address::Reward(layout.network, layout.slots.at(index).stake).ToBech32();
}

}  // namespace

ChainState MakeChainState() {
  ChainState c;
  c.pools = {
      {"5a6f7d1d2a6e3c5d0f8a6a4b1f0a1c7e2b7b8f9e0d1c2b3a49586776", std::string(64, '1'),
       2000000000000, 340000000, "0.01", "1/100", std::string(56, 'a'), "relay1.example", "", 3001,
       30000000000000, 29000000000000, "3/3700"},
      {"0e54800ff11331412c84a6660d5789e249321a506a5c7fd6521b2487", std::string(64, '2'),
       1500000000000, 340000000, "0.02", "1/50", std::string(56, 'b'), "relay2.example", "", 3001,
       20000000000000, 20000000000000, "1/1850"},
      {std::string(56, '3'), std::string(64, '3'), 5000000000, 170000000, "0.03", "3/100",
       std::string(56, 'd'), "", "10.0.0.3", 6000, 10000000000000, 9000000000000, "1/3700"},
  };
  c.slots = {
      {0, c.pools[0].hex, 5000000, std::string(64, 'e'), 0, 20000000000000},
      {1, c.pools[1].hex, 0, std::string(64, 'f'), 1, 10000000000000},
  };
  return c;
}

std::map<std::string, std::string> CliFiles(const ChainState& c, const BridgeLayout& layout) {
  std::map<std::string, std::string> f;
  f["tip.json"] = J{{"block", c.height},       {"epoch", c.epoch},        {"era", "Conway"},
                    {"hash", c.tip_hash},      {"slot", c.slot},          {"slotInEpoch", 1000},
                    {"slotsToEpochEnd", 2000}, {"syncProgress", "100.00"}}
                      .dump();
  f["protocol-parameters.json"] =
      R"({"txFeePerByte": 44, "txFeeFixed": 155381, "utxoCostPerByte": 4310, "stakeAddressDeposit": 2000000,
          "stakePoolTargetNum": 500, "maxTxSize": 16384, "poolPledgeInfluence": 0.3, "monetaryExpansion": 0.003,
          "treasuryCut": 0.2, "protocolVersion": {"major": 10, "minor": 0}})";
  J ids = J::array(), state = J::object(),
    snap = {{"pools", J::object()}, {"total", {{"stakeMark", 1}, {"stakeSet", 1}, {"stakeGo", 1}}}};
  for (const FixPool& p : c.pools) {
    ids.push_back(Bech32(p.hex));
    J relay =
        p.host.empty()
            ? J{{"single host address", {{"IPv4", p.ipv4}, {"IPv6", nullptr}, {"port", p.port}}}}
            : J{{"single host name", {{"dnsName", p.host}, {"port", p.port}}}};
    // margin as a decimal token, exactly as cardano-cli prints it
    std::string params =
        J{{"publicKey", p.hex},
          {"vrf", p.vrf},
          {"pledge", p.pledge},
          {"cost", p.cost},
          {"rewardAccount", {{"network", "Testnet"}, {"credential", {{"keyHash", p.owner}}}}},
          {"owners", {p.owner}},
          {"relays", {relay}},
          {"metadata",
           {{"hash", std::string(64, '0')},
            {"url", "https://" + p.hex.substr(0, 6) + ".example/p.json"}}}}
            .dump();
    params.insert(params.size() - 1, ",\"margin\":" + p.margin_decimal);
    state[p.hex] = {{"poolParams", J::parse(params, nullptr, true, false)},
                    {"futurePoolParams", nullptr},
                    {"retiring", nullptr}};
    snap["pools"][p.hex] = {{"stakeMark", p.live}, {"stakeSet", p.active}, {"stakeGo", p.active}};
  }
  f["stake-pools.json"] = ids.dump();
  // Re-insert the decimal margins verbatim (nlohmann would print doubles).
  std::string st = "{";
  bool first = true;
  for (const FixPool& p : c.pools) {
    J entry = state[p.hex];
    std::string params = entry["poolParams"].dump();
    if (!first) st += ",";
    first = false;
    st += "\"" + p.hex + "\":{\"poolParams\":" + params +
          ",\"futurePoolParams\":null,\"retiring\":null}";
  }
  f["pool-state.json"] = st + "}";
  f["stake-snapshot.json"] = snap.dump();
  f["account-state.json"] = J{{"treasury", c.treasury}, {"reserves", c.reserves}}.dump();
  for (const FixSlot& s : c.slots) {
    const std::string& base = layout.slots.at(s.index).base_address;
    std::string n = std::to_string(s.index);
    f["slot-" + n + ".stake-address-info.json"] =
        J::array({{{"address", RewardAddress(layout, s.index)},
                   {"stakeDelegation",
                    {{"stakePoolBech32", Bech32(s.pool_hex)}, {"stakePoolHex", s.pool_hex}}},
                   {"voteDelegation", "alwaysAbstain"},
                   {"rewardAccountBalance", s.rewards},
                   {"stakeRegistrationDeposit", 2000000}}})
            .dump();
    f["slot-" + n + ".utxo.json"] =
        J{{s.tx + "#" + std::to_string(s.tx_index),
           {{"address", base}, {"value", {{"lovelace", s.lovelace}}}, {"datum", nullptr}}}}
            .dump();
  }
  f["treasury.utxo.json"] = J{{c.treasury_tx + "#0",
                               {{"address", layout.treasury_addresses.at(0)},
                                {"value", {{"lovelace", c.treasury_lovelace}}}}}}
                                .dump();
  return f;
}

std::map<std::string, J> OgmiosResults(const ChainState& c, const BridgeLayout& layout) {
  auto ada = [](uint64_t v) { return J{{"ada", {{"lovelace", v}}}}; };
  std::map<std::string, J> r;
  r["queryNetwork/tip"] = {{"slot", c.slot}, {"id", c.tip_hash}};
  r["queryNetwork/blockHeight"] = c.height;
  r["queryLedgerState/epoch"] = c.epoch;
  r["queryLedgerState/protocolParameters"] = {{"minFeeCoefficient", 44},
                                              {"minFeeConstant", ada(155381)},
                                              {"maxTransactionSize", {{"bytes", 16384}}},
                                              {"stakeCredentialDeposit", ada(2000000)},
                                              {"desiredNumberOfStakePools", 500},
                                              {"stakePoolPledgeInfluence", "3/10"},
                                              {"monetaryExpansion", "3/1000"},
                                              {"treasuryExpansion", "1/5"},
                                              {"minUtxoDepositCoefficient", 4310},
                                              {"version", {{"major", 10}, {"minor", 0}}}};
  J pools = J::object(), live = J::object(), perf = J::object();
  for (const FixPool& p : c.pools) {
    std::string id = Bech32(p.hex);
    J relay = p.host.empty() ? J{{"type", "ipAddress"}, {"ipv4", p.ipv4}, {"port", p.port}}
                             : J{{"type", "hostname"}, {"hostname", p.host}, {"port", p.port}};
    pools[id] = {{"id", id},
                 {"vrfVerificationKeyHash", p.vrf},
                 {"pledge", ada(p.pledge)},
                 {"cost", ada(p.cost)},
                 {"margin", p.margin_ratio},
                 {"rewardAccount", OwnerStakeAddress(p.owner)},
                 {"owners", {p.owner}},
                 {"relays", {relay}},
                 {"metadata",
                  {{"url", "https://" + p.hex.substr(0, 6) + ".example/p.json"},
                   {"hash", std::string(64, '0')}}},
                 {"stake", ada(p.active)}};
    live[id] = {{"stake", p.live_share}, {"vrf", p.vrf}};
    perf[id] = {{"id", id},
                {"stake", ada(p.active)},
                {"ownerStake", ada(p.pledge)},
                {"approximatePerformance", 1},
                {"parameters",
                 {{"cost", ada(p.cost)}, {"margin", p.margin_ratio}, {"pledge", ada(p.pledge)}}}};
  }
  r["queryLedgerState/stakePools"] = pools;
  r["queryLedgerState/liveStakeDistribution"] = live;
  r["queryLedgerState/stakePoolsPerformances"] = {
      {"desiredNumberOfStakePools", 500}, {"stakePoolPledgeInfluence", "3/10"},
      {"totalRewardsInEpoch", ada(1)},    {"activeStakeInEpoch", ada(1)},
      {"totalStakeInEpoch", ada(1)},      {"stakePools", perf}};
  J summaries = J::array(), utxos = J::array();
  for (const FixSlot& s : c.slots) {
    summaries.push_back({{"from", "script"},
                         {"credential", chain::HexEncode(layout.slots.at(s.index).stake.hash)},
                         {"stakePool", {{"id", Bech32(s.pool_hex)}}},
                         {"delegateRepresentative", {{"type", "abstain"}}},
                         {"rewards", ada(s.rewards)},
                         {"deposit", ada(2000000)}});
    utxos.push_back({{"transaction", {{"id", s.tx}}},
                     {"index", s.tx_index},
                     {"address", layout.slots.at(s.index).base_address},
                     {"value", ada(s.lovelace)}});
  }
  utxos.push_back({{"transaction", {{"id", c.treasury_tx}}},
                   {"index", 0},
                   {"address", layout.treasury_addresses.at(0)},
                   {"value", ada(c.treasury_lovelace)}});
  r["queryLedgerState/rewardAccountSummaries"] = summaries;
  r["queryLedgerState/utxo"] = utxos;
  r["queryLedgerState/treasuryAndReserves"] = {{"treasury", ada(c.treasury)},
                                               {"reserves", ada(c.reserves)}};
  return r;
}

std::map<std::string, J> KoiosRows(const ChainState& c, const BridgeLayout& layout) {
  std::map<std::string, J> r;
  r["/tip"] = J::array({{{"hash", c.tip_hash},
                         {"epoch_no", c.epoch},
                         {"abs_slot", c.slot},
                         {"block_no", c.height}}});
  // Decimal ratios as JSON numbers are parsed exactly by Stakeward (the same text Koios sends).
  r["/epoch_params"] = J::array({{{"epoch_no", c.epoch},
                                  {"optimal_pool_count", 500},
                                  {"influence", "0.3"},
                                  {"monetary_expand_rate", "0.003"},
                                  {"treasury_growth_rate", "0.2"},
                                  {"key_deposit", "2000000"},
                                  {"min_fee_a", 44},
                                  {"min_fee_b", 155381},
                                  {"coins_per_utxo_size", "4310"},
                                  {"max_tx_size", 16384},
                                  {"protocol_major", 10}}});
  J list = J::array(), info = J::array();
  for (const FixPool& p : c.pools) {
    std::string id = Bech32(p.hex);
    list.push_back({{"pool_id_bech32", id}, {"pool_status", "registered"}});
    J relay = {{"dns", p.host.empty() ? J(nullptr) : J(p.host)},
               {"srv", nullptr},
               {"ipv4", p.ipv4.empty() ? J(nullptr) : J(p.ipv4)},
               {"ipv6", nullptr},
               {"port", p.port}};
    info.push_back({{"pool_id_bech32", id},
                    {"pool_id_hex", p.hex},
                    {"active_epoch_no", nullptr},
                    {"vrf_key_hash", p.vrf},
                    {"margin", p.margin_decimal},
                    {"fixed_cost", std::to_string(p.cost)},
                    {"pledge", std::to_string(p.pledge)},
                    {"reward_addr", OwnerStakeAddress(p.owner)},
                    {"owners", {OwnerStakeAddress(p.owner)}},
                    {"relays", {relay}},
                    {"meta_url", "https://" + p.hex.substr(0, 6) + ".example/p.json"},
                    {"pool_status", "registered"},
                    {"retiring_epoch", nullptr},
                    {"active_stake", std::to_string(p.active)},
                    {"live_pledge", std::to_string(p.pledge)},
                    {"live_stake", std::to_string(p.live)}});
  }
  r["/pool_list"] = list;
  r["/pool_info"] = info;
  r["/pool_history"] = J::array();
  J accounts = J::array(), utxos = J::array();
  for (const FixSlot& s : c.slots) {
    accounts.push_back({{"stake_address", RewardAddress(layout, s.index)},
                        {"status", "registered"},
                        {"delegated_drep", "drep_always_abstain"},
                        {"delegated_pool", Bech32(s.pool_hex)},
                        {"rewards_available", std::to_string(s.rewards)},
                        {"deposit", "2000000"}});
    utxos.push_back({{"tx_hash", s.tx},
                     {"tx_index", s.tx_index},
                     {"address", layout.slots.at(s.index).base_address},
                     {"value", std::to_string(s.lovelace)},
                     {"asset_list", J::array()}});
  }
  utxos.push_back({{"tx_hash", c.treasury_tx},
                   {"tx_index", 0},
                   {"address", layout.treasury_addresses.at(0)},
                   {"value", std::to_string(c.treasury_lovelace)},
                   {"asset_list", J::array()}});
  r["/account_info"] = accounts;
  r["/address_utxos"] = utxos;
  r["/totals"] = J::array({{{"epoch_no", c.epoch},
                            {"treasury", std::to_string(c.treasury)},
                            {"reserves", std::to_string(c.reserves)}}});
  return r;
}

}  // namespace stakeward::chainsource::testing
