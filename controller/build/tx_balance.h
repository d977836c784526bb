// Balancing one transaction against the treasury, shared by the re-balance and MIGRATE builders:
// treasury coins are added in the given order until the change covers the fee, the deposits and
// its own minimum UTxO, then the fee is raised until it covers the final size (with witnesses and
// scripts). Every sum is checked: the amounts come from an untrusted snapshot.
#ifndef STAKEWARD_CONTROLLER_BUILD_TX_BALANCE_H_
#define STAKEWARD_CONTROLLER_BUILD_TX_BALANCE_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "chain/bytes.h"
#include "chain/lovelace.h"
#include "chain/native_script.h"
#include "chain/tx.h"

namespace stakeward::controller {

struct TreasuryCoin {
  chain::TxIn in;
  chain::Lovelace lovelace;
};

struct BalanceRequest {
  // Certificates, withdrawals, TTL and the aux data hash; inputs, outputs and fee are set here.
  chain::TxBody body;
  std::span<const TreasuryCoin> inputs;  // spent whatever the balance (the slots' coins)
  chain::Lovelace extra_in;              // withdrawals and deposit refunds
  chain::Lovelace deposits;              // key deposits paid
  std::vector<chain::TxOut> fixed_outs;
  std::span<const TreasuryCoin> treasury;  // in the order they are taken
  size_t first_take = 0;                   // treasury coins taken at least
  chain::Bytes change_address;             // the change is the last output
  chain::Bytes aux;                        // encoded auxiliary data
  size_t witnesses = 0;                    // vkey witnesses the transaction will carry
  const std::vector<chain::NativeScript>* scripts = nullptr;
  std::string name;  // "transaction 2", for messages
};

struct Balanced {
  chain::Transaction tx;
  chain::Lovelace fee;
  size_t taken = 0;  // treasury coins spent: a prefix of `treasury`
  chain::Lovelace change;
};

// The order treasury coins are taken in: largest first, ties by reference.
void SortLargestFirst(std::vector<TreasuryCoin>& coins);

// FAILED_PRECONDITION when the treasury cannot pay, the amounts overflow or the transaction
// exceeds the maximum size; INTERNAL when the fee does not converge or the body is not CIP-21
// canonical (both are bugs).
absl::StatusOr<Balanced> BalanceWithTreasury(const BalanceRequest& r, const chain::FeeParams& fee);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_BUILD_TX_BALANCE_H_
