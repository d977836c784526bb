#include "controller/cli/deposit_follow.h"

#include <chrono>
#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "proto/stakeward/v1/audit.grpc.pb.h"

namespace stakeward::cli {

absl::Status FollowDeposit(const controller::ClientOptions& client, uint64_t epoch,
                           const std::string& tx_hash, int seconds) {
  absl::StatusOr<std::shared_ptr<grpc::Channel>> ch = controller::MakeChannel(client);
  if (!ch.ok()) return ch.status();
  auto stub = v1::AuditService::NewStub(*ch);
  std::unique_ptr<grpc::ClientContext> ctx = controller::NewContext(client, seconds);
  v1::StreamAuditRequest req;
  req.set_from_seq(1);
  auto reader = stub->StreamAudit(ctx.get(), req);
  const std::string subject = absl::StrCat("epoch:", epoch);
  bool ours_stored = false;
  std::string last = "SIGNED";
  v1::AuditEntry e;
  while (reader->Read(&e)) {
    if (e.subject() != subject || !absl::StartsWith(e.action(), "rewards.deposit.")) continue;
    const nlohmann::json d = nlohmann::json::parse(e.details(), nullptr, false);
    const std::string hash = d.is_object() ? d.value("tx_hash", "") : "";
    if (!ours_stored) {
      // Everything before our attempt was stored (earlier attempts, a previous failure) is history.
      ours_stored = (e.action() == "rewards.deposit.store" && hash == tx_hash);
      continue;
    }
    const std::string action = e.action().substr(std::string("rewards.deposit.").size());
    if (action == "broadcast") {
      last = "BROADCAST";
      std::fprintf(stderr, "sent to the L2 node: %s\n", hash.c_str());
    } else if (action == "refused") {
      std::fprintf(stderr, "%s\n", d.value("error", "").c_str());
    } else if (action == "confirm" || action == "adopt") {
      std::fprintf(stderr, "CONFIRMED: %s in block %llu%s\n", hash.c_str(),
                   static_cast<unsigned long long>(d.value("block", uint64_t{0})),
                   action == "adopt" ? " (adopted from the chain)" : "");
      ctx->TryCancel();
      reader->Finish().IgnoreError();
      return absl::OkStatus();
    } else if (action == "fail") {
      ctx->TryCancel();
      reader->Finish().IgnoreError();
      return absl::FailedPreconditionError(
          absl::StrCat("the deposit FAILED: ", d.value("reason", "")));
    }
  }
  grpc::Status st = reader->Finish();
  if (st.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED || st.ok()) {
    return absl::DeadlineExceededError(absl::StrCat(
        "the deposit is still ", last, " after ", seconds,
        " s; the controller keeps following it: `stakeward rewards show ", epoch, "`"));
  }
  return controller::FromGrpc(st);
}

}  // namespace stakeward::cli
