// Deposits an epoch's bridged rewards on L2 exactly once: reserve the epoch in the ledger with the
// exact unsigned transaction, sign it, check the signature, store it. Safe under retries,
// restarts, concurrent requests and a crash between signing and storing (see epoch_ledger.h).
#ifndef STAKEWARD_CONTROLLER_REWARDS_DEPOSIT_SERVICE_H_
#define STAKEWARD_CONTROLLER_REWARDS_DEPOSIT_SERVICE_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "controller/rewards/deposit.h"
#include "controller/rewards/epoch_ledger.h"

namespace stakeward::rewards {

struct DepositOptions {
  // How long one request may hold the signing reservation (device confirmation included). After
  // it lapses, another request may take over and re-sign the same unsigned transaction.
  int64_t lease_ms = 180'000;
  // How long a request waits for a concurrent one that holds the lease.
  absl::Duration wait = absl::Seconds(200);
  absl::Duration poll = absl::Milliseconds(20);
  // Identifies this request in the lease; random when empty.
  std::string owner;
  // Called after a verified signature, before it is stored (failure injection in tests; the
  // controller may use it to write its audit log). A non-OK status aborts without storing.
  std::function<absl::Status(const SignedDeposit&)> before_store;
};

struct DepositOutcome {
  SignedDeposit deposit;
  DepositRecord record;
  bool reused = false;          // the deposit was already stored by an earlier request
  bool matches_request = true;  // the stored unsigned tx equals what this request would build
};

// `params.bridged_lovelace` is ignored: the amount comes from the ledger (the epoch's bridged
// total). FAILED_PRECONDITION when the epoch's L1 transactions are not confirmed or nothing was
// bridged; DEADLINE_EXCEEDED when another request kept the lease beyond `options.wait`; the
// signer's status (CANCELLED, UNAVAILABLE, ...) when signing failed.
absl::StatusOr<DepositOutcome> DepositEpochOnce(EpochLedger& ledger, uint64_t epoch,
                                                DepositParams params, const EvmSignFn& sign,
                                                const DepositOptions& options = {});

}  // namespace stakeward::rewards

#endif  // STAKEWARD_CONTROLLER_REWARDS_DEPOSIT_SERVICE_H_
