// `stakeward proposal ...`: plan (dry run), create, migrate, list, show, sign (on a hardware
// wallet, after rebuilding and comparing the transactions), reject, export, submitted, confirmed.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "chain/keys.h"
#include "chainsource/koios_source.h"
#include "chainsource/ogmios_source.h"
#include "controller/cli/command.h"
#include "controller/cli/proto_json.h"
#include "controller/cli/trust_flags.h"
#include "controller/client/api_client_flags.h"
#include "controller/client/chain_check.h"
#include "controller/client/policy_chain_client.h"
#include "controller/client/proposal_review.h"
#include "controller/client/review_json.h"
#include "controller/store/proposal_store.h"
#include "devices/signer/select.h"
#include "devices/signer/signer.h"
#include "proto/stakeward/v1/proposal.grpc.pb.h"
#include "proto/stakeward/v1/snapshot.grpc.pb.h"

namespace stakeward::cli {
namespace {

using controller::ClientOptions;
using controller::FromGrpc;
using controller::NewContext;

std::shared_ptr<grpc::Channel> Channel(const ClientOptions& o) {
  auto ch = controller::MakeChannel(o);
  if (!ch.ok()) ThrowStatus(ch.status());
  return *ch;
}

std::string Hex(const std::string& b) {
  return chain::HexEncode(chain::ByteView(reinterpret_cast<const uint8_t*>(b.data()), b.size()));
}

void Check(const grpc::Status& s) {
  if (!s.ok()) ThrowStatus(FromGrpc(s));
}

absl::StatusOr<chain::Hash32> ParseHash(const std::string& hex, const char* what) {
  auto h = chain::HexDecodeFixed<32>(hex);
  if (!h.ok()) return absl::InvalidArgumentError(absl::StrCat(what, " must be 64 hex digits"));
  return *h;
}

void PrintProposalLine(const v1::Proposal& p) {
  std::printf("%-22s %-11s policy v%llu  ttl %llu  by %s\n", p.id().c_str(),
              controller::ProposalStateText(p.state()).c_str(),
              static_cast<unsigned long long>(p.policy_version()),
              static_cast<unsigned long long>(p.ttl()), p.created_by().c_str());
}

void PrintSigningState(const v1::Proposal& p) {
  for (const auto& tx : p.txs()) {
    std::string signed_by;
    for (const auto& s : tx.signed_by()) signed_by += (signed_by.empty() ? "" : ", ") + s;
    std::printf("  tx %u %s: %d/%u signers%s%s\n", tx.index() + 1, Hex(tx.tx_id()).c_str(),
                tx.signed_by_size(), p.threshold(), signed_by.empty() ? "" : " — ",
                signed_by.c_str());
  }
}

struct SignOptions {
  ClientOptions client;
  std::string id, device, signer, derivation, trust_dir;
  std::string ogmios, koios;  // the signer's own chain source (optional)
  uint64_t max_lag_slots = 3600;
  int device_timeout_s = 300;
  bool yes = false;
};

// The chain source a signer named (--ogmios or --koios), or null.
std::unique_ptr<chainsource::ChainSource> SignerChainSource(const SignOptions& o) {
  if (!o.ogmios.empty() && !o.koios.empty()) {
    ThrowStatus(absl::InvalidArgumentError("name one chain source: --ogmios or --koios"));
  }
  if (!o.ogmios.empty()) {
    auto s = chainsource::OgmiosSource::Create(o.ogmios);
    if (!s.ok()) ThrowStatus(s.status());
    return std::move(*s);
  }
  if (!o.koios.empty()) {
    auto s = chainsource::KoiosSource::Create(o.koios);
    if (!s.ok()) ThrowStatus(s.status());
    return std::move(*s);
  }
  return nullptr;
}

void Sign(const SignOptions& o) {
  // Wrong identity is caught before anything else: the controller must see us as this signer.
  if (absl::Status s = controller::CheckCallerIsSigner(o.client, o.signer); !s.ok()) ThrowStatus(s);
  const std::set<chain::Hash32> anchors = AnchorsOrThrow(o.trust_dir, o.signer);
  absl::StatusOr<controller::ReviewedProposal> r =
      controller::ReviewProposal(o.client, o.id, anchors);
  if (!r.ok()) ThrowStatus(r.status());
  std::printf("%s\n", controller::DescribeProposal(*r).c_str());
  std::printf("Policy v%llu verified from your trust anchor through %zu approved version(s).\n",
              static_cast<unsigned long long>(r->proposal.policy_version()),
              r->policy_chain.size() - 1);
  std::printf("Rebuilt every transaction from policy and snapshot: identical bytes.\n");
  if (std::unique_ptr<chainsource::ChainSource> src = SignerChainSource(o)) {
    controller::ChainCheckOptions co;
    co.max_lag_slots = o.max_lag_slots;
    if (absl::Status s = controller::CheckAgainstChain(*r, *src, co); !s.ok()) ThrowStatus(s);
    std::printf(
        "Your chain source (%s) agrees: inputs unspent where the policy keeps them, "
        "accounts as in the snapshot, snapshot recent.\n",
        src->Describe().c_str());
  }
  if (r->proposal.state() != v1::PROPOSAL_STATE_OPEN) {
    ThrowStatus(absl::FailedPreconditionError(absl::StrCat(
        "proposal is ", controller::ProposalStateText(r->proposal.state()), ", not open")));
  }
  const policy::Signer* me = nullptr;
  for (const auto& s : r->policy.signers) {
    if (s.name == o.signer) me = &s;
  }
  if (me != nullptr && !r->outgoing_from_anchor) {
    // A signer of the outgoing policy must reach it from their own anchor.
    ThrowStatus(absl::PermissionDeniedError(absl::StrCat(
        "refusing this proposal: you are a signer of the outgoing policy v",
        r->proposal.policy_version(), " but it is not reachable from your trust anchor")));
  }
  if (me == nullptr && r->incoming) {  // MIGRATE: a signer who joins with the incoming version
    for (const auto& s : r->incoming->signers) {
      if (s.name == o.signer) me = &s;
    }
  }
  if (me == nullptr) {
    ThrowStatus(absl::InvalidArgumentError(absl::StrCat(o.signer, " is not a policy signer")));
  }
  devices::SignerOptions so;
  so.timeout = absl::Seconds(o.device_timeout_s);
  so.derivation = me->device == policy::DeviceKind::kLedger ? chain::Derivation::kLedger
                                                            : chain::Derivation::kIcarusTrezor;
  if (!o.derivation.empty()) {
    auto d = chain::ParseDerivation(o.derivation);
    if (!d.ok()) ThrowStatus(d.status());
    so.derivation = *d;
  }
  so.progress = [](std::string_view m) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(m.size()), m.data());
  };
  // Witness keys are derived from the policy's account key (soft steps), not exported one by one:
  // no export confirmation on a Ledger, and a witness under any other key is DATA_LOSS.
  so.account_xpubs = {
      devices::AccountXPub{*chain::ParsePath("m/1854'/1815'/0'"), me->account_xpub}};
  auto device = devices::OpenSelected(o.device, so);
  if (!device.ok()) ThrowStatus(device.status());
  // The device must hold this signer's key.
  auto acct = chain::ParsePath("m/1854'/1815'/0'");
  auto keys = (*device)->GetExtendedPublicKeys({*acct});
  if (!keys.ok()) ThrowStatus(keys.status());
  if (keys->size() != 1 || (*keys)[0] != me->account_xpub) {
    ThrowStatus(absl::PermissionDeniedError(absl::StrCat(
        "this device's account key m/1854'/1815'/0' is not ", o.signer, "'s key in the policy")));
  }
  devices::CardanoNetwork net;
  net.network_id = r->policy.network == chain::Network::kMainnet ? 1 : 0;
  net.protocol_magic = static_cast<uint32_t>(r->policy.protocol_magic);
  v1::SubmitWitnessesRequest req;
  req.set_proposal_id(o.id);
  for (size_t i = 0; i < r->txs.size(); ++i) {
    const v1::ProposalTx& ptx = r->proposal.txs(static_cast<int>(i));
    std::vector<chain::Path> paths;
    std::set<chain::Hash28> allowed;
    for (const auto& rs : ptx.required_signers()) {
      if (rs.signer() != o.signer) continue;
      for (const auto& k : rs.keys()) {
        auto p = chain::ParsePath(k.path());
        if (!p.ok()) ThrowStatus(p.status());
        paths.push_back(*p);
        chain::Hash28 h;
        std::copy(k.key_hash().begin(), k.key_hash().end(), h.begin());
        allowed.insert(h);
      }
    }
    for (const std::string& line : devices::HiddenFromDevice((*device)->Info().vendor, r->txs[i],
                                                             devices::SigningMode::kMultisig)) {
      std::fprintf(stderr, "not shown on the device: %s\n", line.c_str());
    }
    std::fprintf(stderr, "Signing transaction %zu of %zu on %s — confirm on the device\n", i + 1,
                 r->txs.size(), (*device)->Info().model.c_str());
    auto ws = (*device)->SignCardanoTx(r->txs[i], devices::SigningMode::kMultisig, paths, net);
    if (!ws.ok()) ThrowStatus(ws.status());
    const chain::Hash32 id = chain::TxId(r->txs[i]);
    v1::TxWitnesses* tw = req.add_txs();
    tw->set_tx_id(std::string(id.begin(), id.end()));
    for (const chain::VkeyWitness& w : *ws) {
      // Never trust the device either: each key must be one we must sign with, each signature
      // valid.
      if (allowed.count(chain::KeyHash(w.vkey)) == 0 ||
          !chain::Verify(w.vkey, chain::View(id), w.signature)) {
        ThrowStatus(absl::DataLossError("the device returned an unexpected or invalid witness"));
      }
      v1::VkeyWitness* pw = tw->add_witnesses();
      pw->set_vkey(std::string(w.vkey.begin(), w.vkey.end()));
      pw->set_signature(std::string(w.signature.begin(), w.signature.end()));
    }
  }
  req.set_brief(true);  // only the signing state is printed
  auto stub = v1::WitnessService::NewStub(Channel(o.client));
  v1::SubmitWitnessesResponse resp;
  Check(stub->SubmitWitnesses(NewContext(o.client).get(), req, &resp));
  std::printf("Submitted: %u witnesses accepted, %u already present. Proposal is now %s.\n",
              resp.accepted(), resp.duplicates(),
              controller::ProposalStateText(resp.proposal().state()).c_str());
  PrintSigningState(resp.proposal());
}

