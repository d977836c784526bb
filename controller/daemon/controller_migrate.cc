// Controller: MIGRATE proposals (signer rotation, design.md §6). Built from the snapshot of the
// outgoing policy's slots, signed under the outgoing version; once confirmed, FundsVersion()
// becomes the incoming version and re-balance and reward proposals are built under it.
#include "absl/strings/str_cat.h"
#include "controller/build/migrate_builder.h"
#include "controller/daemon/controller.h"
#include "controller/daemon/parsed_cache.h"
#include "controller/store/proposal_store.h"

namespace stakeward::controller {
absl::StatusOr<ProposalRec> Controller::CreateMigrateProposal(
    const Identity& who, std::optional<chain::Hash32> snapshot_hash, uint64_t ttl_slots) {
  if (ttl_slots == 0) ttl_slots = options_.default_ttl_slots;
  if (ttl_slots > 1000000) return absl::InvalidArgumentError("ttl_slots is at most 1000000");
  absl::MutexLock l(&mu_);
  absl::StatusOr<uint64_t> in_force = InForceVersion();
  if (!in_force.ok()) return in_force.status();
  if (*in_force == 0) return absl::FailedPreconditionError("no policy is in force");
  absl::StatusOr<uint64_t> funds = FundsVersion();
  if (!funds.ok()) return funds.status();
  absl::StatusOr<PolicyVersionRec> to_row = LoadPolicyRow(*in_force);
  if (!to_row.ok()) return to_row.status();
  absl::StatusOr<PolicyVersionRec> from_row = LoadPolicyRow(*funds);
  if (!from_row.ok()) return from_row.status();
  absl::StatusOr<std::shared_ptr<const policy::Policy>> from_stored = StoredPolicy(*from_row);
  if (!from_stored.ok()) return from_stored.status();
  absl::StatusOr<std::shared_ptr<const policy::Policy>> to_stored = StoredPolicy(*to_row);
  if (!to_stored.ok()) return to_stored.status();
  const policy::Policy* from = from_stored->get();
  const policy::Policy* to = to_stored->get();
  absl::StatusOr<bool> same = SameScripts(*from, *to);
  if (!same.ok()) return same.status();
  if (*same) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the funds already sit at the scripts of policy v", *in_force, ": nothing to migrate"));
  }
  absl::StatusOr<SnapshotRec> srow = LoadSnapshotRow(snapshot_hash);
  if (!srow.ok()) return srow.status();
  absl::StatusOr<std::shared_ptr<const policy::Snapshot>> stored_snapshot =
      ParsedCache::Global().GetSnapshot(srow->hash, srow->document);
  if (!stored_snapshot.ok()) return stored_snapshot.status();
  const policy::Snapshot* snap = stored_snapshot->get();

  ProposalRec p;
  p.id = NewProposalId("migrate");
  p.ttl = snap->slot + ttl_slots;
  absl::StatusOr<AuditRecord> head = AuditHead(*db_);
  if (!head.ok()) return head.status();
  p.audit_anchor = {head->seq, head->hash};
  MigrateRequest req{&*from, &*to, from_row->hash, to_row->hash,
                     &*snap, p.id, p.ttl,          p.audit_anchor};
  absl::StatusOr<std::vector<ProposalTxRec>> txs = BuildMigrateTxs(req);
  if (!txs.ok()) return txs.status();
  p.kind = ProposalKind::kMigrate;
  p.state = ProposalState::kOpen;
  p.policy_version = from_row->version;
  p.policy_hash = from_row->hash;
  p.migrate_to_version = to_row->version;
  p.migrate_to_hash = to_row->hash;
  p.snapshot_hash = srow->hash;
  p.plan_hash = MigratePlanHash(to_row->hash, *txs);
  p.threshold = static_cast<uint32_t>(from->threshold);
  p.created_by = who.Actor();
  p.txs = std::move(*txs);
  p.created_us = p.updated_us = Now();

  absl::StatusOr<std::unique_ptr<Txn>> txn = Txn::Begin(*db_);
  if (!txn.ok()) return txn.status();
  if (absl::Status s = InsertProposal(*db_, p); !s.ok()) {
    if (absl::IsAlreadyExists(s)) {
      return absl::FailedPreconditionError(
          "another MIGRATE proposal is open: finish or reject it first");
    }
    return s;
  }
  nlohmann::json ids = nlohmann::json::array();
  chain::Lovelace fees;
  for (const ProposalTxRec& t : p.txs) {
    ids.push_back(chain::HexEncode(t.tx_id));
    fees += t.fee;
  }
  absl::StatusOr<AuditRecord> a =
      AppendAudit(*db_, Now(), who.Actor(), "proposal.create", absl::StrCat("proposal:", p.id),
                  {{"kind", "migrate"},
                   {"policy_version", p.policy_version},
                   {"policy_hash", chain::HexEncode(p.policy_hash)},
                   {"to_version", p.migrate_to_version},
                   {"to_policy_hash", chain::HexEncode(p.migrate_to_hash)},
                   {"snapshot_hash", chain::HexEncode(p.snapshot_hash)},
                   {"plan_hash", chain::HexEncode(p.plan_hash)},
                   {"ttl", p.ttl},
                   {"tx_ids", ids},
                   {"fees", fees}});
  if (!a.ok()) return a.status();
  if (absl::Status s = (*txn)->Commit(); !s.ok()) return s;
  Bump();
  return LoadProposal(*db_, p.id, true, &tx_cache_);
}

}  // namespace stakeward::controller
