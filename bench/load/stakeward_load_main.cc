// stakeward-load: load figures for one controller (in-process stakewardd on a fresh database,
// dev mode on loopback, real gRPC, SQLite with synchronous=FULL):
//  1. durable witness submissions per second with N concurrent clients (default 50): a policy of
//     32 signers with threshold 32, so every submission of one key's witness is a fresh committed
//     write; proposals are re-created (reject, create) until the target count is reached;
//  2. p50/p99 latency of DryRunPlan over a snapshot of P pools (default 3000), cloned from the
//     sample snapshot with fresh pool ids and groups.
// Usage: stakeward-load [--clients 50] [--witnesses 2000] [--pools 3000] [--plans 100]
//                       [--source-dir DIR]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "chain/hash.h"
#include "chain/keys.h"
#include "controller/daemon/controller.h"
#include "controller/daemon/json_log.h"
#include "controller/daemon/server.h"
#include "grpcpp/grpcpp.h"
#include "nlohmann/json.hpp"
#include "policy/approval.h"
#include "policy/snapshot.h"
#include "proto/stakeward/v1/policy.grpc.pb.h"
#include "proto/stakeward/v1/proposal.grpc.pb.h"
#include "proto/stakeward/v1/snapshot.grpc.pb.h"

namespace sc = stakeward::controller;
namespace chain = stakeward::chain;
namespace v1 = stakeward::v1;

namespace {

std::string Slurp(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::unique_ptr<grpc::ClientContext> Ctx(const std::string& role) {
  auto c = std::make_unique<grpc::ClientContext>();
  c->AddMetadata("x-stakeward-role", role);
  c->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
  return c;
}

struct Signer {
  std::string name;
  chain::XPrv root;
  chain::XPub xpub;
};

chain::XPrv Derive(const chain::XPrv& root, const std::string& path) {
  return chain::DerivePath(root, *chain::ParsePath(path));
}

double Ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"stakeward-load: controller throughput and latency"};
  int clients = 50, witnesses = 2000, pools = 3000, plans = 100;
  std::string src = STAKEWARD_SOURCE_DIR_DEFAULT;
  app.add_option("--clients", clients);
  app.add_option("--witnesses", witnesses);
  app.add_option("--pools", pools);
  app.add_option("--plans", plans);
  app.add_option("--source-dir", src);
  CLI11_PARSE(app, argc, argv);
  sc::SetLogQuiet(true);

  const std::string dir =
      (std::filesystem::temp_directory_path() / ("sw_load_" + std::to_string(::getpid()))).string();
  std::filesystem::create_directories(dir);
  sc::ControllerOptions co;
  co.db_path = dir + "/load.db";
  co.dev_mode = true;
  auto controller = sc::Controller::Open(co);
  if (!controller.ok()) return 1;
  sc::ServerOptions so;
  so.listen = "127.0.0.1:0";
  so.dev_mode = true;
  auto server = sc::DaemonServer::Start(controller->get(), so, nullptr);
  if (!server.ok()) return 1;
  auto ch = grpc::CreateChannel("127.0.0.1:" + std::to_string((*server)->port()),
                                grpc::InsecureChannelCredentials());
  auto pol = v1::PolicyService::NewStub(ch);
  auto snaps = v1::SnapshotService::NewStub(ch);
  auto plans_stub = v1::PlanService::NewStub(ch);
  auto props = v1::ProposalService::NewStub(ch);

