// `stakeward status`: the controller's view (policy, snapshot, proposals, audit head, caller).
#include <cstdio>
#include <memory>

#include "CLI/CLI.hpp"
#include "chain/bytes.h"
#include "controller/cli/command.h"
#include "controller/cli/proto_json.h"
#include "controller/client/api_client_flags.h"
#include "proto/stakeward/v1/audit.grpc.pb.h"

namespace stakeward::cli {
namespace {

using controller::ClientOptions;

std::string Hex(const std::string& b) {
  return chain::HexEncode(chain::ByteView(reinterpret_cast<const uint8_t*>(b.data()), b.size()));
}

RegisterCommands reg([](CLI::App& app) {
  auto o = std::make_shared<ClientOptions>();
  auto json = std::make_shared<bool>(false);
  CLI::App* c = app.add_subcommand("status", "Show the controller's status");
  controller::AddClientFlags(c, o.get());
  c->add_flag("--json", *json, "the GetStatus response as JSON (proto3 JSON mapping)");
  c->callback([o, json] {
    auto ch = controller::MakeChannel(*o);
    if (!ch.ok()) ThrowStatus(ch.status());
    auto stub = v1::StatusService::NewStub(*ch);
    v1::GetStatusRequest req;
    v1::GetStatusResponse r;
    grpc::Status s = stub->GetStatus(controller::NewContext(*o).get(), req, &r);
    if (!s.ok()) ThrowStatus(controller::FromGrpc(s));
    if (*json) {
      std::printf("%s\n", ProtoJson(r).c_str());
      return;
    }
    std::printf("controller %s%s, you are %s\n", r.version().c_str(),
                r.dev_mode() ? " (DEV MODE)" : "", r.caller().c_str());
    if (r.policy_in_force() == 0) {
      std::printf("policy: none in force (latest proposed: v%llu)\n",
                  static_cast<unsigned long long>(r.latest_policy()));
    } else {
      std::printf("policy: v%llu in force (latest proposed: v%llu)\n",
                  static_cast<unsigned long long>(r.policy_in_force()),
                  static_cast<unsigned long long>(r.latest_policy()));
    }
    if (r.latest_snapshot_hash().empty()) {
      std::printf("snapshot: none\n");
    } else {
      std::printf("snapshot: %s epoch %llu slot %llu\n", Hex(r.latest_snapshot_hash()).c_str(),
                  static_cast<unsigned long long>(r.latest_snapshot_epoch()),
                  static_cast<unsigned long long>(r.latest_snapshot_slot()));
    }
    for (const auto& pc : r.proposals()) {
      std::printf("proposals %s: %llu\n", v1::ProposalState_Name(pc.state()).c_str(),
                  static_cast<unsigned long long>(pc.count()));
    }
    std::printf("audit: %llu entries, head %s\n",
                static_cast<unsigned long long>(r.audit_head_seq()),
                Hex(r.audit_head_hash()).c_str());
  });
});

}  // namespace
}  // namespace stakeward::cli
