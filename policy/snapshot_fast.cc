// The snapshot fast path (snapshot_internal.h). A snapshot is nearly all pools, so they are read
// straight from simdjson's On-Demand stream into Pools: no node per value, no second pass for
// duplicate keys (a bit per known member), no member lookup. Everything else in the document is
// read by the general reader from a copy of the text in which the pools array is replaced by [].
//
// Agreement with the general reader rests on three rules. (1) The fast path gives up (nullopt)
// on anything it does not take: an unknown or repeated member, a value of an unexpected kind, any
// error at all; LoadSnapshot then runs the general reader, so rare forms and every error message
// keep one implementation. (2) It checks all that json::Doc checks of the values it reads: the
// number grammar, null spelled exactly, string escapes (UTF-8 is checked over the whole input by
// simdjson's first stage), and it counts values and keys the way Doc does so the node limit falls
// at the same place. (3) The rest of the document is parsed by json::Doc itself; the pools array
// is a complete JSON value, so the original is valid exactly when the rest is.
#include <simdjson.h>

#include <array>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "policy/json_exact.h"
#include "policy/json_stream.h"
#include "policy/snapshot_internal.h"

namespace stakeward::policy::snapshot_internal {
namespace {

namespace ondemand = simdjson::ondemand;

// A scalar member's value: a string's unescaped bytes or a number's token.
struct Scalar {
  enum class Kind : uint8_t { kAbsent, kNull, kString, kNumber };
  Kind kind = Kind::kAbsent;
  std::string_view text;

  bool given() const { return kind == Kind::kString || kind == Kind::kNumber; }
  bool is_string() const { return kind == Kind::kString; }
};

// `raw` points just after a key's opening quote: true when the key is exactly `name` (names hold
// no quote or backslash, so a match ends at the closing quote). The input is padded, so reading
// name.size() + 1 bytes stays inside it.
bool KeyIs(const char* raw, absl::string_view name) {
  return std::memcmp(raw, name.data(), name.size()) == 0 && raw[name.size()] == '"';
}

absl::string_view Abseil(std::string_view s) { return absl::string_view(s.data(), s.size()); }

bool U64Of(const Scalar& v, uint64_t& out) {
  if (!v.given()) return false;
  absl::StatusOr<uint64_t> r = json::U64OfText(Abseil(v.text), "");
  if (!r.ok()) return false;
  out = *r;
  return true;
}

bool RatioOf(const Scalar& v, Ratio& out) {
  if (!v.given()) return false;
  absl::StatusOr<Ratio> r = json::RatioOfText(Abseil(v.text), "");
  if (!r.ok()) return false;
  out = *r;
  return true;
}

// An optional string member: absent or null leaves `out` empty; otherwise at most `max` bytes.
bool OptionalString(const Scalar& v, size_t max, std::string& out) {
  if (!v.given()) return true;
  if (!v.is_string() || v.text.size() > max) return false;
  out.assign(v.text);
  return true;
}

bool OptionalEpoch(const Scalar& v, std::optional<uint64_t>& out) {
  if (!v.given()) return true;
  uint64_t e = 0;
  if (!U64Of(v, e)) return false;
  out = e;
  return true;
}

class PoolReader {
 public:
  PoolReader() { guess_.fill(kPoolMembers); }

  // Appends every element of `pools` to `out`; false when the fast path gives up.
  bool ReadPools(ondemand::array& pools, std::vector<Pool>& out) {
    size_t n = 0;
    if (pools.count_elements().get(n) || n > kMaxPools) return false;
    out.reserve(n);  // exact, as the general reader: a held snapshot keeps no growth slack
    for (auto element : pools) {
      if (element.error()) return false;
      if (!ReadPool(element.value_unsafe(), out.emplace_back())) return false;
    }
    return true;
  }

  // Values and keys read, counted as json::Doc counts its nodes.
  size_t nodes() const { return nodes_; }

 private:
  bool ReadScalar(ondemand::value& v, Scalar& out) {
    ++nodes_;
    ondemand::json_type type;
    if (v.type().get(type)) return false;
    switch (type) {
      case ondemand::json_type::string:
        out.kind = Scalar::Kind::kString;
        return !v.get_string().get(out.text);
      case ondemand::json_type::number:
        out.kind = Scalar::Kind::kNumber;
        out.text = json::TrimRight(v.raw_json_token());
        return json::IsJsonNumber(out.text);
      case ondemand::json_type::null: {
        bool null = false;
        out.kind = Scalar::Kind::kNull;
        return !v.is_null().get(null) && null;
      }
      default:  // no pool member takes a boolean, and containers are read by their members
        return false;
    }
  }

