// Controller: the epoch reward cycle (design.md §7). The reward proposal is an ordinary proposal
// (kind REWARD) in the proposals tables, so signers review, sign, export and confirm it like a
// re-balance; the epoch ledger and the L2 deposit state machine live in the rewards tables
// (controller/store/epoch_ledger.h) on the store's one connection. Every change is audited and
// committed before the call returns.
#include <chrono>

#include "absl/strings/str_cat.h"
#include "chain/evm.h"
#include "controller/build/reward_proposal.h"
#include "controller/daemon/controller.h"
#include "controller/daemon/parsed_cache.h"
#include "controller/rewards/bridge.h"
#include "controller/rewards/deposit.h"
#include "controller/rewards/policy_inputs.h"
#include "controller/store/proposal_store.h"

namespace stakeward::controller {
namespace {

namespace evm = chain::evm;

constexpr int64_t kDefaultLeaseMs = 180'000;
constexpr int64_t kMaxLeaseMs = 600'000;
constexpr size_t kMaxRawTxBytes = 4096;  // a deposit is ~120 bytes; anything larger is garbage

// The value is not echoed: request fields are untrusted.
absl::StatusOr<evm::U256> ParseQuantity(const std::string& text, const char* what) {
  absl::StatusOr<evm::U256> v = evm::U256::ParseQuantity(text);
  if (!v.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": not a number (decimal digits, or 0x and 1 to 64 hex digits)"));
  }
  return v;
}

absl::Status CheckRequestId(const std::string& id) {
  if (id.empty() || id.size() > 64) {
    return absl::InvalidArgumentError("request_id must have 1 to 64 characters");
  }
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.';
    if (!ok) return absl::InvalidArgumentError("request_id may hold only [A-Za-z0-9._-]");
  }
  return absl::OkStatus();
}

// Live reward proposals (OPEN, READY, SUBMITTED, CONFIRMED) of an epoch, or the latest one.
struct EpochProposalRow {
  std::string id;
  ProposalState state = ProposalState::kOpen;
  std::string operator_address;
};

absl::StatusOr<std::optional<EpochProposalRow>> FindEpochProposal(Db& db, uint64_t epoch,
                                                                  bool live_only) {
  absl::StatusOr<Stmt> q = db.Prepare(
      live_only ? "SELECT id, state, reward_operator FROM proposals WHERE kind = 2 AND "
                  "reward_epoch = ? AND state IN (1, 2, 6, 7) ORDER BY created_us DESC LIMIT 1"
                : "SELECT id, state, reward_operator FROM proposals WHERE kind = 2 AND "
                  "reward_epoch = ? ORDER BY (state IN (1, 2, 6, 7)) DESC, created_us DESC "
                  "LIMIT 1");
  if (!q.ok()) return q.status();
  q->Bind(1, static_cast<int64_t>(epoch));
  absl::StatusOr<bool> row = q->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<EpochProposalRow>();
  return std::optional<EpochProposalRow>(
      EpochProposalRow{q->Text(0), static_cast<ProposalState>(q->Int(1)), q->Text(2)});
}

// The carry into `epoch` sits in the last treasury output of the newest confirmed reward
// proposal before it (epochs without rewards leave it where it is). Returns that proposal's id
// and the output.
struct CarrySource {
  std::string proposal_id;
  chain::TxIn output;
  std::string spent_by;  // a submitted proposal that spends the output (a MIGRATE moves it)
};
absl::StatusOr<CarrySource> FindCarrySource(Db& db, uint64_t epoch) {
  absl::StatusOr<Stmt> q = db.Prepare(
      "SELECT id FROM proposals WHERE kind = 2 AND state = 7 AND reward_epoch < ? "
      "ORDER BY reward_epoch DESC LIMIT 1");
  if (!q.ok()) return q.status();
  q->Bind(1, static_cast<int64_t>(epoch));
  absl::StatusOr<bool> row = q->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return absl::DataLossError(
        "the ledger carries lovelace into this epoch but no confirmed reward proposal holds it");
  }
  absl::StatusOr<ProposalRec> p = LoadProposal(db, q->Text(0));
  if (!p.ok()) return p.status();
  if (p->txs.empty()) return absl::DataLossError("the carrying reward proposal has no transaction");
  CarrySource out{p->id, chain::TxIn{p->txs.back().tx_id, 0}, ""};
  absl::StatusOr<Stmt> spent = db.Prepare(
      "SELECT s.proposal_id FROM spent_inputs s JOIN proposals p ON p.id = "
      "s.proposal_id WHERE s.tx_id = ? AND s.out_index = ? AND p.state = 7");
  if (!spent.ok()) return spent.status();
  spent->BindBlob(1, chain::View(out.output.tx_id)).Bind(2, static_cast<int64_t>(out.output.index));
  absl::StatusOr<bool> hit = spent->Step();
  if (!hit.ok()) return hit.status();
  if (*hit) out.spent_by = spent->Text(0);
  return out;
}

