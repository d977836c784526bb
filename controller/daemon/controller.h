// The controller's state machine, independent of gRPC: policy versions and approvals, snapshots,
// plans, proposals, witnesses and the audit log, all in one SQLite database. Every mutating call
// commits its change and its audit entry in one transaction before it returns.
#ifndef STAKEWARD_CONTROLLER_DAEMON_CONTROLLER_H_
#define STAKEWARD_CONTROLLER_DAEMON_CONTROLLER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "chain/bytes.h"
#include "chain/tx.h"
#include "controller/daemon/batch_thread.h"
#include "controller/daemon/chain_follow.h"
#include "controller/daemon/roles.h"
#include "controller/model/proposal_model.h"
#include "controller/model/witness_check.h"
#include "controller/rewards/deposit_chain.h"
#include "controller/rewards/reserve.h"
#include "controller/store/audit_log.h"
#include "controller/store/deposit_lifecycle.h"
#include "controller/store/epoch_ledger.h"
#include "controller/store/proposal_store.h"
#include "controller/store/sqlite_db.h"
#include "l2/evm_rpc.h"
#include "policy/policy.h"
#include "policy/snapshot.h"

namespace stakeward::controller {

struct ControllerOptions {
  std::string db_path;
  bool dev_mode = false;
  uint64_t default_ttl_slots = 7200;
  // Forensics: the database is opened read-only, never migrated, and served even when its audit
  // chain or its state fails verification (what failed is in forensic_finding()); every write is
  // refused with FAILED_PRECONDITION.
  bool forensics = false;
  // Microseconds since the Unix epoch; replaceable in tests.
  std::function<int64_t()> clock;
};

struct PolicyApprovalRec {
  std::string signer;
  std::array<uint8_t, 32> public_key{};
  chain::Signature signature{};
  int64_t recorded_us = 0;
};

struct PolicyVersionRec {
  uint64_t version = 0;
  std::string document;
  chain::Hash32 hash{};
  uint32_t threshold = 0;  // approvals required
  bool in_force = false;
  std::string proposed_by;
  int64_t created_us = 0;
  std::vector<PolicyApprovalRec> approvals;
};

// A stored version's parsed form, parsed once per process (ParsedCache, checked against the
// stored hash: DATA_LOSS when the text no longer parses or hashes to it).
absl::StatusOr<std::shared_ptr<const policy::Policy>> StoredPolicy(const PolicyVersionRec& row);

struct SnapshotRec {
  chain::Hash32 hash{};
  std::string document;
  uint64_t epoch = 0;
  uint64_t slot = 0;
  uint32_t pool_count = 0;
  std::string pushed_by;
  int64_t pushed_us = 0;
};

struct PushSnapshotResult {
  SnapshotRec snapshot;
  bool created = false;
  std::vector<std::string> expired;
  std::vector<std::string> superseded;
};

struct PlanResult {
  chain::Hash32 plan_hash{};
  chain::Hash32 policy_hash{};
  chain::Hash32 snapshot_hash{};
  uint64_t policy_version = 0;
  std::string plan_json;
  uint32_t action_count = 0;
};

struct SubmitWitnessesResult {
  uint32_t accepted = 0;
  uint32_t duplicates = 0;
  // As committed; shared by every submission of one commit that touched the proposal.
  std::shared_ptr<const ProposalRec> proposal;
};

struct TxWitnessSubmission {
  chain::Hash32 tx_id{};
  std::vector<chain::VkeyWitness> witnesses;
};

// Receives a witness submission's outcome once the commit that holds it is durable (or at once
// when the submission is refused).
using WitnessDone = std::function<void(absl::StatusOr<SubmitWitnessesResult>)>;

struct ExportFile {
  std::string name;
  std::string json;
};

struct RewardBuildResult {
  std::optional<ProposalRec> proposal;  // nullopt when there was nothing to withdraw
  rewards::EpochRecord epoch;
};

struct EpochView {
  rewards::EpochRecord record;
  std::string proposal_id;  // the epoch's live (or latest) reward proposal; "" if none
};

struct DepositRequest {
  uint64_t epoch = 0;
  std::string operator_address;                                             // 0x + 40 hex
  std::string nonce, gas_limit, max_fee_per_gas, max_priority_fee_per_gas;  // decimal or 0x-hex
  chain::Lovelace bridge_fee_lovelace;
  std::string request_id;  // lease owner
  uint64_t lease_ms = 0;   // 0 = 180000
  bool replace = false;    // replace a SIGNED/BROADCAST (same nonce) or FAILED (new nonce) one
};

struct DepositReserveResult {
  rewards::DepositReservation::Kind kind = rewards::DepositReservation::Kind::kBusy;
  rewards::DepositRecord deposit;
  bool matches_request = true;
};

struct DepositStoreResult {
  rewards::DepositRecord deposit;
  bool existing = false;
};

// --- the L2 deposit on chain (controller_l2.cc) ---
struct L2Rules {
  uint64_t confirmations = 12;       // blocks (including its own) before a deposit is CONFIRMED
  uint64_t from_block = 0;           // where the contract's events are searched from
  uint64_t stuck_after_blocks = 20;  // not mined this long after sending: advise a replacement
};
// What the driver remembers between looks (not stored: a restart starts counting again).
struct L2Memory {
  std::map<uint64_t, uint64_t> first_sent;  // epoch -> head when its deposit was first sent
};
struct WatchedDeposit {
  uint64_t epoch = 0;
  rewards::DepositRecord record;
  std::vector<rewards::DepositAttempt> attempts;
  rewards::ExpectedDeposit want;
};
struct DepositChange {
  // kRefused records the node's refusal (audited once per distinct refusal, no state change).
  enum class Kind { kBroadcast, kConfirmed, kFailed, kAdopted, kRefused };
  Kind kind = Kind::kBroadcast;
  uint64_t epoch = 0;
  rewards::DepositInclusion inc;
  uint64_t confirmations = 0;
  std::string reason;            // kFailed, kRefused
  std::string nonce, value_wei;  // kAdopted
  rewards::DepositRecord proposed;
};
// The reserve report's L1 side and where its L2 side is read (controller_reserve.cc).
struct ReserveL1 {
  rewards::ReserveInputs inputs;  // L2 fields left for the L2 driver
  chain::evm::Address contract{};
};

struct DepositObservation {
  uint64_t head = 0;
  std::vector<std::string> lines;  // one per watched deposit: what was seen or done
};

struct StatusInfo {
  uint64_t policy_in_force = 0;
  uint64_t latest_policy = 0;
  std::optional<SnapshotRec> latest_snapshot;
  std::vector<std::pair<ProposalState, uint64_t>> proposals;
  AuditRecord audit_head;
};

class Controller {
 public:
  static absl::StatusOr<std::unique_ptr<Controller>> Open(ControllerOptions options);
  // Commits and answers every witness submission still queued, then stops those threads.
  ~Controller();
  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;

