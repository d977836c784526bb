#include "controller/store/epoch_ledger.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "chain/evm.h"
#include "chain/keys.h"
#include "chain/status_macros.h"
#include "chain/tx.h"

namespace stakeward::rewards {
namespace {

constexpr int kSchemaVersion = 2;

constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE rewards_epochs (
  epoch INTEGER PRIMARY KEY CHECK (epoch >= 0),
  status TEXT NOT NULL CHECK (status IN ('PROPOSED','L1_CONFIRMED','DEPOSITED','NO_REWARDS')),
  summary TEXT NOT NULL,
  total_rewards INTEGER NOT NULL CHECK (total_rewards >= 0),
  commission INTEGER NOT NULL CHECK (commission >= 0),
  fee INTEGER NOT NULL CHECK (fee >= 0),
  fee_from_treasury INTEGER NOT NULL CHECK (fee_from_treasury >= 0),
  bridged INTEGER NOT NULL CHECK (bridged >= 0),
  carry_in INTEGER NOT NULL CHECK (carry_in >= 0),
  carry_out INTEGER NOT NULL CHECK (carry_out >= 0),
  staked INTEGER NOT NULL CHECK (staked >= 0),
  rate_num TEXT NOT NULL,
  rate_den TEXT NOT NULL,
  rate_e18 TEXT NOT NULL
);
CREATE TABLE rewards_slots (
  epoch INTEGER NOT NULL REFERENCES rewards_epochs(epoch),
  slot INTEGER NOT NULL CHECK (slot >= 0),
  reward_account TEXT NOT NULL,
  outcome TEXT NOT NULL,
  reason TEXT NOT NULL,
  rewards INTEGER NOT NULL CHECK (rewards >= 0),
  commission INTEGER NOT NULL CHECK (commission >= 0),
  net INTEGER NOT NULL CHECK (net >= 0),
  l1_tx_id TEXT,
  PRIMARY KEY (epoch, slot)
);
CREATE TABLE rewards_l1_txs (
  epoch INTEGER NOT NULL REFERENCES rewards_epochs(epoch),
  idx INTEGER NOT NULL CHECK (idx >= 0),
  tx_id TEXT NOT NULL UNIQUE,
  tx_cbor BLOB NOT NULL,
  withdrawn INTEGER NOT NULL, commission INTEGER NOT NULL, fee INTEGER NOT NULL,
  fee_from_treasury INTEGER NOT NULL, bridged INTEGER NOT NULL,
  carry_in INTEGER NOT NULL, carry_out INTEGER NOT NULL,
  PRIMARY KEY (epoch, idx)
);
-- At most one deposit per epoch (primary key) and never two deposits with one nonce.
CREATE TABLE rewards_deposits (
  epoch INTEGER PRIMARY KEY REFERENCES rewards_epochs(epoch),
  state TEXT NOT NULL CHECK (state IN ('SIGNING','SIGNED')),
  chain_id INTEGER NOT NULL,
  sender TEXT NOT NULL,
  path TEXT NOT NULL,
  nonce TEXT NOT NULL,
  value_wei TEXT NOT NULL,
  unsigned_tx BLOB NOT NULL,
  raw_tx BLOB,
  tx_hash TEXT UNIQUE,
  lease_owner TEXT,
  lease_until_ms INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_ms INTEGER NOT NULL,
  signed_ms INTEGER,
  UNIQUE (chain_id, sender, nonce),
  CHECK ((state = 'SIGNED') = (raw_tx IS NOT NULL AND tx_hash IS NOT NULL))
);
)sql";

// Version 2 (issue 14): the deposit's life on the L2 chain. SIGNED → BROADCAST → CONFIRMED (or
// FAILED), a replacement re-signs the same nonce with higher fees (every signed attempt is kept in
// rewards_deposit_txs and watched until one is mined), and a deposit found on chain is adopted.
// An epoch is DEPOSITED only once its deposit is CONFIRMED: version 1 called a merely signed
// deposit DEPOSITED, so those epochs go back to L1_CONFIRMED.
constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE rewards_deposits_v2 (
  epoch INTEGER PRIMARY KEY REFERENCES rewards_epochs(epoch),
  state TEXT NOT NULL CHECK (state IN ('SIGNING','SIGNED','BROADCAST','CONFIRMED','FAILED')),
  chain_id INTEGER NOT NULL,
  sender TEXT NOT NULL,
  path TEXT NOT NULL,
  nonce TEXT NOT NULL,
  value_wei TEXT NOT NULL,
  unsigned_tx BLOB NOT NULL,
  raw_tx BLOB,
  tx_hash TEXT UNIQUE,
  lease_owner TEXT,
  lease_until_ms INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_ms INTEGER NOT NULL,
  signed_ms INTEGER,
  block_number INTEGER,
  block_hash TEXT,
  adopted INTEGER NOT NULL DEFAULT 0,
  failure TEXT,
  note TEXT,
  UNIQUE (chain_id, sender, nonce),
  CHECK (state = 'SIGNING' OR tx_hash IS NOT NULL),
  CHECK (state NOT IN ('SIGNED','BROADCAST') OR raw_tx IS NOT NULL),
  CHECK ((state = 'CONFIRMED') = (block_number IS NOT NULL))
);
INSERT INTO rewards_deposits_v2 (epoch, state, chain_id, sender, path, nonce, value_wei,
  unsigned_tx, raw_tx, tx_hash, lease_owner, lease_until_ms, attempts, created_ms, signed_ms)
  SELECT epoch, state, chain_id, sender, path, nonce, value_wei, unsigned_tx, raw_tx, tx_hash,
    lease_owner, lease_until_ms, attempts, created_ms, signed_ms FROM rewards_deposits;
DROP TABLE rewards_deposits;
ALTER TABLE rewards_deposits_v2 RENAME TO rewards_deposits;
-- Every signed attempt of an epoch's deposit (same nonce); any of them may be the one mined.
CREATE TABLE rewards_deposit_txs (
  epoch INTEGER NOT NULL REFERENCES rewards_deposits(epoch),
  attempt INTEGER NOT NULL CHECK (attempt >= 1),
  tx_hash TEXT NOT NULL UNIQUE,
  raw_tx BLOB NOT NULL,
  unsigned_tx BLOB NOT NULL,
  created_ms INTEGER NOT NULL,
  -- 1 once a FAILED deposit was replaced with a new nonce: no longer watched.
  retired INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (epoch, attempt)
);
INSERT INTO rewards_deposit_txs (epoch, attempt, tx_hash, raw_tx, unsigned_tx, created_ms)
  SELECT epoch, 1, tx_hash, raw_tx, unsigned_tx, COALESCE(signed_ms, created_ms)
  FROM rewards_deposits WHERE state = 'SIGNED';
UPDATE rewards_epochs SET status = 'L1_CONFIRMED'
  WHERE status = 'DEPOSITED' AND epoch IN (SELECT epoch FROM rewards_deposits);
)sql";

