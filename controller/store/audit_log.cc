#include "controller/store/audit_log.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "chain/hash.h"

namespace stakeward::controller {
namespace {

AuditRecord RowToRecord(const Stmt& q) {
  AuditRecord r;
  r.seq = static_cast<uint64_t>(q.Int(0));
  r.time_us = q.Int(1);
  r.actor = q.Text(2);
  r.action = q.Text(3);
  r.subject = q.Text(4);
  r.details = q.Text(5);
  chain::Bytes prev = q.Blob(6);
  chain::Bytes h = q.Blob(7);
  if (prev.size() == 32) std::copy(prev.begin(), prev.end(), r.prev_hash.begin());
  if (h.size() == 32) std::copy(h.begin(), h.end(), r.hash.begin());
  return r;
}

constexpr char kSelect[] =
    "SELECT seq, time_us, actor, action, subject, details, prev_hash, hash FROM audit ";

}  // namespace

std::string CanonicalAuditEntry(const AuditRecord& r) {
  // nlohmann::json objects keep keys sorted; dump() without indent is compact.
  nlohmann::json j = {{"seq", r.seq},       {"time_us", r.time_us}, {"actor", r.actor},
                      {"action", r.action}, {"subject", r.subject}, {"details", r.details}};
  return j.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

chain::Hash32 AuditEntryHash(const chain::Hash32& prev_hash, const AuditRecord& r) {
  const std::string entry = CanonicalAuditEntry(r);
  chain::Bytes buf(prev_hash.begin(), prev_hash.end());
  buf.insert(buf.end(), entry.begin(), entry.end());
  return chain::Blake2b256(chain::View(buf));
}

absl::StatusOr<AuditRecord> AuditHead(Db& db) {
  absl::StatusOr<Stmt> q = db.Prepare(std::string(kSelect) + "ORDER BY seq DESC LIMIT 1");
  if (!q.ok()) return q.status();
  absl::StatusOr<bool> row = q->Step();
  if (!row.ok()) return row.status();
  if (!*row) return AuditRecord{};
  return RowToRecord(*q);
}

absl::StatusOr<AuditRecord> AppendAudit(Db& db, int64_t time_us, const std::string& actor,
                                        const std::string& action, const std::string& subject,
                                        const nlohmann::json& details) {
  // Only the head's number and hash (AuditHead reads the whole entry).
  uint64_t head_seq = 0;
  chain::Hash32 head_hash{};
  {
    absl::StatusOr<Stmt> q = db.Prepare("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1");
    if (!q.ok()) return q.status();
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (*row) {
      head_seq = static_cast<uint64_t>(q->Int(0));
      const chain::Bytes h = q->Blob(1);
      if (h.size() == 32) std::copy(h.begin(), h.end(), head_hash.begin());
    }
  }
  AuditRecord r;
  r.seq = head_seq + 1;
  r.time_us = time_us;
  r.actor = actor;
  r.action = action;
  r.subject = subject;
  r.details = details.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
  r.prev_hash = head_hash;
  r.hash = AuditEntryHash(r.prev_hash, r);
  absl::StatusOr<Stmt> ins = db.Prepare(
      "INSERT INTO audit(seq, time_us, actor, action, subject, details, prev_hash, hash) "
      "VALUES (?,?,?,?,?,?,?,?)");
  if (!ins.ok()) return ins.status();
  ins->Bind(1, static_cast<int64_t>(r.seq)).Bind(2, r.time_us).Bind(3, r.actor).Bind(4, r.action);
  ins->Bind(5, r.subject).Bind(6, r.details).BindBlob(7, chain::View(r.prev_hash));
  ins->BindBlob(8, chain::View(r.hash));
  if (absl::Status s = ins->Run(); !s.ok()) return s;
  return r;
}

absl::StatusOr<std::vector<AuditRecord>> ReadAuditRange(Db& db, uint64_t from_seq, uint32_t limit) {
  absl::StatusOr<Stmt> q = db.Prepare(std::string(kSelect) + "WHERE seq >= ? ORDER BY seq LIMIT ?");
  if (!q.ok()) return q.status();
  q->Bind(1, static_cast<int64_t>(std::min<uint64_t>(from_seq, INT64_MAX)))
      .Bind(2, static_cast<int64_t>(limit));
  std::vector<AuditRecord> out;
  for (;;) {
    absl::StatusOr<bool> row = q->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(RowToRecord(*q));
  }
  return out;
}

AuditVerdict VerifyAuditRecords(const std::vector<AuditRecord>& records) {
  AuditVerdict v;
  chain::Hash32 prev{};
  uint64_t expect_seq = 1;
  for (const AuditRecord& r : records) {
    auto fail = [&](std::string why) {
      v.ok = false;
      v.first_bad_seq = expect_seq;
      v.reason = std::move(why);
    };
    if (r.seq != expect_seq) {
      fail(absl::StrCat("expected entry ", expect_seq, ", found ", r.seq,
                        " (entries missing or reordered)"));
      return v;
    }
    if (r.prev_hash != prev) {
      fail("prev_hash does not match the hash of the previous entry");
      return v;
    }
    if (AuditEntryHash(prev, r) != r.hash) {
      fail("entry content does not match its hash (modified)");
      return v;
    }
    prev = r.hash;
    ++expect_seq;
    ++v.entries;
  }
  v.head_hash = prev;
  return v;
}

absl::StatusOr<std::vector<AuditRecord>> ReadAllAudit(Db& db) {
  std::vector<AuditRecord> all;
  uint64_t from = 1;
  for (;;) {
    absl::StatusOr<std::vector<AuditRecord>> part = ReadAuditRange(db, from, 10000);
    if (!part.ok()) return part.status();
    if (part->empty()) break;
    from = part->back().seq + 1;
    all.insert(all.end(), part->begin(), part->end());
  }
  return all;
}

absl::StatusOr<AuditVerdict> VerifyAuditDatabase(const std::string& path) {
  absl::StatusOr<std::unique_ptr<Db>> db = Db::Open(path, /*read_only=*/true);
  if (!db.ok()) return db.status();
  absl::StatusOr<std::vector<AuditRecord>> all = ReadAllAudit(**db);
  if (!all.ok()) return all.status();
  return VerifyAuditRecords(*all);
}

nlohmann::json AuditRecordToJson(const AuditRecord& r) {
  return {{"seq", r.seq},
          {"time_us", r.time_us},
          {"actor", r.actor},
          {"action", r.action},
          {"subject", r.subject},
          {"details", r.details},
          {"prev_hash", chain::HexEncode(r.prev_hash)},
          {"hash", chain::HexEncode(r.hash)}};
}

absl::StatusOr<std::vector<AuditRecord>> ParseAuditExport(const std::string& json_text) {
  nlohmann::json j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_array()) {
    return absl::InvalidArgumentError("audit export must be a JSON array of entries");
  }
  std::vector<AuditRecord> records;
  for (const nlohmann::json& e : j) {
    if (!e.is_object() || !e.contains("seq") || !e["seq"].is_number_unsigned() ||
        !e.contains("time_us") || !e["time_us"].is_number_integer() ||
        !e.value("actor", nlohmann::json()).is_string() ||
        !e.value("action", nlohmann::json()).is_string() ||
        !e.value("subject", nlohmann::json()).is_string() ||
        !e.value("details", nlohmann::json()).is_string() ||
        !e.value("prev_hash", nlohmann::json()).is_string() ||
        !e.value("hash", nlohmann::json()).is_string()) {
      return absl::InvalidArgumentError(
          absl::StrCat("audit export entry ", records.size() + 1, " is malformed"));
    }
    AuditRecord r;
    r.seq = e["seq"].get<uint64_t>();
    r.time_us = e["time_us"].get<int64_t>();
    r.actor = e["actor"].get<std::string>();
    r.action = e["action"].get<std::string>();
    r.subject = e["subject"].get<std::string>();
    r.details = e["details"].get<std::string>();
    absl::StatusOr<chain::Hash32> prev =
        chain::HexDecodeFixed<32>(e["prev_hash"].get<std::string>());
    absl::StatusOr<chain::Hash32> h = chain::HexDecodeFixed<32>(e["hash"].get<std::string>());
    if (!prev.ok() || !h.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("audit export entry ", records.size() + 1, " has a malformed hash"));
    }
    r.prev_hash = *prev;
    r.hash = *h;
    records.push_back(std::move(r));
  }
  return records;
}

absl::StatusOr<AuditVerdict> VerifyAuditExport(const std::string& json_text) {
  absl::StatusOr<std::vector<AuditRecord>> records = ParseAuditExport(json_text);
  if (!records.ok()) return records.status();
  return VerifyAuditRecords(*records);
}

absl::Status CheckAnchor(const std::vector<AuditRecord>& records, const AuditAnchor& anchor) {
  if (anchor.seq == 0) return absl::OkStatus();
  if (anchor.seq > records.size()) {
    return absl::DataLossError(absl::StrCat("a transaction anchors audit entry ", anchor.seq,
                                            " but the log has only ", records.size(),
                                            " entries: the log was truncated"));
  }
  const AuditRecord& r = records[anchor.seq - 1];
  if (r.seq != anchor.seq || r.hash != anchor.hash) {
    return absl::DataLossError(
        absl::StrCat("audit entry ", anchor.seq, " differs from the one a transaction anchors (",
                     chain::HexEncode(anchor.hash), "): the log was rewritten"));
  }
  return absl::OkStatus();
}

}  // namespace stakeward::controller