  bool dev_mode() const { return options_.dev_mode; }

  // --- policy ---
  absl::StatusOr<PolicyVersionRec> ProposePolicy(const Identity& who, const std::string& document)
      ABSL_LOCKS_EXCLUDED(mu_);
  // `who` must be a signer of the governing policy (the one in force, or for the very first
  // policy the proposed one itself); the signature is over policy::ApprovalTxId(hash).
  absl::StatusOr<PolicyVersionRec> ApprovePolicy(const Identity& who, uint64_t version,
                                                 const chain::Hash32& hash,
                                                 const std::array<uint8_t, 32>& public_key,
                                                 const chain::Signature& signature)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<PolicyVersionRec> GetPolicy(uint64_t version)
      ABSL_LOCKS_EXCLUDED(mu_);  // 0 = newest
  absl::StatusOr<PolicyVersionRec> GetPolicyInForce() ABSL_LOCKS_EXCLUDED(mu_);

  // --- snapshots and plans ---
  absl::StatusOr<PushSnapshotResult> PushSnapshot(const Identity& who, const std::string& document)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<SnapshotRec> GetSnapshot(std::optional<chain::Hash32> hash)
      ABSL_LOCKS_EXCLUDED(mu_);  // nullopt = latest
  absl::StatusOr<PlanResult> DryRunPlan(std::optional<chain::Hash32> snapshot_hash,
                                        uint64_t policy_version) ABSL_LOCKS_EXCLUDED(mu_);