  // A list member: null leaves `present` false; otherwise an array of at most kMaxListItems, each
  // element given to `each`, after `reserve(count)`.
  template <typename Reserve, typename Each>
  bool ReadList(ondemand::value& v, bool& present, Reserve&& reserve, Each&& each) {
    ++nodes_;
    ondemand::json_type type;
    if (v.type().get(type)) return false;
    if (type == ondemand::json_type::null) {
      bool null = false;
      present = false;
      return !v.is_null().get(null) && null;
    }
    ondemand::array a;
    size_t n = 0;
    if (v.get_array().get(a) || a.count_elements().get(n) || n > kMaxListItems) return false;
    present = true;
    reserve(n);
    for (auto element : a) {
      if (element.error() || !each(element.value_unsafe())) return false;
    }
    return true;
  }

  bool ReadString(ondemand::value& v, std::string_view& out) {
    ++nodes_;
    return !v.get_string().get(out);
  }

  bool ReadOwners(ondemand::value& v, Pool& p) {
    bool present = false;
    return ReadList(
        v, present, [&](size_t n) { p.owners.reserve(n); },
        [&](ondemand::value& e) {
          std::string_view s;
          if (!ReadString(e, s)) return false;
          absl::StatusOr<chain::Hash28> h = chain::HexDecodeFixed<28>(s);
          if (!h.ok()) return false;
          p.owners.push_back(*h);
          return true;
        });
  }

  bool ReadRelays(ondemand::value& v, Pool& p) {
    bool present = false;
    return ReadList(
        v, present, [&](size_t n) { p.relays.reserve(n); },
        [&](ondemand::value& e) {
          std::string_view s;
          if (!ReadString(e, s) || s.size() > 256) return false;
          p.relays.emplace_back(s);
          return true;
        });
  }

  bool ReadBlocks(ondemand::value& v, Pool& p) {
    return ReadList(
        v, p.blocks_known, [&](size_t n) { p.blocks.reserve(n); },
        [&](ondemand::value& e) { return ReadBlock(e, p.blocks.emplace_back()); });
  }

  // {"epoch": n, "made": n, "expected": ratio}, each once, nothing else.
  bool ReadBlock(ondemand::value& v, EpochBlocks& b) {
    static constexpr std::array<absl::string_view, 3> kNames = {"epoch", "made", "expected"};
    ++nodes_;
    ondemand::object o;
    if (v.get_object().get(o)) return false;
    std::array<Scalar, 3> f;
    for (auto member : o) {
      if (member.error()) return false;
      ondemand::field& field = member.value_unsafe();
      ++nodes_;
      const char* raw = field.key().raw();
      size_t m = 0;
      while (m < kNames.size() && !KeyIs(raw, kNames[m])) ++m;
      if (m == kNames.size() || f[m].kind != Scalar::Kind::kAbsent) return false;
      if (!ReadScalar(field.value(), f[m])) return false;
    }
    return U64Of(f[0], b.epoch) && U64Of(f[1], b.made) && RatioOf(f[2], b.expected);
  }

  // The member a key names, trying first the one found at this position in the previous pool.
  size_t MemberAt(const char* raw, size_t pos) {
    uint8_t* guess = pos < guess_.size() ? &guess_[pos] : nullptr;
    if (guess != nullptr && *guess < kPoolMembers && KeyIs(raw, kPoolMemberNames[*guess])) {
      return *guess;
    }
    for (size_t m = 0; m < kPoolMembers; ++m) {
      if (KeyIs(raw, kPoolMemberNames[m])) {
        if (guess != nullptr) *guess = static_cast<uint8_t>(m);
        return m;
      }
    }
    return kPoolMembers;
  }

  bool ReadPool(ondemand::value& v, Pool& p) {
    ++nodes_;
    ondemand::object o;
    if (v.get_object().get(o)) return false;
    std::array<Scalar, kPoolMembers> f;
    uint32_t seen = 0;
    p.blocks_known = false;  // absent: the source has no block history
    size_t pos = 0;
    for (auto member : o) {
      if (member.error()) return false;
      ondemand::field& field = member.value_unsafe();  // in place: copying a field stalls
      ++nodes_;
      const size_t m = MemberAt(field.key().raw(), pos++);
      if (m == kPoolMembers || (seen >> m & 1) != 0) return false;
      seen |= uint32_t{1} << m;
      ondemand::value& value = field.value();
      const bool ok = m == kOwners   ? ReadOwners(value, p)
                      : m == kRelays ? ReadRelays(value, p)
                      : m == kBlocks ? ReadBlocks(value, p)
                                     : ReadScalar(value, f[m]);
      if (!ok) return false;
    }
    return Fill(f, p);
  }