absl::Status CheckProposalAmounts(const RewardProposal& p) {
  std::vector<chain::Lovelace> amounts = {
      p.total_rewards, p.total_commission, p.total_fee, p.total_fee_from_treasury,
      p.total_bridged, p.carry_in,         p.carry_out, p.total_staked};
  for (const auto& t : p.txs) {
    amounts.insert(amounts.end(), {t.withdrawn, t.commission, t.fee, t.fee_from_treasury, t.bridged,
                                   t.carry_in, t.carry_out});
  }
  for (const auto& l : p.slots) amounts.insert(amounts.end(), {l.rewards, l.commission, l.net});
  for (chain::Lovelace a : amounts) {
    if (a.value() > kMaxLovelaceSupply) {
      return absl::InvalidArgumentError("reward proposal amount exceeds the lovelace supply");
    }
  }
  if (p.total_commission > p.total_rewards) {
    return absl::InvalidArgumentError("commission exceeds rewards");
  }
  for (const auto& l : p.slots) {
    if (l.tx_index >= static_cast<int>(p.txs.size())) {
      return absl::InvalidArgumentError("slot refers to a missing transaction");
    }
  }
  return CheckStoredEpoch(p.epoch);
}

void BindMoney(controller::Stmt& st, int first, std::initializer_list<chain::Lovelace> values) {
  int i = first;
  for (chain::Lovelace v : values) st.Bind(i++, v);
}

constexpr const char* kDepositColumns =
    "state, chain_id, sender, path, nonce, value_wei, unsigned_tx, raw_tx, tx_hash, attempts, "
    "lease_owner, lease_until_ms, block_number, block_hash, adopted, failure, note";

