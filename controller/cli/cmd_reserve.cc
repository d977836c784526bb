// `stakeward reserve report|verify`: the reserve report (controller/rewards/reserve.h): the
// bridge's L1 stake against the L2 contract's accounting, signed by the controller's
// l2.reserve_key.
//   reserve report [--out FILE]              fetch it now from the controller (operator, auditor)
//   reserve verify FILE --public-key HEX     check its signature offline against the known key
#include <cstdio>
#include <fstream>
#include <memory>

#include "CLI/CLI.hpp"
#include "chain/bytes.h"
#include "controller/cli/command.h"
#include "controller/client/api_client_flags.h"
#include "controller/model/bounded_read.h"
#include "controller/rewards/reserve.h"
#include "nlohmann/json.hpp"
#include "proto/stakeward/v1/rewards.grpc.pb.h"

namespace stakeward::cli {
namespace {

using controller::ClientOptions;

struct ReportArgs {
  ClientOptions client;
  std::string out;
};

void Report(const ReportArgs& a) {
  auto ch = controller::MakeChannel(a.client);
  if (!ch.ok()) ThrowStatus(ch.status());
  auto stub = v1::RewardsService::NewStub(*ch);
  v1::GetReserveReportRequest req;
  v1::GetReserveReportResponse r;
  grpc::Status s = stub->GetReserveReport(controller::NewContext(a.client).get(), req, &r);
  if (!s.ok()) ThrowStatus(controller::FromGrpc(s));
  if (!a.out.empty()) {
    std::ofstream f(a.out, std::ios::trunc);
    f << r.signed_json() << "\n";
    if (!f.good()) ThrowStatus(absl::UnavailableError("cannot write " + a.out));
  }
  std::printf("%s\n", r.signed_json().c_str());
  std::fprintf(stderr, "%s: L1 backing − L2 supply = %s wei\n",
               r.shortfall() ? "SHORTFALL" : "BACKED", r.difference_wei().c_str());
  // A shortfall is a finding the caller must act on: exit 3 like any refused precondition.
  if (r.shortfall()) {
    ThrowStatus(absl::FailedPreconditionError(
        "the L2 contract's supply exceeds the bridge's L1 stake: investigate before any deposit"));
  }
}

void Verify(const std::string& file, const std::string& public_key_hex, bool json) {
  absl::StatusOr<std::string> text =
      controller::ReadBoundedFile(file, controller::InputKind::kAuditExport);
  if (!text.ok()) ThrowStatus(text.status());
  const nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  absl::StatusOr<chain::Bytes> pk = chain::HexDecode(public_key_hex);
  if (!pk.ok() || pk->size() != 32) {
    ThrowStatus(absl::InvalidArgumentError("--public-key: 64 hex digits (Ed25519)"));
  }
  std::array<uint8_t, 32> key{};
  std::copy(pk->begin(), pk->end(), key.begin());
  if (absl::Status s = rewards::VerifyReserve(j, key); !s.ok()) ThrowStatus(s);
  const nlohmann::json& r = j["report"];
  if (json) {  // the verified report itself, for scripts
    std::printf("%s\n", nlohmann::json{{"ok", true}, {"report", r}}.dump(2).c_str());
    return;
  }
  std::printf("reserve report OK: epoch %s, %s, difference %s wei, L2 block %s\n",
              r.value("epoch", nlohmann::json()).dump().c_str(),
              r.value("status", std::string("?")).c_str(),
              r.value("difference_wei", std::string("?")).c_str(),
              r.contains("l2") ? r["l2"].value("block", nlohmann::json()).dump().c_str() : "?");
}

RegisterCommands reg([](CLI::App& app) {
  CLI::App* reserve = app.add_subcommand(
      "reserve", "The bridge's L1 stake against the L2 contract's accounting (signed report)");
  reserve->require_subcommand(1);
  auto a = std::make_shared<ReportArgs>();
  CLI::App* report = reserve->add_subcommand(
      "report", "Fetch the signed reserve report now (exit 3 on a shortfall)");
  report->add_option("--out", a->out, "Also write the signed report to FILE");
  controller::AddClientFlags(report, &a->client);
  report->callback([a] { Report(*a); });
  auto file = std::make_shared<std::string>();
  auto key = std::make_shared<std::string>();
  CLI::App* verify =
      reserve->add_subcommand("verify", "Check a saved report's signature against the known key");
  verify->add_option("file", *file, "Signed report (reserve report --out)")->required();
  verify->add_option("--public-key", *key, "The controller's reserve key, 64 hex digits")
      ->required();
  auto json = std::make_shared<bool>(false);
  verify->add_flag("--json", *json, "print {\"ok\": true, \"report\": ...} once verified");
  verify->callback([file, key, json] { Verify(*file, *key, *json); });
});

}  // namespace
}  // namespace stakeward::cli
