// stakewardd: the Stakeward controller daemon.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "controller/daemon/chain_watcher.h"
#include "controller/daemon/config_check.h"
#include "controller/daemon/controller.h"
#include "controller/daemon/daemon_config.h"
#include "controller/daemon/json_log.h"
#include "controller/daemon/l2_watcher.h"
#include "controller/daemon/metrics.h"
#include "controller/daemon/server.h"
#include "controller/daemon/workflow_gauges.h"
#include "controller/model/bounded_read.h"
#include "controller/store/proposal_store.h"
#include "policy/approval.h"

namespace sc = stakeward::controller;

namespace {

// Bounded by the input-limits table before anything is read; the reason lands in `error`.
bool ReadFile(const std::string& path, sc::InputKind kind, std::string& out, std::string& error) {
  absl::StatusOr<std::string> text = sc::ReadBoundedFile(path, kind);
  if (!text.ok()) {
    error = std::string(text.status().message());
    return false;
  }
  out = *std::move(text);
  return true;
}

int Fail(const std::string& msg) {
  sc::LogJson("error", msg);
  return 1;
}

// Loads startup files: a policy to propose, approvals for it, a snapshot to push. Each step is
// idempotent, so restarting with the same flags changes nothing.
int Bootstrap(sc::Controller& c, const std::string& policy_file, const std::string& approvals_file,
              const std::string& snapshot_file) {
  const sc::Identity system{sc::RoleKind::kOperator, "bootstrap"};
  std::string read_error;
  if (!policy_file.empty()) {
    std::string doc;
    if (!ReadFile(policy_file, sc::InputKind::kPolicy, doc, read_error))
      return Fail("--policy: " + read_error);
    absl::StatusOr<sc::PolicyVersionRec> p = c.ProposePolicy(system, doc);
    if (!p.ok() && !absl::IsAlreadyExists(p.status())) {
      return Fail(absl::StrCat("--policy: ", p.status().ToString()));
    }
    if (p.ok() && !approvals_file.empty()) {
      std::string text;
      if (!ReadFile(approvals_file, sc::InputKind::kApprovals, text, read_error))
        return Fail("--policy-approvals: " + read_error);
      absl::StatusOr<std::vector<stakeward::policy::Approval>> approvals =
          stakeward::policy::ParseApprovals(text);
      if (!approvals.ok())
        return Fail(absl::StrCat("--policy-approvals: ", approvals.status().ToString()));
      for (const auto& a : *approvals) {
        absl::StatusOr<sc::PolicyVersionRec> r =
            c.ApprovePolicy(sc::Identity{sc::RoleKind::kSigner, a.signer}, p->version, p->hash,
                            a.vkey, a.signature);
        if (!r.ok() && !absl::IsFailedPrecondition(r.status())) {
          return Fail(absl::StrCat("approval of ", a.signer, ": ", r.status().ToString()));
        }
      }
    }
  }
  if (!snapshot_file.empty()) {
    std::string doc;
    if (!ReadFile(snapshot_file, sc::InputKind::kSnapshot, doc, read_error))
      return Fail("--snapshot: " + read_error);
    absl::StatusOr<sc::PushSnapshotResult> s = c.PushSnapshot(system, doc);
    if (!s.ok()) return Fail(absl::StrCat("--snapshot: ", s.status().ToString()));
  }
  return 0;
}

}  // namespace

// The reserve report's difference (L1 backing − L2 supply), refreshed on every L2 look; nothing
// before the first report.
std::string ReserveGauges(sc::L2Watcher* l2) {
  std::optional<std::pair<double, bool>> r = l2 != nullptr ? l2->LastReserve() : std::nullopt;
  if (!r) return "";
  return absl::StrCat(
      "# HELP stakeward_reserve_difference_lovelace L1 stake minus the L2 contract's supply.\n"
      "# TYPE stakeward_reserve_difference_lovelace gauge\nstakeward_reserve_difference_lovelace ",
      r->first,
      "\n# HELP stakeward_reserve_shortfall 1 when the L2 supply exceeds the L1 stake.\n"
      "# TYPE stakeward_reserve_shortfall gauge\nstakeward_reserve_shortfall ",
      r->second ? 1 : 0, "\n");
}

