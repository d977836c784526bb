// Controller: policy versions and their approvals.
#include "absl/strings/str_cat.h"
#include "chain/keys.h"
#include "controller/build/migrate_builder.h"
#include "controller/daemon/controller.h"
#include "controller/daemon/parsed_cache.h"
#include "policy/approval.h"
#include "policy/approval_chain.h"
#include "policy/slot_scripts.h"

namespace stakeward::controller {
namespace {

// A stored hash, key or signature of the wrong length is DATA_LOSS, never silently zeros.
template <size_t N>
absl::StatusOr<std::array<uint8_t, N>> Fixed(const chain::Bytes& b, const char* what) {
  if (b.size() != N) {
    return absl::DataLossError(absl::StrCat("stored ", what, " has ", b.size(), " bytes, not ", N,
                                            ": the database is corrupt"));
  }
  std::array<uint8_t, N> a{};
  std::copy(b.begin(), b.end(), a.begin());
  return a;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const policy::Policy>> StoredPolicy(const PolicyVersionRec& row) {
  return ParsedCache::Global().GetPolicy(row.hash, row.document);
}

absl::StatusOr<uint64_t> Controller::InForceVersion() {
  absl::StatusOr<Stmt> q = db_->Prepare("SELECT MAX(version) FROM policies WHERE in_force = 1");
  if (!q.ok()) return q.status();
  absl::StatusOr<bool> row = q->Step();
  if (!row.ok()) return row.status();
  return (*row && !q->IsNull(0)) ? static_cast<uint64_t>(q->Int(0)) : 0;
}

absl::StatusOr<PolicyVersionRec> Controller::LoadPolicyRow(uint64_t version) {
  PolicyVersionRec p;
  {
    absl::StatusOr<Stmt> q = db_->Prepare(
        version == 0
            ? "SELECT version, document, hash, threshold, in_force, proposed_by, created_us "
              "FROM policies ORDER BY version DESC LIMIT 1"
            : "SELECT version, document, hash, threshold, in_force, proposed_by, created_us "
              "FROM policies WHERE version = ?");
    if (!q.ok()) return q.status();
    if (version != 0) q->Bind(1, static_cast<int64_t>(version));
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) {
      return absl::NotFoundError(version == 0 ? std::string("no policy has been proposed")
                                              : absl::StrCat("no policy version ", version));
    }
    p.version = static_cast<uint64_t>(q->Int(0));
    p.document = q->Text(1);
    absl::StatusOr<chain::Hash32> h = Fixed<32>(q->Blob(2), "policy hash");
    if (!h.ok()) return h.status();
    p.hash = *h;
    p.threshold = static_cast<uint32_t>(q->Int(3));
    p.proposed_by = q->Text(5);
    p.created_us = q->Int(6);
  }
  absl::StatusOr<uint64_t> in_force = InForceVersion();
  if (!in_force.ok()) return in_force.status();
  p.in_force = *in_force == p.version;
  absl::StatusOr<Stmt> q = db_->Prepare(
      "SELECT signer, public_key, signature, recorded_us FROM policy_approvals WHERE version = ? "
      "ORDER BY recorded_us, signer");
  if (!q.ok()) return q.status();
  q->Bind(1, static_cast<int64_t>(p.version));
  for (;;) {
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    absl::StatusOr<std::array<uint8_t, 32>> key = Fixed<32>(q->Blob(1), "approval key");
    if (!key.ok()) return key.status();
    absl::StatusOr<std::array<uint8_t, 64>> sig = Fixed<64>(q->Blob(2), "approval signature");
    if (!sig.ok()) return sig.status();
    p.approvals.push_back({q->Text(0), *key, *sig, q->Int(3)});
  }
  return p;
}

absl::StatusOr<PolicyVersionRec> Controller::ProposePolicy(const Identity& who,
                                                           const std::string& document) {
  if (document.size() > (1u << 20)) return absl::InvalidArgumentError("policy document too large");
  absl::StatusOr<policy::Policy> parsed = policy::LoadPolicy(document);
  if (!parsed.ok()) return parsed.status();
  const chain::Hash32 hash = policy::PolicyHash(*parsed);
  absl::MutexLock l(&mu_);
  absl::StatusOr<uint64_t> in_force = InForceVersion();
  if (!in_force.ok()) return in_force.status();
  // The approvals needed come from the governing policy: the one in force, else this one.
  uint64_t threshold = parsed->threshold;
  if (*in_force != 0) {
    absl::StatusOr<PolicyVersionRec> cur = LoadPolicyRow(*in_force);
    if (!cur.ok()) return cur.status();
    absl::StatusOr<std::shared_ptr<const policy::Policy>> gov = StoredPolicy(*cur);
    if (!gov.ok()) return gov.status();
    threshold = (*gov)->threshold;
    if (cur->hash == hash) {
      return absl::AlreadyExistsError(
          absl::StrCat("this policy is already in force as version ", cur->version));
    }
  }
  absl::StatusOr<std::unique_ptr<Txn>> txn = Txn::Begin(*db_);
  if (!txn.ok()) return txn.status();
  // Proposing the same document as the newest pending version is an idempotent no-op.
  absl::StatusOr<PolicyVersionRec> newest = LoadPolicyRow(0);
  if (newest.ok() && newest->hash == hash && !newest->in_force) return *newest;
  const uint64_t version = newest.ok() ? newest->version + 1 : 1;
  absl::StatusOr<Stmt> ins = db_->Prepare(
      "INSERT INTO policies(version, document, hash, threshold, proposed_by, created_us) "
      "VALUES (?,?,?,?,?,?)");
  if (!ins.ok()) return ins.status();
  ins->Bind(1, static_cast<int64_t>(version)).Bind(2, document).BindBlob(3, chain::View(hash));
  ins->Bind(4, static_cast<int64_t>(threshold)).Bind(5, who.Actor()).Bind(6, Now());
  if (absl::Status s = ins->Run(); !s.ok()) return s;
  absl::StatusOr<AuditRecord> a = AppendAudit(
      *db_, Now(), who.Actor(), "policy.propose", absl::StrCat("policy:", version),
      {{"version", version}, {"hash", chain::HexEncode(hash)}, {"approvals_required", threshold}});
  if (!a.ok()) return a.status();
  if (absl::Status s = (*txn)->Commit(); !s.ok()) return s;
  Bump();
  // Parsed once: approvals and the first plan under this version find it parsed.
  ParsedCache::Global().PutPolicy(hash, std::make_shared<const policy::Policy>(std::move(*parsed)));
  return LoadPolicyRow(version);
}

absl::StatusOr<PolicyVersionRec> Controller::ApprovePolicy(
    const Identity& who, uint64_t version, const chain::Hash32& hash,
    const std::array<uint8_t, 32>& public_key, const chain::Signature& signature) {
  if (who.kind != RoleKind::kSigner) return absl::PermissionDeniedError("only signers approve");
  // The signature check needs only the request: it runs before the store lock; its verdict is
  // reported after the checks of who may approve, as before.
  const chain::Hash32 msg = policy::ApprovalTxId(hash);
  const bool signature_ok = chain::Verify(public_key, chain::View(msg), signature);
  absl::MutexLock l(&mu_);
  absl::StatusOr<PolicyVersionRec> target = LoadPolicyRow(version);
  if (!target.ok()) return target.status();
  if (target->hash != hash) {
    return absl::FailedPreconditionError(
        "the hash does not match this policy version (approving a different document?)");
  }
  absl::StatusOr<uint64_t> in_force = InForceVersion();
  if (!in_force.ok()) return in_force.status();
  if (*in_force >= version) {
    return absl::FailedPreconditionError(
        absl::StrCat("policy version ", version, " is not newer than the version in force"));
  }
  const uint64_t governing_version = *in_force != 0 ? *in_force : version;
  absl::StatusOr<PolicyVersionRec> gov_row = LoadPolicyRow(governing_version);
  if (!gov_row.ok()) return gov_row.status();
  absl::StatusOr<std::shared_ptr<const policy::Policy>> gov = StoredPolicy(*gov_row);
  if (!gov.ok()) return gov.status();
  const policy::Signer* signer = nullptr;
  for (const policy::Signer& s : (*gov)->signers) {
    if (s.name == who.name) signer = &s;
  }
  if (signer == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("signer ", who.name, " is not a signer of the governing policy version ",
                     governing_version));
  }
  absl::StatusOr<std::array<uint8_t, 32>> key = policy::ApprovalKey(*signer);
  if (!key.ok()) return key.status();
  if (*key != public_key) {
    return absl::PermissionDeniedError(
        absl::StrCat("the key is not signer ", who.name, "'s approval key (account/0/0)"));
  }
  if (!signature_ok) {
    return absl::InvalidArgumentError("the approval signature does not verify");
  }
  bool replaces = false;  // the signer approved earlier with a key the governing policy rotated
  for (const PolicyApprovalRec& a : target->approvals) {
    if (a.signer != who.name) continue;
    if (a.public_key == public_key) return *target;  // idempotent
    replaces = true;
  }
  absl::StatusOr<std::unique_ptr<Txn>> txn = Txn::Begin(*db_);
  if (!txn.ok()) return txn.status();
  if (replaces) {
    absl::StatusOr<Stmt> del =
        db_->Prepare("DELETE FROM policy_approvals WHERE version = ? AND signer = ?");
    if (!del.ok()) return del.status();
    del->Bind(1, static_cast<int64_t>(version)).Bind(2, who.name);
    if (absl::Status s = del->Run(); !s.ok()) return s;
  }
  absl::StatusOr<Stmt> ins = db_->Prepare(
      "INSERT INTO policy_approvals(version, signer, public_key, signature, recorded_us) "
      "VALUES (?,?,?,?,?)");
  if (!ins.ok()) return ins.status();
  ins->Bind(1, static_cast<int64_t>(version)).Bind(2, who.name);
  ins->BindBlob(3, chain::View(public_key)).BindBlob(4, chain::View(signature)).Bind(5, Now());
  if (absl::Status s = ins->Run(); !s.ok()) return s;
  absl::StatusOr<AuditRecord> a =
      AppendAudit(*db_, Now(), who.Actor(), "policy.approve", absl::StrCat("policy:", version),
                  {{"version", version},
                   {"hash", chain::HexEncode(hash)},
                   {"public_key", chain::HexEncode(public_key)},
                   {"signature", chain::HexEncode(signature)},
                   {"governing_version", governing_version},
                   {"replaces_earlier_key", replaces}});
  if (!a.ok()) return a.status();
  if (absl::Status s = ReevaluateInForce(); !s.ok()) return s;
  if (absl::Status s = (*txn)->Commit(); !s.ok()) return s;
  Bump();
  return LoadPolicyRow(version);
}

// Re-evaluates every version newer than the one in force, oldest first, under the rule of
// policy/approval_chain.h: a version goes in force when M signers of the governing version (the
// one in force, or for the very first policy the version itself) approved it with their current
// keys. Each version that goes in force governs the ones after it, so approvals recorded under an
// older governor are counted again under the new one and those of removed signers or rotated keys
// drop out. Runs inside the caller's transaction.
absl::Status Controller::ReevaluateInForce() {
  absl::StatusOr<uint64_t> in_force = InForceVersion();
  if (!in_force.ok()) return in_force.status();
  std::shared_ptr<const policy::Policy> governor;
  uint64_t governing_version = *in_force;
  if (*in_force != 0) {
    absl::StatusOr<PolicyVersionRec> row = LoadPolicyRow(*in_force);
    if (!row.ok()) return row.status();
    absl::StatusOr<std::shared_ptr<const policy::Policy>> gov = StoredPolicy(*row);
    if (!gov.ok()) return gov.status();
    governor = std::move(*gov);
  }
  absl::StatusOr<PolicyVersionRec> newest = LoadPolicyRow(0);
  if (!newest.ok()) return newest.status();
  for (uint64_t v = *in_force + 1; v <= newest->version; ++v) {
    absl::StatusOr<PolicyVersionRec> row = LoadPolicyRow(v);
    if (!row.ok()) return row.status();
    absl::StatusOr<std::shared_ptr<const policy::Policy>> pol = StoredPolicy(*row);
    if (!pol.ok()) return pol.status();
    std::vector<policy::Approval> approvals;
    for (const PolicyApprovalRec& a : row->approvals) {
      approvals.push_back({a.signer, a.public_key, a.signature});
    }
    const policy::Policy& gov = governor ? *governor : **pol;
    const policy::ApprovalVerdict verdict = policy::VerifyApprovalsUnder(gov, row->hash, approvals);
    if (!verdict.in_force) continue;
    absl::StatusOr<Stmt> u = db_->Prepare("UPDATE policies SET in_force = 1 WHERE version = ?");
    if (!u.ok()) return u.status();
    u->Bind(1, static_cast<int64_t>(v));
    if (absl::Status s = u->Run(); !s.ok()) return s;
    // Versions after this one are now governed by it: their approvals required follow its M.
    absl::StatusOr<Stmt> t = db_->Prepare("UPDATE policies SET threshold = ? WHERE version > ?");
    if (!t.ok()) return t.status();
    t->Bind(1, static_cast<int64_t>((*pol)->threshold)).Bind(2, static_cast<int64_t>(v));
    if (absl::Status s = t->Run(); !s.ok()) return s;
    absl::StatusOr<AuditRecord> f =
        AppendAudit(*db_, Now(), "system", "policy.in_force", absl::StrCat("policy:", v),
                    {{"version", v},
                     {"hash", chain::HexEncode(row->hash)},
                     {"approvals", verdict.valid},
                     {"governing_version", governor ? governing_version : v}});
    if (!f.ok()) return f.status();
    governor = std::move(*pol);
    governing_version = v;
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> Controller::FundsVersion() {
  absl::StatusOr<Stmt> m = db_->Prepare(
      "SELECT migrate_to_version FROM proposals WHERE kind = 3 AND state = 7 "
      "ORDER BY migrate_to_version DESC LIMIT 1");
  if (!m.ok()) return m.status();
  absl::StatusOr<bool> mrow = m->Step();
  if (!mrow.ok()) return mrow.status();
  if (*mrow) return static_cast<uint64_t>(m->Int(0));
  absl::StatusOr<Stmt> q = db_->Prepare("SELECT MIN(version) FROM policies WHERE in_force = 1");
  if (!q.ok()) return q.status();
  absl::StatusOr<bool> row = q->Step();
  if (!row.ok()) return row.status();
  return (*row && !q->IsNull(0)) ? static_cast<uint64_t>(q->Int(0)) : 0;
}

// The bridge's funds sit at the scripts of FundsVersion(). A later version with other signers,
// keys or threshold has other scripts and owns none of those addresses: nothing but a MIGRATE
// proposal may be built under it until that is confirmed.
absl::Status Controller::CheckFundsAtScriptsOf(const PolicyVersionRec& in_force) {
  absl::StatusOr<uint64_t> funds = FundsVersion();
  if (!funds.ok()) return funds.status();
  if (*funds == 0) return absl::FailedPreconditionError("no policy is in force");
  if (*funds == in_force.version) return absl::OkStatus();
  absl::StatusOr<PolicyVersionRec> funds_row = LoadPolicyRow(*funds);
  if (!funds_row.ok()) return funds_row.status();
  absl::StatusOr<std::shared_ptr<const policy::Policy>> a = StoredPolicy(*funds_row);
  if (!a.ok()) return a.status();
  absl::StatusOr<std::shared_ptr<const policy::Policy>> b = StoredPolicy(in_force);
  if (!b.ok()) return b.status();
  absl::StatusOr<bool> same = SameScripts(**a, **b);
  if (!same.ok()) return same.status();
  if (*same) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("policy v", in_force.version,
                   " changes the signers, their keys or the threshold, so its "
                   "scripts differ from those of policy v",
                   *funds,
                   " where the bridge's funds are: create a "
                   "MIGRATE proposal (stakeward proposal migrate), signed under v",
                   *funds, "; no re-balance proposal is built under v", in_force.version,
                   " until it is confirmed, and reward proposals are built under v", *funds));
}

absl::StatusOr<PolicyVersionRec> Controller::GetPolicy(uint64_t version) {
  absl::MutexLock l(&mu_);
  return LoadPolicyRow(version);
}

absl::StatusOr<PolicyVersionRec> Controller::GetPolicyInForce() {
  absl::MutexLock l(&mu_);
  absl::StatusOr<uint64_t> v = InForceVersion();
  if (!v.ok()) return v.status();
  if (*v == 0) return absl::FailedPreconditionError("no policy is in force");
  return LoadPolicyRow(*v);
}

}  // namespace stakeward::controller