DepositRecord ReadDeposit(const controller::Stmt& st) {
  DepositRecord d;
  d.state = st.Text(0);
  d.chain_id = st.U64(1);
  d.sender = st.Text(2);
  d.path = st.Text(3);
  d.nonce = st.Text(4);
  d.value_wei = st.Text(5);
  d.unsigned_tx = st.Blob(6);
  d.raw_tx = st.Blob(7);
  d.tx_hash = st.Text(8);
  d.attempts = st.U64(9);
  if (!st.IsNull(12)) d.block_number = st.U64(12);
  d.block_hash = st.Text(13);
  d.adopted = st.Int(14) != 0;
  d.failure = st.Text(15);
  d.note = st.Text(16);
  return d;
}

}  // namespace

absl::Status CheckStoredEpoch(uint64_t epoch) {
  if (epoch > static_cast<uint64_t>(INT64_MAX)) {
    return absl::InvalidArgumentError("epoch out of range");
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> SignedAttempts(controller::Db& db, uint64_t epoch) {
  SW_ASSIGN_OR_RETURN(controller::Stmt st,
                      db.Prepare("SELECT COALESCE(MAX(attempt), 0) FROM rewards_deposit_txs "
                                 "WHERE epoch = ?"));
  st.BindU64(1, epoch);
  auto row = st.Step();
  if (!row.ok()) return row.status();
  return *row ? st.U64(0) : 0;
}

absl::Status MigrateRewardsSchema(controller::Db& db) {
  SW_ASSIGN_OR_RETURN(std::unique_ptr<controller::Txn> txn, controller::Txn::Begin(db));
  SW_RETURN_IF_ERROR(
      db.Exec("CREATE TABLE IF NOT EXISTS rewards_schema_version ("
              " id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)"));
  int version = 0;
  {
    SW_ASSIGN_OR_RETURN(controller::Stmt st,
                        db.Prepare("SELECT version FROM rewards_schema_version WHERE id = 1"));
    auto row = st.Step();
    if (!row.ok()) return row.status();
    if (*row) version = static_cast<int>(st.Int(0));
  }
  if (version > kSchemaVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "rewards schema version ", version, " is newer than this build (", kSchemaVersion, ")"));
  }
  if (version < 1) {
    if (auto s = db.Exec(kSchemaV1); !s.ok()) return s;
  }
  if (version < 2) {
    if (auto s = db.Exec(kSchemaV2); !s.ok()) return s;
  }
  if (version != kSchemaVersion) {
    SW_ASSIGN_OR_RETURN(
        controller::Stmt st,
        db.Prepare("INSERT OR REPLACE INTO rewards_schema_version (id, version) VALUES (1, ?)"));
    st.Bind(1, static_cast<int64_t>(kSchemaVersion));
    if (auto s = st.Run(); !s.ok()) return s;
  }
  return txn->Commit();
}