  // 32 signers from fixed entropy, threshold 32.
  std::vector<Signer> signers;
  for (int i = 0; i < 32; ++i) {
    chain::Bytes entropy(16, static_cast<uint8_t>(i + 1));
    const std::string m = chain::EntropyToMnemonic(chain::View(entropy));
    Signer s;
    s.name = "s" + std::to_string(i);
    s.root = *chain::MasterKeyFromMnemonic(m, "", chain::Derivation::kIcarus);
    s.xpub = chain::ToPublic(Derive(s.root, "m/1854'/1815'/0'"));
    signers.push_back(std::move(s));
  }
  std::string yaml = Slurp(src + "/policy/samples/policy.yaml");
  const size_t a = yaml.find("signers:"), b = yaml.find("threshold:");
  std::string block = "signers:\n";
  for (const Signer& s : signers) {
    block += "  - name: " + s.name + "\n    xpub: " + chain::HexEncode(s.xpub.Serialize()) +
             "\n    device: trezor\n";
  }
  yaml = yaml.substr(0, a) + block + "threshold: 32" + yaml.substr(yaml.find('\n', b));
  v1::ProposePolicyRequest pr;
  pr.set_document(yaml);
  v1::ProposePolicyResponse presp;
  if (!pol->ProposePolicy(Ctx("operator").get(), pr, &presp).ok()) return 2;
  for (const Signer& s : signers) {
    chain::Hash32 h;
    std::copy(presp.policy().hash().begin(), presp.policy().hash().end(), h.begin());
    const chain::XPrv k = Derive(s.root, "m/1854'/1815'/0'/0/0");
    const auto sig = chain::Sign(k, chain::View(stakeward::policy::ApprovalTxId(h)));
    const auto pub = chain::ToPublic(k).public_key;
    v1::ApprovePolicyRequest ar;
    ar.set_version(presp.policy().version());
    ar.set_hash(presp.policy().hash());
    ar.set_public_key(std::string(pub.begin(), pub.end()));
    ar.set_signature(std::string(sig.begin(), sig.end()));
    v1::ApprovePolicyResponse aresp;
    if (!pol->ApprovePolicy(Ctx("signer:" + s.name).get(), ar, &aresp).ok()) return 3;
  }
  // The sample's slot addresses belong to the sample signers: drop them (optional field).
  nlohmann::json sample = nlohmann::json::parse(Slurp(src + "/policy/samples/snapshot.json"));
  for (auto& slot : sample["slots"]) slot.erase("address");
  v1::PushSnapshotRequest sr;
  sr.set_document(sample.dump());
  v1::PushSnapshotResponse sresp;
  if (!snaps->PushSnapshot(Ctx("operator").get(), sr, &sresp).ok()) return 4;

