// `stakeward audit verify --db FILE | --export FILE` (offline) and `stakeward audit export`.
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "CLI/CLI.hpp"
#include "chain/bytes.h"
#include "absl/strings/str_cat.h"
#include "controller/cli/command.h"
#include "controller/daemon/bounded_read.h"
#include "controller/daemon/api_client_flags.h"
#include "controller/daemon/audit_log.h"
#include "proto/stakeward/v1/audit.grpc.pb.h"

namespace stakeward::cli {
namespace {

using controller::ClientOptions;
using controller::ThrowStatus;

void Report(const controller::AuditVerdict& v) {
  if (v.ok) {
    std::printf("audit log OK: %llu entries, head %s\n", static_cast<unsigned long long>(v.entries),
                chain::HexEncode(v.head_hash).c_str());
    return;
  }
  throw CLI::RuntimeError(absl::StrCat("audit log BROKEN at entry ", v.first_bad_seq, ": ",
                                       v.reason, " (", v.entries, " entries before it verify)"),
                          kExitDenied);
}

RegisterCommands reg([](CLI::App& app) {
  CLI::App* root = controller::GetOrAddSubcommand(app, "audit", "The controller's audit log");
  {
    auto db = std::make_shared<std::string>();
    auto exp = std::make_shared<std::string>();
    CLI::App* c = root->add_subcommand(
        "verify", "Check the hash chain offline; names the first bad entry");
    c->add_option("--db", *db, "controller SQLite database (opened read-only)")
        ->check(CLI::ExistingFile);
    c->add_option("--export", *exp, "JSON export from `stakeward audit export`")
        ->check(CLI::ExistingFile);
    c->callback([db, exp] {
      if (db->empty() == exp->empty()) {
        ThrowStatus(absl::InvalidArgumentError("give exactly one of --db or --export"));
      }
      if (!db->empty()) {
        auto v = controller::VerifyAuditDatabase(*db);
        if (!v.ok()) ThrowStatus(v.status());
        Report(*v);
        return;
      }
      absl::StatusOr<std::string> text =
          controller::ReadBoundedFile(*exp, controller::InputKind::kAuditExport);
      if (!text.ok()) ThrowStatus(text.status());
      auto v = controller::VerifyAuditExport(*text);
      if (!v.ok()) ThrowStatus(v.status());
      Report(*v);
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
          if (e.prev_hash().size() == 32) std::copy(e.prev_hash().begin(), e.prev_hash().end(), r.prev_hash.begin());
          if (e.hash().size() == 32) std::copy(e.hash().begin(), e.hash().end(), r.hash.begin());
          arr.push_back(controller::AuditRecordToJson(r));
          from = e.seq() + 1;
        }
        if (resp.entries().empty()) break;
      }
      std::ofstream f(*out, std::ios::trunc);
      if (!(f << arr.dump(2) << "\n")) ThrowStatus(absl::InvalidArgumentError("cannot write " + *out));
      std::printf("%zu entries written to %s\n", arr.size(), out->c_str());
    });
  }
});

}  // namespace
}  // namespace stakeward::cli
