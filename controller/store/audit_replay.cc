#include "controller/store/audit_replay.h"

#include <cstdint>
#include <functional>
#include <map>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "chain/bytes.h"
#include "controller/model/proposal_model.h"
#include "nlohmann/json.hpp"

namespace stakeward::controller {
namespace {

using nlohmann::json;

absl::Status Bad(const AuditRecord& r, const std::string& why) {
  return absl::DataLossError(absl::StrCat("audit entry ", r.seq, " (", r.action, "): ", why));
}

// The replayed state, keyed so that later entries overwrite earlier ones.
struct Replay {
  std::map<uint64_t, std::pair<std::string, bool>> policies;          // version -> hash, in force
  std::map<std::pair<uint64_t, std::string>, std::string> approvals;  // (version, signer) -> key
  std::set<std::string> snapshots;
  std::map<std::string, std::string> proposals;  // id -> state name
  std::set<std::string> witnesses;
  std::map<uint64_t, std::pair<std::string, std::string>> epochs;    // epoch -> status, amounts
  std::map<uint64_t, std::pair<std::string, std::string>> deposits;  // epoch -> state, tx hash
};

// One spelling of an epoch's amounts for the log side and the table side.
std::string EpochAmounts(uint64_t rewards, uint64_t commission, uint64_t bridged, uint64_t carry_in,
                         uint64_t carry_out) {
  return absl::StrCat("rewards=", rewards, " commission=", commission, " bridged=", bridged,
                      " carry_in=", carry_in, " carry_out=", carry_out);
}

std::string EpochFact(uint64_t epoch, const std::string& status, const std::string& amounts) {
  return absl::StrCat("epoch ", epoch, " status=", status, " ", amounts);
}

// The epoch a "epoch:<n>" subject names.
absl::StatusOr<uint64_t> SubjectEpoch(const AuditRecord& r) {
  uint64_t e = 0;
  if (!absl::StartsWith(r.subject, "epoch:") ||
      !absl::SimpleAtoi(absl::string_view(r.subject).substr(6), &e)) {
    return Bad(r, "the subject names no epoch");
  }
  return e;
}

absl::Status ApplyPolicy(const AuditRecord& r, const json& d, Replay& s) {
  const uint64_t v = d.at("version").get<uint64_t>();
  if (r.action == "policy.propose") {
    s.policies[v] = {d.at("hash").get<std::string>(), false};
  } else if (r.action == "policy.in_force") {
    auto it = s.policies.find(v);
    if (it == s.policies.end()) return Bad(r, "policy version was never proposed");
    it->second.second = true;
  } else if (r.action == "policy.approve") {
    if (!absl::StartsWith(r.actor, "signer:")) return Bad(r, "the approver is not a signer");
    s.approvals[{v, r.actor.substr(7)}] = d.at("public_key").get<std::string>();
  }
  return absl::OkStatus();
}

absl::Status ApplyProposal(const AuditRecord& r, const json& d, Replay& s) {
  const std::string id = r.subject.substr(9);  // "proposal:"
  if (r.action == "proposal.create") {
    s.proposals[id] = "open";
    return absl::OkStatus();
  }
  if (r.action == "witness.add") {
    for (const json& w : d.at("witnesses")) {
      s.witnesses.insert(absl::StrCat("witness ", id, " tx=", w.at("tx").get<uint64_t>(),
                                      " vkey=", w.at("vkey").get<std::string>()));
    }
    return absl::OkStatus();
  }
  if (!d.contains("to")) return absl::OkStatus();
  auto it = s.proposals.find(id);
  if (it == s.proposals.end()) return Bad(r, absl::StrCat("proposal ", id, " was never created"));
  if (it->second != d.at("from").get<std::string>()) {
    return Bad(r, absl::StrCat("proposal ", id, " leaves state '", d.at("from").get<std::string>(),
                               "' but the log left it '", it->second, "'"));
  }
  it->second = d.at("to").get<std::string>();
  return absl::OkStatus();
}

// The deposit's states as the store keeps them (controller/store/deposit_lifecycle.h): a
// reservation (or a replacement being signed) is not a fact; signed and later states are, with
// the transaction the row names. An epoch is DEPOSITED once its deposit is confirmed or adopted.
absl::Status ApplyDeposit(const AuditRecord& r, const json& d, uint64_t epoch, Replay& s) {
  const std::string kind = r.action.substr(std::string_view("rewards.deposit.").size());
  if (kind == "reserve") return absl::OkStatus();
  auto it = s.epochs.find(epoch);
  if (it == s.epochs.end()) return Bad(r, "the epoch was never built");
  if (kind == "replace") {
    s.deposits.erase(epoch);
    return absl::OkStatus();
  }
  if (kind == "refused") return absl::OkStatus();  // the node's refusal: no state change
  static const std::map<std::string, std::string, std::less<>> kState = {{"store", "SIGNED"},
                                                                         {"broadcast", "BROADCAST"},
                                                                         {"confirm", "CONFIRMED"},
                                                                         {"adopt", "CONFIRMED"},
                                                                         {"fail", "FAILED"}};
  auto st = kState.find(kind);
  if (st == kState.end()) return Bad(r, "unknown deposit action");
  s.deposits[epoch] = {st->second, d.at("tx_hash").get<std::string>()};
  if (st->second == "CONFIRMED") it->second.first = "DEPOSITED";
  return absl::OkStatus();
}

absl::Status ApplyRewards(const AuditRecord& r, const json& d, Replay& s) {
  absl::StatusOr<uint64_t> e = SubjectEpoch(r);
  if (!e.ok()) return e.status();
  if (r.action == "rewards.build") {
    const bool has_txs = d.contains("proposal");
    s.epochs[*e] = {
        has_txs ? "PROPOSED" : "NO_REWARDS",
        EpochAmounts(d.at("rewards").get<uint64_t>(), d.at("commission").get<uint64_t>(),
                     d.at("bridged").get<uint64_t>(), d.at("carry_in").get<uint64_t>(),
                     d.at("carry_out").get<uint64_t>())};
    if (has_txs) s.proposals[d.at("proposal").get<std::string>()] = "open";
  } else if (r.action == "rewards.l1_confirmed") {
    auto it = s.epochs.find(*e);
    if (it == s.epochs.end()) return Bad(r, "the epoch was never built");
    it->second.first = "L1_CONFIRMED";
  } else if (absl::StartsWith(r.action, "rewards.deposit.")) {
    return ApplyDeposit(r, d, *e, s);
  }
  return absl::OkStatus();
}

absl::Status Apply(const AuditRecord& r, Replay& s) {
  const json d = json::parse(r.details, nullptr, /*allow_exceptions=*/false);
  if (!d.is_object()) return Bad(r, "details are not a JSON object");
  try {
    if (absl::StartsWith(r.action, "policy.")) return ApplyPolicy(r, d, s);
    if (r.action == "snapshot.push") {
      s.snapshots.insert(d.at("hash").get<std::string>());
      return absl::OkStatus();
    }
    if (absl::StartsWith(r.subject, "proposal:")) return ApplyProposal(r, d, s);
    if (absl::StartsWith(r.action, "rewards.")) return ApplyRewards(r, d, s);
  } catch (const json::exception& ex) {
    return Bad(r, absl::StrCat("details lack a field the change needs (", ex.what(), ")"));
  }
  return absl::OkStatus();
}

StateFacts ToFacts(const Replay& s) {
  StateFacts f;
  for (const auto& [v, p] : s.policies) {
    f.insert(absl::StrCat("policy ", v, " hash=", p.first, " in_force=", p.second ? 1 : 0));
  }
  for (const auto& [k, key] : s.approvals) {
    f.insert(absl::StrCat("approval ", k.first, " ", k.second, " key=", key));
  }
  for (const std::string& h : s.snapshots) f.insert(absl::StrCat("snapshot ", h));
  for (const auto& [id, st] : s.proposals) f.insert(absl::StrCat("proposal ", id, " state=", st));
  f.insert(s.witnesses.begin(), s.witnesses.end());
  for (const auto& [e, st] : s.epochs) f.insert(EpochFact(e, st.first, st.second));
  for (const auto& [e, d] : s.deposits) {
    f.insert(absl::StrCat("deposit ", e, " state=", d.first, " tx=", d.second));
  }
  return f;
}

// Runs `sql` and adds one fact per row.
absl::Status AddRows(Db& db, std::string_view sql, StateFacts& out,
                     const std::function<absl::StatusOr<std::string>(const Stmt&)>& fact) {
  absl::StatusOr<Stmt> q = db.Prepare(sql);
  if (!q.ok()) return q.status();
  for (;;) {
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
    absl::StatusOr<std::string> f = fact(*q);
    if (!f.ok()) return f.status();
    out.insert(std::move(*f));
  }
}

absl::StatusOr<bool> HasTable(Db& db, std::string_view name) {
  absl::StatusOr<Stmt> q = db.Prepare("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?");
  if (!q.ok()) return q.status();
  q->Bind(1, name);
  return q->Step();
}

absl::Status AddRewardRows(Db& db, StateFacts& f) {
  absl::StatusOr<bool> has = HasTable(db, "rewards_epochs");
  if (!has.ok() || !*has) return has.status();
  absl::Status s =
      AddRows(db,
              "SELECT epoch, status, total_rewards, commission, bridged, carry_in, carry_out "
              "FROM rewards_epochs",
              f, [](const Stmt& q) -> absl::StatusOr<std::string> {
                const auto u = [&q](int col) { return static_cast<uint64_t>(q.Int(col)); };
                return EpochFact(u(0), q.Text(1), EpochAmounts(u(2), u(3), u(4), u(5), u(6)));
              });
  if (!s.ok()) return s;
  return AddRows(db, "SELECT epoch, state, tx_hash FROM rewards_deposits WHERE state <> 'SIGNING'",
                 f, [](const Stmt& q) -> absl::StatusOr<std::string> {
                   return absl::StrCat("deposit ", q.Int(0), " state=", q.Text(1),
                                       " tx=", q.Text(2));
                 });
}

}  // namespace

absl::StatusOr<StateFacts> FactsFromLog(const std::vector<AuditRecord>& records) {
  Replay s;
  for (const AuditRecord& r : records) {
    if (absl::Status st = Apply(r, s); !st.ok()) return st;
  }
  return ToFacts(s);
}

absl::StatusOr<StateFacts> FactsFromTables(Db& db) {
  StateFacts f;
  const auto hex = [](const chain::Bytes& b) { return chain::HexEncode(b); };
  absl::Status s = AddRows(db, "SELECT version, hash, in_force FROM policies", f,
                           [&](const Stmt& q) -> absl::StatusOr<std::string> {
                             return absl::StrCat("policy ", q.Int(0), " hash=", hex(q.Blob(1)),
                                                 " in_force=", q.Int(2) != 0 ? 1 : 0);
                           });
  if (s.ok()) {
    s = AddRows(db, "SELECT version, signer, public_key FROM policy_approvals", f,
                [&](const Stmt& q) -> absl::StatusOr<std::string> {
                  return absl::StrCat("approval ", q.Int(0), " ", q.Text(1),
                                      " key=", hex(q.Blob(2)));
                });
  }
  if (s.ok()) {
    s = AddRows(db, "SELECT hash FROM snapshots", f,
                [&](const Stmt& q) -> absl::StatusOr<std::string> {
                  return absl::StrCat("snapshot ", hex(q.Blob(0)));
                });
  }
  if (s.ok()) {
    s = AddRows(
        db, "SELECT id, state FROM proposals", f, [](const Stmt& q) -> absl::StatusOr<std::string> {
          const int64_t st = q.Int(1);
          if (st < 1 || st > 7) {
            return absl::DataLossError(
                absl::StrCat("proposal ", q.Text(0), " has state ", st, ": corrupt row"));
          }
          return absl::StrCat("proposal ", q.Text(0), " state=",
                              std::string(ProposalStateName(static_cast<ProposalState>(st))));
        });
  }
  if (s.ok()) {
    s = AddRows(db, "SELECT proposal_id, tx_idx, vkey FROM witnesses", f,
                [&](const Stmt& q) -> absl::StatusOr<std::string> {
                  return absl::StrCat("witness ", q.Text(0), " tx=", q.Int(1),
                                      " vkey=", hex(q.Blob(2)));
                });
  }
  if (s.ok()) s = AddRewardRows(db, f);
  if (!s.ok()) return s;
  return f;
}

absl::Status CheckStateMatchesLog(Db& db, const std::vector<AuditRecord>& records) {
  absl::StatusOr<StateFacts> logged = FactsFromLog(records);
  if (!logged.ok()) return logged.status();
  absl::StatusOr<StateFacts> stored = FactsFromTables(db);
  if (!stored.ok()) return stored.status();
  std::vector<std::string> diffs;
  for (const std::string& f : *stored) {
    if (!logged->contains(f))
      diffs.push_back(absl::StrCat("the tables hold '", f, "', the log does not"));
  }
  for (const std::string& f : *logged) {
    if (!stored->contains(f))
      diffs.push_back(absl::StrCat("the log implies '", f, "', the tables do not hold it"));
  }
  if (diffs.empty()) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat("the state tables differ from the audit log in ",
                                          diffs.size(), " facts; first: ", diffs.front()));
}

}  // namespace stakeward::controller
