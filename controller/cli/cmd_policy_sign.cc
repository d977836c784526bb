// `stakeward policy sign`: approve a policy version on the controller by signing its approval body
// (policy/approval.h) on a hardware wallet in MULTISIG mode with m/1854'/1815'/0'/0/0.
// `stakeward policy propose FILE` sends a policy document to the controller (operator).
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "chain/keys.h"
#include "controller/cli/command.h"
#include "controller/daemon/api_client_flags.h"
#include "devices/signer/select.h"
#include "devices/signer/signer.h"
#include "policy/approval.h"
#include "policy/policy.h"
#include "proto/stakeward/v1/policy.grpc.pb.h"

namespace stakeward::cli {
namespace {

using controller::ClientOptions;
using controller::ThrowStatus;

struct SignOpts {
  ClientOptions client;
  uint64_t version = 0;
  std::string device, signer, derivation, expect_hash;
  int device_timeout_s = 300;
};

void SignPolicy(SignOpts o) {
  if (o.client.dev_role.empty() && o.client.tls_cert.empty()) o.client.dev_role = "signer:" + o.signer;
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
    ThrowStatus(absl::PermissionDeniedError("the controller's policy hash differs from the document's"));
  }
  if (!o.expect_hash.empty() && chain::HexEncode(hash) != o.expect_hash) {
    ThrowStatus(absl::PermissionDeniedError("the policy hash is not the one you expected"));
  }
  std::printf("%s\npolicy v%llu hash %s\n", policy::PolicySummary(*pol).c_str(),
              static_cast<unsigned long long>(gr.policy().version()), chain::HexEncode(hash).c_str());
  devices::SignerOptions so;
  so.timeout = absl::Seconds(o.device_timeout_s);
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
  std::fprintf(stderr, "Confirm the approval on the device\n");
  auto ws = (*device)->SignCardanoTx(tx, devices::SigningMode::kMultisig, {*path}, net);
  if (!ws.ok()) ThrowStatus(ws.status());
  if (ws->size() != 1 || !chain::Verify((*ws)[0].vkey, chain::View(chain::TxId(tx)), (*ws)[0].signature)) {
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
  std::printf("approved by %s: %d of %u approvals%s\n", o.signer.c_str(),
              resp.policy().approvals_size(), resp.policy().approvals_required(),
              resp.policy().in_force() ? ", policy IN FORCE" : "");
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
    c->callback([o] { SignPolicy(*o); });
  }
  {
    auto o = std::make_shared<ClientOptions>();
    auto file = std::make_shared<std::string>();
    CLI::App* c = root->add_subcommand("propose", "Send a policy document to the controller");
    controller::AddClientFlags(c, o.get());
    c->add_option("file", *file, "policy YAML")->required()->check(CLI::ExistingFile);
    c->callback([o, file] {
      std::ifstream f(*file, std::ios::binary);
      std::stringstream ss;
      ss << f.rdbuf();
      auto ch = controller::MakeChannel(*o);
      if (!ch.ok()) ThrowStatus(ch.status());
      auto stub = v1::PolicyService::NewStub(*ch);
      v1::ProposePolicyRequest req;
      req.set_document(ss.str());
      v1::ProposePolicyResponse resp;
      grpc::Status s = stub->ProposePolicy(controller::NewContext(*o).get(), req, &resp);
      if (!s.ok()) ThrowStatus(controller::FromGrpc(s));
      std::printf("policy v%llu hash %s, %u approvals required\n",
                  static_cast<unsigned long long>(resp.policy().version()),
                  chain::HexEncode(chain::ByteView(reinterpret_cast<const uint8_t*>(resp.policy().hash().data()),
                                                   resp.policy().hash().size())).c_str(),
                  resp.policy().approvals_required());
    });
  }
});

}  // namespace
}  // namespace stakeward::cli