  // --- proposals ---
  // Signer rotation: moves the funds from the scripts of FundsVersion() to those of the version
  // in force (migrate_builder.h), signed under the outgoing version.
  absl::StatusOr<ProposalRec> CreateMigrateProposal(const Identity& who,
                                                    std::optional<chain::Hash32> snapshot_hash,
                                                    uint64_t ttl_slots) ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<ProposalRec> CreateProposal(const Identity& who,
                                             std::optional<chain::Hash32> snapshot_hash,
                                             std::optional<chain::Hash32> expected_plan_hash,
                                             uint64_t ttl_slots) ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<ProposalRec> GetProposal(const std::string& id) ABSL_LOCKS_EXCLUDED(mu_);
  // Returns the page and the next page token ("" when done).
  absl::StatusOr<std::pair<std::vector<ProposalRec>, std::string>> ListProposals(
      std::optional<ProposalState> state, uint32_t page_size, const std::string& page_token)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<ProposalRec> RejectProposal(const Identity& who, const std::string& id,
                                             const std::string& reason);
  absl::StatusOr<ProposalRec> MarkSubmitted(const Identity& who, const std::string& id,
                                            const std::vector<chain::Hash32>& tx_ids);
  // A manual confirmation (no chain link, or an override naming the block's slot): audited as
  // the operator's claim with the transaction ids and the slot.
  absl::StatusOr<ProposalRec> MarkConfirmed(const Identity& who, const std::string& id,
                                            const std::vector<chain::Hash32>& tx_ids,
                                            uint64_t slot = 0);
  absl::StatusOr<std::vector<ExportFile>> ExportProposal(const std::string& id);
  // Checks and verifies a witness submission on the calling thread and queues it for the next
  // group commit; the answerer thread calls `done` once the commit holding it is durable (`done`
  // runs at once, on the caller, when the submission is refused). The caller never waits on the
  // disk (the gRPC service's callback API needs that).
  void SubmitWitnessesAsync(const Identity& who, const std::string& proposal_id,
                            const std::vector<TxWitnessSubmission>& txs, WitnessDone done)
      ABSL_LOCKS_EXCLUDED(mu_);

  // --- rewards (controller_rewards.cc) ---
  // Builds the epoch's reward proposal from the policy in force and the latest snapshot (whose
  // epoch must be `epoch`) and records the epoch in the ledger.
  absl::StatusOr<RewardBuildResult> BuildRewardProposal(const Identity& who, uint64_t epoch,
                                                        const std::string& operator_address,
                                                        uint64_t ttl_slots)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<EpochView> GetEpoch(uint64_t epoch) ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::vector<EpochView>> ListEpochs(uint32_t limit) ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<DepositReserveResult> ReserveDeposit(const Identity& who,
                                                      const DepositRequest& req)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<DepositStoreResult> StoreDeposit(const Identity& who, uint64_t epoch,
                                                  const chain::Bytes& raw_tx)
      ABSL_LOCKS_EXCLUDED(mu_);

  // --- the L2 deposit on chain (controller_l2.cc) ---
  // One look at the L2 chain for every signed deposit not yet CONFIRMED or FAILED: a mined
  // attempt is judged (rewards/deposit_chain.h), a deposit of the epoch mined by another
  // transaction is adopted, otherwise the current attempt is (re)sent. Node calls run outside the
  // store lock; every state change is audited (actor "l2").
  absl::StatusOr<DepositObservation> ObserveDeposits(l2::EvmRpc& rpc, const L2Rules& rules,
                                                     L2Memory& memory) ABSL_LOCKS_EXCLUDED(mu_);
  // Before a deposit is reserved: when the contract already shows a deposit of the epoch from
  // the operator's account (k deep), it is adopted (CONFIRMED) and true is returned, so nothing
  // is signed twice. FAILED_PRECONDITION while such a deposit is mined but not yet k deep.
  absl::StatusOr<bool> AdoptMinedDeposit(uint64_t epoch, const std::string& operator_address,
                                         l2::EvmRpc& rpc, const L2Rules& rules)
      ABSL_LOCKS_EXCLUDED(mu_);

  // The latest snapshot's slot balances and treasury, the policy's contract and the confirmed
  // deposits' total. FAILED_PRECONDITION without a policy in force or a snapshot.
  absl::StatusOr<ReserveL1> ReserveL1Side() ABSL_LOCKS_EXCLUDED(mu_);