  // 1. Witness submissions.
  int64_t submitted = 0;
  std::chrono::steady_clock::duration busy{};
  while (submitted < witnesses) {
    v1::CreateProposalResponse cr;
    grpc::Status st = props->CreateProposal(Ctx("operator").get(), {}, &cr);
    if (!st.ok()) {
      std::fprintf(stderr, "create: %s\n", st.error_message().c_str());
      return 5;
    }
    // One request per (signer, tx, key): all prepared before the clock starts.
    std::vector<v1::SubmitWitnessesRequest> reqs;
    std::vector<std::string> roles;
    for (const auto& tx : cr.proposal().txs()) {
      for (const auto& rs : tx.required_signers()) {
        const Signer& s = signers[static_cast<size_t>(std::stoi(rs.signer().substr(1)))];
        for (const auto& key : rs.keys()) {
          const chain::XPrv k = Derive(s.root, key.path());
          const auto sig = chain::Sign(
              k, chain::ByteView(reinterpret_cast<const uint8_t*>(tx.tx_id().data()), 32));
          const auto pub = chain::ToPublic(k).public_key;
          v1::SubmitWitnessesRequest req;
          req.set_proposal_id(cr.proposal().id());
          auto* t = req.add_txs();
          t->set_tx_id(tx.tx_id());
          auto* w = t->add_witnesses();
          w->set_vkey(std::string(pub.begin(), pub.end()));
          w->set_signature(std::string(sig.begin(), sig.end()));
          reqs.push_back(std::move(req));
          roles.push_back("signer:" + s.name);
        }
      }
    }
    std::atomic<size_t> next{0};
    std::atomic<int> failures{0};
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&] {
        auto stub = v1::WitnessService::NewStub(ch);
        for (size_t i = next++; i < reqs.size(); i = next++) {
          v1::SubmitWitnessesResponse resp;
          grpc::Status s = stub->SubmitWitnesses(Ctx(roles[i]).get(), reqs[i], &resp);
          if (!s.ok() || resp.accepted() != 1) ++failures;
        }
      });
    }
    for (auto& t : threads) t.join();
    busy += std::chrono::steady_clock::now() - t0;
    if (failures > 0) {
      std::fprintf(stderr, "%d submissions failed\n", failures.load());
      return 6;
    }
    submitted += static_cast<int64_t>(reqs.size());
    v1::RejectProposalRequest rr;
    rr.set_id(cr.proposal().id());
    rr.set_reason("load test cycle");
    v1::RejectProposalResponse rresp;
    if (!props->RejectProposal(Ctx("signer:s0").get(), rr, &rresp).ok()) return 7;
  }
  if (submitted > 0) {
    std::printf(
        "witness submissions: %lld durable (each committed before its reply) in %.1f ms "
        "with %d clients = %.0f /s\n",
        static_cast<long long>(submitted), Ms(busy), clients,
        static_cast<double>(submitted) * 1000.0 / Ms(busy));
  }

  // 2. DryRunPlan over a large snapshot.
  nlohmann::json snap = sample;
  nlohmann::json base = snap["pools"];
  nlohmann::json all = nlohmann::json::array();
  for (int i = 0; i < pools; ++i) {
    nlohmann::json p = base[static_cast<size_t>(i) % base.size()];
    chain::Bytes seed = {static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i), 0x5a};
    const chain::Hash28 id = chain::Blake2b224(chain::View(seed));
    if (static_cast<size_t>(i) >= base.size()) {
      p["id"] = chain::HexEncode(id);
      p["group"] = "g" + std::to_string(i);
      p["owners"] = nlohmann::json::array({chain::HexEncode(id)});
      p["relays"] = nlohmann::json::array({"r" + std::to_string(i) + ".example:3001"});
    }
    all.push_back(p);
  }
  snap["pools"] = all;
  snap["slot"] = snap["slot"].get<uint64_t>() + 1;
  sr.set_document(snap.dump());
  // What one parse and hash of this document costs (the controller pays it once per snapshot, at
  // push, and keeps the parsed form by hash for later plans).
  const auto p0 = std::chrono::steady_clock::now();
  auto parsed = stakeward::policy::LoadSnapshot(sr.document());
  if (!parsed.ok()) {
    std::fprintf(stderr, "big snapshot: %s\n", parsed.status().ToString().c_str());
    return 8;
  }
  (void)stakeward::policy::SnapshotHash(*parsed);
  const double parse_ms = Ms(std::chrono::steady_clock::now() - p0);
  const auto push0 = std::chrono::steady_clock::now();
  grpc::Status st = snaps->PushSnapshot(Ctx("operator").get(), sr, &sresp);
  const double push_ms = Ms(std::chrono::steady_clock::now() - push0);
  if (!st.ok()) {
    std::fprintf(stderr, "push big snapshot: %s\n", st.error_message().c_str());
    return 8;
  }
  std::printf("snapshot of %d pools (%zu bytes): parse+hash %.1f ms, PushSnapshot %.1f ms\n", pools,
              sr.document().size(), parse_ms, push_ms);
  std::vector<double> lat;
  for (int i = 0; i < plans; ++i) {
    v1::DryRunPlanResponse resp;
    const auto t0 = std::chrono::steady_clock::now();
    st = plans_stub->DryRunPlan(Ctx("auditor").get(), {}, &resp);
    lat.push_back(Ms(std::chrono::steady_clock::now() - t0));
    if (!st.ok()) {
      std::fprintf(stderr, "plan: %s\n", st.error_message().c_str());
      return 9;
    }
  }
  std::sort(lat.begin(), lat.end());
  std::printf("DryRunPlan over %d pools: %d calls, p50 %.1f ms, p99 %.1f ms\n", pools, plans,
              lat[lat.size() / 2], lat[std::min(lat.size() - 1, lat.size() * 99 / 100)]);
  (*server)->Shutdown(absl::Seconds(1));
  server->reset();
  controller->reset();
  std::filesystem::remove_all(dir);
  return 0;
}