absl::Status CheckEpochRange(uint64_t epoch) {
  if (epoch > static_cast<uint64_t>(INT64_MAX)) {
    return absl::InvalidArgumentError("epoch out of range");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Controller::OpenRewards() {
  // The rewards tables live on the controller's own connection (one writer, one transaction per
  // change with its audit entry).
  absl::StatusOr<std::unique_ptr<Txn>> txn = Txn::Begin(*db_);
  if (!txn.ok()) return txn.status();
  if (absl::Status s = rewards::MigrateRewardsSchema(*db_); !s.ok()) return s;
  return (*txn)->Commit();
}

absl::StatusOr<RewardBuildResult> Controller::BuildRewardProposal(
    const Identity& who, uint64_t epoch, const std::string& operator_address, uint64_t ttl_slots) {
  if (absl::Status s = CheckEpochRange(epoch); !s.ok()) return s;
  absl::StatusOr<evm::Address> op = evm::ParseAddress(operator_address);
  if (!op.ok()) return absl::InvalidArgumentError("operator_address is not an EVM address");
  const std::string op_text = rewards::LowerHexAddress(*op);
  if (ttl_slots == 0) ttl_slots = options_.default_ttl_slots;
  if (ttl_slots > 1000000) return absl::InvalidArgumentError("ttl_slots is at most 1000000");

  absl::MutexLock l(&mu_);
  absl::StatusOr<uint64_t> in_force = InForceVersion();
  if (!in_force.ok()) return in_force.status();
  if (*in_force == 0) return absl::FailedPreconditionError("no policy is in force");
  // Rewards accrue at the scripts that hold the funds: while a MIGRATE is pending they are
  // withdrawn under the outgoing version, whose signers own those reward accounts.
  absl::StatusOr<PolicyVersionRec> prow = LoadPolicyRow(*in_force);
  if (!prow.ok()) return prow.status();
  if (absl::Status s = CheckFundsAtScriptsOf(*prow); !s.ok()) {
    if (!absl::IsFailedPrecondition(s)) return s;
    absl::StatusOr<uint64_t> funds = FundsVersion();
    if (!funds.ok()) return funds.status();
    prow = LoadPolicyRow(*funds);
    if (!prow.ok()) return prow.status();
  }
  absl::StatusOr<SnapshotRec> srow = LoadSnapshotRow(std::nullopt);
  if (!srow.ok()) return srow.status();
  if (srow->epoch != epoch) {
    return absl::FailedPreconditionError(absl::StrCat("the latest snapshot is of epoch ",
                                                      srow->epoch, ", not ", epoch,
                                                      ": push the snapshot of the epoch first"));
  }
  absl::StatusOr<std::shared_ptr<const policy::Policy>> stored = StoredPolicy(*prow);
  if (!stored.ok()) return stored.status();
  const policy::Policy* pol = stored->get();
  absl::StatusOr<std::shared_ptr<const policy::Snapshot>> stored_snapshot =
      ParsedCache::Global().GetSnapshot(srow->hash, srow->document);
  if (!stored_snapshot.ok()) return stored_snapshot.status();
  const policy::Snapshot* snap = stored_snapshot->get();

  rewards::EpochLedger ledger(*db_);
  absl::StatusOr<std::optional<EpochProposalRow>> live = FindEpochProposal(*db_, epoch, true);
  if (!live.ok()) return live.status();
  if (live->has_value()) {
    const EpochProposalRow& row = **live;
    if (row.operator_address != op_text) {
      return absl::FailedPreconditionError(absl::StrCat("epoch ", epoch,
                                                        " already has reward proposal ", row.id,
                                                        " for operator ", row.operator_address));
    }
    // Idempotent retry: the epoch's live proposal.
    absl::StatusOr<ProposalRec> p = LoadProposal(*db_, row.id, true, &tx_cache_);
    if (!p.ok()) return p.status();
    absl::StatusOr<rewards::EpochRecord> rec = ledger.Get(epoch);
    if (!rec.ok()) return rec.status();
    return RewardBuildResult{std::move(*p), std::move(*rec)};
  }
  absl::StatusOr<rewards::EpochRecord> before = ledger.Get(epoch);
  if (before.ok() && before->status != rewards::kEpochProposed) {
    return absl::FailedPreconditionError(
        absl::StrCat("epoch ", epoch, " is already ", before->status));
  }
  if (!before.ok() && !absl::IsNotFound(before.status())) return before.status();
  absl::StatusOr<chain::Lovelace> carry = ledger.CarryBefore(epoch);
  if (!carry.ok()) return carry.status();

  ProposalRec p;
  p.id = NewProposalId("prop");
  p.ttl = snap->slot + ttl_slots;
  absl::StatusOr<AuditRecord> head = AuditHead(*db_);
  if (!head.ok()) return head.status();
  p.audit_anchor = {head->seq, head->hash};
  std::optional<chain::TxIn> carry_input;
  chain::Lovelace forfeited;
  std::string moved_by;
  if (*carry > chain::Lovelace()) {
    absl::StatusOr<CarrySource> source = FindCarrySource(*db_, epoch);
    if (!source.ok()) return source.status();
    if (source->spent_by.empty()) {
      p.reward_carry_from = source->proposal_id;
      carry_input = source->output;
    } else {
      // Another proposal (a MIGRATE moving the treasury) spent the output that held the carry:
      // no signer could verify it any more. It stays with the DAO, recorded in the audit log, and
      // the reward rounds go on (a carry is always below the bridge minimum).
      forfeited = *carry;
      moved_by = source->spent_by;
      *carry = chain::Lovelace();
    }
  }
  RewardTxsRequest req{&*pol, &*snap, p.id, *op, *carry, p.ttl, p.audit_anchor, carry_input};
  absl::StatusOr<RewardTxsResult> built = BuildRewardTxs(req);
  if (!built.ok()) return built.status();
  // One transaction: the epoch ledger, the proposal and the audit entry commit together.
  absl::StatusOr<std::unique_ptr<Txn>> txn = Txn::Begin(*db_);
  if (!txn.ok()) return txn.status();
  if (absl::Status s = ledger.RecordProposal(built->proposal); !s.ok()) return s;
  nlohmann::json details = {{"epoch", epoch},
                            {"operator", op_text},
                            {"summary", built->proposal.summary},
                            {"rewards", built->proposal.total_rewards},
                            {"commission", built->proposal.total_commission},
                            {"bridged", built->proposal.total_bridged},
                            {"carry_in", built->proposal.carry_in},
                            {"carry_out", built->proposal.carry_out},
                            {"carry_from", p.reward_carry_from}};
  if (forfeited > chain::Lovelace()) {
    details["carry_forfeited"] = forfeited;
    details["carry_moved_by"] = moved_by;
  }
  std::optional<ProposalRec> created;
  if (!built->txs.empty()) {
    p.kind = ProposalKind::kReward;
    p.state = ProposalState::kOpen;
    p.policy_version = prow->version;
    p.policy_hash = prow->hash;
    p.snapshot_hash = srow->hash;
    p.plan_hash = RewardPlanHash(epoch, built->txs);
    p.threshold = static_cast<uint32_t>(pol->threshold);
    p.created_by = who.Actor();
    p.created_us = p.updated_us = Now();
    p.reward_epoch = epoch;
    p.reward_operator = op_text;
    p.reward_carry_in = *carry;
    p.txs = std::move(built->txs);
    if (absl::Status s = InsertProposal(*db_, p); !s.ok()) return s;
    nlohmann::json ids = nlohmann::json::array();
    for (const ProposalTxRec& t : p.txs) ids.push_back(chain::HexEncode(t.tx_id));
    details["proposal"] = p.id;
    details["tx_ids"] = ids;
  }
  absl::StatusOr<AuditRecord> a = AppendAudit(*db_, Now(), who.Actor(), "rewards.build",
                                              absl::StrCat("epoch:", epoch), details);
  if (!a.ok()) return a.status();
  if (absl::Status s = (*txn)->Commit(); !s.ok()) return s;
  Bump();
  if (!p.txs.empty()) {
    absl::StatusOr<ProposalRec> stored = LoadProposal(*db_, p.id, true, &tx_cache_);
    if (!stored.ok()) return stored.status();
    created = std::move(*stored);
  }
  absl::StatusOr<rewards::EpochRecord> rec = ledger.Get(epoch);
  if (!rec.ok()) return rec.status();
  return RewardBuildResult{std::move(created), std::move(*rec)};
}

absl::Status Controller::RecordRewardConfirmed(const std::string& actor, const ProposalRec& p) {
  rewards::EpochLedger ledger(*db_);
  absl::StatusOr<rewards::EpochRecord> before = ledger.Get(p.reward_epoch);
  if (!before.ok()) return before.status();
  if (before->status != rewards::kEpochProposed) return absl::OkStatus();  // already done
  if (absl::Status s = ledger.MarkL1Confirmed(p.reward_epoch); !s.ok()) return s;
  absl::StatusOr<AuditRecord> a =
      AppendAudit(*db_, Now(), actor, "rewards.l1_confirmed",
                  absl::StrCat("epoch:", p.reward_epoch), {{"proposal", p.id}});
  return a.status();
}

absl::Status Controller::OnRewardConfirmed(const std::string& actor, const ProposalRec& p) {
  absl::MutexLock l(&mu_);
  absl::StatusOr<std::unique_ptr<Txn>> txn = Txn::Begin(*db_);
  if (!txn.ok()) return txn.status();
  if (absl::Status s = RecordRewardConfirmed(actor, p); !s.ok()) return s;
  if (absl::Status s = (*txn)->Commit(); !s.ok()) return s;
  Bump();
  return absl::OkStatus();
}

absl::StatusOr<EpochView> Controller::GetEpoch(uint64_t epoch) {
  if (absl::Status s = CheckEpochRange(epoch); !s.ok()) return s;
  absl::MutexLock l(&mu_);
  absl::StatusOr<rewards::EpochRecord> rec = rewards::EpochLedger(*db_).Get(epoch);
  if (!rec.ok()) return rec.status();
  absl::StatusOr<std::optional<EpochProposalRow>> row = FindEpochProposal(*db_, epoch, false);
  if (!row.ok()) return row.status();
  return EpochView{std::move(*rec), row->has_value() ? (*row)->id : std::string()};
}

absl::StatusOr<std::vector<EpochView>> Controller::ListEpochs(uint32_t limit) {
  if (limit == 0) limit = 100;
  if (limit > 1000) return absl::InvalidArgumentError("limit is at most 1000");
  std::vector<uint64_t> epochs;
  {
    absl::MutexLock l(&mu_);
    absl::StatusOr<Stmt> q =
        db_->Prepare("SELECT epoch FROM rewards_epochs ORDER BY epoch DESC LIMIT ?");
    if (!q.ok()) return q.status();
    q->Bind(1, static_cast<int64_t>(limit));
    for (;;) {
      absl::StatusOr<bool> row = q->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      epochs.push_back(q->U64(0));
    }
  }
  std::vector<EpochView> out;
  for (uint64_t e : epochs) {
    absl::StatusOr<EpochView> v = GetEpoch(e);
    if (!v.ok()) return v.status();
    out.push_back(std::move(*v));
  }
  return out;
}

absl::StatusOr<DepositReserveResult> Controller::ReserveDeposit(const Identity& who,
                                                                const DepositRequest& req) {
  if (absl::Status s = CheckEpochRange(req.epoch); !s.ok()) return s;
  if (absl::Status s = CheckRequestId(req.request_id); !s.ok()) return s;
  if (req.lease_ms > static_cast<uint64_t>(kMaxLeaseMs)) {
    return absl::InvalidArgumentError("lease_ms is at most 600000");
  }
  const int64_t lease_ms = req.lease_ms == 0 ? kDefaultLeaseMs : static_cast<int64_t>(req.lease_ms);
  absl::StatusOr<evm::Address> op = evm::ParseAddress(req.operator_address);
  if (!op.ok()) return absl::InvalidArgumentError("operator_address is not an EVM address");
  rewards::DepositGas gas;
  absl::StatusOr<evm::U256> nonce = ParseQuantity(req.nonce, "nonce");
  if (!nonce.ok()) return nonce.status();
  absl::StatusOr<evm::U256> gas_limit = ParseQuantity(req.gas_limit, "gas_limit");
  if (!gas_limit.ok()) return gas_limit.status();
  absl::StatusOr<evm::U256> max_fee = ParseQuantity(req.max_fee_per_gas, "max_fee_per_gas");
  if (!max_fee.ok()) return max_fee.status();
  absl::StatusOr<evm::U256> prio =
      ParseQuantity(req.max_priority_fee_per_gas, "max_priority_fee_per_gas");
  if (!prio.ok()) return prio.status();
  gas.nonce = *nonce;
  gas.gas_limit = *gas_limit;
  gas.max_fee_per_gas = *max_fee;
  gas.max_priority_fee_per_gas = *prio;
  gas.bridge_fee_lovelace = req.bridge_fee_lovelace;

  absl::MutexLock l(&mu_);
  absl::StatusOr<uint64_t> in_force = InForceVersion();
  if (!in_force.ok()) return in_force.status();
  if (*in_force == 0) return absl::FailedPreconditionError("no policy is in force");
  absl::StatusOr<PolicyVersionRec> prow = LoadPolicyRow(*in_force);
  if (!prow.ok()) return prow.status();
  absl::StatusOr<std::shared_ptr<const policy::Policy>> stored = StoredPolicy(*prow);
  if (!stored.ok()) return stored.status();
  const policy::Policy* pol = stored->get();
  absl::StatusOr<rewards::DepositParams> params = rewards::DepositParamsFromPolicy(*pol, *op, gas);
  if (!params.ok()) return params.status();

  rewards::EpochLedger ledger(*db_);
  absl::StatusOr<rewards::EpochRecord> rec = ledger.Get(req.epoch);
  if (!rec.ok()) return rec.status();
  absl::StatusOr<rewards::DepositRecord> proposed = rewards::ProposeDeposit(*rec, *params);
  if (!proposed.ok()) return proposed.status();
  // The bridge credits the account named in the reward transactions' metadata (label 88): the
  // deposit must come from that account.
  absl::StatusOr<std::optional<EpochProposalRow>> live = FindEpochProposal(*db_, req.epoch, true);
  if (!live.ok()) return live.status();
  if (live->has_value() && (*live)->operator_address != rewards::LowerHexAddress(*op)) {
    return absl::FailedPreconditionError(absl::StrCat("epoch ", req.epoch, " bridged to ",
                                                      (*live)->operator_address, ", not to ",
                                                      rewards::LowerHexAddress(*op)));
  }
  if (req.replace) return ReserveReplacement(who, req, *rec, *proposed, lease_ms);
  // One transaction: the reservation and its audit entry.
  absl::StatusOr<std::unique_ptr<Txn>> txn = Txn::Begin(*db_);
  if (!txn.ok()) return txn.status();
  absl::StatusOr<rewards::DepositReservation> res =
      ledger.ReserveDeposit(req.epoch, *proposed, req.request_id, Now() / 1000, lease_ms);
  if (!res.ok()) return res.status();
  DepositReserveResult out{res->kind, res->record,
                           res->record.unsigned_tx == proposed->unsigned_tx};
  if (res->kind == rewards::DepositReservation::Kind::kReserved) {
    absl::StatusOr<AuditRecord> a = AppendAudit(
        *db_, Now(), who.Actor(), "rewards.deposit.reserve", absl::StrCat("epoch:", req.epoch),
        {{"request_id", req.request_id},
         {"sender", res->record.sender},
         {"nonce", res->record.nonce},
         {"value_wei", res->record.value_wei},
         {"attempt", res->record.attempts},
         {"unsigned_tx", chain::HexEncode(res->record.unsigned_tx)}});
    if (!a.ok()) return a.status();
  }
  if (absl::Status s = (*txn)->Commit(); !s.ok()) return s;
  if (res->kind == rewards::DepositReservation::Kind::kReserved) Bump();
  return out;
}

absl::StatusOr<DepositReserveResult> Controller::ReserveReplacement(
    const Identity& who, const DepositRequest& req, const rewards::EpochRecord& rec,
    const rewards::DepositRecord& proposed, int64_t lease_ms) {
  if (!rec.deposit) {
    return absl::FailedPreconditionError(
        absl::StrCat("epoch ", req.epoch, " has no deposit to replace: reserve one first"));
  }
  const rewards::DepositRecord& before = *rec.deposit;
  absl::StatusOr<evm::Eip1559Tx> prev = evm::DecodeUnsigned(chain::View(before.unsigned_tx));
  absl::StatusOr<evm::Eip1559Tx> next = evm::DecodeUnsigned(chain::View(proposed.unsigned_tx));
  if (!prev.ok() || !next.ok()) return absl::DataLossError("stored deposit is malformed");
  if (before.sender != proposed.sender) {
    return absl::FailedPreconditionError(
        absl::StrCat("the deposit is sent from ", before.sender, ", not ", proposed.sender));
  }
  if (absl::Status s =
          rewards::CheckReplacement(*prev, *next, before.state == rewards::kDepositFailed);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::unique_ptr<Txn>> txn = Txn::Begin(*db_);
  if (!txn.ok()) return txn.status();
  absl::StatusOr<rewards::DepositRecord> replaced =
      rewards::DepositLifecycle(*db_).ReserveReplacement(req.epoch, proposed, req.request_id,
                                                         Now() / 1000, lease_ms);
  if (!replaced.ok()) return replaced.status();
  absl::StatusOr<AuditRecord> a = AppendAudit(
      *db_, Now(), who.Actor(), "rewards.deposit.replace", absl::StrCat("epoch:", req.epoch),
      {{"request_id", req.request_id},
       {"replaces", before.state},
       {"previous_tx_hash", before.tx_hash},
       {"nonce", replaced->nonce},
       {"attempt", replaced->attempts},
       {"unsigned_tx", chain::HexEncode(replaced->unsigned_tx)}});
  if (!a.ok()) return a.status();
  if (absl::Status s = (*txn)->Commit(); !s.ok()) return s;
  Bump();
  return DepositReserveResult{rewards::DepositReservation::Kind::kReserved, std::move(*replaced),
                              true};
}

absl::StatusOr<DepositStoreResult> Controller::StoreDeposit(const Identity& who, uint64_t epoch,
                                                            const chain::Bytes& raw_tx) {
  if (absl::Status s = CheckEpochRange(epoch); !s.ok()) return s;
  if (raw_tx.empty() || raw_tx.size() > kMaxRawTxBytes) {
    return absl::InvalidArgumentError("raw_tx must hold 1 to 4096 bytes");
  }
  absl::StatusOr<evm::SignedEip1559> decoded = evm::DecodeSigned(chain::View(raw_tx));
  if (!decoded.ok()) {
    return absl::InvalidArgumentError("raw_tx is not a signed EIP-1559 transaction");
  }
  absl::MutexLock l(&mu_);
  rewards::EpochLedger ledger(*db_);
  absl::StatusOr<rewards::EpochRecord> rec = ledger.Get(epoch);
  if (!rec.ok()) return rec.status();
  if (!rec->deposit) {
    return absl::FailedPreconditionError(
        absl::StrCat("epoch ", epoch, " has no reserved deposit: call ReserveDeposit first"));
  }
  if (rec->deposit->state != rewards::kDepositSigning) {
    return DepositStoreResult{*rec->deposit, true};
  }
  if (evm::EncodeUnsigned(decoded->tx) != rec->deposit->unsigned_tx) {
    return absl::FailedPreconditionError(
        "the signed transaction is not the reserved deposit transaction");
  }
  absl::StatusOr<evm::Address> sender = evm::ParseAddress(rec->deposit->sender);
  if (!sender.ok()) return absl::DataLossError("reserved deposit sender is malformed");
  absl::StatusOr<rewards::SignedDeposit> fin =
      rewards::FinalizeDeposit(decoded->tx, decoded->sig, *sender);
  if (!fin.ok()) return fin.status();
  // One transaction: the signed deposit and its audit entry.
  absl::StatusOr<std::unique_ptr<Txn>> txn = Txn::Begin(*db_);
  if (!txn.ok()) return txn.status();
  absl::StatusOr<rewards::DepositRecord> stored =
      ledger.StoreDeposit(epoch, chain::View(fin->raw), fin->TxHashHex(), Now() / 1000);
  if (!stored.ok()) return stored.status();
  const bool existing = stored->raw_tx != fin->raw;
  if (!existing) {
    absl::StatusOr<AuditRecord> a = AppendAudit(*db_, Now(), who.Actor(), "rewards.deposit.store",
                                                absl::StrCat("epoch:", epoch),
                                                {{"tx_hash", stored->tx_hash},
                                                 {"sender", stored->sender},
                                                 {"nonce", stored->nonce},
                                                 {"value_wei", stored->value_wei},
                                                 {"raw_tx", chain::HexEncode(stored->raw_tx)}});
    if (!a.ok()) return a.status();
  }
  if (absl::Status s = (*txn)->Commit(); !s.ok()) return s;
  if (!existing) Bump();
  return DepositStoreResult{std::move(*stored), existing};
}

}  // namespace stakeward::controller
