#include "controller/build/tx_balance.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "chain/lovelace.h"

namespace stakeward::controller {
namespace {

// in = fixed + the first `taken` treasury coins; out = fixed outputs + deposits + fee.
std::optional<chain::Lovelace> Sum(chain::Lovelace start, std::span<const TreasuryCoin> coins) {
  std::optional<chain::Lovelace> s = start;
  for (const TreasuryCoin& c : coins) s = s ? chain::CheckedAdd(*s, c.lovelace) : s;
  return s;
}

std::optional<chain::Lovelace> Sum(chain::Lovelace start, const std::vector<chain::TxOut>& outs) {
  std::optional<chain::Lovelace> s = start;
  for (const chain::TxOut& o : outs) s = s ? chain::CheckedAdd(*s, o.coin) : s;
  return s;
}

}  // namespace

void SortLargestFirst(std::vector<TreasuryCoin>& coins) {
  std::stable_sort(coins.begin(), coins.end(), [](const TreasuryCoin& x, const TreasuryCoin& y) {
    if (x.lovelace != y.lovelace) return x.lovelace > y.lovelace;
    return x.in < y.in;
  });
}

absl::StatusOr<Balanced> BalanceWithTreasury(const BalanceRequest& r, const chain::FeeParams& fp) {
  const std::optional<chain::Lovelace> fixed_in = Sum(r.extra_in, r.inputs);
  if (!fixed_in) return absl::FailedPreconditionError("amounts overflow");
  chain::TxBody body = r.body;
  size_t taken = r.first_take;
  chain::Lovelace fee;
  for (int iter = 0;; ++iter) {
    if (iter > 64) return absl::InternalError("fee did not converge");
    const std::optional<chain::Lovelace> in_sum =
        Sum(*fixed_in, r.treasury.first(std::min(taken, r.treasury.size())));
    const std::optional<chain::Lovelace> fixed_out = chain::CheckedAdd(r.deposits, fee);
    const std::optional<chain::Lovelace> out_sum =
        fixed_out ? Sum(*fixed_out, r.fixed_outs) : fixed_out;
    if (!in_sum || !out_sum) return absl::FailedPreconditionError("amounts overflow");
    chain::TxOut change;
    change.address = r.change_address;
    absl::StatusOr<chain::Lovelace> min_change = chain::MinUtxo(change, fp);
    if (!min_change.ok()) return min_change.status();
    if (taken > r.treasury.size() || *in_sum < *out_sum || *in_sum - *out_sum < *min_change) {
      if (taken >= r.treasury.size()) {
        return absl::FailedPreconditionError(
            absl::StrCat("the treasury cannot pay fees and deposits of ", r.name, ": it needs ",
                         out_sum->value(), " lovelace plus a change of at least ",
                         min_change->value(), " and has ", in_sum->value()));
      }
      ++taken;
      continue;
    }
    change.coin = *in_sum - *out_sum;
    body.inputs.clear();
    for (const TreasuryCoin& c : r.inputs) body.inputs.push_back(c.in);
    for (size_t i = 0; i < taken; ++i) body.inputs.push_back(r.treasury[i].in);
    std::sort(body.inputs.begin(), body.inputs.end());
    body.outputs = r.fixed_outs;
    body.outputs.push_back(change);
    body.fee = fee;
    chain::Transaction tx = chain::MakeTransaction(body, chain::WitnessSet{}, r.aux);
    absl::StatusOr<chain::Lovelace> min_fee = chain::MinFee(tx, r.witnesses, *r.scripts, fp);
    if (!min_fee.ok()) return min_fee.status();
    if (*min_fee > fee) {
      fee = *min_fee;
      continue;
    }
    // Stable: the fee covers the final size.
    const size_t size = chain::FinalTxSize(tx, r.witnesses, *r.scripts);
    if (size > fp.max_tx_size) {
      return absl::FailedPreconditionError(
          absl::StrCat(r.name, " would be ", size, " bytes, above the maximum ", fp.max_tx_size));
    }
    if (absl::Status s = chain::CheckHardwareWalletCompatible(chain::View(tx.body_bytes));
        !s.ok()) {
      return absl::InternalError(absl::StrCat("built body is not CIP-21 canonical: ", s.message()));
    }
    return Balanced{std::move(tx), fee, taken, change.coin};
  }
}

}  // namespace stakeward::controller
