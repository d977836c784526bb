#include "controller/rewards/deposit_service.h"

#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "chain/keys.h"

namespace stakeward::rewards {
namespace {

namespace evm = chain::evm;

std::string RandomOwner() {
  absl::BitGen gen;
  return absl::StrCat("req-", absl::Hex(absl::Uniform<uint64_t>(gen)), "-",
                      absl::Hex(absl::Uniform<uint64_t>(gen)));
}

int64_t NowMs() { return absl::ToUnixMillis(absl::Now()); }

// Rebuilds the outcome for a stored, signed deposit after re-checking it: the raw transaction
// must decode to the reserved unsigned one and recover to the recorded sender.
absl::StatusOr<SignedDeposit> CheckStored(const DepositRecord& r) {
  auto decoded = evm::DecodeSigned(chain::View(r.raw_tx));
  if (!decoded.ok()) return absl::DataLossError("stored deposit does not decode");
  if (evm::EncodeUnsigned(decoded->tx) != r.unsigned_tx) {
    return absl::DataLossError("stored deposit differs from its reserved unsigned transaction");
  }
  auto sender = evm::ParseAddress(r.sender);
  if (!sender.ok()) return absl::DataLossError("stored deposit sender is malformed");
  auto out = FinalizeDeposit(decoded->tx, decoded->sig, *sender);
  if (!out.ok()) return absl::DataLossError(out.status().message());
  if (out->TxHashHex() != r.tx_hash) return absl::DataLossError("stored deposit hash mismatch");
  return out;
}

}  // namespace

absl::StatusOr<DepositOutcome> DepositEpochOnce(EpochLedger& ledger, uint64_t epoch,
                                                DepositParams params, const EvmSignFn& sign,
                                                const DepositOptions& options) {
  auto rec = ledger.Get(epoch);
  if (!rec.ok()) return rec.status();
  if (rec->status != kEpochL1Confirmed && rec->status != kEpochDeposited) {
    return absl::FailedPreconditionError(
        absl::StrCat("epoch ", epoch, " is ", rec->status,
                     ": deposit only after its L1 reward transactions are confirmed"));
  }
  if (rec->bridged == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("epoch ", epoch, " bridged nothing (carried to a later epoch)"));
  }
  params.bridged_lovelace = rec->bridged;
  auto tx = BuildDepositTx(params);
  if (!tx.ok()) return tx.status();

  DepositRecord proposed;
  proposed.chain_id = params.chain_id;
  proposed.sender = evm::ToChecksumAddress(params.operator_address);
  proposed.path = chain::FormatPath(params.operator_path);
  proposed.nonce = params.nonce.ToDecimal();
  proposed.value_wei = tx->value.ToDecimal();
  proposed.unsigned_tx = evm::EncodeUnsigned(*tx);

  const std::string owner = options.owner.empty() ? RandomOwner() : options.owner;
  const absl::Time deadline = absl::Now() + options.wait;
  for (;;) {
    auto res = ledger.ReserveDeposit(epoch, proposed, owner, NowMs(), options.lease_ms);
    if (!res.ok()) {
      // Another connection holds the write lock beyond its busy timeout: retry until deadline.
      if (absl::IsUnavailable(res.status()) && absl::Now() < deadline) {
        absl::SleepFor(options.poll);
        continue;
      }
      return res.status();
    }
    const DepositRecord& r = res->record;
    if (res->kind == DepositReservation::Kind::kAlreadySigned) {
      auto stored = CheckStored(r);
      if (!stored.ok()) return stored.status();
      return DepositOutcome{*stored, r, true, r.unsigned_tx == proposed.unsigned_tx};
    }
    if (res->kind == DepositReservation::Kind::kBusy) {
      if (absl::Now() >= deadline) {
        return absl::DeadlineExceededError(
            absl::StrCat("the deposit of epoch ", epoch, " is being signed by another request"));
      }
      absl::SleepFor(options.poll);
      continue;
    }

    // Reserved: sign exactly the stored unsigned transaction with the stored path.
    auto to_sign = evm::DecodeUnsigned(chain::View(r.unsigned_tx));
    if (!to_sign.ok()) return absl::DataLossError("reserved deposit does not decode");
    auto path = chain::ParsePath(r.path);
    auto sender = evm::ParseAddress(r.sender);
    if (!path.ok() || !sender.ok()) return absl::DataLossError("reserved deposit is malformed");
    auto sig = sign(*path, *to_sign);
    if (!sig.ok()) {
      // Let the next request take over at once; the reservation (same tx) stays.
      (void)ledger.ReleaseLease(epoch, owner);
      return sig.status();
    }
    auto signed_tx = FinalizeDeposit(*to_sign, *sig, *sender);
    if (!signed_tx.ok()) {
      (void)ledger.ReleaseLease(epoch, owner);
      return signed_tx.status();
    }
    if (options.before_store) {
      if (auto s = options.before_store(*signed_tx); !s.ok()) return s;
    }
    auto stored =
        ledger.StoreDeposit(epoch, chain::View(signed_tx->raw), signed_tx->TxHashHex(), NowMs());
    if (!stored.ok()) return stored.status();
    // Someone else may have stored first; theirs is the deposit.
    const bool ours = stored->raw_tx == signed_tx->raw;
    if (!ours) {
      auto theirs = CheckStored(*stored);
      if (!theirs.ok()) return theirs.status();
      return DepositOutcome{*theirs, *stored, true, stored->unsigned_tx == proposed.unsigned_tx};
    }
    return DepositOutcome{*signed_tx, *stored, false, stored->unsigned_tx == proposed.unsigned_tx};
  }
}

}  // namespace stakeward::rewards