  // --- chain (controller_chain.cc) ---
  // Submits the signed transactions of a READY proposal (again for a SUBMITTED one) through
  // `source`, outside the store lock. The proposal becomes SUBMITTED (audited, with the source)
  // once the source took at least one of them; each transaction's outcome is returned. When it
  // took none the call fails with the first refusal's advice and nothing changes.
  absl::StatusOr<SubmitProposalResult> SubmitProposal(const Identity& who, const std::string& id,
                                                      chainsource::ChainSource& source,
                                                      absl::Duration deadline)
      ABSL_LOCKS_EXCLUDED(mu_);
  // One look at the chain: SUBMITTED proposals whose transactions are all `confirmations` deep
  // become CONFIRMED; those past their TTL with none of them on chain become EXPIRED (their inputs
  // are free again); CONFIRMED ones inside the rollback window whose inputs are unspent again go
  // back to SUBMITTED. Every change is audited with the tip it was decided on.
  absl::StatusOr<ChainObservation> ObserveChain(chainsource::ChainSource& source,
                                                const ChainRules& rules, ChainMemory& memory)
      ABSL_LOCKS_EXCLUDED(mu_);

  // --- audit and status ---
  absl::StatusOr<std::vector<AuditRecord>> ReadAudit(uint64_t from_seq, uint32_t limit)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<StatusInfo> Status() ABSL_LOCKS_EXCLUDED(mu_);

  bool read_only() const { return options_.forensics; }
  // Empty when the database verified; otherwise why it did not (forensics mode only).
  const std::string& forensic_finding() const { return forensic_finding_; }

  // Every committed change bumps a generation; streams wait on it.
  uint64_t Generation() const;
  // Waits until the generation differs from `seen` or the timeout passes; returns the generation.
  uint64_t WaitForChange(uint64_t seen, absl::Duration timeout) const;
  // Wakes every WaitForChange (bumps the generation without a change), e.g. at shutdown.
  void WakeWaiters() { Bump(); }

