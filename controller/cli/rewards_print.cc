#include "controller/cli/rewards_print.h"

#include <cstdio>
#include <string>

#include "chain/lovelace.h"

namespace stakeward::cli {

nlohmann::json EpochJson(const rewards::EpochRecord& r) {
  nlohmann::json j;
  j["epoch"] = r.epoch;
  j["status"] = r.status;
  j["summary"] = r.summary;
  j["rewards"] = r.total_rewards;
  j["commission"] = r.commission;
  j["fee"] = r.fee;
  j["fee_from_treasury"] = r.fee_from_treasury;
  j["bridged"] = r.bridged;
  j["carry_in"] = r.carry_in;
  j["carry_out"] = r.carry_out;
  j["staked"] = r.staked;
  j["rewards_per_staked_lovelace"] = {{"numerator", r.rate.numerator},
                                      {"denominator", r.rate.denominator},
                                      {"fixed18", r.rate.fixed18}};
  j["slots"] = nlohmann::json::array();
  for (const auto& s : r.slots) {
    j["slots"].push_back({{"slot", s.slot},
                          {"reward_account", s.reward_account_hex},
                          {"outcome", s.outcome},
                          {"reason", s.reason},
                          {"rewards", s.rewards},
                          {"commission", s.commission},
                          {"net", s.net},
                          {"l1_tx_id", s.l1_tx_id}});
  }
  j["l1_txs"] = nlohmann::json::array();
  for (const auto& t : r.l1_txs) {
    j["l1_txs"].push_back({{"index", t.index},
                           {"tx_id", t.tx_id},
                           {"cbor_hex", chain::HexEncode(t.tx_cbor)},
                           {"withdrawn", t.withdrawn},
                           {"commission", t.commission},
                           {"fee", t.fee},
                           {"fee_from_treasury", t.fee_from_treasury},
                           {"bridged", t.bridged},
                           {"carry_in", t.carry_in},
                           {"carry_out", t.carry_out}});
  }
  if (r.deposit) {
    const auto& d = *r.deposit;
    j["deposit"] = {{"state", d.state},
                    {"chain_id", d.chain_id},
                    {"sender", d.sender},
                    {"path", d.path},
                    {"nonce", d.nonce},
                    {"value_wei", d.value_wei},
                    {"tx_hash", d.tx_hash},
                    {"attempts", d.attempts},
                    {"raw_tx", d.raw_tx.empty() ? "" : "0x" + chain::HexEncode(d.raw_tx)},
                    {"block_number", d.block_number ? nlohmann::json(*d.block_number) : nullptr},
                    {"block_hash", d.block_hash},
                    {"adopted", d.adopted},
                    {"failure", d.failure},
                    {"note", d.note}};
  } else {
    j["deposit"] = nullptr;
  }
  return j;
}

// DEPOSITED means the deposit is confirmed on the L2 chain; before that the text says how far
// the deposit got, so a signature is never mistaken for a deposit (issue 14).
std::string StatusText(const rewards::EpochRecord& r) {
  if (r.status == "DEPOSITED" || !r.deposit) return r.status;
  const std::string& st = r.deposit->state;
  std::string what;
  if (st == "SIGNING") {
    what = "being signed";
  } else if (st == "SIGNED") {
    what =
        "signed, not yet accepted by the L2 node (stakewardd with `l2:` sends it; without, "
        "send it with `stakeward evm send`)";
  } else if (st == "BROADCAST") {
    what = "sent to the L2 node, not yet confirmed";
  } else if (st == "FAILED") {
    what = "FAILED: " + r.deposit->failure;
  } else {
    what = st;
  }
  return r.status + ", L2 deposit " + what;
}

void PrintEpoch(const rewards::EpochRecord& r) {
  std::printf("epoch %llu: %s\n  %s\n", static_cast<unsigned long long>(r.epoch),
              StatusText(r).c_str(), r.summary.c_str());
  std::printf("  rewards %s  commission %s  fee %s (treasury paid %s)\n",
              chain::FormatAda(r.total_rewards).c_str(), chain::FormatAda(r.commission).c_str(),
              chain::FormatAda(r.fee).c_str(), chain::FormatAda(r.fee_from_treasury).c_str());
  std::printf("  bridged %s  carry in %s  carry out %s\n", chain::FormatAda(r.bridged).c_str(),
              chain::FormatAda(r.carry_in).c_str(), chain::FormatAda(r.carry_out).c_str());
  std::printf("  rewards per staked lovelace %s/%s = %s\n", r.rate.numerator.c_str(),
              r.rate.denominator.c_str(), r.rate.fixed18.c_str());
  for (const auto& s : r.slots) {
    std::printf("  slot %u  %-22s rewards %llu commission %llu net %llu  %s%s\n", s.slot,
                s.outcome.c_str(), static_cast<unsigned long long>(s.rewards.value()),
                static_cast<unsigned long long>(s.commission.value()),
                static_cast<unsigned long long>(s.net.value()),
                s.l1_tx_id.empty() ? "" : ("tx " + s.l1_tx_id).c_str(), s.reason.c_str());
  }
  for (const auto& t : r.l1_txs) {
    std::printf("  L1 tx %d  %s  fee %llu bridged %llu carry %llu\n", t.index, t.tx_id.c_str(),
                static_cast<unsigned long long>(t.fee.value()),
                static_cast<unsigned long long>(t.bridged.value()),
                static_cast<unsigned long long>(t.carry_out.value()));
  }
  if (r.deposit) {
    std::printf("  L2 deposit %s  chain %llu  from %s  nonce %s  value %s wei  %s\n",
                r.deposit->state.c_str(), static_cast<unsigned long long>(r.deposit->chain_id),
                r.deposit->sender.c_str(), r.deposit->nonce.c_str(), r.deposit->value_wei.c_str(),
                r.deposit->tx_hash.c_str());
    if (r.deposit->block_number) {
      std::printf(
          "    in block %llu %s%s\n", static_cast<unsigned long long>(*r.deposit->block_number),
          r.deposit->block_hash.c_str(),
          r.deposit->adopted ? "  (adopted: found on chain, not sent by this controller)" : "");
    }
    if (!r.deposit->note.empty()) std::printf("    %s\n", r.deposit->note.c_str());
  } else {
    std::printf("  L2 deposit: none\n");
  }
}

}  // namespace stakeward::cli
