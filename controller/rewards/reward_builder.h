// The L1 reward proposal: a pure, deterministic function from the snapshot's per-slot reward
// balances and the policy's reward routing to unsigned multisig transactions that
//   - withdraw every slot's reward account in full (script-hash reward accounts 0xF0/0xF1),
//   - pay the DAO's commission to the treasury address,
//   - send the rest to the Milkomeda bridge with metadata {87: magic, 88: operator L2 address}.
//
// Accounting decisions (the controller and every signer reproduce them bit for bit):
//   * Commission is per slot: floor(reward * bps / 10000). Rounding favours the stakers, and the
//     result does not depend on how slots are grouped into transactions.
//   * A Cardano transaction needs at least one input, and the fee can exceed small rewards, so
//     each transaction spends one treasury UTxO (at the treasury address, a DAO multisig payment
//     address) and returns it, plus the commission, to the treasury address.
//   * The fee is paid from the bridge's share (rewards − commission + carry-in). If that share is
//     smaller than the fee, the treasury pays the rest (`fee_from_treasury`).
//   * If the bridge's share after the fee is below the bridge minimum or below the min-UTxO of the
//     bridge output, there is no bridge output: the share stays in the treasury output and is
//     recorded as carried (owed to the bridge next epoch, passed back in as `carry_in`). Reward
//     accounts are still withdrawn in full: a withdrawal must take the whole balance.
//   * The decision to carry is made on the transaction that includes the bridge output and its
//     metadata; the carried variant is then rebuilt without them.
//   * Several transactions are built when one would exceed the size limit; each spends its own
//     treasury UTxO and is valid on its own. The carry-in is bridged by the first one.
#ifndef STAKEWARD_CONTROLLER_REWARDS_REWARD_BUILDER_H_
#define STAKEWARD_CONTROLLER_REWARDS_REWARD_BUILDER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "chain/address.h"
#include "chain/evm.h"
#include "chain/lovelace.h"
#include "chain/native_script.h"
#include "chain/tx.h"

