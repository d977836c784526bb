#include "controller/rewards/reserve.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "chain/bytes.h"

namespace stakeward::rewards {
namespace {

namespace evm = chain::evm;

constexpr char kDomain[] = "stakeward reserve report v1\n";

// a − b as a signed decimal.
std::string SignedDifference(const evm::U256& a, const evm::U256& b) {
  if (a >= b) return a.CheckedSub(b)->ToDecimal();
  return "-" + b.CheckedSub(a)->ToDecimal();
}

double ToDouble(const std::string& signed_decimal) {
  return std::strtod(signed_decimal.c_str(), nullptr);
}

chain::Bytes Message(const nlohmann::json& body) {
  const std::string text = std::string(kDomain) + body.dump();
  return chain::Bytes(text.begin(), text.end());
}

}  // namespace

absl::StatusOr<ReserveReport> ComputeReserve(const ReserveInputs& in) {
  chain::Lovelace staked;
  nlohmann::json slots = nlohmann::json::array();
  for (const auto& [slot, balance] : in.slots) {
    auto sum = chain::AddLovelace(staked, balance, "slot balances");
    if (!sum.ok()) return sum.status();
    staked = *sum;
    slots.push_back({{"slot", slot}, {"lovelace", balance}});
  }
  const evm::U256 backing = evm::LovelaceToWei(staked);
  ReserveReport r;
  r.difference_wei = SignedDifference(backing, in.total_supply_wei);
  r.shortfall = backing < in.total_supply_wei;
  r.difference_lovelace = ToDouble(r.difference_wei) / 1e12;
  const std::string unrecorded = SignedDifference(in.total_accredited_wei, in.ledger_deposited_wei);
  r.body = {{"epoch", in.epoch},
            {"l1",
             {{"snapshot_hash", in.snapshot_hash},
              {"snapshot_slot", in.snapshot_slot},
              {"slots", slots},
              {"staked_lovelace", staked},
              {"treasury_lovelace", in.treasury_lovelace}}},
            {"l2",
             {{"chain_id", in.l2_chain_id},
              {"contract", in.contract},
              {"block", in.l2_block},
              {"total_supply_wei", in.total_supply_wei.ToDecimal()},
              {"total_accredited_wei", in.total_accredited_wei.ToDecimal()},
              {"ledger_deposited_wei", in.ledger_deposited_wei.ToDecimal()}}},
            {"backing_wei", backing.ToDecimal()},
            {"difference_wei", r.difference_wei},
            {"accredited_not_in_ledger_wei", unrecorded},
            {"status", r.shortfall ? "SHORTFALL" : "BACKED"}};
  return r;
}

nlohmann::json SignReserve(const ReserveReport& r, const std::array<uint8_t, 32>& seed) {
  const chain::Signature sig = chain::Ed25519SeedSign(seed, chain::View(Message(r.body)));
  return {{"report", r.body},
          {"public_key", chain::HexEncode(chain::Ed25519SeedPublicKey(seed))},
          {"signature", chain::HexEncode(sig)}};
}

absl::Status VerifyReserve(const nlohmann::json& s, const std::array<uint8_t, 32>& expected) {
  if (!s.is_object() || !s.contains("report") || !s["public_key"].is_string() ||
      !s["signature"].is_string()) {
    return absl::InvalidArgumentError("not a signed reserve report");
  }
  absl::StatusOr<chain::Bytes> pk = chain::HexDecode(s["public_key"].get<std::string>());
  absl::StatusOr<chain::Bytes> sig = chain::HexDecode(s["signature"].get<std::string>());
  if (!pk.ok() || pk->size() != 32 || !sig.ok() || sig->size() != 64) {
    return absl::InvalidArgumentError("the report's public key or signature is malformed");
  }
  std::array<uint8_t, 32> key{};
  std::memcpy(key.data(), pk->data(), 32);
  if (key != expected) {
    return absl::PermissionDeniedError(
        absl::StrCat("the report is signed by ", chain::HexEncode(key), ", not the expected key"));
  }
  chain::Signature signature{};
  std::memcpy(signature.data(), sig->data(), 64);
  if (!chain::Verify(key, chain::View(Message(s["report"])), signature)) {
    return absl::PermissionDeniedError("the report's signature does not verify: it was altered");
  }
  return absl::OkStatus();
}

}  // namespace stakeward::rewards
