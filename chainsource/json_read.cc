#include "chainsource/json_read.h"

#include <limits>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "chainsource/macros.h"

namespace stakeward::chainsource {

absl::Status Malformed(absl::string_view what, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(what, ": ", problem));
}

absl::StatusOr<const Json*> Member(const Json& obj, absl::string_view key, absl::string_view what) {
  if (!obj.is_object()) return Malformed(what, "expected an object");
  auto it = obj.find(std::string(key));
  if (it == obj.end() || it->is_null())
    return Malformed(absl::StrCat(what, ".", key), "is missing");
  return &*it;
}

const Json* OptMember(const Json& obj, absl::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(std::string(key));
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

absl::StatusOr<uint64_t> ReadU64(const Json& j, absl::string_view what) {
  if (!j.is_string()) return Malformed(what, "expected a number");
  return policy::json::U64(j, what);
}

absl::StatusOr<uint32_t> ReadU32(const Json& j, absl::string_view what) {
  CS_ASSIGN(uint64_t v, ReadU64(j, what));
  if (v > std::numeric_limits<uint32_t>::max()) return Malformed(what, "does not fit in 32 bits");
  return static_cast<uint32_t>(v);
}

absl::StatusOr<int64_t> ReadI64(const Json& j, absl::string_view what) {
  if (!j.is_string()) return Malformed(what, "expected an integer");
  int64_t v;
  if (!absl::SimpleAtoi(j.get_ref<const std::string&>(), &v))
    return Malformed(what, "expected an integer");
  return v;
}

absl::StatusOr<std::string> ReadStr(const Json& j, absl::string_view what) {
  return policy::json::Str(j, what);
}

absl::StatusOr<policy::Ratio> ReadRatio(const Json& j, absl::string_view what) {
  return policy::json::RatioOf(j, what);
}

absl::StatusOr<chain::Hash32> ReadHash32(const Json& j, absl::string_view what) {
  CS_ASSIGN(std::string s, ReadStr(j, what));
  auto h = chain::HexDecodeFixed<32>(s);
  if (!h.ok()) return Malformed(what, "expected 64 hex digits");
  return *h;
}

absl::StatusOr<chain::Hash28> ReadHash28(const Json& j, absl::string_view what) {
  CS_ASSIGN(std::string s, ReadStr(j, what));
  auto h = chain::HexDecodeFixed<28>(s);
  if (!h.ok()) return Malformed(what, "expected 56 hex digits");
  return *h;
}

absl::StatusOr<chain::Hash28> ReadPoolId(const Json& j, absl::string_view what) {
  CS_ASSIGN(std::string s, ReadStr(j, what));
  auto id = chain::ParsePoolId(s);
  if (!id.ok()) return Malformed(what, "expected a pool id (pool1… or 56 hex digits)");
  return *id;
}

std::string RelayText(absl::string_view ipv4, absl::string_view ipv6, absl::string_view dns,
                      absl::string_view srv, std::optional<uint64_t> port) {
  std::string host;
  if (!srv.empty()) {
    host = absl::StrCat("srv:", srv);
  } else if (!dns.empty()) {
    host = std::string(dns);
  } else if (!ipv4.empty() && !ipv6.empty()) {
    host = absl::StrCat(ipv4, "/[", ipv6, "]");
  } else if (!ipv6.empty()) {
    host = absl::StrCat("[", ipv6, "]");
  } else {
    host = std::string(ipv4);
  }
  if (port.has_value()) absl::StrAppend(&host, ":", *port);
  return host;
}

namespace {

std::string StrOrEmpty(const Json& obj, const char* key) {
  const Json* v = OptMember(obj, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

}  // namespace

// cardano-cli relay forms (cardano-ledger PoolParams ToJSON, specs/cardano.md §5.3):
// {"single host address": {"IPv4", "IPv6", "port"}}, {"single host name": {"dnsName", "port"}},
// {"multi host name": {"dnsName"}}.
std::string CanonicalCliRelay(const std::string& relay) {
  auto j = policy::json::ParseExact(relay, "relay");
  if (!j.ok() || !j->is_object() || j->size() != 1) return relay;
  const std::string kind = j->begin().key();
  const Json& body = j->begin().value();
  if (!body.is_object()) return relay;
  std::optional<uint64_t> port;
  if (const Json* p = OptMember(body, "port"); p != nullptr) {
    auto v = ReadU64(*p, "port");
    if (!v.ok()) return relay;
    port = *v;
  }
  if (kind == "single host address") {
    return RelayText(StrOrEmpty(body, "IPv4"), StrOrEmpty(body, "IPv6"), "", "", port);
  }
  if (kind == "single host name") return RelayText("", "", StrOrEmpty(body, "dnsName"), "", port);
  if (kind == "multi host name")
    return RelayText("", "", "", StrOrEmpty(body, "dnsName"), std::nullopt);
  return relay;
}

}  // namespace stakeward::chainsource
