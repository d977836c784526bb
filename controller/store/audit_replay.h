// State derives from the log (issue 12): replaying the audit log gives the facts the state tables
// must hold (policies with their hash and in-force flag, approval keys, snapshots, proposals and
// their states, witnesses, reward epochs with their amounts, signed deposits). A table changed
// without its audit entry, or an entry whose change is missing, shows up as a difference.
#ifndef STAKEWARD_CONTROLLER_STORE_AUDIT_REPLAY_H_
#define STAKEWARD_CONTROLLER_STORE_AUDIT_REPLAY_H_

#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "controller/store/audit_log.h"
#include "controller/store/sqlite_db.h"

namespace stakeward::controller {

// One line per fact, e.g. "proposal prop-1a2b state=ready".
using StateFacts = std::set<std::string>;

// DATA_LOSS when an entry's details are malformed or contradict the replayed state (a proposal
// leaving a state the log never gave it).
absl::StatusOr<StateFacts> FactsFromLog(const std::vector<AuditRecord>& records);
// The same facts read from the tables (the reward tables only when they exist).
absl::StatusOr<StateFacts> FactsFromTables(Db& db);

// OK when the tables hold exactly what the (verified) log implies; DATA_LOSS naming the first
// difference and how many there are.
absl::Status CheckStateMatchesLog(Db& db, const std::vector<AuditRecord>& records);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_STORE_AUDIT_REPLAY_H_
