// `stakeward snapshot push FILE` and `stakeward snapshot get [HASH]`.
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "CLI/CLI.hpp"
#include "chain/bytes.h"
#include "controller/cli/command.h"
#include "controller/client/api_client_flags.h"
#include "controller/model/bounded_read.h"
#include "proto/stakeward/v1/snapshot.grpc.pb.h"

namespace stakeward::cli {
namespace {

using controller::ClientOptions;

std::string Hex(const std::string& b) {
  return chain::HexEncode(chain::ByteView(reinterpret_cast<const uint8_t*>(b.data()), b.size()));
}

// What a push (or a refresh) stored and changed.
void PrintPushed(const v1::PushSnapshotResponse& resp) {
  std::printf("snapshot %s epoch %llu slot %llu, %u pools%s\n", Hex(resp.snapshot().hash()).c_str(),
              static_cast<unsigned long long>(resp.snapshot().epoch()),
              static_cast<unsigned long long>(resp.snapshot().slot()), resp.snapshot().pool_count(),
              resp.created() ? "" : " (already known)");
  for (const auto& id : resp.expired_proposals()) std::printf("expired %s\n", id.c_str());
  for (const auto& id : resp.superseded_proposals()) std::printf("superseded %s\n", id.c_str());
}

std::unique_ptr<v1::SnapshotService::Stub> Stub(const ClientOptions& o) {
  auto ch = controller::MakeChannel(o);
  if (!ch.ok()) ThrowStatus(ch.status());
  return v1::SnapshotService::NewStub(*ch);
}

RegisterCommands reg([](CLI::App& app) {
  CLI::App* root =
      controller::GetOrAddSubcommand(app, "snapshot", "Chain snapshots on the controller");
  {
    auto o = std::make_shared<ClientOptions>();
    auto file = std::make_shared<std::string>();
    CLI::App* c =
        root->add_subcommand("push", "Push a snapshot (Stakeward JSON) to the controller");
    controller::AddClientFlags(c, o.get());
    c->add_option("file", *file, "snapshot JSON")->required()->check(CLI::ExistingFile);
    c->callback([o, file] {
      absl::StatusOr<std::string> doc =
          controller::ReadBoundedFile(*file, controller::InputKind::kSnapshot);
      if (!doc.ok()) ThrowStatus(doc.status());
      v1::PushSnapshotRequest req;
      req.set_document(*std::move(doc));
      v1::PushSnapshotResponse resp;
      grpc::Status s = Stub(*o)->PushSnapshot(controller::NewContext(*o, 120).get(), req, &resp);
      if (!s.ok()) ThrowStatus(controller::FromGrpc(s));
      PrintPushed(resp);
    });
  }
  {
    auto o = std::make_shared<ClientOptions>();
    CLI::App* c = root->add_subcommand(
        "refresh", "Have stakewardd build and push a snapshot from its chain source now");
    controller::AddClientFlags(c, o.get());
    c->callback([o] {
      v1::PushSnapshotResponse resp;
      grpc::Status s = Stub(*o)->RefreshSnapshot(controller::NewContext(*o, 120).get(), {}, &resp);
      if (!s.ok()) ThrowStatus(controller::FromGrpc(s));
      PrintPushed(resp);
    });
  }
  {
    auto o = std::make_shared<ClientOptions>();
    auto hash = std::make_shared<std::string>();
    CLI::App* c = root->add_subcommand("get", "Print a snapshot document (default: the latest)");
    controller::AddClientFlags(c, o.get());
    c->add_option("hash", *hash, "snapshot hash");
    c->callback([o, hash] {
      v1::GetSnapshotRequest req;
      if (!hash->empty()) {
        auto h = chain::HexDecodeFixed<32>(*hash);
        if (!h.ok()) ThrowStatus(absl::InvalidArgumentError("hash must be 64 hex digits"));
        req.set_hash(std::string(h->begin(), h->end()));
      }
      v1::GetSnapshotResponse resp;
      grpc::Status s = Stub(*o)->GetSnapshot(controller::NewContext(*o, 120).get(), req, &resp);
      if (!s.ok()) ThrowStatus(controller::FromGrpc(s));
      std::printf("%s\n", resp.document().c_str());
    });
  }
});

}  // namespace
}  // namespace stakeward::cli