  // The scalar members, with the general reader's rules (snapshot_json.cc ParsePoolFields).
  static bool Fill(const std::array<Scalar, kPoolMembers>& f, Pool& p) {
    if (!f[kId].is_string() || !f[kVrf].is_string()) return false;
    absl::StatusOr<chain::Hash28> id = chain::ParsePoolId(f[kId].text);
    absl::StatusOr<chain::Hash32> vrf = chain::HexDecodeFixed<32>(f[kVrf].text);
    if (!id.ok() || !vrf.ok()) return false;
    p.id = *id;
    p.vrf = *vrf;
    if (!U64Of(f[kPledge], p.pledge)) return false;
    p.live_pledge_known = f[kLivePledge].given();
    p.live_pledge = p.pledge;
    if (p.live_pledge_known && !U64Of(f[kLivePledge], p.live_pledge)) return false;
    if (!RatioOf(f[kMargin], p.margin) || RatioLess(Ratio::One(), p.margin)) return false;
    if (!U64Of(f[kFixedCost], p.fixed_cost)) return false;
    if (!OptionalString(f[kMetadataUrl], 128, p.metadata_url)) return false;
    if (!OptionalEpoch(f[kRetiringEpoch], p.retiring_epoch)) return false;
    if (!OptionalEpoch(f[kRegisteredEpoch], p.registered_epoch)) return false;
    if (!U64Of(f[kLiveStake], p.live_stake)) return false;
    p.active_stake = p.live_stake;
    if (f[kActiveStake].given() && !U64Of(f[kActiveStake], p.active_stake)) return false;
    if (!OptionalString(f[kGroup], 64, p.group)) return false;
    if (!OptionalString(f[kTicker], 5, p.ticker)) return false;
    return !f[kTicker].given() || IsCip6Ticker(p.ticker);
  }

  size_t nodes_ = 0;
  std::array<uint8_t, 32> guess_;  // member index last found at each position
};

// Reads the root object's "pools" member into `pools`; `begin` and `end` are where the array's
// text starts and where the next token after it starts.
bool ReadRootPools(json::Doc::Storage& st, size_t size, PoolReader& reader,
                   std::vector<Pool>& pools, size_t& begin, size_t& end) {
  ondemand::document d;
  ondemand::object root;
  if (st.parser.iterate(st.input.data(), size, st.input.size()).get(d) ||
      d.get_object().get(root)) {
    return false;
  }
  bool found = false;
  for (auto member : root) {
    if (member.error()) return false;
    ondemand::field& field = member.value_unsafe();
    std::string_view key;
    if (field.unescaped_key().get(key)) return false;
    if (key != "pools") continue;  // other members are read from the rest by json::Doc
    if (found) return false;
    found = true;
    ondemand::value& v = field.value();
    const std::string_view token = v.raw_json_token();
    ondemand::array a;
    if (v.get_array().get(a) || !reader.ReadPools(a, pools)) return false;
    const char* next = nullptr;
    if (d.current_location().get(next)) return false;
    begin = static_cast<size_t>(token.data() - st.input.data());
    end = static_cast<size_t>(next - st.input.data());
  }
  return found && begin < end && end <= size;
}

}  // namespace

std::optional<Snapshot> LoadSnapshotFast(absl::string_view text, size_t max_nodes) {
  if (text.size() > json::kMaxJsonBytes) return std::nullopt;
  std::vector<Pool> pools;
  size_t begin = 0;
  size_t end = 0;
  PoolReader reader;
  {
    json::PooledStorage storage;
    storage.SetInput(std::string_view(text.data(), text.size()));
    if (!ReadRootPools(storage.get(), text.size(), reader, pools, begin, end)) return std::nullopt;
  }
  // The pools array's values and keys count toward the document's node limit; the [] left in its
  // place is counted by Doc itself.
  if (reader.nodes() >= max_nodes) return std::nullopt;
  std::string rest;
  rest.reserve(begin + 2 + (text.size() - end));
  rest.append(text.data(), begin).append("[]").append(text.data() + end, text.size() - end);
  absl::StatusOr<json::Doc> doc = json::Doc::Parse(rest, "snapshot", max_nodes - reader.nodes());
  Snapshot s;
  if (!doc.ok() || !ReadSnapshotDoc(doc->root(), s).ok()) return std::nullopt;
  s.pools = std::move(pools);
  if (!NormalizeSnapshot(s).ok()) return std::nullopt;
  return s;
}

}  // namespace stakeward::policy::snapshot_internal