namespace stakeward::rewards {

using chain::kMaxLovelaceSupply;

struct SlotRewardState {
  uint32_t slot = 0;
  chain::NativeScript stake_script;  // S_i; its hash is the reward account credential
  bool registered = true;            // false: deregistered, no reward account to withdraw
  bool drep_delegated = false;       // vote delegation in the account state (Conway rule)
  chain::Lovelace reward_balance;    // in the reward account
  chain::Lovelace staked_lovelace;   // the slot's delegated balance (for the exchange rate)
};

struct RewardRouting {
  uint32_t commission_bps = 0;          // 0..10000
  chain::Bytes treasury_address;        // raw address bytes; must be a DAO multisig address
  chain::NativeScript treasury_script;  // payment script of the treasury address
  chain::Bytes bridge_address;          // raw address bytes of the bridge (stargate)
  std::string bridge_magic;             // metadata label 87
  chain::evm::Address operator_l2{};    // metadata label 88
  chain::Lovelace bridge_min_lovelace;  // the bridge's minimum deposit (stargate minLovelace)
};

struct TreasuryUtxo {
  chain::TxIn input;
  chain::Lovelace coin;  // ADA-only UTxO at the treasury address
};

struct RewardBuildInput {
  uint64_t epoch = 0;
  chain::Network network = chain::Network::kMainnet;
  uint32_t protocol_major = 10;
  chain::FeeParams fee_params;
  std::optional<uint64_t> ttl;
  std::vector<SlotRewardState> slots;
  // Treasury UTxOs at the treasury address. Transaction 0 spends one of them; each later
  // transaction spends the treasury output of the one before it (a chain), so the proposal's last
  // treasury output holds whatever it carries.
  std::vector<TreasuryUtxo> treasury_utxos;
  chain::Lovelace carry_in;  // owed to the bridge from earlier epochs
  // Required when carry_in > 0: the treasury output of the proposal that carried it (its last
  // transaction, output 0). Transaction 0 spends it, so the chain itself guarantees that the
  // carry exists and is paid out once (a signer recomputes it from that proposal).
  std::optional<chain::TxIn> carry_input;
  RewardRouting routing;
  chain::Metadata extra_metadata;  // e.g. proposal/plan/policy labels; not 87/88
};

enum class SlotOutcome : uint8_t { kWithdrawn, kSkippedDeregistered, kSkippedZero };
std::string_view SlotOutcomeName(SlotOutcome o);

struct SlotRewardLine {
  uint32_t slot = 0;
  chain::Bytes reward_account;  // 29 bytes
  SlotOutcome outcome = SlotOutcome::kWithdrawn;
  std::string reason;  // why a slot was skipped
  chain::Lovelace rewards;
  chain::Lovelace commission;
  chain::Lovelace net;  // rewards − commission
  int tx_index = -1;    // which transaction withdraws it
};

struct RewardTx {
  chain::Transaction tx;                     // unsigned, aux data attached when bridging
  std::vector<chain::NativeScript> scripts;  // witness scripts: treasury + each stake script
  size_t vkey_witnesses = 0;                 // witnesses assumed when pricing
  size_t final_size = 0;                     // bytes once signed
  TreasuryUtxo treasury_input;
  chain::Lovelace withdrawn;
  chain::Lovelace commission;
  chain::Lovelace carry_in;
  chain::Lovelace fee;
  chain::Lovelace fee_from_treasury;
  chain::Lovelace bridged;    // bridge output, 0 when carried
  chain::Lovelace carry_out;  // owed to the bridge, kept in the treasury output
  chain::Lovelace treasury_out;
  std::vector<uint32_t> slots;
};

struct RewardProposal {
  uint64_t epoch = 0;
  bool has_transactions = false;
  std::string summary;  // human-readable outcome ("no rewards", "carried below minimum", ...)
  std::vector<RewardTx> txs;
  std::vector<SlotRewardLine> slots;  // every input slot, in slot order
  chain::Lovelace total_rewards;
  chain::Lovelace total_commission;
  chain::Lovelace total_fee;
  chain::Lovelace total_fee_from_treasury;
  chain::Lovelace total_bridged;
  chain::Lovelace carry_in;
  chain::Lovelace carry_out;
  chain::Lovelace total_staked;
  // Where carry_out sits when it is not zero: the last transaction's treasury output.
  std::optional<chain::TxIn> carry_output;
};

// Minimum number of distinct signatures that satisfy a script (sig 1, all Σ, any min,
// atLeast n: the n cheapest children; time locks 0).
size_t MinimumSignatures(const chain::NativeScript& script);

// The 29-byte reward account of a script stake credential (header 0xF0 | network).
chain::Bytes ScriptRewardAccount(chain::Network network, const chain::NativeScript& stake_script);

// Conway LEDGER rule (specs/cardano.md §6): outside the bootstrap phase (major version 9) a
// withdrawal from a key-hash reward account (0xE0/0xE1) needs a DRep delegation; script-hash
// accounts (0xF0/0xF1, every Stakeward slot) are exempt. FAILED_PRECONDITION when violated.
absl::Status CheckWithdrawalDelegation(chain::ByteView reward_account, bool drep_delegated,
                                       uint32_t protocol_major);

// Builds the reward proposal. INVALID_ARGUMENT for malformed or impossible input (amounts beyond
// the lovelace supply, overflow, duplicate slots, bad addresses or routing), FAILED_PRECONDITION
// when the inputs are valid but not enough (the carry's UTxO missing from the treasury UTxOs,
// treasury output below min-UTxO, key-hash reward account without DRep delegation).
absl::StatusOr<RewardProposal> BuildRewardProposal(const RewardBuildInput& in);

}  // namespace stakeward::rewards

#endif  // STAKEWARD_CONTROLLER_REWARDS_REWARD_BUILDER_H_
