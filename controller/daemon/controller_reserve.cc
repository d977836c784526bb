// Controller: the L1 side of the reserve report (controller/rewards/reserve.h): the latest
// snapshot's slot balances and treasury, the policy's L2 contract, and the confirmed deposits the
// epoch ledger holds. The L2 side is read by the L2 driver (l2_watcher.cc).
#include "absl/strings/str_cat.h"
#include "chain/status_macros.h"
#include "controller/daemon/controller.h"
#include "controller/daemon/parsed_cache.h"

namespace stakeward::controller {

namespace evm = chain::evm;

absl::StatusOr<ReserveL1> Controller::ReserveL1Side() {
  absl::MutexLock l(&mu_);
  SW_ASSIGN_OR_RETURN(uint64_t in_force, InForceVersion());
  if (in_force == 0) return absl::FailedPreconditionError("no policy is in force");
  SW_ASSIGN_OR_RETURN(PolicyVersionRec prow, LoadPolicyRow(in_force));
  SW_ASSIGN_OR_RETURN(std::shared_ptr<const policy::Policy> stored, StoredPolicy(prow));
  const policy::Policy* pol = stored.get();
  absl::StatusOr<SnapshotRec> row = LoadSnapshotRow(std::nullopt);
  if (!row.ok()) {
    if (absl::IsNotFound(row.status())) {
      return absl::FailedPreconditionError("no snapshot yet: the L1 balances come from one");
    }
    return row.status();
  }
  SW_ASSIGN_OR_RETURN(std::shared_ptr<const policy::Snapshot> snap,
                      ParsedCache::Global().GetSnapshot(row->hash, row->document));
  ReserveL1 out;
  out.inputs.epoch = snap->epoch;
  out.inputs.snapshot_hash = chain::HexEncode(row->hash);
  out.inputs.snapshot_slot = snap->slot;
  for (const policy::SlotState& s : snap->slots) out.inputs.slots.push_back({s.index, s.balance});
  for (const policy::Utxo& u : snap->treasury) {
    SW_ASSIGN_OR_RETURN(out.inputs.treasury_lovelace,
                        chain::AddLovelace(out.inputs.treasury_lovelace, u.lovelace, "treasury"));
  }
  out.inputs.l2_chain_id = pol->rewards.l2_chain_id;
  absl::StatusOr<evm::Address> contract = evm::ParseAddress(pol->rewards.contract_address);
  if (!contract.ok()) return absl::DataLossError("the policy's contract address is malformed");
  out.contract = *contract;
  out.inputs.contract = evm::ToChecksumAddress(*contract);
  SW_ASSIGN_OR_RETURN(Stmt q, db_->Prepare("SELECT value_wei FROM rewards_deposits WHERE state = "
                                           "'CONFIRMED'"));
  for (;;) {
    SW_ASSIGN_OR_RETURN(bool more, q.Step());
    if (!more) break;
    absl::StatusOr<evm::U256> v = evm::U256::FromDecimal(q.Text(0));
    if (!v.ok()) return absl::DataLossError("a stored deposit value is malformed");
    std::optional<evm::U256> sum = out.inputs.ledger_deposited_wei.CheckedAdd(*v);
    if (!sum) return absl::DataLossError("stored deposit values overflow");
    out.inputs.ledger_deposited_wei = *sum;
  }
  return out;
}

}  // namespace stakeward::controller
