// YAML → Policy. Every field is read through Reader, which knows the field's dotted name and its
// line, rejects unknown keys and wrong types, and never lets a yaml-cpp exception escape.
#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "chain/address.h"
#include "chain/status_macros.h"
#include "chain/utf8.h"
#include "policy/policy.h"
#include "yaml-cpp/yaml.h"

namespace stakeward::policy {
namespace {

constexpr uint64_t kMaxSigners = 32;
constexpr uint64_t kMaxSlots = 100000;
constexpr uint64_t kMaxListEntries = 100000;
constexpr size_t kMaxPolicyBytes = 4u << 20;

absl::Status FieldError(const YAML::Node& node, absl::string_view field, absl::string_view msg) {
  int line = node.IsDefined() ? node.Mark().line + 1 : 0;
  if (line > 0)
    return absl::InvalidArgumentError(absl::StrCat("line ", line, ": ", field, ": ", msg));
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", msg));
}

// A map node plus the set of keys read from it; Finish() reports the first unknown key.
class Reader {
 public:
  Reader(YAML::Node node, std::string prefix)
      : node_(std::move(node)), prefix_(std::move(prefix)) {}

  absl::Status CheckMap() const {
    if (!node_.IsMap())
      return FieldError(node_, prefix_.empty() ? "document" : prefix_, "expected a mapping");
    return absl::OkStatus();
  }
  std::string Name(absl::string_view key) const {
    return prefix_.empty() ? std::string(key) : absl::StrCat(prefix_, ".", key);
  }
  YAML::Node Get(absl::string_view key) {
    seen_.insert(std::string(key));
    const YAML::Node& c = node_;
    return c[std::string(key)];
  }

  absl::StatusOr<std::string> Scalar(absl::string_view key, bool required,
                                     std::string fallback = "") {
    YAML::Node n = Get(key);
    if (!n.IsDefined() || n.IsNull()) {
      if (required) return FieldError(node_, Name(key), "is required");
      return fallback;
    }
    if (!n.IsScalar()) return FieldError(n, Name(key), "expected a scalar");
    return n.Scalar();
  }
  absl::StatusOr<uint64_t> U64(absl::string_view key, bool required, uint64_t fallback,
                               uint64_t min = 0, uint64_t max = UINT64_MAX) {
    YAML::Node n = Get(key);
    if (!n.IsDefined() || n.IsNull()) {
      if (required) return FieldError(node_, Name(key), "is required");
      return fallback;
    }
    if (!n.IsScalar()) return FieldError(n, Name(key), "expected an integer");
    std::string s = n.Scalar();
    s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
    auto v = ParseU64(s, Name(key));
    if (!v.ok())
      return FieldError(n, Name(key),
                        absl::StrCat("'", n.Scalar(), "' is not a non-negative integer"));
    if (*v < min || *v > max) {
      return FieldError(n, Name(key), absl::StrCat("must be between ", min, " and ", max));
    }
    return *v;
  }
  absl::StatusOr<Ratio> RatioField(absl::string_view key, Ratio fallback, bool at_most_one) {
    YAML::Node n = Get(key);
    if (!n.IsDefined() || n.IsNull()) return fallback;
    if (!n.IsScalar()) return FieldError(n, Name(key), "expected a number or n/d");
    auto r = ParseRatio(n.Scalar(), Name(key));
    if (!r.ok())
      return FieldError(n, Name(key), absl::StrCat("'", n.Scalar(), "' is not a number or n/d"));
    if (at_most_one && RatioLess(Ratio::One(), *r))
      return FieldError(n, Name(key), "must be at most 1");
    return *r;
  }
  absl::StatusOr<bool> Bool(absl::string_view key, bool fallback) {
    YAML::Node n = Get(key);
    if (!n.IsDefined() || n.IsNull()) return fallback;
    if (!n.IsScalar()) return FieldError(n, Name(key), "expected true or false");
    std::string s = absl::AsciiStrToLower(n.Scalar());
    if (s == "true" || s == "yes") return true;
    if (s == "false" || s == "no") return false;
    return FieldError(n, Name(key), "expected true or false");
  }
  // A sub-map; absent means all defaults (an empty node).
  absl::StatusOr<YAML::Node> Section(absl::string_view key) {
    YAML::Node n = Get(key);
    if (!n.IsDefined() || n.IsNull()) return YAML::Node(YAML::NodeType::Map);
    if (!n.IsMap()) return FieldError(n, Name(key), "expected a mapping");
    return n;
  }
  absl::Status Finish() const {
    for (auto it = node_.begin(); it != node_.end(); ++it) {
      std::string k = it->first.Scalar();
      if (!seen_.count(k)) return FieldError(it->first, Name(k), "unknown field");
    }
    return absl::OkStatus();
  }
  const YAML::Node& node() const { return node_; }

