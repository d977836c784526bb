// `stakeward audit verify --db FILE | --export FILE [--against-tx FILE...]` (offline) and
// `stakeward audit export`.
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "chain/bytes.h"
#include "chain/text_envelope.h"
#include "controller/cli/command.h"
#include "controller/client/api_client_flags.h"
#include "controller/model/audit_anchor.h"
#include "controller/model/bounded_read.h"
#include "controller/store/audit_log.h"
#include "controller/store/audit_replay.h"
#include "nlohmann/json.hpp"
#include "proto/stakeward/v1/audit.grpc.pb.h"

namespace stakeward::cli {
namespace {

using controller::ClientOptions;
using J = nlohmann::ordered_json;

// Where verify's findings go: lines for people, or (--json) one object printed at the end.
struct Findings {
  bool json = false;
  J j = J::object();
  void Line(const std::string& s) const {
    if (!json) std::printf("%s\n", s.c_str());
  }
};

void Report(const controller::AuditVerdict& v, Findings& f) {
  f.j["entries"] = v.entries;
  if (v.ok) {
    f.j["head"] = chain::HexEncode(v.head_hash);
    f.Line(absl::StrCat("audit log OK: ", v.entries, " entries, head ",
                        chain::HexEncode(v.head_hash)));
    return;
  }
  f.j["first_bad_seq"] = v.first_bad_seq;
  f.j["reason"] = v.reason;
  throw CLI::RuntimeError(absl::StrCat("audit log BROKEN at entry ", v.first_bad_seq, ": ",
                                       v.reason, " (", v.entries, " entries before it verify)"),
                          kExitDenied);
}

// Each exported transaction names the audit head its proposal was created at (audit_anchor.h):
// a log without that entry, or with another hash there, was truncated or rewritten.
void CheckAgainstTxs(const std::vector<controller::AuditRecord>& records,
                     const std::vector<std::string>& files, Findings& f) {
  int bad = 0;
  J& out = f.j["against_tx"] = J::array();
  for (const std::string& file : files) {
    absl::StatusOr<std::string> text =
        controller::ReadBoundedFile(file, controller::InputKind::kTransaction);
    if (!text.ok()) ThrowStatus(text.status());
    auto te = chain::ParseTextEnvelopeOfType(
        *text, {chain::kTeTx, chain::kTeUnwitnessedTx, chain::kTeWitnessedTx});
    if (!te.ok())
      ThrowStatus(absl::InvalidArgumentError(absl::StrCat(file, ": ", te.status().message())));
    auto tx = chain::DecodeTransaction(chain::View(te->cbor));
    if (!tx.ok())
      ThrowStatus(absl::InvalidArgumentError(absl::StrCat(file, ": ", tx.status().message())));
    absl::StatusOr<controller::AuditAnchor> anchor = controller::AnchorOfTransaction(*tx);
    if (!anchor.ok())
      ThrowStatus(absl::InvalidArgumentError(absl::StrCat(file, ": ", anchor.status().message())));
    absl::Status s = controller::CheckAnchor(records, *anchor);
    out.push_back({{"file", file}, {"anchor_seq", anchor->seq}, {"present", s.ok()}});
    if (s.ok()) {
      f.Line(absl::StrCat(file, ": anchors audit entry ", anchor->seq, ": present"));
    } else {
      ++bad;
      out.back()["problem"] = std::string(s.message());
      f.Line(absl::StrCat(file, ": ", s.message()));
    }
  }
  if (bad > 0) {
    throw CLI::RuntimeError(absl::StrCat(bad, " of ", files.size(),
                                         " transactions anchor entries this log does not hold"),
                            kExitDenied);
  }
}

// An anchor held outside the database: the head hash recorded earlier (a checkpoint) must still be
// in the log, as its newest entry, and the log must not have fewer entries than it once had.
void CheckExpectations(const std::vector<controller::AuditRecord>& records,
                       const std::string& expect_head, uint64_t min_entries, Findings& f) {
  if (min_entries > 0) f.j["min_entries"] = min_entries;
  if (records.size() < min_entries) {
    throw CLI::RuntimeError(
        absl::StrCat("audit log has ", records.size(), " entries, fewer than the ", min_entries,
                     " expected: it was truncated"),
        kExitDenied);
  }
  if (expect_head.empty()) return;
  const std::string have =
      records.empty() ? std::string(64, '0') : chain::HexEncode(records.back().hash);
  if (absl::AsciiStrToLower(expect_head) != have) {
    throw CLI::RuntimeError(absl::StrCat("audit head is ", have, ", not the expected ", expect_head,
                                         ": the log was truncated, rewritten or extended"),
                            kExitDenied);
  }
  f.j["expect_head"] = have;
  f.Line("audit head matches the expected " + have);
}

// State derives from the log: the tables must hold exactly what replaying the log implies.
void CheckState(controller::Db& db, const std::vector<controller::AuditRecord>& records,
                Findings& f) {
  absl::Status s = controller::CheckStateMatchesLog(db, records);
  if (!s.ok()) throw CLI::RuntimeError(std::string(s.message()), kExitDenied);
  absl::StatusOr<controller::StateFacts> facts = controller::FactsFromTables(db);
  if (!facts.ok()) ThrowStatus(facts.status());
  f.j["state_facts"] = facts->size();
  f.Line(absl::StrCat("state tables match the log: ", facts->size(), " facts"));
}

// The checks of `audit verify`, in order; each failure throws with its exit code.
void Verify(const std::string& db, const std::string& exp, const std::vector<std::string>& txs,
            const std::string& head, uint64_t min_entries, Findings& f) {
  if (db.empty() == exp.empty()) {
    ThrowStatus(absl::InvalidArgumentError("give exactly one of --db or --export"));
  }
  absl::StatusOr<std::vector<controller::AuditRecord>> records;
  std::unique_ptr<controller::Db> handle;
  if (!db.empty()) {
    auto opened = controller::Db::Open(db, /*read_only=*/true);
    if (!opened.ok()) ThrowStatus(opened.status());
    handle = std::move(*opened);
    records = controller::ReadAllAudit(*handle);
  } else {
    absl::StatusOr<std::string> text =
        controller::ReadBoundedFile(exp, controller::InputKind::kAuditExport);
    if (!text.ok()) ThrowStatus(text.status());
    records = controller::ParseAuditExport(*text);
  }
  if (!records.ok()) ThrowStatus(records.status());
  Report(controller::VerifyAuditRecords(*records), f);
  CheckExpectations(*records, head, min_entries, f);
  if (!txs.empty()) CheckAgainstTxs(*records, txs, f);
  if (handle) CheckState(*handle, *records, f);
}

RegisterCommands reg([](CLI::App& app) {
  CLI::App* root = controller::GetOrAddSubcommand(app, "audit", "The controller's audit log");
  {
    auto db = std::make_shared<std::string>();
    auto exp = std::make_shared<std::string>();
    CLI::App* c =
        root->add_subcommand("verify", "Check the hash chain offline; names the first bad entry");
    c->add_option("--db", *db, "controller SQLite database (opened read-only)")
        ->check(CLI::ExistingFile);
    c->add_option("--export", *exp, "JSON export from `stakeward audit export`")
        ->check(CLI::ExistingFile);
    auto txs = std::make_shared<std::vector<std::string>>();
    c->add_option("--against-tx", *txs,
                  "exported transaction(s) (`proposal export`): the log must hold the audit "
                  "entry each one anchors (detects truncation and rewrites)")
        ->check(CLI::ExistingFile);
    auto head = std::make_shared<std::string>();
    auto min_entries = std::make_shared<uint64_t>(0);
    c->add_option("--expect-head", *head,
                  "hex hash the log's newest entry must have (a head recorded earlier, e.g. from "
                  "`audit verify` or a transaction's anchor)")
        ->check([](const std::string& v) {
          return v.size() == 64 && chain::HexDecode(v).ok() ? "" : "64 hex digits";
        });
    c->add_option("--min-entries", *min_entries,
                  "the log must hold at least this many entries (detects deleted tails)");
    auto json = std::make_shared<bool>(false);
    c->add_flag("--json", *json,
                "one JSON object with every finding (\"ok\": false and \"error\" on a failure; "
                "the exit code is the same)");
    c->callback([db, exp, txs, head, min_entries, json] {
      Findings f;
      f.json = *json;
      try {
        Verify(*db, *exp, *txs, *head, *min_entries, f);
        f.j["ok"] = true;
      } catch (const CLI::RuntimeError& e) {
        if (!f.json) throw;
        f.j["ok"] = false;
        f.j["error"] = e.what();
        std::printf("%s\n", f.j.dump(2).c_str());
        throw;
      }
      if (f.json) std::printf("%s\n", f.j.dump(2).c_str());
    });
  }
  {
    auto o = std::make_shared<ClientOptions>();
    auto out = std::make_shared<std::string>();
    CLI::App* c = root->add_subcommand("export", "Download the whole audit log as JSON");
    controller::AddClientFlags(c, o.get());
    c->add_option("--out", *out, "output file")->required();
    c->callback([o, out] {
      auto ch = controller::MakeChannel(*o);
      if (!ch.ok()) ThrowStatus(ch.status());
      auto stub = v1::AuditService::NewStub(*ch);
      nlohmann::json arr = nlohmann::json::array();
      uint64_t from = 1;
      for (;;) {
        v1::ReadAuditRequest req;
        req.set_from_seq(from);
        req.set_limit(5000);
        v1::ReadAuditResponse resp;
        grpc::Status s = stub->ReadAudit(controller::NewContext(*o).get(), req, &resp);
        if (!s.ok()) ThrowStatus(controller::FromGrpc(s));
        for (const auto& e : resp.entries()) {
          controller::AuditRecord r;
          r.seq = e.seq();
          r.time_us = e.time_us();
          r.actor = e.actor();
          r.action = e.action();
          r.subject = e.subject();
          r.details = e.details();
          if (e.prev_hash().size() == 32)
            std::copy(e.prev_hash().begin(), e.prev_hash().end(), r.prev_hash.begin());
          if (e.hash().size() == 32) std::copy(e.hash().begin(), e.hash().end(), r.hash.begin());
          arr.push_back(controller::AuditRecordToJson(r));
          from = e.seq() + 1;
        }
        if (resp.entries().empty()) break;
      }
      std::ofstream f(*out, std::ios::trunc);
      if (!(f << arr.dump(2) << "\n"))
        ThrowStatus(absl::InvalidArgumentError("cannot write " + *out));
      std::printf("%zu entries written to %s\n", arr.size(), out->c_str());
    });
  }
});

}  // namespace
}  // namespace stakeward::cli
