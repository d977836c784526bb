// Controller: the L2 deposit on chain (issue 14). A signed deposit is broadcast, followed until a
// receipt with the contract's event is k blocks deep (CONFIRMED) or shows it failed (FAILED), and
// a deposit of the epoch that the contract already shows is adopted instead of signing another.
// Node calls run outside the store lock; each change commits with its audit entry.
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "chain/evm.h"
#include "chain/hash.h"
#include "chain/status_macros.h"
#include "controller/daemon/controller.h"
#include "controller/rewards/deposit_chain.h"
#include "controller/store/deposit_lifecycle.h"
#include "controller/store/epoch_ledger.h"

namespace stakeward::controller {
namespace {

namespace evm = chain::evm;
constexpr char kL2Actor[] = "l2";

std::string HashHex(const chain::Hash32& h) { return "0x" + chain::HexEncode(h); }

absl::StatusOr<chain::Hash32> ParseHash(const std::string& hex) {
  absl::StatusOr<chain::Hash32> h = hex.rfind("0x", 0) == 0
                                        ? chain::HexDecodeFixed<32>(std::string_view(hex).substr(2))
                                        : absl::InvalidArgumentError("no 0x prefix");
  if (!h.ok()) return absl::DataLossError("stored transaction hash is malformed");
  return h;
}

// What the epoch's deposit must look like on chain, from its stored unsigned transaction.
absl::StatusOr<rewards::ExpectedDeposit> ExpectedFrom(uint64_t epoch,
                                                      const rewards::DepositRecord& d) {
  absl::StatusOr<evm::Eip1559Tx> tx = evm::DecodeUnsigned(chain::View(d.unsigned_tx));
  absl::StatusOr<evm::Address> sender = evm::ParseAddress(d.sender);
  if (!tx.ok() || !tx->to || !sender.ok()) {
    return absl::DataLossError(absl::StrCat("epoch ", epoch, "'s stored deposit is malformed"));
  }
  return rewards::ExpectedDeposit{epoch, *tx->to, *sender, tx->value};
}

// A mined transaction of the account for the epoch: its signed bytes checked and decoded.
struct MinedDeposit {
  rewards::DepositInclusion inc;
  std::string nonce;  // decimal
  evm::U256 value;
};

// The contract's PoolAccredited event of the epoch and sender, if any, with its transaction
// fetched and checked (it hashes to the log's tx hash and is signed by the sender).
absl::StatusOr<std::optional<MinedDeposit>> FindMinedDeposit(l2::EvmRpc& rpc,
                                                             const rewards::ExpectedDeposit& want,
                                                             uint64_t from_block) {
  SW_ASSIGN_OR_RETURN(std::vector<l2::Log> logs,
                      rpc.GetLogs(rewards::DepositLogFilter(want, from_block)));
  for (const l2::Log& log : logs) {
    absl::StatusOr<evm::U256> value = rewards::AccreditedValue(log, want);
    if (log.removed || !value.ok()) continue;
    SW_ASSIGN_OR_RETURN(std::optional<chain::Bytes> raw, rpc.GetRawTransaction(log.tx_hash));
    if (!raw) continue;  // the node pruned it: the event alone is not adopted
    absl::StatusOr<evm::SignedEip1559> signed_tx = evm::DecodeSigned(chain::View(*raw));
    if (!signed_tx.ok()) continue;
    absl::StatusOr<evm::Address> from = evm::RecoverSender(signed_tx->tx, signed_tx->sig);
    if (!from.ok() || *from != want.sender) continue;
    SW_ASSIGN_OR_RETURN(std::optional<l2::Receipt> rc, rpc.GetReceipt(log.tx_hash));
    if (!rc || !rc->success) continue;
    MinedDeposit m;
    m.inc = {HashHex(log.tx_hash), rc->block_number, HashHex(rc->block_hash), std::move(*raw)};
    m.nonce = signed_tx->tx.nonce.ToDecimal();
    m.value = *value;
    return std::optional<MinedDeposit>(std::move(m));
  }
  return std::optional<MinedDeposit>();
}

}  // namespace

absl::StatusOr<std::vector<WatchedDeposit>> Controller::WatchedDeposits() {
  absl::MutexLock l(&mu_);
  rewards::DepositLifecycle life(*db_);
  rewards::EpochLedger ledger(*db_);
  SW_ASSIGN_OR_RETURN(std::vector<uint64_t> epochs, life.Watched());
  std::vector<WatchedDeposit> out;
  for (uint64_t e : epochs) {
    SW_ASSIGN_OR_RETURN(rewards::EpochRecord rec, ledger.Get(e));
    if (!rec.deposit) continue;
    SW_ASSIGN_OR_RETURN(std::vector<rewards::DepositAttempt> attempts, life.Attempts(e));
    SW_ASSIGN_OR_RETURN(rewards::ExpectedDeposit want, ExpectedFrom(e, *rec.deposit));
    out.push_back({e, std::move(*rec.deposit), std::move(attempts), want});
  }
  return out;
}

absl::Status Controller::RecordDepositChange(const std::string& actor, const DepositChange& c) {
  absl::MutexLock l(&mu_);
  SW_ASSIGN_OR_RETURN(std::unique_ptr<Txn> txn, Txn::Begin(*db_));
  rewards::DepositLifecycle life(*db_);
  nlohmann::json details;
  std::string action;
  switch (c.kind) {
    case DepositChange::Kind::kBroadcast: {
      SW_ASSIGN_OR_RETURN(bool changed, life.MarkBroadcast(c.epoch, c.inc.tx_hash));
      if (!changed) return absl::OkStatus();
      action = "rewards.deposit.broadcast";
      details = {{"tx_hash", c.inc.tx_hash}};
      break;
    }
    case DepositChange::Kind::kConfirmed:
      SW_RETURN_IF_ERROR(life.MarkConfirmed(c.epoch, c.inc));
      action = "rewards.deposit.confirm";
      details = {{"tx_hash", c.inc.tx_hash},
                 {"block", c.inc.block_number},
                 {"block_hash", c.inc.block_hash},
                 {"confirmations", c.confirmations}};
      break;
    case DepositChange::Kind::kFailed:
      SW_RETURN_IF_ERROR(life.MarkFailed(c.epoch, c.inc.tx_hash, c.reason));
      action = "rewards.deposit.fail";
      details = {{"tx_hash", c.inc.tx_hash}, {"reason", c.reason}};
      break;
    case DepositChange::Kind::kRefused:
      SW_RETURN_IF_ERROR(life.SetNote(c.epoch, c.reason));
      action = "rewards.deposit.refused";
      details = {{"tx_hash", c.inc.tx_hash}, {"error", c.reason}};
      break;
    case DepositChange::Kind::kAdopted:
      SW_RETURN_IF_ERROR(life.Adopt(c.epoch, c.proposed, c.nonce, c.inc, Now() / 1000));
      action = "rewards.deposit.adopt";
      details = {{"tx_hash", c.inc.tx_hash},       {"block", c.inc.block_number},
                 {"block_hash", c.inc.block_hash}, {"nonce", c.nonce},
                 {"value_wei", c.value_wei},       {"sender", c.proposed.sender}};
      break;
  }
  SW_RETURN_IF_ERROR(
      AppendAudit(*db_, Now(), actor, action, absl::StrCat("epoch:", c.epoch), details).status());
  SW_RETURN_IF_ERROR(txn->Commit());
  Bump();
  return absl::OkStatus();
}

absl::Status Controller::NoteDeposit(uint64_t epoch, const std::string& note) {
  absl::MutexLock l(&mu_);
  return rewards::DepositLifecycle(*db_).SetNote(epoch, note);
}

absl::StatusOr<DepositObservation> Controller::ObserveDeposits(l2::EvmRpc& rpc,
                                                               const L2Rules& rules,
                                                               L2Memory& memory) {
  SW_ASSIGN_OR_RETURN(std::vector<WatchedDeposit> watched, WatchedDeposits());
  DepositObservation obs;
  if (watched.empty()) return obs;
  // A node of another chain could never show these deposits: say so instead of resending.
  SW_RETURN_IF_ERROR(rpc.CheckChainId(watched.front().record.chain_id));
  SW_ASSIGN_OR_RETURN(obs.head, rpc.BlockNumber());
  for (const WatchedDeposit& w : watched) {
    absl::StatusOr<std::string> outcome = ObserveOne(rpc, rules, memory, obs.head, w);
    obs.lines.push_back(outcome.ok()
                            ? absl::StrCat("epoch ", w.epoch, ": ", *outcome)
                            : absl::StrCat("epoch ", w.epoch, ": ", outcome.status().message()));
  }
  return obs;
}

absl::StatusOr<std::string> Controller::ObserveOne(l2::EvmRpc& rpc, const L2Rules& rules,
                                                   L2Memory& memory, uint64_t head,
                                                   const WatchedDeposit& w) {
  // 1. One of our attempts mined?
  for (const rewards::DepositAttempt& a : w.attempts) {
    SW_ASSIGN_OR_RETURN(chain::Hash32 h, ParseHash(a.tx_hash));
    SW_ASSIGN_OR_RETURN(std::optional<l2::Receipt> rc, rpc.GetReceipt(h));
    if (!rc) continue;
    rewards::ReceiptVerdict v = rewards::JudgeReceipt(*rc, head, rules.confirmations, w.want);
    DepositChange c;
    c.epoch = w.epoch;
    c.inc = {a.tx_hash, rc->block_number, HashHex(rc->block_hash), a.raw_tx};
    c.confirmations = v.depth;
    if (v.kind == rewards::ReceiptVerdict::Kind::kTooShallow) {
      if (w.record.state == rewards::kDepositSigned && w.record.tx_hash == a.tx_hash) {
        c.kind = DepositChange::Kind::kBroadcast;
        SW_RETURN_IF_ERROR(RecordDepositChange(kL2Actor, c));
      }
      std::string note = absl::StrCat("mined in block ", rc->block_number, ", ", v.depth, " of ",
                                      rules.confirmations, " confirmations");
      SW_RETURN_IF_ERROR(NoteDeposit(w.epoch, note));
      return note;
    }
    c.kind = v.kind == rewards::ReceiptVerdict::Kind::kConfirmed ? DepositChange::Kind::kConfirmed
                                                                 : DepositChange::Kind::kFailed;
    c.reason = v.reason;
    SW_RETURN_IF_ERROR(RecordDepositChange(kL2Actor, c));
    memory.first_sent.erase(w.epoch);
    return c.kind == DepositChange::Kind::kConfirmed
               ? absl::StrCat("CONFIRMED in block ", rc->block_number, " (", a.tx_hash, ")")
               : absl::StrCat("FAILED: ", v.reason);
  }
  // 2. A deposit of the epoch mined by another transaction (signed elsewhere)?
  SW_ASSIGN_OR_RETURN(std::optional<MinedDeposit> other,
                      FindMinedDeposit(rpc, w.want, rules.from_block));
  if (other) {
    if (head - other->inc.block_number + 1 < rules.confirmations) {
      return absl::StrCat("a deposit of the epoch by another transaction (", other->inc.tx_hash,
                          ") is mined; waiting for ", rules.confirmations, " confirmations");
    }
    DepositChange c;
    c.kind = DepositChange::Kind::kAdopted;
    c.epoch = w.epoch;
    c.inc = other->inc;
    c.nonce = other->nonce;
    c.value_wei = other->value.ToDecimal();
    c.proposed = w.record;
    SW_RETURN_IF_ERROR(RecordDepositChange(kL2Actor, c));
    return absl::StrCat("adopted ", other->inc.tx_hash, " from the chain");
  }
  // 3. Not mined: (re)send the current attempt.
  return Broadcast(rpc, rules, memory, head, w);
}

absl::StatusOr<std::string> Controller::Broadcast(l2::EvmRpc& rpc, const L2Rules& rules,
                                                  L2Memory& memory, uint64_t head,
                                                  const WatchedDeposit& w) {
  if (w.record.state == rewards::kDepositSigning) {
    return std::string("a replacement is being signed; the earlier attempts are watched");
  }
  absl::StatusOr<chain::Hash32> sent = rpc.SendRawTransaction(chain::View(w.record.raw_tx));
  const bool accepted = sent.ok() || absl::IsAlreadyExists(sent.status());
  if (accepted) {
    DepositChange c;
    c.kind = DepositChange::Kind::kBroadcast;
    c.epoch = w.epoch;
    c.inc.tx_hash = w.record.tx_hash;
    SW_RETURN_IF_ERROR(RecordDepositChange(kL2Actor, c));
    auto [it, fresh] = memory.first_sent.emplace(w.epoch, head);
    const uint64_t pending = head - std::min(head, it->second);
    std::string note =
        pending >= rules.stuck_after_blocks
            ? absl::StrCat("not mined ", pending,
                           " blocks after it was sent: the fees may be too "
                           "low; replace it with `stakeward rewards deposit ",
                           w.epoch, " --replace` and higher fees (same nonce)")
            : absl::StrCat("sent to the node; waiting to be mined (", pending, " blocks)");
    SW_RETURN_IF_ERROR(NoteDeposit(w.epoch, note));
    return note;
  }
  if (absl::IsUnavailable(sent.status()) || absl::IsDeadlineExceeded(sent.status())) {
    return sent.status();
  }
  // Refused. If the account's mined nonce moved past ours and none of our attempts nor any
  // deposit of the epoch is on chain, another transaction took the nonce: the deposit failed.
  absl::StatusOr<evm::U256> ours = evm::U256::FromDecimal(w.record.nonce);
  SW_ASSIGN_OR_RETURN(uint64_t mined_nonce, rpc.Nonce(w.want.sender, /*pending=*/false));
  if (ours.ok() && evm::U256::FromUint64(mined_nonce) > *ours) {
    DepositChange c;
    c.kind = DepositChange::Kind::kFailed;
    c.epoch = w.epoch;
    c.inc.tx_hash = w.record.tx_hash;
    c.reason = absl::StrCat("nonce ", w.record.nonce, " of ", w.record.sender,
                            " was used by another transaction and no deposit of the epoch is on "
                            "chain: reserve a new deposit with `stakeward rewards deposit ",
                            w.epoch, " --replace` (the account's next nonce)");
    SW_RETURN_IF_ERROR(RecordDepositChange(kL2Actor, c));
    return absl::StrCat("FAILED: ", c.reason);
  }
  std::string note = absl::StrCat("the node refused the deposit: ", sent.status().message());
  if (note != w.record.note) {  // audited once per distinct refusal, not on every look
    DepositChange c;
    c.kind = DepositChange::Kind::kRefused;
    c.epoch = w.epoch;
    c.inc.tx_hash = w.record.tx_hash;
    c.reason = note;
    SW_RETURN_IF_ERROR(RecordDepositChange(kL2Actor, c));
  }
  return note;
}

absl::StatusOr<bool> Controller::AdoptMinedDeposit(uint64_t epoch,
                                                   const std::string& operator_address,
                                                   l2::EvmRpc& rpc, const L2Rules& rules) {
  rewards::ExpectedDeposit want;
  rewards::DepositRecord proposed;
  {
    absl::MutexLock l(&mu_);
    SW_ASSIGN_OR_RETURN(rewards::EpochRecord rec, rewards::EpochLedger(*db_).Get(epoch));
    if (rec.deposit && rec.deposit->state != rewards::kDepositSigning) return false;
    SW_ASSIGN_OR_RETURN(uint64_t in_force, InForceVersion());
    if (in_force == 0) return absl::FailedPreconditionError("no policy is in force");
    SW_ASSIGN_OR_RETURN(PolicyVersionRec prow, LoadPolicyRow(in_force));
    SW_ASSIGN_OR_RETURN(std::shared_ptr<const policy::Policy> stored, StoredPolicy(prow));
    const policy::Policy* pol = stored.get();
    absl::StatusOr<evm::Address> contract = evm::ParseAddress(pol->rewards.contract_address);
    absl::StatusOr<evm::Address> sender = evm::ParseAddress(operator_address);
    if (!contract.ok() || !sender.ok()) {
      return absl::InvalidArgumentError("operator_address is not an EVM address");
    }
    want = {epoch, *contract, *sender, {}};
    proposed.chain_id = pol->rewards.l2_chain_id;
    proposed.sender = evm::ToChecksumAddress(*sender);
    proposed.path = pol->rewards.operator_path;
  }
  SW_RETURN_IF_ERROR(rpc.CheckChainId(proposed.chain_id));
  SW_ASSIGN_OR_RETURN(std::optional<MinedDeposit> mined,
                      FindMinedDeposit(rpc, want, rules.from_block));
  if (!mined) return false;
  SW_ASSIGN_OR_RETURN(uint64_t head, rpc.BlockNumber());
  if (head - std::min(head, mined->inc.block_number) + 1 < rules.confirmations) {
    return absl::FailedPreconditionError(absl::StrCat(
        "a deposit of epoch ", epoch, " (", mined->inc.tx_hash, ") is already mined but not yet ",
        rules.confirmations, " blocks deep: wait, it will be adopted; do not sign another"));
  }
  proposed.value_wei = mined->value.ToDecimal();
  absl::StatusOr<evm::SignedEip1559> tx = evm::DecodeSigned(chain::View(mined->inc.raw_tx));
  if (!tx.ok()) return absl::DataLossError("mined deposit no longer decodes");
  proposed.unsigned_tx = evm::EncodeUnsigned(tx->tx);
  DepositChange c;
  c.kind = DepositChange::Kind::kAdopted;
  c.epoch = epoch;
  c.inc = mined->inc;
  c.nonce = mined->nonce;
  c.value_wei = proposed.value_wei;
  c.proposed = proposed;
  SW_RETURN_IF_ERROR(RecordDepositChange(kL2Actor, c));
  return true;
}

}  // namespace stakeward::controller
