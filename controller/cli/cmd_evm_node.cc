// `stakeward evm fees --rpc URL --chain-id N --from 0x.. [--max-fee-cap W] [--max-priority-fee-cap
// W]`
//     checks the node's chain id and prints the account's pending nonce, balance and fees to sign
//     with (2 × next base fee + priority fee, within the caps) as `evm sign` flags;
// `stakeward evm send --rpc URL --chain-id N [--wait-s 120] RAW`
//     checks that RAW (0x hex or @file) is an EIP-1559 transaction for that chain and the node's,
//     broadcasts it and waits for its receipt: exit 0 when it succeeded, 3 when it reverted.
#include "controller/cli/cmd_evm_node.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "chain/evm.h"
#include "controller/cli/command.h"
#include "controller/client/api_client_flags.h"
#include "controller/model/bounded_read.h"
#include "l2/evm_rpc.h"
#include "nlohmann/json.hpp"

namespace stakeward::cli {
namespace {

namespace evm = chain::evm;

struct NodeOptions {
  std::string rpc;
  uint64_t chain_id = 0;
  int timeout_s = 20;
  std::string from;
  std::string max_fee_cap = "1000000000000";         // 1000 gwei
  std::string max_priority_fee_cap = "10000000000";  // 10 gwei
  std::string raw;
  int wait_s = 120;
  bool json = false;  // evm fees --json
};

// The CLI's one exit-code table (controller/client/api_client_flags.h).
[[noreturn]] void Fail(const absl::Status& s) { ThrowStatus(s); }
template <typename T>
T Check(absl::StatusOr<T> v) {
  if (!v.ok()) Fail(v.status());
  return std::move(*v);
}

evm::U256 Wei(const std::string& flag, const std::string& v) {
  auto u = evm::U256::ParseQuantity(v);
  if (!u.ok()) Fail(absl::InvalidArgumentError(absl::StrCat(flag, ": ", u.status().message())));
  return *u;
}

l2::EvmRpc Connect(const NodeOptions& o) {
  l2::EvmRpc rpc = Check(l2::EvmRpc::Create(o.rpc, absl::Seconds(o.timeout_s)));
  if (absl::Status s = rpc.CheckChainId(o.chain_id); !s.ok()) Fail(s);
  return rpc;
}

void Fees(const NodeOptions& o) {
  auto from = evm::ParseAddress(o.from);
  if (!from.ok())
    Fail(absl::InvalidArgumentError(absl::StrCat("--from: ", from.status().message())));
  l2::EvmRpc rpc = Connect(o);
  l2::FeeCaps caps{Wei("--max-fee-cap", o.max_fee_cap),
                   Wei("--max-priority-fee-cap", o.max_priority_fee_cap)};
  l2::FeeSuggestion f = Check(rpc.Fees(caps));
  const uint64_t nonce = Check(rpc.Nonce(*from, /*pending=*/true));
  const uint64_t mined = Check(rpc.Nonce(*from, /*pending=*/false));
  if (o.json) {
    const nlohmann::ordered_json j{
        {"chain_id", o.chain_id},
        {"rpc", o.rpc},
        {"account", evm::ToChecksumAddress(*from)},
        {"balance_wei", Check(rpc.Balance(*from)).ToDecimal()},
        {"nonce", nonce},
        {"pending_transactions", nonce - std::min(nonce, mined)},
        {"next_base_fee_wei", f.next_base_fee.ToDecimal()},
        {"max_fee_per_gas_wei", f.max_fee_per_gas.ToDecimal()},
        {"max_priority_fee_per_gas_wei", f.max_priority_fee_per_gas.ToDecimal()}};
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  std::printf("chain %llu at %s\n", static_cast<unsigned long long>(o.chain_id), o.rpc.c_str());
  std::printf("account %s balance %s wei\n", evm::ToChecksumAddress(*from).c_str(),
              Check(rpc.Balance(*from)).ToDecimal().c_str());
  if (nonce != mined) {
    std::printf(
        "warning: %llu transaction(s) pending: a new one with nonce %llu waits behind them; "
        "to replace one, re-sign with its nonce and higher fees\n",
        static_cast<unsigned long long>(nonce - mined), static_cast<unsigned long long>(nonce));
  }
  std::printf("next base fee %s wei/gas\n", f.next_base_fee.ToDecimal().c_str());
  std::printf("--nonce %llu --max-fee %s --max-priority-fee %s\n",
              static_cast<unsigned long long>(nonce), f.max_fee_per_gas.ToDecimal().c_str(),
              f.max_priority_fee_per_gas.ToDecimal().c_str());
}

chain::Bytes ReadRaw(const std::string& arg) {
  std::string text = arg;
  if (!arg.empty() && arg[0] == '@') {
    // Size-checked before reading, like every file the CLI takes (input_limits.h).
    text = Check(controller::ReadBoundedFile(arg.substr(1), controller::InputKind::kTransaction));
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  if (text.rfind("0x", 0) == 0) text = text.substr(2);
  auto b = chain::HexDecode(text);
  if (!b.ok()) Fail(absl::InvalidArgumentError("RAW: expected 0x hex of a signed transaction"));
  return std::move(*b);
}

void Send(const NodeOptions& o) {
  chain::Bytes raw = ReadRaw(o.raw);
  evm::SignedEip1559 tx = Check(evm::DecodeSigned(chain::View(raw)));
  if (tx.tx.chain_id != o.chain_id) {
    Fail(absl::FailedPreconditionError(absl::StrCat("the transaction is signed for chain ",
                                                    tx.tx.chain_id, ", not ", o.chain_id)));
  }
  const evm::Address from = Check(evm::RecoverSender(tx.tx, tx.sig));
  l2::EvmRpc rpc = Connect(o);
  chain::Hash32 hash;
  if (absl::StatusOr<chain::Hash32> h = rpc.SendRawTransaction(chain::View(raw)); h.ok()) {
    hash = *h;
  } else if (h.status().code() == absl::StatusCode::kAlreadyExists) {
    hash = evm::TxHash(tx.tx, tx.sig);  // the node has it: wait for its receipt all the same
  } else {
    Fail(h.status());
  }
  std::printf("sent 0x%s from %s\n", chain::HexEncode(hash).c_str(),
              evm::ToChecksumAddress(from).c_str());
  const absl::Time end = absl::Now() + absl::Seconds(o.wait_s);
  for (;;) {
    std::optional<l2::Receipt> r = Check(rpc.GetReceipt(hash));
    if (r) {
      std::printf("mined in block %llu: %s, gas used %llu, %zu log(s)\n",
                  static_cast<unsigned long long>(r->block_number),
                  r->success ? "success" : "REVERTED", static_cast<unsigned long long>(r->gas_used),
                  r->logs.size());
      if (!r->success) {
        Fail(absl::FailedPreconditionError(
            "the transaction was mined but reverted (status 0): nothing was deposited; do not "
            "re-send it blindly, check the contract address, value and call data"));
      }
      return;
    }
    if (absl::Now() >= end) {
      Fail(absl::DeadlineExceededError(absl::StrCat(
          "no receipt after ", o.wait_s,
          " s: the transaction may still be pending; run "
          "`stakeward evm fees` for the pending nonce, and replace it with the same nonce and "
          "higher fees if it is stuck")));
    }
    // Blocks come every few seconds; polling the receipt twice a second is enough.
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

}  // namespace

void AddEvmNodeCommands(CLI::App* evm_cmd) {
  auto o = std::make_shared<NodeOptions>();
  auto node = [o](CLI::App* c) {
    c->add_option("--rpc", o->rpc, "EVM node JSON-RPC URL, http(s)://HOST:PORT")->required();
    c->add_option("--chain-id", o->chain_id, "Chain id the node must serve (Milkomeda C1: 2001)")
        ->required();
    c->add_option("--timeout-s", o->timeout_s, "Deadline of each node call")->capture_default_str();
  };
  auto* fees = evm_cmd->add_subcommand("fees", "Pending nonce, balance and fees to sign with");
  node(fees);
  fees->add_option("--from", o->from, "The signing account, 0x address")->required();
  fees->add_option("--max-fee-cap", o->max_fee_cap, "Never suggest a max fee above this (wei)")
      ->capture_default_str();
  fees->add_option("--max-priority-fee-cap", o->max_priority_fee_cap,
                   "Never suggest a priority fee above this (wei)")
      ->capture_default_str();
  fees->add_flag("--json", o->json, "the same as JSON (wei amounts as decimal strings)");
  fees->callback([o] { Fees(*o); });
  auto* send = evm_cmd->add_subcommand("send", "Broadcast a signed transaction, wait for receipt");
  node(send);
  send->add_option("--wait-s", o->wait_s, "How long to wait for the receipt")
      ->capture_default_str();
  send->add_option("raw", o->raw, "Signed transaction: 0x hex, or @FILE")->required();
  send->callback([o] { Send(*o); });
}

}  // namespace stakeward::cli
