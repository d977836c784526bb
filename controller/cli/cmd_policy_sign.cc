// `stakeward policy sign`: approve a policy version on the controller by signing its approval body
// (policy/approval.h) on a hardware wallet in MULTISIG mode with m/1854'/1815'/0'/0/0.
// `stakeward policy propose FILE` sends a policy document to the controller (operator).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "chain/keys.h"
#include "controller/cli/command.h"
#include "controller/cli/trust_flags.h"
#include "controller/client/api_client_flags.h"
#include "controller/client/policy_chain_client.h"
#include "controller/model/bounded_read.h"
#include "devices/signer/select.h"
#include "devices/signer/signer.h"
#include "policy/approval.h"
#include "policy/approval_chain.h"
#include "policy/policy.h"
#include "proto/stakeward/v1/policy.grpc.pb.h"

namespace stakeward::cli {
namespace {

using controller::ClientOptions;

struct SignOpts {
  ClientOptions client;
  uint64_t version = 0;
  std::string device, signer, derivation, expect_hash, trust_dir;
  int device_timeout_s = 300;
};

// Which version will govern `target` (so whose signers' approvals count), verified from the
// signer's own anchors. The target itself may be the anchor (the first policy, or a document the
// signer trusted explicitly); otherwise the versions before it must be reachable from an anchor.
// Returns the signer's entry in the governing version (its account key checks the device).
policy::Signer CheckGovernor(const std::vector<policy::VersionEvidence>& ev,
                             const std::set<chain::Hash32>& anchors, size_t target_ix,
                             const std::string& signer) {
  size_t anchor = ev.size();
  for (size_t i = 0; i < target_ix; ++i) {
    if (anchors.count(ev[i].hash) != 0) anchor = i;
  }
  const policy::Policy* governor = nullptr;
  uint64_t governing_version = 0;
  if (anchor != ev.size()) {
    std::vector<policy::VersionEvidence> before(ev.begin(),
                                                ev.begin() + static_cast<long>(target_ix));
    const size_t gov = policy::WalkApprovalChain(before, anchor).back();
    governor = &ev[gov].policy;
    governing_version = ev[gov].version;
    std::printf("governed by policy v%llu (verified from your trust anchor v%llu)\n",
                static_cast<unsigned long long>(governing_version),
                static_cast<unsigned long long>(ev[anchor].version));
  } else if (anchors.count(ev[target_ix].hash) != 0) {
    governor = &ev[target_ix].policy;  // the first policy: it governs its own approval
    governing_version = ev[target_ix].version;
    std::printf("you trusted this policy document explicitly; it governs its own approval\n");
  } else {
    ThrowStatus(absl::FailedPreconditionError(
        "no trust anchor: you have not approved or trusted any earlier policy version nor this "
        "one. Get the policy document the DAO agreed on from a channel you trust and run "
        "`stakeward policy trust FILE --signer NAME` first"));
  }
  for (const policy::Signer& s : governor->signers) {
    if (s.name == signer) return s;
  }
  ThrowStatus(absl::PermissionDeniedError(
      absl::StrCat(signer, " is not a signer of the governing policy v", governing_version,
                   ": your approval would not count")));
}

void SignPolicy(SignOpts o) {
  if (o.client.dev_role.empty() && o.client.tls_cert.empty())
    o.client.dev_role = "signer:" + o.signer;
  if (absl::Status s = controller::CheckCallerIsSigner(o.client, o.signer); !s.ok()) ThrowStatus(s);
  controller::TrustStore store = OpenTrustStoreOrThrow(o.trust_dir, o.signer);
  auto ch = controller::MakeChannel(o.client);
  if (!ch.ok()) ThrowStatus(ch.status());
  auto stub = v1::PolicyService::NewStub(*ch);
  v1::GetPolicyRequest g;
  g.set_version(o.version);
  v1::GetPolicyResponse gr;
  grpc::Status s = stub->GetPolicy(controller::NewContext(o.client).get(), g, &gr);
  if (!s.ok()) ThrowStatus(controller::FromGrpc(s));
  // Recompute the hash here from the document; never sign a hash we did not compute.
  auto pol = policy::LoadPolicy(gr.policy().document());
  if (!pol.ok()) ThrowStatus(pol.status());
  const chain::Hash32 hash = policy::PolicyHash(*pol);
  if (std::string(hash.begin(), hash.end()) != gr.policy().hash()) {
    ThrowStatus(
        absl::PermissionDeniedError("the controller's policy hash differs from the document's"));
  }
  if (!o.expect_hash.empty() && chain::HexEncode(hash) != o.expect_hash) {
    ThrowStatus(absl::PermissionDeniedError("the policy hash is not the one you expected"));
  }
  std::printf("%s\npolicy v%llu hash %s\n", policy::PolicySummary(*pol).c_str(),
              static_cast<unsigned long long>(gr.policy().version()),
              chain::HexEncode(hash).c_str());
  absl::StatusOr<std::vector<policy::VersionEvidence>> ev =
      controller::FetchPolicyEvidence(o.client, gr.policy().version(), nullptr);
  if (!ev.ok()) ThrowStatus(ev.status());
  if (ev->empty() || ev->back().version != gr.policy().version() || ev->back().hash != hash) {
    ThrowStatus(absl::PermissionDeniedError("the controller served this version inconsistently"));
  }
  const policy::Signer me = CheckGovernor(*ev, store.Hashes(), ev->size() - 1, o.signer);
  devices::SignerOptions so;
  so.timeout = absl::Seconds(o.device_timeout_s);
  // The approval key is derived from the governing policy's account key, not asked of the
  // device: no export screen on a Ledger, and a device holding another key is caught.
  so.account_xpubs = {devices::AccountXPub{*chain::ParsePath("m/1854'/1815'/0'"), me.account_xpub}};
  if (!o.derivation.empty()) {
    auto d = chain::ParseDerivation(o.derivation);
    if (!d.ok()) ThrowStatus(d.status());
    so.derivation = *d;
  }
  auto device = devices::OpenSelected(o.device, so);
  if (!device.ok()) ThrowStatus(device.status());
  auto body = chain::DecodeBody(chain::View(policy::ApprovalBody(hash)));
  if (!body.ok()) ThrowStatus(body.status());
  chain::Transaction tx = chain::MakeTransaction(*body, chain::WitnessSet{}, std::nullopt);
  if (chain::TxId(tx) != policy::ApprovalTxId(hash)) {
    ThrowStatus(absl::InternalError("approval body does not re-encode identically"));
  }
  devices::CardanoNetwork net;
  net.network_id = pol->network == chain::Network::kMainnet ? 1 : 0;
  net.protocol_magic = static_cast<uint32_t>(pol->protocol_magic);
  auto path = chain::ParsePath("m/1854'/1815'/0'/0/0");
  for (const std::string& line :
       devices::HiddenFromDevice((*device)->Info().vendor, tx, devices::SigningMode::kMultisig)) {
    std::fprintf(stderr, "not shown on the device: %s\n", line.c_str());
  }
  std::fprintf(stderr, "Confirm the approval on the device\n");
  auto ws = (*device)->SignCardanoTx(tx, devices::SigningMode::kMultisig, {*path}, net);
  if (!ws.ok()) ThrowStatus(ws.status());
  if (ws->size() != 1 ||
      !chain::Verify((*ws)[0].vkey, chain::View(chain::TxId(tx)), (*ws)[0].signature)) {
    ThrowStatus(absl::DataLossError("the device returned an invalid approval signature"));
  }
  v1::ApprovePolicyRequest req;
  req.set_version(gr.policy().version());
  req.set_hash(gr.policy().hash());
  req.set_public_key(std::string((*ws)[0].vkey.begin(), (*ws)[0].vkey.end()));
  req.set_signature(std::string((*ws)[0].signature.begin(), (*ws)[0].signature.end()));
  v1::ApprovePolicyResponse resp;
  s = stub->ApprovePolicy(controller::NewContext(o.client).get(), req, &resp);
  if (!s.ok()) ThrowStatus(controller::FromGrpc(s));
  if (absl::Status st = store.Add(hash, absl::StrCat("signed v", gr.policy().version()));
      !st.ok()) {
    std::fprintf(stderr, "warning: could not record the approval in %s: %s\n", store.path().c_str(),
                 std::string(st.message()).c_str());
  }
  std::printf("signed by %s; the controller records %d of %u approvals%s\n", o.signer.c_str(),
              resp.policy().approvals_size(), resp.policy().approvals_required(),
              resp.policy().in_force() ? ", policy IN FORCE" : "");
}

void Trust(const std::string& what, const std::string& signer, const std::string& dir) {
  controller::TrustStore store = OpenTrustStoreOrThrow(dir, signer);
  if (what.empty()) {
    std::printf("trust store %s\n", store.path().c_str());
    for (const controller::TrustAnchor& a : store.anchors()) {
      std::printf("  %s  %s  %s\n", chain::HexEncode(a.hash).c_str(), a.recorded.c_str(),
                  a.note.c_str());
    }
    if (store.anchors().empty()) std::printf("  (no anchors)\n");
    return;
  }
  chain::Hash32 hash{};
  std::string note;
  if (absl::StatusOr<chain::Hash32> h = chain::HexDecodeFixed<32>(what);
      what.size() == 64 && h.ok()) {
    hash = *h;
    note = "trusted hash";
  } else {
    absl::StatusOr<std::string> text =
        controller::ReadBoundedFile(what, controller::InputKind::kPolicy);
    if (!text.ok()) {
      ThrowStatus(absl::InvalidArgumentError(
          absl::StrCat(text.status().message(), " (expected a policy file or 64 hex digits)")));
    }
    absl::StatusOr<policy::Policy> pol = policy::LoadPolicy(*text);
    if (!pol.ok()) ThrowStatus(pol.status());
    hash = policy::PolicyHash(*pol);
    std::printf("%s", policy::PolicySummary(*pol).c_str());
    note = "trusted file " + std::filesystem::path(what).filename().string();
  }
  if (absl::Status s = store.Add(hash, note); !s.ok()) ThrowStatus(s);
  std::printf("trusted policy hash %s\nin %s\n", chain::HexEncode(hash).c_str(),
              store.path().c_str());
}

RegisterCommands reg([](CLI::App& app) {
  CLI::App* root = controller::GetOrAddSubcommand(app, "policy", "Delegation policy");
  {
    auto o = std::make_shared<SignOpts>();
    CLI::App* c = root->add_subcommand("sign", "Approve a policy version on your hardware wallet");
    controller::AddClientFlags(c, &o->client);
    c->add_option("--version", o->version, "policy version (default: the newest)");
    c->add_option("--device", o->device, "device URI, serial:<s> or fingerprint:<hex>");
    c->add_option("--signer", o->signer, "your signer name")->required();
    c->add_option("--expect-hash", o->expect_hash, "refuse unless the policy hash is this (hex)");
    c->add_option("--derivation", o->derivation, "Trezor: icarus | icarus-trezor | ledger");
    c->add_option("--device-timeout-s", o->device_timeout_s, "time to confirm on the device");
    AddTrustFlag(c, &o->trust_dir);
    c->callback([o] { SignPolicy(*o); });
  }
  {
    auto what = std::make_shared<std::string>();
    auto signer = std::make_shared<std::string>();
    auto dir = std::make_shared<std::string>();
    CLI::App* c = root->add_subcommand(
        "trust", "Trust a policy document or hash as your anchor (no argument: list your anchors)");
    c->add_option("policy", *what, "policy YAML file, or its hash (64 hex digits)");
    c->add_option("--signer", *signer, "your signer name (selects your trust store)");
    AddTrustFlag(c, dir.get());
    c->callback([what, signer, dir] { Trust(*what, *signer, *dir); });
  }
  {
    auto o = std::make_shared<ClientOptions>();
    auto file = std::make_shared<std::string>();
    CLI::App* c = root->add_subcommand("propose", "Send a policy document to the controller");
    controller::AddClientFlags(c, o.get());
    c->add_option("file", *file, "policy YAML")->required()->check(CLI::ExistingFile);
    c->callback([o, file] {
      absl::StatusOr<std::string> text =
          controller::ReadBoundedFile(*file, controller::InputKind::kPolicy);
      if (!text.ok()) ThrowStatus(text.status());
      auto ch = controller::MakeChannel(*o);
      if (!ch.ok()) ThrowStatus(ch.status());
      auto stub = v1::PolicyService::NewStub(*ch);
      v1::ProposePolicyRequest req;
      req.set_document(*text);
      v1::ProposePolicyResponse resp;
      grpc::Status s = stub->ProposePolicy(controller::NewContext(*o).get(), req, &resp);
      if (!s.ok()) ThrowStatus(controller::FromGrpc(s));
      std::printf("policy v%llu hash %s, %u approvals required\n",
                  static_cast<unsigned long long>(resp.policy().version()),
                  chain::HexEncode(
                      chain::ByteView(reinterpret_cast<const uint8_t*>(resp.policy().hash().data()),
                                      resp.policy().hash().size()))
                      .c_str(),
                  resp.policy().approvals_required());
    });
  }
});

}  // namespace
}  // namespace stakeward::cli