 private:
  YAML::Node node_;
  std::string prefix_;
  std::set<std::string> seen_;
};

absl::StatusOr<chain::XPub> ParseAccountXPub(const YAML::Node& n, const std::string& field) {
  if (!n.IsDefined() || !n.IsScalar())
    return FieldError(n, field, "is required (acct_shared_xvk1… or 128 hex)");
  const std::string s = n.Scalar();
  absl::StatusOr<chain::Bytes> raw = absl::InvalidArgumentError("");
  if (s.rfind("acct_shared_xvk1", 0) == 0) {
    raw = chain::Bech32DecodeExpect(s, "acct_shared_xvk");
  } else {
    raw = chain::HexDecode(s);
  }
  if (!raw.ok() || raw->size() != 64) {
    return FieldError(n, field,
                      "expected a CIP-1854 account xpub: acct_shared_xvk1… or 128 hex digits");
  }
  auto x = chain::XPub::Parse(chain::View(*raw));
  if (!x.ok()) return FieldError(n, field, "not a valid extended public key");
  return *x;
}

absl::StatusOr<std::vector<chain::Hash28>> PoolList(Reader& r, absl::string_view key) {
  YAML::Node n = r.Get(key);
  std::vector<chain::Hash28> out;
  if (!n.IsDefined() || n.IsNull()) return out;
  if (!n.IsSequence()) return FieldError(n, r.Name(key), "expected a list of pool ids");
  if (n.size() > kMaxListEntries) return FieldError(n, r.Name(key), "too many entries");
  for (size_t i = 0; i < n.size(); ++i) {
    std::string f = absl::StrCat(r.Name(key), "[", i, "]");
    if (!n[i].IsScalar()) return FieldError(n[i], f, "expected a pool id");
    auto id = chain::ParsePoolId(n[i].Scalar());
    if (!id.ok())
      return FieldError(n[i], f,
                        absl::StrCat("'", n[i].Scalar(), "' is not a pool id (pool1… or 56 hex)"));
    out.push_back(*id);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

absl::Status ReadSigners(Reader& top, Policy& p) {
  YAML::Node list = top.Get("signers");
  if (!list.IsDefined() || !list.IsSequence() || list.size() == 0) {
    return FieldError(list.IsDefined() ? list : top.node(), "signers", "expected a non-empty list");
  }
  if (list.size() > kMaxSigners)
    return FieldError(list, "signers", absl::StrCat("at most ", kMaxSigners, " signers"));
  std::set<std::string> names;
  std::set<std::array<uint8_t, 64>> keys;
  for (size_t i = 0; i < list.size(); ++i) {
    Reader r(list[i], absl::StrCat("signers[", i, "]"));
    SW_RETURN_IF_ERROR(r.CheckMap());
    Signer s;
    SW_ASSIGN_OR_RETURN(s.name, r.Scalar("name", true));
    if (s.name.empty() || s.name.size() > 64)
      return FieldError(list[i], r.Name("name"), "must be 1..64 characters");
    if (!names.insert(s.name).second)
      return FieldError(r.Get("name"), r.Name("name"), "duplicate signer name");
    SW_ASSIGN_OR_RETURN(s.account_xpub, ParseAccountXPub(r.Get("xpub"), r.Name("xpub")));
    if (!keys.insert(s.account_xpub.Serialize()).second)
      return FieldError(r.Get("xpub"), r.Name("xpub"), "duplicate signer key");
    std::string dev;
    SW_ASSIGN_OR_RETURN(dev, r.Scalar("device", true));
    if (dev == "ledger") {
      s.device = DeviceKind::kLedger;
    } else if (dev == "trezor") {
      s.device = DeviceKind::kTrezor;
    } else {
      return FieldError(r.Get("device"), r.Name("device"), "expected ledger or trezor");
    }
    SW_RETURN_IF_ERROR(r.Finish());
    p.signers.push_back(std::move(s));
  }
  return absl::OkStatus();
}

// gates.when_missing.<gate>: deny (default) | warn | allow.
absl::StatusOr<WhenMissing> ReadWhenMissing(Reader& r, absl::string_view key) {
  std::string v;
  SW_ASSIGN_OR_RETURN(v, r.Scalar(key, false, "deny"));
  if (v == "deny") return WhenMissing::kDeny;
  if (v == "warn") return WhenMissing::kWarn;
  if (v == "allow") return WhenMissing::kAllow;
  return FieldError(r.Get(key), r.Name(key), "expected deny, warn or allow");
}

absl::Status ReadGates(Reader& r, Gates& g) {
  SW_RETURN_IF_ERROR(r.CheckMap());
  SW_ASSIGN_OR_RETURN(g.retiring_within_epochs, r.U64("retiring_within_epochs", false, 2, 0, 1000));
  SW_ASSIGN_OR_RETURN(g.max_margin, r.RatioField("max_margin", Ratio::One(), true));
  SW_ASSIGN_OR_RETURN(g.max_fixed_cost, r.U64("max_fixed_cost", false, UINT64_MAX));
  SW_ASSIGN_OR_RETURN(g.min_pledge, r.U64("min_pledge", false, 0));
  SW_ASSIGN_OR_RETURN(g.require_pledge_met, r.Bool("require_pledge_met", true));
  SW_ASSIGN_OR_RETURN(g.min_performance, r.RatioField("min_performance", Ratio::Zero(), false));
  SW_ASSIGN_OR_RETURN(g.performance_window_epochs,
                      r.U64("performance_window_epochs", false, 5, 1, 1000));
  SW_ASSIGN_OR_RETURN(g.min_age_epochs, r.U64("min_age_epochs", false, 0, 0, 100000));
  SW_ASSIGN_OR_RETURN(g.deny, PoolList(r, "deny"));
  SW_ASSIGN_OR_RETURN(g.allow, PoolList(r, "allow"));
  SW_ASSIGN_OR_RETURN(g.allow_only, r.Bool("allow_only", false));
  if (g.allow_only && g.allow.empty())
    return FieldError(r.node(), r.Name("allow"), "allow_only needs a non-empty allow list");
  SW_ASSIGN_OR_RETURN(g.max_pools_per_group, r.U64("max_pools_per_group", false, UINT64_MAX, 1));
  YAML::Node missing;
  SW_ASSIGN_OR_RETURN(missing, r.Section("when_missing"));
  Reader m(missing, r.Name("when_missing"));
  SW_RETURN_IF_ERROR(m.CheckMap());
  SW_ASSIGN_OR_RETURN(g.age_when_missing, ReadWhenMissing(m, "age"));
  SW_ASSIGN_OR_RETURN(g.performance_when_missing, ReadWhenMissing(m, "performance"));
  SW_ASSIGN_OR_RETURN(g.pledge_when_missing, ReadWhenMissing(m, "pledge"));
  SW_RETURN_IF_ERROR(m.Finish());
  return r.Finish();
}

absl::Status ReadAllocation(Reader& r, Allocation& a, uint64_t max_slots) {
  SW_RETURN_IF_ERROR(r.CheckMap());
  std::string strat;
  SW_ASSIGN_OR_RETURN(strat, r.Scalar("strategy", false, "max-rewards"));
  if (strat == "equal") {
    a.strategy = Strategy::kEqual;
  } else if (strat == "score-weighted") {
    a.strategy = Strategy::kScoreWeighted;
  } else if (strat == "max-rewards") {
    a.strategy = Strategy::kMaxRewards;
  } else {
    return FieldError(r.Get("strategy"), r.Name("strategy"),
                      "expected equal, score-weighted or max-rewards");
  }
  SW_ASSIGN_OR_RETURN(a.min_pools, r.U64("min_pools", false, 1, 1, kMaxSlots));
  SW_ASSIGN_OR_RETURN(a.max_pools,
                      r.U64("max_pools", false, std::min<uint64_t>(50, max_slots), 1, kMaxSlots));
  if (a.min_pools > a.max_pools)
    return FieldError(r.Get("min_pools"), r.Name("min_pools"), "must not exceed max_pools");
  if (a.max_pools > max_slots)
    return FieldError(r.Get("max_pools"), r.Name("max_pools"), "must not exceed max_slots");
  SW_ASSIGN_OR_RETURN(a.max_pool_share_bps, r.U64("max_pool_share_bps", false, 10000, 1, 10000));
  SW_ASSIGN_OR_RETURN(a.saturation_headroom_bps,
                      r.U64("saturation_headroom_bps", false, 9500, 1, 10000));
  SW_ASSIGN_OR_RETURN(a.max_group_share_bps, r.U64("max_group_share_bps", false, 10000, 1, 10000));
  SW_ASSIGN_OR_RETURN(a.min_per_pool, r.U64("min_per_pool_lovelace", false, 0));
  return r.Finish();
}

absl::Status ReadChurn(Reader& r, Churn& c) {
  SW_RETURN_IF_ERROR(r.CheckMap());
  SW_ASSIGN_OR_RETURN(c.max_moved_bps_per_epoch,
                      r.U64("max_moved_bps_per_epoch", false, 10000, 0, 10000));
  SW_ASSIGN_OR_RETURN(c.hysteresis_bps, r.U64("hysteresis_bps", false, 0, 0, 100000));
  SW_ASSIGN_OR_RETURN(c.reentry_delay_epochs, r.U64("reentry_delay_epochs", false, 0, 0, 100000));
  return r.Finish();
}

absl::Status ReadAddress(Reader& r, absl::string_view key, chain::Network net, std::string& out) {
  SW_ASSIGN_OR_RETURN(out, r.Scalar(key, true));
  auto a = chain::ParseAddressOn(out, net);
  if (!a.ok() || a->type == chain::AddressType::kReward) {
    return FieldError(r.Get(key), r.Name(key),
                      "expected a payment address (addr… / addr_test…) on the policy's network");
  }
  return absl::OkStatus();
}

absl::Status ReadRewards(Reader& r, RewardRouting& w, chain::Network net) {
  SW_RETURN_IF_ERROR(r.CheckMap());
  SW_ASSIGN_OR_RETURN(w.commission_bps, r.U64("commission_bps", true, 0, 0, 10000));
  SW_RETURN_IF_ERROR(ReadAddress(r, "treasury_address", net, w.treasury_address));
  SW_RETURN_IF_ERROR(ReadAddress(r, "bridge_address", net, w.bridge_address));
  SW_ASSIGN_OR_RETURN(w.bridge_magic, r.Scalar("bridge_metadata_magic", true));
  if (w.bridge_magic.empty() || w.bridge_magic.size() > 64) {
    return FieldError(r.Get("bridge_metadata_magic"), r.Name("bridge_metadata_magic"),
                      "must be 1..64 bytes (a metadata text)");
  }
  SW_ASSIGN_OR_RETURN(w.l2_chain_id, r.U64("l2_chain_id", true, 0, 1));
  SW_ASSIGN_OR_RETURN(w.contract_address, r.Scalar("contract_address", true));
  {
    auto raw = w.contract_address.size() == 42 && w.contract_address.rfind("0x", 0) == 0
                   ? chain::HexDecode(w.contract_address)
                   : absl::StatusOr<chain::Bytes>(absl::InvalidArgumentError(""));
    if (!raw.ok() || raw->size() != 20) {
      return FieldError(r.Get("contract_address"), r.Name("contract_address"),
                        "expected 0x followed by 40 hex digits");
    }
    w.contract_address = "0x" + chain::HexEncode(chain::View(*raw));
  }
  SW_ASSIGN_OR_RETURN(w.roi, r.U64("roi", true, 100, 1, 100));
  SW_ASSIGN_OR_RETURN(w.operator_path, r.Scalar("operator_path", true));
  {
    auto path = chain::ParsePath(w.operator_path);
    const auto& ix = path.ok() ? path->indexes : std::vector<uint32_t>{};
    using chain::kHardened;
    if (ix.size() != 5 || ix[0] != (44 | kHardened) || ix[1] != (60 | kHardened) ||
        ix[2] != (0 | kHardened) || ix[3] != 0 || (ix[4] & kHardened) != 0) {
      return FieldError(r.Get("operator_path"), r.Name("operator_path"),
                        "expected m/44'/60'/0'/0/i");
    }
    w.operator_path = chain::FormatPath(*path);
  }
  SW_ASSIGN_OR_RETURN(w.bridge_min_lovelace, r.U64("bridge_min_lovelace", false, 0));
  SW_ASSIGN_OR_RETURN(w.operator_l2_address, r.Scalar("operator_l2_address", false, ""));
  if (!w.operator_l2_address.empty()) {
    auto raw = w.operator_l2_address.size() == 42 && w.operator_l2_address.rfind("0x", 0) == 0
                   ? chain::HexDecode(w.operator_l2_address)
                   : absl::StatusOr<chain::Bytes>(absl::InvalidArgumentError(""));
    if (!raw.ok() || raw->size() != 20) {
      return FieldError(r.Get("operator_l2_address"), r.Name("operator_l2_address"),
                        "expected 0x followed by 40 hex digits");
    }
    w.operator_l2_address = "0x" + chain::HexEncode(chain::View(*raw));
  }
  return r.Finish();
}

absl::Status ReadDRep(Reader& top, DRepChoice& d) {
  std::string s;
  SW_ASSIGN_OR_RETURN(s, top.Scalar("drep", true));
  if (s == "abstain") {
    d.kind = DRepChoice::Kind::kAbstain;
  } else if (s == "no-confidence") {
    d.kind = DRepChoice::Kind::kNoConfidence;
  } else {
    auto c = chain::ParseDRepId(s);
    if (!c.ok())
      return FieldError(top.Get("drep"), "drep", "expected abstain, no-confidence or a drep1… id");
    d.kind = DRepChoice::Kind::kDRep;
    d.drep = *c;
  }
  return absl::OkStatus();
}

absl::StatusOr<Policy> Parse(const YAML::Node& root) {
  Reader top(root, "");
  SW_RETURN_IF_ERROR(top.CheckMap());
  Policy p;
  SW_ASSIGN_OR_RETURN(p.version, top.U64("version", true, 1));
  if (p.version != 1)
    return FieldError(top.Get("version"), "version", "only schema version 1 is supported");
  std::string net;
  SW_ASSIGN_OR_RETURN(net, top.Scalar("network", true));
  if (net == "mainnet") {
    p.network = chain::Network::kMainnet;
  } else if (net == "testnet") {
    p.network = chain::Network::kTestnet;
  } else {
    return FieldError(top.Get("network"), "network", "expected mainnet or testnet");
  }
  SW_ASSIGN_OR_RETURN(p.protocol_magic, top.U64("protocol_magic", true, 0, 0, UINT32_MAX));
  // Mainnet's network magic (IntersectMBO/cardano-node
  // configuration/cardano/mainnet-shelley-genesis.json).
  if (p.network == chain::Network::kMainnet && p.protocol_magic != 764824073) {
    return FieldError(top.Get("protocol_magic"), "protocol_magic",
                      "mainnet's protocol magic is 764824073");
  }
  SW_RETURN_IF_ERROR(ReadSigners(top, p));
  SW_ASSIGN_OR_RETURN(p.threshold, top.U64("threshold", true, 1, 1, p.signers.size()));
  SW_ASSIGN_OR_RETURN(p.max_slots, top.U64("max_slots", false, 100, 1, kMaxSlots));
  {
    YAML::Node n;
    SW_ASSIGN_OR_RETURN(n, top.Section("gates"));
    Reader r(n, "gates");
    SW_RETURN_IF_ERROR(ReadGates(r, p.gates));
  }
  {
    YAML::Node n;
    SW_ASSIGN_OR_RETURN(n, top.Section("scoring"));
    Reader r(n, "scoring");
    SW_RETURN_IF_ERROR(r.CheckMap());
    SW_ASSIGN_OR_RETURN(p.scoring.return_weight_bps,
                        r.U64("return_weight_bps", false, 10000, 0, 1000000));
    SW_ASSIGN_OR_RETURN(p.scoring.performance_weight_bps,
                        r.U64("performance_weight_bps", false, 0, 0, 1000000));
    SW_ASSIGN_OR_RETURN(p.scoring.pledge_weight_bps,
                        r.U64("pledge_weight_bps", false, 0, 0, 1000000));
    if (p.scoring.return_weight_bps + p.scoring.performance_weight_bps +
            p.scoring.pledge_weight_bps ==
        0) {
      return FieldError(n, "scoring", "at least one weight must be positive");
    }
    SW_RETURN_IF_ERROR(r.Finish());
  }
  {
    YAML::Node n;
    SW_ASSIGN_OR_RETURN(n, top.Section("allocation"));
    Reader r(n, "allocation");
    SW_RETURN_IF_ERROR(ReadAllocation(r, p.allocation, p.max_slots));
  }
  {
    YAML::Node n;
    SW_ASSIGN_OR_RETURN(n, top.Section("churn"));
    Reader r(n, "churn");
    SW_RETURN_IF_ERROR(ReadChurn(r, p.churn));
  }
  SW_RETURN_IF_ERROR(ReadDRep(top, p.drep));
  {
    YAML::Node n = top.Get("rewards");
    if (!n.IsDefined() || !n.IsMap())
      return FieldError(n.IsDefined() ? n : root, "rewards", "expected a mapping");
    Reader r(n, "rewards");
    SW_RETURN_IF_ERROR(ReadRewards(r, p.rewards, p.network));
  }
  SW_RETURN_IF_ERROR(top.Finish());
  return p;
}

// yaml-cpp keeps both entries of a repeated key and lookups return the first; another YAML
// reader may take the last. A DAO must not approve a document two tools read differently.
absl::Status CheckNoDuplicateKeys(const YAML::Node& node, int depth) {
  if (depth > 64) return FieldError(node, "document", "nested too deeply");
  if (node.IsSequence()) {
    for (const YAML::Node& child : node) SW_RETURN_IF_ERROR(CheckNoDuplicateKeys(child, depth + 1));
  } else if (node.IsMap()) {
    std::set<std::string> keys;
    for (const auto& kv : node) {
      if (!kv.first.IsScalar())
        return FieldError(kv.first, "document", "keys must be plain scalars");
      if (!keys.insert(kv.first.Scalar()).second) {
        std::string key = kv.first.Scalar().substr(0, 64);
        while (!key.empty() && !chain::IsValidUtf8(key)) key.pop_back();  // cut inside a character
        return FieldError(kv.first, key, "appears twice in one mapping");
      }
      SW_RETURN_IF_ERROR(CheckNoDuplicateKeys(kv.second, depth + 1));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Policy> LoadPolicy(absl::string_view yaml_text) {
  if (yaml_text.size() > kMaxPolicyBytes)
    return absl::InvalidArgumentError("policy: document too large");
  // Stored text must be valid UTF-8: it is served to every client, whose protobuf decoders refuse
  // invalid strings.
  if (!chain::IsValidUtf8(std::string_view(yaml_text.data(), yaml_text.size()))) {
    return absl::InvalidArgumentError("policy: the document is not valid UTF-8 text");
  }
  try {
    YAML::Node root = YAML::Load(std::string(yaml_text));
    SW_RETURN_IF_ERROR(CheckNoDuplicateKeys(root, 0));
    return Parse(root);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", e.mark.line + 1, ": YAML syntax error: ", e.msg));
  }
}

}  // namespace stakeward::policy
