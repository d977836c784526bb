// Proposal persistence: rows of proposals, proposal_txs, reserved_inputs and witnesses. Every
// function runs inside the caller's transaction.
#ifndef STAKEWARD_CONTROLLER_STORE_PROPOSAL_STORE_H_
#define STAKEWARD_CONTROLLER_STORE_PROPOSAL_STORE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "controller/model/proposal_model.h"
#include "controller/store/sqlite_db.h"

namespace stakeward::controller {

// Inserts the proposal, its transactions and its reserved inputs. FAILED_PRECONDITION when an
// input is already reserved by another open proposal (the UNIQUE constraint fires).
absl::Status InsertProposal(Db& db, const ProposalRec& p);

// A proposal's transactions never change after creation (only their signed form is added), so
// their decoded form is kept per proposal id. An entry is used only while the stored rows still
// carry the same transaction ids at the same positions, so a stale entry is never served.
class ProposalTxCache {
 public:
  using Txs = std::vector<ProposalTxRec>;  // signed_tx always empty here
  std::shared_ptr<const Txs> Find(const std::string& id) ABSL_LOCKS_EXCLUDED(mu_);
  void Put(const std::string& id, std::shared_ptr<const Txs> txs) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  static constexpr size_t kMaxEntries = 64;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<const Txs>> entries_ ABSL_GUARDED_BY(mu_);
};

// NOT_FOUND for an unknown id, INVALID_ARGUMENT for one not shaped like ours. With `with_txs`,
// transactions and witnesses are loaded too (their decoded form from `cache` when it has them).
absl::StatusOr<ProposalRec> LoadProposal(Db& db, const std::string& id, bool with_txs = true,
                                         ProposalTxCache* cache = nullptr);

// Proposals ordered by id, optionally of one state, after `after_id` (the page token).
absl::StatusOr<std::vector<ProposalRec>> ListProposalRows(Db& db,
                                                          std::optional<ProposalState> state,
                                                          const std::string& after_id,
                                                          uint32_t limit);

// Changes the state (and the reservation of inputs when it leaves the open states).
absl::Status UpdateProposalState(Db& db, const ProposalRec& p, ProposalState to, int64_t now_us);
absl::Status SetRejection(Db& db, const std::string& id, const std::string& by,
                          const std::string& reason);
absl::Status SetSubmittedTxIds(Db& db, const std::string& id,
                               const std::vector<chain::Hash32>& ids);
absl::Status SetSignedTx(Db& db, const std::string& id, uint32_t idx, chain::ByteView signed_tx);

// Inserts a witness; returns false when that exact key already has a witness for the tx.
absl::StatusOr<bool> InsertWitness(Db& db, const std::string& proposal_id, const WitnessRec& w,
                                   int64_t now_us);

// Proposal ids holding inputs (OPEN, READY, SUBMITTED) with their ttl and inputs.
struct OpenProposalInputs {
  std::string id;
  ProposalState state;
  uint64_t ttl = 0;
  std::vector<chain::TxIn> inputs;
};
absl::StatusOr<std::vector<OpenProposalInputs>> LoadOpenProposalInputs(Db& db);

absl::StatusOr<std::vector<std::pair<ProposalState, uint64_t>>> CountProposalsByState(Db& db);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_STORE_PROPOSAL_STORE_H_
