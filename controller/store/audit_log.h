// The append-only, hash-chained audit log: every state change with its actor and time.
// hash(n) = blake2b-256(hash(n-1) || canonical entry), canonical entry = compact JSON with sorted
// keys {action, actor, details, seq, subject, time_us}; hash(0) = 32 zero bytes.
#ifndef STAKEWARD_CONTROLLER_STORE_AUDIT_LOG_H_
#define STAKEWARD_CONTROLLER_STORE_AUDIT_LOG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "chain/bytes.h"
#include "controller/model/proposal_model.h"
#include "controller/store/sqlite_db.h"
#include "nlohmann/json.hpp"

namespace stakeward::controller {

struct AuditRecord {
  uint64_t seq = 0;
  int64_t time_us = 0;
  std::string actor;
  std::string action;
  std::string subject;
  std::string details;  // canonical JSON
  chain::Hash32 prev_hash{};
  chain::Hash32 hash{};
};

// The bytes hashed after prev_hash.
std::string CanonicalAuditEntry(const AuditRecord& r);
chain::Hash32 AuditEntryHash(const chain::Hash32& prev_hash, const AuditRecord& r);

// Appends an entry inside the caller's open transaction (so the change and its audit entry
// commit together). Returns the new record.
absl::StatusOr<AuditRecord> AppendAudit(Db& db, int64_t time_us, const std::string& actor,
                                        const std::string& action, const std::string& subject,
                                        const nlohmann::json& details);

absl::StatusOr<std::vector<AuditRecord>> ReadAuditRange(Db& db, uint64_t from_seq, uint32_t limit);
// Newest entry (seq 0 and zero hash when the log is empty).
absl::StatusOr<AuditRecord> AuditHead(Db& db);

// Result of an offline verification.
struct AuditVerdict {
  bool ok = true;
  uint64_t entries = 0;
  uint64_t first_bad_seq = 0;  // set when !ok
  std::string reason;          // why that entry is bad
  chain::Hash32 head_hash{};
};

// Checks sequence numbers (1.. without gaps), prev links and every hash.
AuditVerdict VerifyAuditRecords(const std::vector<AuditRecord>& records);
// Every entry, in order.
absl::StatusOr<std::vector<AuditRecord>> ReadAllAudit(Db& db);
// Reads every entry of a database file (read-only) and verifies them.
absl::StatusOr<AuditVerdict> VerifyAuditDatabase(const std::string& path);
// Export format: JSON array of entries with hex hashes; VerifyAuditExport reads it back.
nlohmann::json AuditRecordToJson(const AuditRecord& r);
absl::StatusOr<std::vector<AuditRecord>> ParseAuditExport(const std::string& json_text);
absl::StatusOr<AuditVerdict> VerifyAuditExport(const std::string& json_text);

// OK when `records` (a verified chain, seq 1..n) holds entry anchor.seq with anchor.hash.
// DATA_LOSS otherwise, saying whether the log is shorter (truncated) or differs there
// (rewritten).
absl::Status CheckAnchor(const std::vector<AuditRecord>& records, const AuditAnchor& anchor);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_STORE_AUDIT_LOG_H_
