// Controller: dry-run plans and proposal creation. The expensive planning runs outside the store
// lock; the insert re-checks that the policy in force did not change meanwhile.
#include "absl/strings/str_cat.h"
#include "controller/build/proposal_builder.h"
#include "controller/daemon/controller.h"
#include "controller/daemon/parsed_cache.h"
#include "controller/store/proposal_store.h"
#include "policy/plan.h"

namespace stakeward::controller {
namespace {

struct PlanInputs {
  AuditAnchor anchor;  // the audit head when creation started
  PolicyVersionRec policy_row;
  SnapshotRec snapshot_row;
  // Parsed documents, shared with the parse cache (immutable).
  std::shared_ptr<const policy::Policy> policy;
  std::shared_ptr<const policy::Snapshot> snapshot;
  std::shared_ptr<const PlannedRound> planned;  // shared with the cache (immutable)
};

absl::Status ComputePlan(PlanInputs& in) {
  ParsedCache& cache = ParsedCache::Global();
  absl::StatusOr<std::shared_ptr<const policy::Policy>> pol =
      cache.GetPolicy(in.policy_row.hash, in.policy_row.document);
  if (!pol.ok()) return pol.status();
  in.policy = std::move(*pol);
  if (in.snapshot == nullptr) {
    absl::StatusOr<std::shared_ptr<const policy::Snapshot>> snap =
        cache.GetSnapshot(in.snapshot_row.hash, in.snapshot_row.document);
    if (!snap.ok()) return snap.status();
    in.snapshot = std::move(*snap);
  }
  in.planned = cache.PeekPlan(in.policy_row.hash, in.snapshot_row.hash);
  if (in.planned != nullptr) return absl::OkStatus();
  absl::StatusOr<policy::Plan> plan =
      policy::MakePlan(*in.policy, *in.snapshot, policy::PlanHistory{}, in.snapshot_row.hash);
  if (!plan.ok()) return plan.status();
  auto planned = std::make_shared<PlannedRound>();
  planned->plan = std::move(*plan);
  planned->plan_hash = policy::PlanHash(planned->plan);
  planned->dry_run_json =
      policy::PlanToJson(planned->plan, /*include_all_pools=*/false, planned->plan_hash);
  cache.PutPlan(in.policy_row.hash, in.snapshot_row.hash, planned);
  in.planned = std::move(planned);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SnapshotRec> Controller::LoadSnapshotForPlan(
    std::optional<chain::Hash32> hash, std::shared_ptr<const policy::Snapshot>& parsed) {
  absl::StatusOr<SnapshotRec> s = LoadSnapshotRow(hash, /*with_document=*/false);
  if (!s.ok()) return s;
  parsed = ParsedCache::Global().PeekSnapshot(s->hash);  // held: eviction cannot drop it now
  if (parsed != nullptr) return s;
  return LoadSnapshotRow(s->hash, /*with_document=*/true);
}

absl::StatusOr<PlanResult> Controller::DryRunPlan(std::optional<chain::Hash32> snapshot_hash,
                                                  uint64_t policy_version) {
  PlanInputs in;
  {
    absl::MutexLock l(&mu_);
    uint64_t v = policy_version;
    if (v == 0) {
      absl::StatusOr<uint64_t> f = InForceVersion();
      if (!f.ok()) return f.status();
      if (*f == 0) return absl::FailedPreconditionError("no policy is in force");
      v = *f;
    }
    absl::StatusOr<PolicyVersionRec> p = LoadPolicyRow(v);
    if (!p.ok()) return p.status();
    in.policy_row = std::move(*p);
    absl::StatusOr<SnapshotRec> s = LoadSnapshotForPlan(snapshot_hash, in.snapshot);
    if (!s.ok()) return s.status();
    in.snapshot_row = std::move(*s);
  }
  if (absl::Status s = ComputePlan(in); !s.ok()) return s;
  PlanResult r;
  r.plan_hash = in.planned->plan_hash;
  r.policy_hash = in.policy_row.hash;
  r.snapshot_hash = in.snapshot_row.hash;
  r.policy_version = in.policy_row.version;
  r.plan_json = in.planned->dry_run_json;
  r.action_count = static_cast<uint32_t>(in.planned->plan.actions.size());
  return r;
}

absl::StatusOr<ProposalRec> Controller::CreateProposal(
    const Identity& who, std::optional<chain::Hash32> snapshot_hash,
    std::optional<chain::Hash32> expected_plan_hash, uint64_t ttl_slots) {
  if (ttl_slots == 0) ttl_slots = options_.default_ttl_slots;
  if (ttl_slots > 1000000) return absl::InvalidArgumentError("ttl_slots is at most 1000000");
  PlanInputs in;
  {
    absl::MutexLock l(&mu_);
    absl::StatusOr<uint64_t> f = InForceVersion();
    if (!f.ok()) return f.status();
    if (*f == 0) return absl::FailedPreconditionError("no policy is in force");
    absl::StatusOr<PolicyVersionRec> p = LoadPolicyRow(*f);
    if (!p.ok()) return p.status();
    if (absl::Status s = CheckFundsAtScriptsOf(*p); !s.ok()) return s;
    in.policy_row = std::move(*p);
    absl::StatusOr<AuditRecord> head = AuditHead(*db_);
    if (!head.ok()) return head.status();
    in.anchor = {head->seq, head->hash};
    absl::StatusOr<SnapshotRec> s = LoadSnapshotForPlan(snapshot_hash, in.snapshot);
    if (!s.ok()) return s.status();
    in.snapshot_row = std::move(*s);
  }
  if (absl::Status s = ComputePlan(in); !s.ok()) return s;
  const policy::Plan& plan = in.planned->plan;
  if (expected_plan_hash && *expected_plan_hash != in.planned->plan_hash) {
    return absl::FailedPreconditionError(absl::StrCat("the plan computed now (",
                                                      chain::HexEncode(in.planned->plan_hash),
                                                      ") differs from the expected plan"));
  }
  if (absl::Status s =
          policy::CheckPlanAgainstPolicy(*in.policy, *in.snapshot, policy::PlanHistory{}, plan);
      !s.ok()) {
    return absl::PermissionDeniedError(absl::StrCat("plan breaks the policy: ", s.message()));
  }
  if (plan.empty()) {
    return absl::FailedPreconditionError("the plan has no actions: nothing to propose");
  }
  ProposalRec p;
  p.id = NewProposalId("prop");
  p.ttl = in.snapshot->slot + ttl_slots;
  BuildRequest req{in.policy.get(), in.snapshot.get(), &plan, p.id, p.ttl, in.anchor};
  p.audit_anchor = in.anchor;
  absl::StatusOr<std::vector<ProposalTxRec>> txs = BuildProposalTxs(req);
  if (!txs.ok()) return txs.status();
  p.state = ProposalState::kOpen;
  p.policy_version = in.policy_row.version;
  p.policy_hash = in.policy_row.hash;
  p.snapshot_hash = in.snapshot_row.hash;
  p.plan_hash = in.planned->plan_hash;
  p.threshold = static_cast<uint32_t>(in.policy->threshold);
  p.created_by = who.Actor();
  p.txs = std::move(*txs);

  absl::MutexLock l(&mu_);
  absl::StatusOr<uint64_t> f = InForceVersion();
  if (!f.ok()) return f.status();
  if (*f != in.policy_row.version) {
    return absl::AbortedError("the policy in force changed while planning; retry");
  }
  p.created_us = p.updated_us = Now();
  absl::StatusOr<std::unique_ptr<Txn>> txn = Txn::Begin(*db_);
  if (!txn.ok()) return txn.status();
  if (absl::Status s = InsertProposal(*db_, p); !s.ok()) return s;
  nlohmann::json ids = nlohmann::json::array();
  chain::Lovelace fees;
  for (const ProposalTxRec& t : p.txs) {
    ids.push_back(chain::HexEncode(t.tx_id));
    fees += t.fee;
  }
  absl::StatusOr<AuditRecord> a =
      AppendAudit(*db_, Now(), who.Actor(), "proposal.create", absl::StrCat("proposal:", p.id),
                  {{"policy_version", p.policy_version},
                   {"policy_hash", chain::HexEncode(p.policy_hash)},
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
