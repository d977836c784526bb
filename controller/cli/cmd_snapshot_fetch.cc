// `stakeward snapshot fetch` (Ogmios or Koios → Stakeward snapshot JSON),
// `stakeward snapshot import --from-dir DIR` (cardano-cli query outputs → snapshot JSON) and
// `stakeward snapshot addresses` (the addresses to query with cardano-cli).
// See chainsource/ and DEVELOPERS.md.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "chain/bytes.h"
#include "chainsource/cli_dir.h"
#include "chainsource/koios_source.h"
#include "chainsource/ogmios_source.h"
#include "chainsource/snapshot_builder.h"
#include "controller/cli/command.h"
#include "controller/client/api_client_flags.h"
#include "controller/model/bounded_read.h"
#include "policy/policy.h"
#include "policy/snapshot.h"

namespace stakeward::cli {
namespace {

std::string ReadOrThrow(const std::string& path) {
  absl::StatusOr<std::string> text =
      controller::ReadBoundedFile(path, controller::InputKind::kPolicy);
  if (!text.ok()) ThrowStatus(text.status());
  return *std::move(text);
}

void WriteOrThrow(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text << "\n";
  f.close();
  if (!f) ThrowStatus(absl::UnavailableError("cannot write " + path));
}

chain::Network NetworkOrThrow(const std::string& name) {
  if (name == "mainnet") return chain::Network::kMainnet;
  if (name == "testnet") return chain::Network::kTestnet;
  ThrowStatus(absl::InvalidArgumentError("--network must be mainnet or testnet"));
}

// The union of the slots and treasury addresses of every given policy (e.g. the outgoing and the
// incoming policy during a migration).
chainsource::BridgeLayout LayoutOrThrow(const std::vector<std::string>& policies,
                                        chain::Network network) {
  chainsource::BridgeLayout layout;
  layout.network = network;
  for (size_t i = 0; i < policies.size(); ++i) {
    auto p = policy::LoadPolicy(ReadOrThrow(policies[i]));
    if (!p.ok()) ThrowStatus(p.status());
    auto l = chainsource::LayoutFromPolicy(*p);
    if (!l.ok()) ThrowStatus(l.status());
    if (i == 0) layout.network = l->network;
    if (l->network != layout.network)
      ThrowStatus(absl::InvalidArgumentError("the policies are on different networks"));
    layout.slots.insert(layout.slots.end(), l->slots.begin(), l->slots.end());
    layout.treasury_addresses.insert(layout.treasury_addresses.end(), l->treasury_addresses.begin(),
                                     l->treasury_addresses.end());
  }
  // Two policies use the same slot indices with different scripts; a snapshot keeps one entry per
  // index, so an index in use under both policies is reported as "listed twice".
  return layout;
}

void Report(const policy::Snapshot& s, const std::string& out) {
  std::printf(
      "snapshot %s epoch %llu slot %llu, %zu pools, %zu slots in use, %zu treasury UTxOs -> %s\n",
      chain::HexEncode(policy::SnapshotHash(s)).c_str(), static_cast<unsigned long long>(s.epoch),
      static_cast<unsigned long long>(s.slot), s.pools.size(), s.slots.size(), s.treasury.size(),
      out.c_str());
  if (s.origin.has_value()) std::printf("source %s\n", s.origin->source.c_str());
}

struct FetchOptions {
  std::string ogmios;
  std::string koios;
  std::string out;
  std::vector<std::string> policies;
  std::string network = "mainnet";
  int timeout_seconds = 120;
  uint64_t blocks_per_epoch = 21600;
};

void Fetch(const FetchOptions& o) {
  std::unique_ptr<chainsource::ChainSource> src;
  if (!o.ogmios.empty()) {
    auto s = chainsource::OgmiosSource::Create(o.ogmios);
    if (!s.ok()) ThrowStatus(s.status());
    src = std::move(*s);
  } else {
    chainsource::KoiosOptions ko;
    ko.blocks_per_epoch = o.blocks_per_epoch;
    if (const char* token = std::getenv("STAKEWARD_KOIOS_TOKEN"); token != nullptr)
      ko.bearer_token = token;
    auto s = chainsource::KoiosSource::Create(o.koios, ko);
    if (!s.ok()) ThrowStatus(s.status());
    src = std::move(*s);
  }
  chainsource::BridgeLayout layout = LayoutOrThrow(o.policies, NetworkOrThrow(o.network));
  auto facts = chainsource::CollectFacts(*src, layout, absl::Seconds(o.timeout_seconds));
  if (!facts.ok()) ThrowStatus(facts.status());
  auto snap = chainsource::BuildSnapshot(*facts, layout);
  if (!snap.ok()) ThrowStatus(snap.status());
  WriteOrThrow(o.out, policy::SnapshotToJson(*snap));
  Report(*snap, o.out);
}

RegisterCommands reg([](CLI::App& app) {
  CLI::App* root =
      controller::GetOrAddSubcommand(app, "snapshot", "Chain snapshots on the controller");
  {
    auto o = std::make_shared<FetchOptions>();
    CLI::App* c =
        root->add_subcommand("fetch", "Build a snapshot from the chain (Ogmios v6 or Koios)");
    auto* og = c->add_option("--ogmios", o->ogmios, "Ogmios endpoint, ws://HOST:PORT");
    auto* ko = c->add_option("--koios", o->koios,
                             "Koios base URL, e.g. https://preprod.koios.rest/api/v1");
    og->excludes(ko);
    c->add_option("--out", o->out, "snapshot JSON to write")->required();
    c->add_option("--bridge-policy", o->policies,
                  "policy YAML whose slots and treasury to read (repeatable)");
    c->add_option("--network", o->network, "mainnet or testnet when no policy is given")
        ->capture_default_str();
    c->add_option("--timeout", o->timeout_seconds, "seconds allowed per query")
        ->capture_default_str()
        ->check(CLI::Range(1, 3600));
    c->add_option("--blocks-per-epoch", o->blocks_per_epoch,
                  "Koios only: expected blocks per epoch at 100% stake (21600 mainnet/preprod, "
                  "4320 preview)")
        ->capture_default_str();
    c->callback([o] {
      if (o->ogmios.empty() == o->koios.empty()) {
        ThrowStatus(absl::InvalidArgumentError("give exactly one of --ogmios or --koios"));
      }
      Fetch(*o);
    });
  }
  {
    auto dir = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto network = std::make_shared<std::string>("mainnet");
    CLI::App* c = root->add_subcommand(
        "import", "Build a snapshot from cardano-cli query outputs in a folder");
    c->add_option("--from-dir", *dir, "folder of cardano-cli outputs (see DEVELOPERS.md)")
        ->required()
        ->check(CLI::ExistingDirectory);
    c->add_option("--out", *out, "snapshot JSON to write")->required();
    c->add_option("--network", *network, "mainnet or testnet")->capture_default_str();
    c->callback([dir, out, network] {
      auto snap = chainsource::ImportCliDir(*dir, NetworkOrThrow(*network));
      if (!snap.ok()) ThrowStatus(snap.status());
      WriteOrThrow(*out, policy::SnapshotToJson(*snap));
      Report(*snap, *out);
    });
  }
  {
    auto policies = std::make_shared<std::vector<std::string>>();
    auto count = std::make_shared<uint32_t>(0);
    CLI::App* c = root->add_subcommand("addresses",
                                       "Print each slot's stake and base address and the treasury "
                                       "address (for cardano-cli queries)");
    c->add_option("--bridge-policy", *policies, "policy YAML")->required();
    c->add_option("--slots", *count, "how many slots to print (default: the policy's max_slots)");
    c->callback([policies, count] {
      chainsource::BridgeLayout layout = LayoutOrThrow(*policies, chain::Network::kMainnet);
      for (const auto& s : layout.slots) {
        if (*count != 0 && s.index >= *count) break;
        std::printf("slot %u stake %s base %s\n", s.index,
                    chain::Address::Reward(layout.network, s.stake).ToBech32().c_str(),
                    s.base_address.c_str());
      }
      for (const auto& t : layout.treasury_addresses) std::printf("treasury %s\n", t.c_str());
    });
  }
});

}  // namespace
}  // namespace stakeward::cli
