#include "controller/rewards/epoch_record.h"

#include <numeric>

#include "absl/strings/str_cat.h"
#include "chain/evm.h"
#include "chain/keys.h"

namespace stakeward::rewards {
namespace {

__extension__ typedef unsigned __int128 U128;

std::string U128ToDecimal(U128 v) {
  if (v == 0) return "0";
  std::string s;
  while (v > 0) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  }
  return s;
}

}  // namespace

ExchangeRateEffect ComputeExchangeRateEffect(chain::Lovelace net, chain::Lovelace staked_amount) {
  const uint64_t net_rewards = net.value(), staked = staked_amount.value();
  ExchangeRateEffect r;
  if (staked == 0) {
    r.numerator = "0";
    r.denominator = "1";
    r.fixed18 = "0.000000000000000000";
    return r;
  }
  const uint64_t g = std::gcd(net_rewards, staked);
  const uint64_t num = net_rewards / g, den = staked / g;
  r.numerator = absl::StrCat(num);
  r.denominator = absl::StrCat(den);
  // num < 2^64 and 10^18 < 2^60: the product fits in 128 bits.
  const U128 scaled =
      static_cast<U128>(num) * static_cast<U128>(1'000'000'000'000'000'000ULL) / den;
  const U128 unit = static_cast<U128>(1'000'000'000'000'000'000ULL);
  std::string frac = U128ToDecimal(scaled % unit);
  r.fixed18 =
      absl::StrCat(U128ToDecimal(scaled / unit), ".", std::string(18 - frac.size(), '0'), frac);
  return r;
}

absl::StatusOr<DepositRecord> ProposeDeposit(const EpochRecord& rec, DepositParams params) {
  if (rec.status != kEpochL1Confirmed && rec.status != kEpochDeposited) {
    return absl::FailedPreconditionError(
        absl::StrCat("epoch ", rec.epoch, " is ", rec.status,
                     ": deposit only after its L1 reward transactions are confirmed"));
  }
  if (rec.bridged == chain::Lovelace()) {
    return absl::FailedPreconditionError(
        absl::StrCat("epoch ", rec.epoch, " bridged nothing (carried to a later epoch)"));
  }
  params.bridged_lovelace = rec.bridged;
  absl::StatusOr<chain::evm::Eip1559Tx> tx = BuildDepositTx(params);
  if (!tx.ok()) return tx.status();
  DepositRecord out;
  out.chain_id = params.chain_id;
  out.sender = chain::evm::ToChecksumAddress(params.operator_address);
  out.path = chain::FormatPath(params.operator_path);
  out.nonce = params.nonce.ToDecimal();
  out.value_wei = tx->value.ToDecimal();
  out.unsigned_tx = chain::evm::EncodeUnsigned(*tx);
  return out;
}

}  // namespace stakeward::rewards