int main(int argc, char** argv) {
  // Debian builds absl without NDEBUG, which turns on its deadlock detector: a lock graph kept
  // on every Mutex::Lock, about 3 % of the witness path's CPU. The daemon runs without it;
  // the tests keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  CLI::App app{"stakewardd: the Stakeward delegation controller"};
  app.set_version_flag("--version",
                       "stakewardd " STAKEWARD_VERSION " (commit " STAKEWARD_COMMIT ")");
  sc::DaemonConfig cfg;
  std::string config_file, policy_file, approvals_file, snapshot_file;
  std::string db, listen, metrics_listen, tls_cert, tls_key, tls_ca;
  bool dev = false;
  app.add_option("--config", config_file, "YAML/JSON config file");
  app.add_option("--db", db, "SQLite database file");
  app.add_option("--listen", listen, "gRPC listen address host:port (port 0 = any free port)");
  app.add_option("--metrics-listen", metrics_listen, "Prometheus endpoint host:port");
  app.add_flag("--dev", dev, "dev mode: no TLS, roles from x-stakeward-role; loopback only");
  app.add_option("--tls-cert", tls_cert, "server certificate (PEM)");
  app.add_option("--tls-key", tls_key, "server private key (PEM)");
  app.add_option("--tls-ca", tls_ca, "CA that issues client certificates (PEM)");
  app.add_option("--policy", policy_file, "propose this policy at startup (idempotent)");
  app.add_option("--policy-approvals", approvals_file,
                 "approvals JSON for --policy: [{signer, vkey, signature}]");
  app.add_option("--snapshot", snapshot_file, "push this snapshot at startup (idempotent)");
  std::string l2_rpc;
  uint64_t l2_confirmations = 0;
  app.add_option("--l2-rpc", l2_rpc,
                 "L2 node JSON-RPC URL: broadcast and confirm the deposits (config l2.rpc)");
  app.add_option("--l2-confirmations", l2_confirmations,
                 "blocks before a deposit counts as confirmed (config l2.confirmations)")
      ->check(CLI::Range(uint64_t{1}, uint64_t{10000}));
  bool check_config = false;
  app.add_flag("--check-config", check_config,
               "check the configuration, TLS files, database path and startup files, print the "
               "effective settings and exit (0 when all is well); opens nothing for writing");
  bool forensics = false;
  app.add_flag("--forensics", forensics,
               "open the database read-only and serve it even if its audit log or state fails "
               "verification (inspection only: every change is refused)");
  CLI11_PARSE(app, argc, argv);
  if (forensics && !(policy_file.empty() && approvals_file.empty() && snapshot_file.empty())) {
    return Fail(
        "--forensics serves a database read-only: it takes no --policy, "
        "--policy-approvals or --snapshot");
  }

  if (!config_file.empty()) {
    std::string text, read_error;
    if (!ReadFile(config_file, sc::InputKind::kConfig, text, read_error))
      return Fail("--config: " + read_error);
    // Paths in the file are relative to the file's folder; paths in flags to the working one.
    const std::string base = std::filesystem::path(config_file).parent_path().string();
    if (absl::Status s = sc::ParseDaemonConfig(text, cfg, base); !s.ok()) {
      return Fail(s.ToString());
    }
  }
  if (!db.empty()) cfg.db = db;
  if (!listen.empty()) cfg.listen = listen;
  if (!metrics_listen.empty()) cfg.metrics_listen = metrics_listen;
  if (dev) cfg.dev = true;
  if (!tls_cert.empty()) cfg.tls_cert = tls_cert;
  if (!tls_key.empty()) cfg.tls_key = tls_key;
  if (!tls_ca.empty()) cfg.tls_ca = tls_ca;
  if (!l2_rpc.empty()) cfg.l2.rpc = l2_rpc;
  if (l2_confirmations != 0) cfg.l2.confirmations = l2_confirmations;
  if (check_config) {
    absl::StatusOr<std::string> report =
        sc::CheckConfig(cfg, sc::StartupFiles{policy_file, approvals_file, snapshot_file});
    if (!report.ok()) {
      std::fprintf(stderr, "config check failed: %s\n",
                   std::string(report.status().message()).c_str());
      return 1;
    }
    std::printf("%sconfig OK\n", report->c_str());
    return 0;
  }
  // Addresses are checked before the database is opened or anything listens.
  if (absl::Status s = sc::ValidateDaemonConfig(cfg); !s.ok()) return Fail(s.ToString());

  // Signals are taken synchronously by the main thread; every other thread blocks them.
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGINT);
  pthread_sigmask(SIG_BLOCK, &sigs, nullptr);
  signal(SIGPIPE, SIG_IGN);

  sc::ControllerOptions co;
  co.db_path = cfg.db;
  co.dev_mode = cfg.dev;
  co.default_ttl_slots = cfg.default_ttl_slots;
  co.forensics = forensics;
  absl::StatusOr<std::unique_ptr<sc::Controller>> controller = sc::Controller::Open(co);
  if (!controller.ok()) return Fail(controller.status().ToString());
  if (forensics) {
    const std::string& finding = (*controller)->forensic_finding();
    sc::LogJson("warning", "forensics: serving the database read-only",
                {{"db", cfg.db}, {"verifies", finding.empty()}, {"finding", finding}});
  }
  if (int rc = Bootstrap(**controller, policy_file, approvals_file, snapshot_file); rc != 0) {
    return rc;
  }

  // The L2 deposit driver (config `l2:` or --l2-rpc): broadcast, confirmation, adoption.
  std::unique_ptr<sc::L2Watcher> l2;
  if (!cfg.l2.rpc.empty() && !(*controller)->read_only()) {
    absl::StatusOr<std::unique_ptr<sc::L2Watcher>> w =
        sc::L2Watcher::Create(controller->get(), cfg.l2);
    if (!w.ok()) return Fail(absl::StrCat("l2: ", w.status().ToString()));
    l2 = std::move(*w);
  }

  sc::Metrics metrics;
  sc::Controller* cp = controller->get();
  sc::L2Watcher* l2p = l2.get();
  sc::WorkflowGauges workflow(cp);
  sc::WorkflowGauges* wp = &workflow;
  metrics.SetCollector([cp, l2p, wp] {
    std::string out = ReserveGauges(l2p);
    out += "# HELP stakeward_proposals Proposals by state.\n# TYPE stakeward_proposals gauge\n";
    absl::StatusOr<sc::StatusInfo> st = cp->Status();
    if (!st.ok()) return out;
    // Every state is reported, zero included, so a dashboard's series never vanish.
    std::map<sc::ProposalState, uint64_t> counts;
    for (int i = static_cast<int>(sc::ProposalState::kOpen);
         i <= static_cast<int>(sc::ProposalState::kConfirmed); ++i) {
      counts[static_cast<sc::ProposalState>(i)] = 0;
    }
    for (const auto& [state, n] : st->proposals) counts[state] = n;
    for (const auto& [state, n] : counts) {
      absl::StrAppend(&out, "stakeward_proposals{state=\"",
                      std::string(sc::ProposalStateName(state)), "\"} ", n, "\n");
    }
    absl::StrAppend(&out, "# TYPE stakeward_audit_head_seq gauge\nstakeward_audit_head_seq ",
                    st->audit_head.seq, "\n");
    absl::StrAppend(&out, "# TYPE stakeward_build_info gauge\nstakeward_build_info{version=\"",
                    STAKEWARD_VERSION, "\",commit=\"", STAKEWARD_COMMIT, "\"} 1\n");
    absl::StrAppend(&out, "# TYPE stakeward_policy_in_force_version gauge\n",
                    "stakeward_policy_in_force_version ", st->policy_in_force, "\n");
    if (st->latest_snapshot) {
      // Prometheus computes the age: time() - stakeward_snapshot_pushed_timestamp_seconds.
      absl::StrAppend(&out, "# TYPE stakeward_snapshot_epoch gauge\nstakeward_snapshot_epoch ",
                      st->latest_snapshot->epoch, "\n# TYPE stakeward_snapshot_slot gauge\n",
                      "stakeward_snapshot_slot ", st->latest_snapshot->slot,
                      "\n# TYPE stakeward_snapshot_pushed_timestamp_seconds gauge\n",
                      "stakeward_snapshot_pushed_timestamp_seconds ",
                      st->latest_snapshot->pushed_us / 1000000, "\n");
    }
    return out + wp->Collect();
  });
  metrics.SetReadiness([cp] { return cp->Status().status(); });
  std::unique_ptr<sc::MetricsServer> metrics_server;
  if (!cfg.metrics_listen.empty()) {
    absl::StatusOr<std::unique_ptr<sc::MetricsServer>> m =
        sc::MetricsServer::Start(cfg.metrics_listen, &metrics);
    if (!m.ok()) return Fail(m.status().ToString());
    metrics_server = std::move(*m);
  }

  // The chain link (config `chain:`): submissions and the evidence-based lifecycle. Not in
  // forensics mode, which changes nothing.
  std::unique_ptr<sc::ChainWatcher> chain;
  if (!cfg.chain.kind.empty() && !(*controller)->read_only()) {
    absl::StatusOr<std::unique_ptr<sc::ChainWatcher>> w = sc::ChainWatcher::Create(cp, cfg.chain);
    if (!w.ok()) return Fail(w.status().ToString());
    chain = std::move(*w);
  }

  sc::ServerOptions so;
  so.chain = chain.get();
  so.l2 = l2.get();
  so.listen = cfg.listen;
  so.dev_mode = cfg.dev;
  so.tls_cert_file = cfg.tls_cert;
  so.tls_key_file = cfg.tls_key;
  so.tls_ca_file = cfg.tls_ca;
  so.roles = cfg.roles;
  so.streams = cfg.streams;
  absl::StatusOr<std::unique_ptr<sc::DaemonServer>> server =
      sc::DaemonServer::Start(cp, so, &metrics);
  if (!server.ok()) return Fail(server.status().ToString());

  const std::string host = cfg.listen.substr(0, cfg.listen.rfind(':'));
  std::string ready = absl::StrCat("READY grpc:", host, ":", (*server)->port());
  if (metrics_server) absl::StrAppend(&ready, " metrics:", metrics_server->port());
  std::printf("%s\n", ready.c_str());
  std::fflush(stdout);
  if (chain) chain->Start();
  if (l2) l2->Start();
  sc::LogJson(
      "info", "stakewardd serving",
      {{"listen", cfg.listen}, {"port", (*server)->port()}, {"dev", cfg.dev}, {"db", cfg.db}});

  int sig = 0;
  sigwait(&sigs, &sig);
  sc::LogJson("info", "shutting down", {{"signal", sig}});
  if (chain) chain->Stop();
  if (l2) l2->Stop();
  (*server)->Shutdown(absl::Seconds(5));
  (*server)->Wait();
  if (metrics_server) metrics_server->Stop();
  sc::LogJson("info", "stopped");
  return 0;
}