 private:
  explicit Controller(ControllerOptions options, std::unique_ptr<Db> db);  // controller_witness.cc
  static absl::StatusOr<std::unique_ptr<Controller>> OpenForensics(ControllerOptions options);
  // Opens the rewards connection (same file) and migrates the rewards tables.
  absl::Status OpenRewards() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The epoch's L1 confirmation and its audit entry, inside the caller's transaction (no-op when
  // the epoch is no longer PROPOSED). Caller holds mu_.
  absl::Status RecordRewardConfirmed(const std::string& actor, const ProposalRec& p)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // After a reward proposal is confirmed: the epoch becomes L1_CONFIRMED (audited).
  absl::Status OnRewardConfirmed(const std::string& actor, const ProposalRec& p)
      ABSL_LOCKS_EXCLUDED(mu_);
  // SUBMITTED proposals and the CONFIRMED ones the watcher still follows, with their transactions.
  absl::StatusOr<std::vector<ProposalRec>> WatchedProposals(const ChainMemory& memory)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::vector<WatchedDeposit>> WatchedDeposits() ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status RecordDepositChange(const std::string& actor, const DepositChange& c)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::Status NoteDeposit(uint64_t epoch, const std::string& note) ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::string> ObserveOne(l2::EvmRpc& rpc, const L2Rules& rules, L2Memory& memory,
                                         uint64_t head, const WatchedDeposit& w)
      ABSL_LOCKS_EXCLUDED(mu_);
  absl::StatusOr<std::string> Broadcast(l2::EvmRpc& rpc, const L2Rules& rules, L2Memory& memory,
                                        uint64_t head, const WatchedDeposit& w)
      ABSL_LOCKS_EXCLUDED(mu_);
  // ReserveDeposit with `replace` (controller_rewards.cc). Caller holds mu_.
  absl::StatusOr<DepositReserveResult> ReserveReplacement(
      const Identity& who, const DepositRequest& req, const rewards::EpochRecord& rec,
      const rewards::DepositRecord& proposed, int64_t lease_ms) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  int64_t Now() const { return options_.clock(); }
  void Bump();

  // Helpers that expect mu_ held.
  absl::StatusOr<PolicyVersionRec> LoadPolicyRow(uint64_t version)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<uint64_t> InForceVersion() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status ReevaluateInForce() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status CheckFundsAtScriptsOf(const PolicyVersionRec& in_force)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The version whose scripts hold the bridge's funds: the incoming version of the newest
  // confirmed MIGRATE proposal, else the first version that went in force (0 = none).
  absl::StatusOr<uint64_t> FundsVersion() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // `with_document` false reads the hash alone (the document is a 3 MB read at 3,000 pools, and
  // the columns stored after it cost as much); the other fields stay empty.
  absl::StatusOr<SnapshotRec> LoadSnapshotRow(std::optional<chain::Hash32> hash,
                                              bool with_document = true)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // For planning: the row without its document when the parse cache holds the parsed snapshot
  // (returned in `parsed`, which keeps it alive), else with it and `parsed` null.
  absl::StatusOr<SnapshotRec> LoadSnapshotForPlan(std::optional<chain::Hash32> hash,
                                                  std::shared_ptr<const policy::Snapshot>& parsed)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<ProposalRec> Transition(const std::string& actor, const std::string& id,
                                         std::initializer_list<ProposalState> from,
                                         ProposalState to, const std::string& action,
                                         const std::function<absl::Status(ProposalRec&)>& extra,
                                         const nlohmann::json& more = nlohmann::json::object())
      ABSL_LOCKS_EXCLUDED(mu_);

  // --- witnesses (controller_witness.cc) ---
  // One caller's verified witnesses waiting for the group commit.
  struct WitnessItem;
  // Checks a submission and verifies its signatures against a first read of the proposal.
  absl::Status PrepareWitnessItem(WitnessItem& item, const std::vector<TxWitnessSubmission>& txs)
      ABSL_LOCKS_EXCLUDED(mu_);
  // The committer thread's work: one batch in one transaction, then to the answerer.
  void CommitQueued(std::vector<std::unique_ptr<WitnessItem>> batch) ABSL_LOCKS_EXCLUDED(mu_);
  // The answerer thread's work: each committed submission's `done` (a gRPC reply costs about as
  // much as its share of the commit, so the committer goes on committing meanwhile).
  static void AnswerCommitted(std::vector<std::unique_ptr<WitnessItem>> batch);
  // Commits one batch in one transaction (each submission with its own audit entry, inside a
  // savepoint so a refused one leaves the others) and fills each one's result.
  void CommitWitnessBatch(const std::vector<WitnessItem*>& batch)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status CommitWitnessItems(const std::vector<WitnessItem*>& batch,
                                  std::map<std::string, ProposalRec>& current)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The proposal as the last batch committed it (the view holds only what is still current),
  // else read from the store.
  absl::StatusOr<ProposalRec> WitnessBatchRead(const std::string& id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status ApplyWitnesses(WitnessItem& item, ProposalRec& p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The proposal's transactions for checking signatures (other fields may be empty).
  absl::StatusOr<std::shared_ptr<const ProposalTxCache::Txs>> FirstRead(
      const std::string& proposal_id) ABSL_LOCKS_EXCLUDED(mu_);

  ControllerOptions options_;
  std::string forensic_finding_;
  // Serialises every use of db_ (one connection, one writer). Planning, signature checks and
  // encoding run outside it.
  absl::Mutex mu_;
  std::unique_ptr<Db> db_ ABSL_GUARDED_BY(mu_) ABSL_PT_GUARDED_BY(mu_);
  ProposalTxCache tx_cache_;
  VerifiedSignatures verified_sigs_;
  // Verified submissions go to the committer; committed ones to the answerer. Neither runs on a
  // gRPC thread: a callback handler must not block (a commit waits on the disk).
  BatchThread<WitnessItem> witness_committer_;
  BatchThread<WitnessItem> witness_answerer_;
  // The proposals the last witness batch committed, as committed, and the store's stamp after
  // that commit: the next batch starts from them when nothing has written since (re-reading a
  // proposal cost more than the rest of a submission's share of its batch).
  struct WitnessView {
    Db::ChangeStamp stamp;
    std::map<std::string, std::shared_ptr<const ProposalRec>> proposals;
  };
  WitnessView witness_view_ ABSL_GUARDED_BY(mu_);
  mutable absl::Mutex gen_mu_;
  uint64_t generation_ ABSL_GUARDED_BY(gen_mu_) = 0;
  mutable absl::CondVar gen_cv_;
};

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_DAEMON_CONTROLLER_H_