absl::Status EpochLedger::RecordProposal(const RewardProposal& p) {
  if (auto s = CheckProposalAmounts(p); !s.ok()) return s;
  std::vector<std::string> tx_ids;
  for (const auto& t : p.txs) tx_ids.push_back(chain::HexEncode(chain::TxId(t.tx)));

  SW_ASSIGN_OR_RETURN(std::unique_ptr<controller::Txn> txn, controller::Txn::Begin(*db_));
  {
    SW_ASSIGN_OR_RETURN(controller::Stmt st,
                        db_->Prepare("SELECT status FROM rewards_epochs WHERE epoch = ?"));
    st.BindU64(1, p.epoch);
    auto row = st.Step();
    if (!row.ok()) return row.status();
    if (*row) {
      const std::string status = st.Text(0);
      std::vector<std::string> existing;
      SW_ASSIGN_OR_RETURN(
          controller::Stmt ids,
          db_->Prepare("SELECT tx_id FROM rewards_l1_txs WHERE epoch = ? ORDER BY idx"));
      ids.BindU64(1, p.epoch);
      for (;;) {
        auto r = ids.Step();
        if (!r.ok()) return r.status();
        if (!*r) break;
        existing.push_back(ids.Text(0));
      }
      if (existing == tx_ids) return absl::OkStatus();  // already recorded, same transactions
      if (status != kEpochProposed && status != kEpochNoRewards) {
        return absl::FailedPreconditionError(absl::StrCat(
            "epoch ", p.epoch, " is ", status, "; its reward transactions cannot be replaced"));
      }
      SW_ASSIGN_OR_RETURN(controller::Stmt dep,
                          db_->Prepare("SELECT 1 FROM rewards_deposits WHERE epoch = ?"));
      dep.BindU64(1, p.epoch);
      auto has_dep = dep.Step();
      if (!has_dep.ok()) return has_dep.status();
      if (*has_dep) return absl::FailedPreconditionError("epoch already has a deposit");
      for (const char* q : {"DELETE FROM rewards_slots WHERE epoch = ?",
                            "DELETE FROM rewards_l1_txs WHERE epoch = ?",
                            "DELETE FROM rewards_epochs WHERE epoch = ?"}) {
        SW_ASSIGN_OR_RETURN(controller::Stmt del, db_->Prepare(q));
        del.BindU64(1, p.epoch);
        if (auto s = del.Run(); !s.ok()) return s;
      }
    }
  }
  const ExchangeRateEffect rate =
      ComputeExchangeRateEffect(p.total_rewards - p.total_commission, p.total_staked);
  {
    SW_ASSIGN_OR_RETURN(
        controller::Stmt st,
        db_->Prepare(
            "INSERT INTO rewards_epochs (epoch, status, summary, total_rewards, commission, "
            "fee, fee_from_treasury, bridged, carry_in, carry_out, staked, rate_num, "
            "rate_den, rate_e18) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    st.BindU64(1, p.epoch)
        .Bind(2, p.has_transactions ? kEpochProposed : kEpochNoRewards)
        .Bind(3, p.summary);
    BindMoney(st, 4,
              {p.total_rewards, p.total_commission, p.total_fee, p.total_fee_from_treasury,
               p.total_bridged, p.carry_in, p.carry_out, p.total_staked});
    st.Bind(12, rate.numerator).Bind(13, rate.denominator).Bind(14, rate.fixed18);
    if (auto s = st.Run(); !s.ok()) return s;
  }
  for (size_t i = 0; i < p.txs.size(); ++i) {
    const RewardTx& t = p.txs[i];
    SW_ASSIGN_OR_RETURN(
        controller::Stmt st,
        db_->Prepare(
            "INSERT INTO rewards_l1_txs (epoch, idx, tx_id, tx_cbor, withdrawn, commission, "
            "fee, fee_from_treasury, bridged, carry_in, carry_out) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?)"));
    chain::Bytes cbor = chain::EncodeTransaction(t.tx);
    st.BindU64(1, p.epoch).BindU64(2, i).Bind(3, tx_ids[i]).BindBlob(4, chain::View(cbor));
    BindMoney(st, 5,
              {t.withdrawn, t.commission, t.fee, t.fee_from_treasury, t.bridged, t.carry_in,
               t.carry_out});
    if (auto s = st.Run(); !s.ok()) return s;
  }
  for (const SlotRewardLine& line : p.slots) {
    SW_ASSIGN_OR_RETURN(
        controller::Stmt st,
        db_->Prepare("INSERT INTO rewards_slots (epoch, slot, reward_account, outcome, reason, "
                     "rewards, commission, net, l1_tx_id) VALUES (?,?,?,?,?,?,?,?,?)"));
    st.BindU64(1, p.epoch)
        .BindU64(2, line.slot)
        .Bind(3, chain::HexEncode(line.reward_account))
        .Bind(4, SlotOutcomeName(line.outcome))
        .Bind(5, line.reason);
    BindMoney(st, 6, {line.rewards, line.commission, line.net});
    if (line.tx_index >= 0) {
      st.Bind(9, tx_ids[static_cast<size_t>(line.tx_index)]);
    } else {
      st.BindNull(9);
    }
    if (auto s = st.Run(); !s.ok()) return s;
  }
  return txn->Commit();
}

absl::Status EpochLedger::MarkL1Confirmed(uint64_t epoch) {
  if (auto s = CheckStoredEpoch(epoch); !s.ok()) return s;
  SW_ASSIGN_OR_RETURN(std::unique_ptr<controller::Txn> txn, controller::Txn::Begin(*db_));
  SW_ASSIGN_OR_RETURN(controller::Stmt st,
                      db_->Prepare("SELECT status FROM rewards_epochs WHERE epoch = ?"));
  st.BindU64(1, epoch);
  auto row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError(absl::StrCat("epoch ", epoch, " has no reward record"));
  const std::string status = st.Text(0);
  if (status == kEpochL1Confirmed || status == kEpochDeposited) return absl::OkStatus();
  if (status != kEpochProposed) {
    return absl::FailedPreconditionError(
        absl::StrCat("epoch ", epoch, " is ", status, ": nothing was sent on L1"));
  }
  SW_ASSIGN_OR_RETURN(
      controller::Stmt up,
      db_->Prepare("UPDATE rewards_epochs SET status = 'L1_CONFIRMED' WHERE epoch = ?"));
  up.BindU64(1, epoch);
  if (auto s = up.Run(); !s.ok()) return s;
  return txn->Commit();
}

absl::StatusOr<std::optional<DepositRecord>> EpochLedger::LoadDeposit(uint64_t epoch) const {
  SW_ASSIGN_OR_RETURN(controller::Stmt st,
                      db_->Prepare(absl::StrCat("SELECT ", kDepositColumns,
                                                " FROM rewards_deposits WHERE epoch = ?")));
  st.BindU64(1, epoch);
  auto row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<DepositRecord>();
  return std::optional<DepositRecord>(ReadDeposit(st));
}

absl::StatusOr<EpochRecord> EpochLedger::Get(uint64_t epoch) const {
  if (auto s = CheckStoredEpoch(epoch); !s.ok()) return s;
  EpochRecord r;
  {
    SW_ASSIGN_OR_RETURN(
        controller::Stmt st,
        db_->Prepare("SELECT status, summary, total_rewards, commission, fee, fee_from_treasury, "
                     "bridged, carry_in, carry_out, staked, rate_num, rate_den, rate_e18 "
                     "FROM rewards_epochs WHERE epoch = ?"));
    st.BindU64(1, epoch);
    auto row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::NotFoundError(absl::StrCat("epoch ", epoch, " has no reward record"));
    r.epoch = epoch;
    r.status = st.Text(0);
    r.summary = st.Text(1);
    r.total_rewards = st.Money(2);
    r.commission = st.Money(3);
    r.fee = st.Money(4);
    r.fee_from_treasury = st.Money(5);
    r.bridged = st.Money(6);
    r.carry_in = st.Money(7);
    r.carry_out = st.Money(8);
    r.staked = st.Money(9);
    r.rate = {st.Text(10), st.Text(11), st.Text(12)};
  }
  {
    SW_ASSIGN_OR_RETURN(
        controller::Stmt st,
        db_->Prepare("SELECT slot, reward_account, outcome, reason, rewards, commission, net, "
                     "l1_tx_id FROM rewards_slots WHERE epoch = ? ORDER BY slot"));
    st.BindU64(1, epoch);
    for (;;) {
      auto row = st.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      SlotRecord s;
      s.slot = static_cast<uint32_t>(st.U64(0));
      s.reward_account_hex = st.Text(1);
      s.outcome = st.Text(2);
      s.reason = st.Text(3);
      s.rewards = st.Money(4);
      s.commission = st.Money(5);
      s.net = st.Money(6);
      s.l1_tx_id = st.Text(7);
      r.slots.push_back(std::move(s));
    }
  }
  {
    SW_ASSIGN_OR_RETURN(
        controller::Stmt st,
        db_->Prepare(
            "SELECT idx, tx_id, tx_cbor, withdrawn, commission, fee, fee_from_treasury, "
            "bridged, carry_in, carry_out FROM rewards_l1_txs WHERE epoch = ? ORDER BY idx"));
    st.BindU64(1, epoch);
    for (;;) {
      auto row = st.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      L1TxRecord t;
      t.index = static_cast<int>(st.Int(0));
      t.tx_id = st.Text(1);
      t.tx_cbor = st.Blob(2);
      t.withdrawn = st.Money(3);
      t.commission = st.Money(4);
      t.fee = st.Money(5);
      t.fee_from_treasury = st.Money(6);
      t.bridged = st.Money(7);
      t.carry_in = st.Money(8);
      t.carry_out = st.Money(9);
      r.l1_txs.push_back(std::move(t));
    }
  }
  auto dep = LoadDeposit(epoch);
  if (!dep.ok()) return dep.status();
  r.deposit = std::move(*dep);
  return r;
}

absl::StatusOr<chain::Lovelace> EpochLedger::CarryBefore(uint64_t epoch) const {
  if (auto s = CheckStoredEpoch(epoch); !s.ok()) return s;
  SW_ASSIGN_OR_RETURN(
      controller::Stmt st,
      db_->Prepare("SELECT carry_out FROM rewards_epochs WHERE epoch < ? AND status IN "
                   "('L1_CONFIRMED','DEPOSITED','NO_REWARDS') ORDER BY epoch DESC LIMIT 1"));
  st.BindU64(1, epoch);
  auto row = st.Step();
  if (!row.ok()) return row.status();
  return *row ? st.Money(0) : chain::Lovelace();
}

absl::StatusOr<DepositReservation> EpochLedger::ReserveDeposit(uint64_t epoch,
                                                               const DepositRecord& proposed,
                                                               std::string_view owner,
                                                               int64_t now_ms, int64_t lease_ms) {
  if (auto s = CheckStoredEpoch(epoch); !s.ok()) return s;
  if (proposed.chain_id > static_cast<uint64_t>(INT64_MAX)) {
    return absl::InvalidArgumentError("chain id out of range");
  }
  SW_ASSIGN_OR_RETURN(std::unique_ptr<controller::Txn> txn, controller::Txn::Begin(*db_));
  DepositReservation out;
  SW_ASSIGN_OR_RETURN(controller::Stmt st,
                      db_->Prepare(absl::StrCat("SELECT ", kDepositColumns,
                                                " FROM rewards_deposits WHERE epoch = ?")));
  st.BindU64(1, epoch);
  auto row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    SW_ASSIGN_OR_RETURN(
        controller::Stmt ins,
        db_->Prepare("INSERT INTO rewards_deposits (epoch, state, chain_id, sender, path, nonce, "
                     "value_wei, unsigned_tx, lease_owner, lease_until_ms, attempts, created_ms) "
                     "VALUES (?, 'SIGNING', ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)"));
    ins.BindU64(1, epoch)
        .BindU64(2, proposed.chain_id)
        .Bind(3, proposed.sender)
        .Bind(4, proposed.path)
        .Bind(5, proposed.nonce)
        .Bind(6, proposed.value_wei)
        .BindBlob(7, chain::View(proposed.unsigned_tx))
        .Bind(8, owner)
        .Bind(9, now_ms + lease_ms)
        .Bind(10, now_ms);
    if (auto s = ins.Run(); !s.ok()) {
      if (absl::IsAlreadyExists(s)) {
        return absl::FailedPreconditionError(
            absl::StrCat("nonce ", proposed.nonce, " of ", proposed.sender,
                         " is already used by another epoch's deposit"));
      }
      return s;
    }
    if (auto s = txn->Commit(); !s.ok()) return s;
    out.kind = DepositReservation::Kind::kReserved;
    out.record = proposed;
    out.record.state = kDepositSigning;
    out.record.attempts = 1;
    return out;
  }
  out.record = ReadDeposit(st);
  if (out.record.state != kDepositSigning) {
    out.kind = DepositReservation::Kind::kAlreadySigned;
    return out;
  }
  const std::string lease_owner = st.Text(10);
  const int64_t lease_until = st.Int(11);
  if (lease_owner != owner && lease_until > now_ms) {
    out.kind = DepositReservation::Kind::kBusy;
    return out;
  }
  // Lease expired (its holder crashed or gave up) or already ours: take it over. The stored
  // unsigned transaction is the one to sign, whatever this request proposed.
  SW_ASSIGN_OR_RETURN(
      controller::Stmt up,
      db_->Prepare("UPDATE rewards_deposits SET lease_owner = ?, lease_until_ms = ?, "
                   "attempts = attempts + 1 WHERE epoch = ? AND state = 'SIGNING'"));
  up.Bind(1, owner).Bind(2, now_ms + lease_ms).BindU64(3, epoch);
  if (auto s = up.Run(); !s.ok()) return s;
  if (auto s = txn->Commit(); !s.ok()) return s;
  out.kind = DepositReservation::Kind::kReserved;
  out.record.attempts += 1;
  return out;
}

absl::StatusOr<DepositRecord> EpochLedger::StoreDeposit(uint64_t epoch, chain::ByteView raw_tx,
                                                        std::string_view tx_hash, int64_t now_ms) {
  if (auto s = CheckStoredEpoch(epoch); !s.ok()) return s;
  SW_ASSIGN_OR_RETURN(std::unique_ptr<controller::Txn> txn, controller::Txn::Begin(*db_));
  auto existing = LoadDeposit(epoch);
  if (!existing.ok()) return existing.status();
  if (!existing->has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat("epoch ", epoch, " has no reserved deposit to store"));
  }
  if ((*existing)->state != kDepositSigning) return **existing;  // first stored wins
  SW_ASSIGN_OR_RETURN(uint64_t attempt, SignedAttempts(*db_, epoch));
  attempt += 1;
  SW_ASSIGN_OR_RETURN(
      controller::Stmt up,
      db_->Prepare("UPDATE rewards_deposits SET state = 'SIGNED', raw_tx = ?, tx_hash = ?, "
                   "signed_ms = ?, lease_owner = NULL, lease_until_ms = 0, note = NULL "
                   "WHERE epoch = ? AND state = 'SIGNING'"));
  up.BindBlob(1, raw_tx).Bind(2, tx_hash).Bind(3, now_ms).BindU64(4, epoch);
  if (auto s = up.Run(); !s.ok()) return s;
  // Every signed attempt is kept: an earlier one of the same nonce may still be the one mined.
  SW_ASSIGN_OR_RETURN(
      controller::Stmt ins,
      db_->Prepare("INSERT INTO rewards_deposit_txs (epoch, attempt, tx_hash, raw_tx, "
                   "unsigned_tx, created_ms) VALUES (?, ?, ?, ?, ?, ?)"));
  ins.BindU64(1, epoch)
      .BindU64(2, attempt)
      .Bind(3, tx_hash)
      .BindBlob(4, raw_tx)
      .BindBlob(5, chain::View((*existing)->unsigned_tx))
      .Bind(6, now_ms);
  if (auto s = ins.Run(); !s.ok()) return s;
  DepositRecord stored = **existing;
  stored.state = kDepositSigned;
  stored.raw_tx.assign(raw_tx.begin(), raw_tx.end());
  stored.tx_hash = std::string(tx_hash);
  stored.note.clear();
  if (auto s = txn->Commit(); !s.ok()) return s;
  return stored;
}