RegisterCommands reg([](CLI::App& app) {
  CLI::App* root =
      controller::GetOrAddSubcommand(app, "proposal", "Delegation proposals on the controller");
  {
    auto o = std::make_shared<ClientOptions>();
    auto snap = std::make_shared<std::string>();
    CLI::App* c =
        root->add_subcommand("plan", "Dry-run the plan (policy in force, latest snapshot)");
    controller::AddClientFlags(c, o.get());
    c->add_option("--snapshot", *snap, "snapshot hash (default: latest)");
    c->callback([o, snap] {
      auto stub = v1::PlanService::NewStub(Channel(*o));
      v1::DryRunPlanRequest req;
      if (!snap->empty()) {
        auto h = ParseHash(*snap, "--snapshot");
        if (!h.ok()) ThrowStatus(h.status());
        req.set_snapshot_hash(std::string(h->begin(), h->end()));
      }
      v1::DryRunPlanResponse resp;
      Check(stub->DryRunPlan(NewContext(*o, 120).get(), req, &resp));
      std::printf("%s\n", resp.plan_json().c_str());
      std::printf("plan hash %s (policy v%llu, %u actions)\n", Hex(resp.plan_hash()).c_str(),
                  static_cast<unsigned long long>(resp.policy_version()), resp.action_count());
    });
  }
  {
    auto o = std::make_shared<ClientOptions>();
    auto expect = std::make_shared<std::string>();
    auto ttl = std::make_shared<uint64_t>(0);
    CLI::App* c = root->add_subcommand("create", "Create a proposal from the current plan");
    controller::AddClientFlags(c, o.get());
    c->add_option("--expect-plan", *expect, "refuse unless the plan has this hash");
    c->add_option("--ttl-slots", *ttl, "validity after the snapshot slot (default 7200)");
    c->callback([o, expect, ttl] {
      auto stub = v1::ProposalService::NewStub(Channel(*o));
      v1::CreateProposalRequest req;
      if (!expect->empty()) {
        auto h = ParseHash(*expect, "--expect-plan");
        if (!h.ok()) ThrowStatus(h.status());
        req.set_expected_plan_hash(std::string(h->begin(), h->end()));
      }
      req.set_ttl_slots(*ttl);
      v1::CreateProposalResponse resp;
      Check(stub->CreateProposal(NewContext(*o, 120).get(), req, &resp));
      std::printf("%s\n", resp.proposal().id().c_str());
      std::fprintf(stderr, "created with %d transaction(s), plan %s\n", resp.proposal().txs_size(),
                   Hex(resp.proposal().plan_hash()).c_str());
    });
  }
  {
    auto o = std::make_shared<ClientOptions>();
    auto snap = std::make_shared<std::string>();
    auto ttl = std::make_shared<uint64_t>(0);
    CLI::App* c = root->add_subcommand(
        "migrate",
        "Create a MIGRATE proposal: move the funds to the scripts of the policy in force");
    controller::AddClientFlags(c, o.get());
    c->add_option("--snapshot", *snap, "snapshot hash (default: latest)");
    c->add_option("--ttl-slots", *ttl, "validity after the snapshot slot (default 7200)");
    c->callback([o, snap, ttl] {
      auto stub = v1::ProposalService::NewStub(Channel(*o));
      v1::CreateMigrateProposalRequest req;
      if (!snap->empty()) {
        auto h = ParseHash(*snap, "--snapshot");
        if (!h.ok()) ThrowStatus(h.status());
        req.set_snapshot_hash(std::string(h->begin(), h->end()));
      }
      req.set_ttl_slots(*ttl);
      v1::CreateMigrateProposalResponse resp;
      Check(stub->CreateMigrateProposal(NewContext(*o, 120).get(), req, &resp));
      std::printf("%s\n", resp.proposal().id().c_str());
      std::fprintf(stderr, "MIGRATE from policy v%llu to v%llu with %d transaction(s)\n",
                   static_cast<unsigned long long>(resp.proposal().policy_version()),
                   static_cast<unsigned long long>(resp.proposal().migrate().to_version()),
                   resp.proposal().txs_size());
    });
  }
  {
    auto o = std::make_shared<ClientOptions>();
    auto state = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    CLI::App* c = root->add_subcommand("list", "List proposals");
    controller::AddClientFlags(c, o.get());
    c->add_option("--state", *state, "open|ready|rejected|expired|superseded|submitted|confirmed");
    c->add_flag("--json", *json, "one JSON array of the proposals (proto3 JSON mapping)");
    c->callback([o, state, json] {
      auto stub = v1::ProposalService::NewStub(Channel(*o));
      v1::ListProposalsRequest req;
      if (!state->empty()) {
        v1::ProposalState st;
        std::string upper = "PROPOSAL_STATE_";
        for (char ch : *state)
          upper += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        if (!v1::ProposalState_Parse(upper, &st))
          ThrowStatus(absl::InvalidArgumentError("bad --state"));
        req.set_state(st);
      }
      std::string all;  // --json: the pages' proposals, one array
      for (;;) {
        v1::ListProposalsResponse resp;
        Check(stub->ListProposals(NewContext(*o).get(), req, &resp));
        for (const auto& p : resp.proposals()) {
          if (*json) {
            absl::StrAppend(&all, all.empty() ? "[" : ",", ProtoJson(p));
          } else {
            PrintProposalLine(p);
          }
        }
        if (resp.next_page_token().empty()) break;
        req.set_page_token(resp.next_page_token());
      }
      if (*json) std::printf("%s]\n", all.empty() ? "[" : all.c_str());
    });
  }
  {
    auto o = std::make_shared<ClientOptions>();
    auto id = std::make_shared<std::string>();
    auto signer = std::make_shared<std::string>();
    auto trust_dir = std::make_shared<std::string>();
    CLI::App* c = root->add_subcommand(
        "show", "Show a proposal, decoded and checked here against policy and snapshot");
    controller::AddClientFlags(c, o.get());
    c->add_option("id", *id, "proposal id")->required();
    c->add_option("--signer", *signer,
                  "whose trust store verifies the policy (default: 'default')");
    AddTrustFlag(c, trust_dir.get());
    auto json = std::make_shared<bool>(false);
    c->add_flag("--json", *json, "the same review as JSON (amounts in lovelace)");
    c->callback([o, id, signer, trust_dir, json] {
      absl::StatusOr<controller::ReviewedProposal> r =
          controller::ReviewProposal(*o, *id, AnchorsOrThrow(*trust_dir, *signer));
      if (!r.ok()) ThrowStatus(r.status());
      if (*json) {
        std::printf("%s", controller::ReviewToJson(*r).c_str());
        return;
      }
      std::printf("%s", controller::DescribeProposal(*r).c_str());
      std::printf("\nState %s. Transactions match what the policy yields.\n",
                  controller::ProposalStateText(r->proposal.state()).c_str());
      PrintSigningState(r->proposal);
      if (!r->proposal.reject_reason().empty()) {
        std::printf("Rejected by %s: %s\n", r->proposal.rejected_by().c_str(),
                    r->proposal.reject_reason().c_str());
      }
    });
  }
  {
    auto o = std::make_shared<SignOptions>();
    CLI::App* c =
        root->add_subcommand("sign", "Check a proposal, sign it on a hardware wallet, submit");
    controller::AddClientFlags(c, &o->client);
    c->add_option("id", o->id, "proposal id")->required();
    c->add_option("--device", o->device, "device URI, serial:<s> or fingerprint:<hex>");
    c->add_option("--signer", o->signer, "your signer name in the policy")->required();
    c->add_option("--derivation", o->derivation, "Trezor: icarus | icarus-trezor | ledger");
    c->add_option("--device-timeout-s", o->device_timeout_s, "time to confirm on the device");
    c->add_option("--ogmios", o->ogmios,
                  "your own chain source (ws://HOST:1337): checked before the device");
    c->add_option("--koios", o->koios, "your own chain source (Koios base URL)");
    c->add_option("--max-snapshot-lag-slots", o->max_lag_slots,
                  "with --ogmios/--koios: how far the snapshot may lag behind the tip")
        ->capture_default_str();
    AddTrustFlag(c, &o->trust_dir);
    c->callback([o] {
      ClientOptions client = o->client;
      if (client.dev_role.empty() && client.tls_cert.empty())
        client.dev_role = "signer:" + o->signer;
      SignOptions so = *o;
      so.client = client;
      Sign(so);
    });
  }
  {
    auto o = std::make_shared<ClientOptions>();
    auto id = std::make_shared<std::string>();
    auto reason = std::make_shared<std::string>();
    CLI::App* c = root->add_subcommand("reject", "Reject a proposal (signer)");
    controller::AddClientFlags(c, o.get());
    c->add_option("id", *id, "proposal id")->required();
    c->add_option("--reason", *reason, "why")->required();
    c->callback([o, id, reason] {
      auto stub = v1::ProposalService::NewStub(Channel(*o));
      v1::RejectProposalRequest req;
      req.set_id(*id);
      req.set_reason(*reason);
      v1::RejectProposalResponse resp;
      Check(stub->RejectProposal(NewContext(*o).get(), req, &resp));
      std::printf("%s rejected\n", id->c_str());
    });
  }
  {
    auto o = std::make_shared<ClientOptions>();
    auto id = std::make_shared<std::string>();
    auto dir = std::make_shared<std::string>(".");
    CLI::App* c = root->add_subcommand("export", "Write the signed transactions (TextEnvelope)");
    controller::AddClientFlags(c, o.get());
    c->add_option("id", *id, "proposal id")->required();
    c->add_option("--out-dir", *dir, "directory")->capture_default_str();
    c->callback([o, id, dir] {
      auto stub = v1::ProposalService::NewStub(Channel(*o));
      v1::ExportProposalRequest req;
      req.set_id(*id);
      v1::ExportProposalResponse resp;
      Check(stub->ExportProposal(NewContext(*o).get(), req, &resp));
      // File names are ours, never the controller's: "<id>-<n>.signed.json" from the id the user
      // typed (a compromised controller once named a file ".bashrc").
      if (!controller::IsProposalIdShape(*id)) {  // safe in a file name
        ThrowStatus(
            absl::InvalidArgumentError("a proposal id is 1 to 64 letters, digits, '-' or '_'"));
      }
      std::filesystem::create_directories(*dir);
      for (int i = 0; i < resp.files_size(); ++i) {
        const std::string name = absl::StrCat(*id, "-", i, ".signed.json");
        if (resp.files(i).name() != name) {
          ThrowStatus(absl::DataLossError(absl::StrCat("the controller named export file ", i,
                                                       " unexpectedly; nothing was written")));
        }
      }
      for (int i = 0; i < resp.files_size(); ++i) {
        const std::string path =
            (std::filesystem::path(*dir) / absl::StrCat(*id, "-", i, ".signed.json")).string();
        std::ofstream out(path, std::ios::trunc);
        if (!(out << resp.files(i).json())) {
          ThrowStatus(absl::InvalidArgumentError("cannot write " + path));
        }
        std::printf("%s\n", path.c_str());
      }
    });
  }
  {
    auto o = std::make_shared<ClientOptions>();
    auto id = std::make_shared<std::string>();
    CLI::App* c = root->add_subcommand(
        "submit", "Submit a ready proposal's transactions through stakewardd's chain source");
    controller::AddClientFlags(c, o.get());
    c->add_option("id", *id, "proposal id")->required();
    c->callback([o, id] {
      auto stub = v1::ProposalService::NewStub(Channel(*o));
      v1::SubmitProposalRequest req;
      req.set_id(*id);
      v1::SubmitProposalResponse resp;
      Check(stub->SubmitProposal(NewContext(*o).get(), req, &resp));
      int refused = 0;
      for (const v1::TxSubmissionOutcome& t : resp.txs()) {
        const std::string tx_id = chain::HexEncode(
            chain::ByteView(reinterpret_cast<const uint8_t*>(t.tx_id().data()), t.tx_id().size()));
        if (t.taken()) {
          std::printf("tx %u %s: taken\n", t.index(), tx_id.c_str());
        } else {
          ++refused;
          std::printf("tx %u %s: refused: %s\n", t.index(), tx_id.c_str(), t.error().c_str());
        }
      }
      std::printf("%s %s; stakewardd confirms it once the chain shows it\n", id->c_str(),
                  controller::ProposalStateText(resp.proposal().state()).c_str());
      if (refused > 0) {
        ThrowStatus(absl::FailedPreconditionError(
            absl::StrCat(refused,
                         " transaction(s) were refused (above); fix the cause and run `proposal "
                         "submit` again")));
      }
    });
  }
  {
    auto o = std::make_shared<ClientOptions>();
    CLI::App* c = root->add_subcommand(
        "observe", "Have stakewardd look at the chain now (confirmations, expiries, rollbacks)");
    controller::AddClientFlags(c, o.get());
    c->callback([o] {
      auto stub = v1::ProposalService::NewStub(Channel(*o));
      v1::ObserveChainResponse resp;
      Check(stub->ObserveChain(NewContext(*o).get(), {}, &resp));
      std::printf("tip slot %llu height %llu; %u proposal(s) watched\n",
                  static_cast<unsigned long long>(resp.tip_slot()),
                  static_cast<unsigned long long>(resp.tip_height()), resp.watched());
      for (const std::string& id : resp.confirmed()) std::printf("confirmed %s\n", id.c_str());
      for (const std::string& id : resp.expired()) std::printf("expired %s\n", id.c_str());
      for (const std::string& id : resp.rolled_back()) std::printf("rolled back %s\n", id.c_str());
      for (const std::string& w : resp.warnings()) std::printf("warning: %s\n", w.c_str());
    });
  }
  for (const char* which : {"submitted", "confirmed"}) {
    auto o = std::make_shared<ClientOptions>();
    auto id = std::make_shared<std::string>();
    auto slot = std::make_shared<uint64_t>(0);
    const std::string w = which;
    CLI::App* c = root->add_subcommand(w, "Mark the proposal's transactions " + w);
    controller::AddClientFlags(c, o.get());
    c->add_option("id", *id, "proposal id")->required();
    if (w == "confirmed") {
      c->add_option("--slot", *slot,
                    "slot of the block holding them (required when stakewardd follows the chain)");
    }
    c->callback([o, id, w, slot] {
      auto stub = v1::ProposalService::NewStub(Channel(*o));
      v1::GetProposalRequest g;
      g.set_id(*id);
      v1::GetProposalResponse gr;
      Check(stub->GetProposal(NewContext(*o).get(), g, &gr));
      if (w == "submitted") {
        v1::MarkSubmittedRequest req;
        req.set_id(*id);
        for (const auto& tx : gr.proposal().txs()) req.add_tx_ids(tx.tx_id());
        v1::MarkSubmittedResponse resp;
        Check(stub->MarkSubmitted(NewContext(*o).get(), req, &resp));
      } else {
        v1::MarkConfirmedRequest req;
        req.set_id(*id);
        req.set_slot(*slot);
        for (const auto& tx : gr.proposal().txs()) req.add_tx_ids(tx.tx_id());
        v1::MarkConfirmedResponse resp;
        Check(stub->MarkConfirmed(NewContext(*o).get(), req, &resp));
      }
      std::printf("%s %s\n", id->c_str(), w.c_str());
    });
  }
});

}  // namespace
}  // namespace stakeward::cli
