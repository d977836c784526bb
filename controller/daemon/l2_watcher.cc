#include "controller/daemon/l2_watcher.h"

#include <sodium.h>

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "chain/status_macros.h"
#include "controller/daemon/json_log.h"
#include "controller/model/bounded_read.h"

namespace stakeward::controller {
namespace {

// eth_call of a uint256 getter of the policy's contract, with advice when it is not one.
absl::StatusOr<chain::evm::U256> CallUint(l2::EvmRpc& rpc, const chain::evm::Address& contract,
                                          const std::string& signature) {
  absl::StatusOr<chain::evm::U256> v = rpc.CallUint(contract, signature);
  if (absl::IsFailedPrecondition(v.status())) {
    return absl::FailedPreconditionError(
        absl::StrCat(v.status().message(), ": is the policy's contract the liquid-staking pool?"));
  }
  return v;
}

}  // namespace

// An Ed25519 seed file: 64 hex digits (whitespace around them ignored), readable by the daemon
// only.
absl::StatusOr<std::array<uint8_t, 32>> ReadReserveKey(const std::string& path) {
  absl::StatusOr<std::string> read = ReadBoundedFile(path, InputKind::kPem);
  if (!read.ok()) {
    return absl::Status(read.status().code(),
                        absl::StrCat("l2.reserve_key: ", read.status().message()));
  }
  std::string text(absl::StripAsciiWhitespace(*read));
  sodium_memzero(read->data(), read->size());
  absl::StatusOr<std::array<uint8_t, 32>> seed = chain::HexDecodeFixed<32>(text);
  sodium_memzero(text.data(), text.size());
  if (!seed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("l2.reserve_key: ", path,
                     " must hold an Ed25519 seed as 64 hex digits (e.g. the output of "
                     "`openssl rand -hex 32`)"));
  }
  return seed;
}

absl::StatusOr<std::unique_ptr<L2Watcher>> L2Watcher::Create(Controller* controller,
                                                             const L2Config& config) {
  absl::StatusOr<l2::EvmRpc> rpc =
      l2::EvmRpc::Create(config.rpc, absl::Seconds(static_cast<int64_t>(config.deadline_seconds)));
  if (!rpc.ok()) return rpc.status();
  std::optional<std::array<uint8_t, 32>> seed;
  if (!config.reserve_key.empty()) {
    absl::StatusOr<std::array<uint8_t, 32>> k = ReadReserveKey(config.reserve_key);
    if (!k.ok()) return k.status();
    seed = *k;
  }
  L2Rules rules;
  rules.confirmations = config.confirmations;
  rules.from_block = config.from_block;
  rules.stuck_after_blocks = config.stuck_after_blocks;
  return std::unique_ptr<L2Watcher>(
      new L2Watcher(controller, std::move(*rpc), rules,
                    absl::Seconds(static_cast<int64_t>(config.poll_seconds)), seed));
}

L2Watcher::L2Watcher(Controller* controller, l2::EvmRpc rpc, L2Rules rules, absl::Duration poll,
                     std::optional<std::array<uint8_t, 32>> reserve_seed)
    : controller_(controller),
      rules_(rules),
      poll_(poll),
      url_(rpc.url()),
      rpc_(std::move(rpc)),
      reserve_seed_(reserve_seed) {}

L2Watcher::~L2Watcher() { Stop(); }

void L2Watcher::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

void L2Watcher::Stop() {
  if (!stop_.HasBeenNotified()) {
    stop_.Notify();
    controller_->WakeWaiters();
  }
  if (thread_.joinable()) thread_.join();
}

// Looks at once, then after every store change (a deposit stored is broadcast without waiting
// for the poll) and at least every poll interval (blocks arrive without store changes).
void L2Watcher::Loop() {
  while (!stop_.HasBeenNotified()) {
    // Taken before looking: a change made meanwhile (ours included) brings one more look at
    // once, which changes nothing when it was ours.
    const uint64_t seen = controller_->Generation();
    absl::StatusOr<DepositObservation> o = ObserveNow();
    if (!o.ok()) {
      LogJson("warn", "L2 look failed",
              {{"rpc", url_}, {"error", std::string(o.status().message())}});
    } else {
      for (const std::string& line : o->lines) {
        LogJson("info", "L2 deposit", {{"head", o->head}, {"seen", line}});
      }
    }
    Reserve().IgnoreError();  // keeps the gauge current; the RPC reports errors to its caller
    if (stop_.HasBeenNotified()) break;
    controller_->WaitForChange(seen, poll_);
  }
}

absl::StatusOr<DepositObservation> L2Watcher::ObserveNow() {
  absl::MutexLock l(&mu_);
  return controller_->ObserveDeposits(rpc_, rules_, memory_);
}

absl::StatusOr<bool> L2Watcher::AdoptBeforeReserve(uint64_t epoch,
                                                   const std::string& operator_address) {
  absl::MutexLock l(&mu_);
  return controller_->AdoptMinedDeposit(epoch, operator_address, rpc_, rules_);
}

absl::StatusOr<rewards::ReserveReport> L2Watcher::Reserve() {
  SW_ASSIGN_OR_RETURN(ReserveL1 l1, controller_->ReserveL1Side());
  rewards::ReserveInputs in = std::move(l1.inputs);
  {
    absl::MutexLock l(&mu_);
    SW_RETURN_IF_ERROR(rpc_.CheckChainId(in.l2_chain_id));
    SW_ASSIGN_OR_RETURN(in.l2_block, rpc_.BlockNumber());
    SW_ASSIGN_OR_RETURN(in.total_supply_wei, CallUint(rpc_, l1.contract, "totalSupply()"));
    SW_ASSIGN_OR_RETURN(in.total_accredited_wei, CallUint(rpc_, l1.contract, "totalAccredited()"));
  }
  SW_ASSIGN_OR_RETURN(rewards::ReserveReport r, rewards::ComputeReserve(in));
  absl::MutexLock g(&gauge_mu_);
  last_reserve_ = std::make_pair(r.difference_lovelace, r.shortfall);
  return r;
}

absl::StatusOr<nlohmann::json> L2Watcher::SignedReserve() {
  if (!reserve_seed_) {
    return absl::FailedPreconditionError(
        "no l2.reserve_key is configured: the controller cannot sign reserve reports");
  }
  SW_ASSIGN_OR_RETURN(rewards::ReserveReport r, Reserve());
  return rewards::SignReserve(r, *reserve_seed_);
}

std::optional<std::pair<double, bool>> L2Watcher::LastReserve() const {
  absl::MutexLock g(&gauge_mu_);
  return last_reserve_;
}

}  // namespace stakeward::controller