absl::Status EpochLedger::ReleaseLease(uint64_t epoch, std::string_view owner) {
  if (auto s = CheckStoredEpoch(epoch); !s.ok()) return s;
  SW_ASSIGN_OR_RETURN(std::unique_ptr<controller::Txn> txn, controller::Txn::Begin(*db_));
  SW_ASSIGN_OR_RETURN(
      controller::Stmt up,
      db_->Prepare("UPDATE rewards_deposits SET lease_owner = NULL, lease_until_ms = 0 "
                   "WHERE epoch = ? AND state = 'SIGNING' AND lease_owner = ?"));
  up.BindU64(1, epoch).Bind(2, owner);
  if (auto s = up.Run(); !s.ok()) return s;
  return txn->Commit();
}

absl::Status EpochLedger::AbandonReservation(uint64_t epoch, int64_t now_ms) {
  if (auto s = CheckStoredEpoch(epoch); !s.ok()) return s;
  SW_ASSIGN_OR_RETURN(std::unique_ptr<controller::Txn> txn, controller::Txn::Begin(*db_));
  SW_ASSIGN_OR_RETURN(
      controller::Stmt st,
      db_->Prepare("SELECT state, lease_until_ms FROM rewards_deposits WHERE epoch = ?"));
  st.BindU64(1, epoch);
  auto row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError(absl::StrCat("epoch ", epoch, " has no deposit"));
  if (st.Text(0) != kDepositSigning) {
    return absl::FailedPreconditionError("the deposit is signed and stored; it cannot be dropped");
  }
  SW_ASSIGN_OR_RETURN(uint64_t signed_attempts, SignedAttempts(*db_, epoch));
  if (signed_attempts > 0) {
    return absl::FailedPreconditionError(
        "a replacement is being prepared for a signed deposit; it cannot be dropped");
  }
  if (st.Int(1) > now_ms) {
    return absl::FailedPreconditionError("the deposit is being signed right now");
  }
  SW_ASSIGN_OR_RETURN(
      controller::Stmt del,
      db_->Prepare("DELETE FROM rewards_deposits WHERE epoch = ? AND state = 'SIGNING'"));
  del.BindU64(1, epoch);
  if (auto s = del.Run(); !s.ok()) return s;
  return txn->Commit();
}

}  // namespace stakeward::rewards
