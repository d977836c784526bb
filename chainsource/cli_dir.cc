#include "chainsource/cli_dir.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "chain/lovelace.h"
#include "chainsource/json_read.h"
#include "chainsource/macros.h"
#include "chainsource/snapshot_builder.h"
#include "policy/cli_import.h"

namespace stakeward::chainsource {
namespace {

namespace fs = std::filesystem;

constexpr uintmax_t kMaxFileBytes = 256u << 20;

absl::StatusOr<std::string> ReadFile(const fs::path& p) {
  std::error_code ec;
  uintmax_t size = fs::file_size(p, ec);
  if (ec) return absl::NotFoundError(absl::StrCat(p.string(), ": ", ec.message()));
  if (size > kMaxFileBytes)
    return absl::InvalidArgumentError(absl::StrCat(p.string(), ": file too large"));
  std::ifstream in(p, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(p.string(), ": cannot open"));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::Status Prefixed(const absl::Status& st, const fs::path& p) {
  if (st.ok()) return st;
  return absl::Status(st.code(), absl::StrCat(p.filename().string(), ": ", st.message()));
}

// slot-<N>.<kind>.json → N
std::map<uint32_t, std::pair<fs::path, fs::path>> SlotFiles(const fs::path& dir) {
  std::map<uint32_t, std::pair<fs::path, fs::path>> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (!absl::StartsWith(name, "slot-")) continue;
    size_t dot = name.find('.');
    uint32_t n;
    if (dot == std::string::npos || !absl::SimpleAtoi(name.substr(5, dot - 5), &n)) continue;
    std::string kind = name.substr(dot);
    if (kind == ".stake-address-info.json") out[n].first = e.path();
    if (kind == ".utxo.json") out[n].second = e.path();
  }
  return out;
}

absl::StatusOr<TreasuryAndReserves> ParseAccountState(absl::string_view text) {
  CS_ASSIGN(Json j, policy::json::ParseExact(text, "account-state"));
  TreasuryAndReserves t;
  CS_ASSIGN(const Json* tr, Member(j, "treasury", "account-state"));
  CS_ASSIGN(t.treasury, ReadU64(*tr, "account-state.treasury"));
  CS_ASSIGN(const Json* rs, Member(j, "reserves", "account-state"));
  CS_ASSIGN(t.reserves, ReadU64(*rs, "account-state.reserves"));
  return t;
}

}  // namespace

absl::StatusOr<CliTip> ParseCliTip(absl::string_view text) {
  CS_ASSIGN(Json j, policy::json::ParseExact(text, "tip"));
  CliTip t;
  CS_ASSIGN(const Json* slot, Member(j, "slot", "tip"));
  CS_ASSIGN(t.slot, ReadU64(*slot, "tip.slot"));
  CS_ASSIGN(const Json* epoch, Member(j, "epoch", "tip"));
  CS_ASSIGN(t.epoch, ReadU64(*epoch, "tip.epoch"));
  CS_ASSIGN(const Json* block, Member(j, "block", "tip"));
  CS_ASSIGN(t.block, ReadU64(*block, "tip.block"));
  CS_ASSIGN(const Json* hash, Member(j, "hash", "tip"));
  CS_ASSIGN(t.hash, ReadHash32(*hash, "tip.hash"));
  return t;
}

absl::StatusOr<policy::Snapshot> ImportCliDir(const std::string& dir_text, chain::Network network) {
  fs::path dir(dir_text);
  if (!fs::is_directory(dir))
    return absl::NotFoundError(absl::StrCat(dir_text, ": not a directory"));
  auto read = [&](const char* name) { return ReadFile(dir / name); };
  policy::Snapshot s;
  s.network = network;
  CS_ASSIGN(std::string tip_text, read("tip.json"));
  CS_ASSIGN(CliTip tip, ParseCliTip(tip_text));
  s.epoch = tip.epoch;
  s.slot = tip.slot;
  struct Step {
    const char* file;
    absl::Status (*apply)(absl::string_view, policy::Snapshot&);
  };
  const Step steps[] = {
      {"protocol-parameters.json", policy::ImportProtocolParameters},
      {"stake-pools.json", policy::ImportStakePools},
      {"pool-state.json", policy::ImportPoolState},
      {"stake-snapshot.json",
       [](absl::string_view t, policy::Snapshot& x) { return policy::ImportStakeSnapshot(t, x); }},
  };
  for (const Step& step : steps) {
    CS_ASSIGN(std::string text, read(step.file));
    CS_RETURN_IF_ERROR(Prefixed(step.apply(text, s), step.file));
  }
  CS_ASSIGN(std::string acct, read("account-state.json"));
  CS_ASSIGN(TreasuryAndReserves pots, ParseAccountState(acct));
  s.reserves = pots.reserves;
  auto circ = chain::CheckedSub(kMaxLovelaceSupply, pots.reserves);
  if (!circ)
    return absl::InvalidArgumentError("account-state.json: reserves exceed the maximum supply");
  s.circulating = *circ;
  for (const auto& [n, files] : SlotFiles(dir)) {
    if (!files.first.empty()) {
      CS_ASSIGN(std::string text, ReadFile(files.first));
      CS_RETURN_IF_ERROR(Prefixed(policy::ImportStakeAddressInfo(text, n, s), files.first));
    }
    if (!files.second.empty()) {
      CS_ASSIGN(std::string text, ReadFile(files.second));
      CS_RETURN_IF_ERROR(Prefixed(policy::ImportUtxo(text, n, s), files.second));
    }
  }
  if (fs::exists(dir / "treasury.utxo.json")) {
    CS_ASSIGN(std::string text, read("treasury.utxo.json"));
    CS_RETURN_IF_ERROR(
        Prefixed(policy::ImportUtxo(text, std::nullopt, s), dir / "treasury.utxo.json"));
  }
  for (policy::Pool& p : s.pools) {
    for (std::string& r : p.relays) r = CanonicalCliRelay(r);
  }
  s.origin =
      policy::SnapshotOrigin{absl::StrCat("cardano-cli ", dir_text), tip.slot, tip.hash, tip.block};
  CS_RETURN_IF_ERROR(policy::NormalizeSnapshot(s));
  return s;
}

}  // namespace stakeward::chainsource
