#include "controller/daemon/daemon_config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>

#include "absl/strings/str_cat.h"

namespace stakeward::controller {

absl::StatusOr<HostPort> ParseHostPort(const std::string& listen) {
  const auto bad = [&listen](const char* why) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen address '", listen.substr(0, 128), "': ", why));
  };
  HostPort hp;
  std::string_view port;
  if (!listen.empty() && listen[0] == '[') {
    const size_t end = listen.find(']');
    if (end == std::string::npos || end + 1 >= listen.size() || listen[end + 1] != ':') {
      return bad("expected [ipv6]:port");
    }
    hp.host = listen.substr(1, end - 1);
    in6_addr a6;
    if (inet_pton(AF_INET6, hp.host.c_str(), &a6) != 1) return bad("not an IPv6 address");
    port = std::string_view(listen).substr(end + 2);
  } else {
    const size_t colon = listen.rfind(':');
    if (colon == std::string::npos) return bad("expected host:port");
    hp.host = listen.substr(0, colon);
    port = std::string_view(listen).substr(colon + 1);
    if (hp.host.empty()) return bad("empty host");
    for (char c : hp.host) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_';
      if (!ok) return bad("host must be a name or an address ([...] for IPv6)");
    }
  }
  if (port.empty() || port.size() > 5) return bad("port must be 0..65535");
  int value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return bad("port must be 0..65535");
    value = value * 10 + (c - '0');
  }
  if (value > 65535) return bad("port must be 0..65535");
  hp.port = value;
  return hp;
}

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost") return true;
  in_addr a4;
  if (inet_pton(AF_INET, host.c_str(), &a4) == 1) {
    return (ntohl(a4.s_addr) >> 24) == 127;
  }
  in6_addr a6;
  if (inet_pton(AF_INET6, host.c_str(), &a6) == 1) return IN6_IS_ADDR_LOOPBACK(&a6);
  return false;
}

absl::Status ValidateDaemonConfig(const DaemonConfig& cfg) {
  absl::StatusOr<HostPort> grpc = ParseHostPort(cfg.listen);
  if (!grpc.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--listen: ", grpc.status().message()));
  }
  if (cfg.dev && !IsLoopbackHost(grpc->host)) {
    return absl::FailedPreconditionError(
        "dev mode (no TLS, roles from a header) listens only on a loopback address "
        "(127.0.0.0/8, ::1 or localhost)");
  }
  if (cfg.metrics_listen.empty()) return absl::OkStatus();
  absl::StatusOr<HostPort> m = ParseHostPort(cfg.metrics_listen);
  if (!m.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--metrics-listen: ", m.status().message()));
  }
  if (cfg.dev && !IsLoopbackHost(m->host)) {
    return absl::FailedPreconditionError(
        "dev mode serves metrics only on a loopback address (127.0.0.0/8, ::1 or localhost)");
  }
  return absl::OkStatus();
}

// streams: {per_caller: N, total: N, max_seconds: N}, each 1..limit.
absl::Status ParseStreams(const YAML::Node& v, StreamCaps& caps) {
  if (!v.IsMap()) return absl::InvalidArgumentError("config: streams must be a mapping");
  for (const auto& kv : v) {
    const std::string key = kv.first.as<std::string>();
    int64_t n = kv.second.as<int64_t>();
    const int64_t limit = key == "max_seconds" ? 7 * 86400 : 10000;
    if (key != "per_caller" && key != "total" && key != "max_seconds") {
      return absl::InvalidArgumentError(absl::StrCat("config: unknown key 'streams.", key,
                                                     "' (valid: per_caller, total, max_seconds)"));
    }
    if (n < 1 || n > limit) {
      return absl::InvalidArgumentError(
          absl::StrCat("config: streams.", key, " must be 1 to ", limit));
    }
    if (key == "per_caller") caps.per_caller = static_cast<int>(n);
    if (key == "total") caps.total = static_cast<int>(n);
    if (key == "max_seconds") caps.max_duration = absl::Seconds(n);
  }
  return absl::OkStatus();
}

// chain: {ogmios: URL | koios: URL, poll_seconds, confirmations, rollback_window_blocks,
// deadline_seconds}.
absl::Status ParseChain(const YAML::Node& v, ChainConfig& c) {
  if (!v.IsMap()) return absl::InvalidArgumentError("config: chain must be a mapping");
  struct Num {
    const char* key;
    uint64_t* field;
    uint64_t max;
  };
  const Num nums[] = {{"poll_seconds", &c.poll_seconds, 86400},
                      {"confirmations", &c.confirmations, 2160},
                      {"rollback_window_blocks", &c.rollback_window_blocks, 100000},
                      {"deadline_seconds", &c.deadline_seconds, 600}};
  for (const auto& kv : v) {
    const std::string key = kv.first.as<std::string>();
    if (key == "ogmios" || key == "koios") {
      if (!c.kind.empty()) {
        return absl::InvalidArgumentError("config: chain takes one source (ogmios or koios)");
      }
      c.kind = key;
      c.url = kv.second.as<std::string>();
      continue;
    }
    const Num* num = nullptr;
    for (const Num& n : nums) num = key == n.key ? &n : num;
    if (num == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "config: unknown key 'chain.", key,
          "' (valid: ogmios, koios, poll_seconds, confirmations, rollback_window_blocks, "
          "deadline_seconds)"));
    }
    const int64_t n = kv.second.as<int64_t>();
    if (n < 1 || static_cast<uint64_t>(n) > num->max) {
      return absl::InvalidArgumentError(
          absl::StrCat("config: chain.", key, " must be 1 to ", num->max));
    }
    *num->field = static_cast<uint64_t>(n);
  }
  if (c.kind.empty()) {
    return absl::InvalidArgumentError("config: chain needs a source: ogmios: URL or koios: URL");
  }
  return absl::OkStatus();
}

// l2: {rpc: URL, poll_seconds, confirmations, from_block, stuck_after_blocks, deadline_seconds}.
absl::Status ParseL2(const YAML::Node& v, L2Config& c) {
  if (!v.IsMap()) return absl::InvalidArgumentError("config: l2 must be a mapping");
  struct Num {
    const char* key;
    uint64_t* field;
    uint64_t min, max;
  };
  const Num nums[] = {{"poll_seconds", &c.poll_seconds, 1, 86400},
                      {"confirmations", &c.confirmations, 1, 10000},
                      {"from_block", &c.from_block, 0, uint64_t{1} << 53},
                      {"stuck_after_blocks", &c.stuck_after_blocks, 1, 100000},
                      {"deadline_seconds", &c.deadline_seconds, 1, 600}};
  for (const auto& kv : v) {
    const std::string key = kv.first.as<std::string>();
    if (key == "rpc" || key == "reserve_key") {
      (key == "rpc" ? c.rpc : c.reserve_key) = kv.second.as<std::string>();
      continue;
    }
    const Num* num = nullptr;
    for (const Num& n : nums) num = key == n.key ? &n : num;
    if (num == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "config: unknown key 'l2.", key,
          "' (valid: rpc, poll_seconds, confirmations, from_block, stuck_after_blocks, "
          "deadline_seconds, reserve_key)"));
    }
    const int64_t n = kv.second.as<int64_t>();
    if (n < 0 || static_cast<uint64_t>(n) < num->min || static_cast<uint64_t>(n) > num->max) {
      return absl::InvalidArgumentError(
          absl::StrCat("config: l2.", key, " must be ", num->min, " to ", num->max));
    }
    *num->field = static_cast<uint64_t>(n);
  }
  if (c.rpc.empty()) return absl::InvalidArgumentError("config: l2 needs rpc: URL of the L2 node");
  return absl::OkStatus();
}

// tls: {cert, key, ca}; a misspelt key would otherwise leave TLS half configured.
absl::Status ParseTls(const YAML::Node& v, DaemonConfig& cfg) {
  if (!v.IsMap()) return absl::InvalidArgumentError("config: tls must be a mapping");
  for (const auto& kv : v) {
    const std::string key = kv.first.as<std::string>();
    if (key == "cert") {
      cfg.tls_cert = kv.second.as<std::string>();
    } else if (key == "key") {
      cfg.tls_key = kv.second.as<std::string>();
    } else if (key == "ca") {
      cfg.tls_ca = kv.second.as<std::string>();
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("config: unknown key 'tls.", key, "' (valid: cert, key, ca)"));
    }
  }
  return absl::OkStatus();
}

namespace {

absl::Status ParseDaemonConfigText(const std::string& text, DaemonConfig& cfg) {
  try {
    YAML::Node n = YAML::Load(text);
    if (!n.IsMap()) return absl::InvalidArgumentError("config: expected a mapping");
    for (const auto& kv : n) {
      const std::string key = kv.first.as<std::string>();
      const YAML::Node& v = kv.second;
      if (key == "db") {
        cfg.db = v.as<std::string>();
      } else if (key == "listen") {
        cfg.listen = v.as<std::string>();
      } else if (key == "metrics_listen") {
        cfg.metrics_listen = v.as<std::string>();
      } else if (key == "dev") {
        cfg.dev = v.as<bool>();
      } else if (key == "default_ttl_slots") {
        cfg.default_ttl_slots = v.as<uint64_t>();
      } else if (key == "tls") {
        if (absl::Status s = ParseTls(v, cfg); !s.ok()) return s;
      } else if (key == "chain") {
        if (absl::Status s = ParseChain(v, cfg.chain); !s.ok()) return s;
      } else if (key == "l2") {
        if (absl::Status s = ParseL2(v, cfg.l2); !s.ok()) return s;
      } else if (key == "streams") {
        if (absl::Status s = ParseStreams(v, cfg.streams); !s.ok()) return s;
      } else if (key == "roles") {
        if (!v.IsMap()) return absl::InvalidArgumentError("config: roles must be a mapping");
        for (const auto& r : v) {
          const std::string who = r.first.as<std::string>();
          const std::string role = r.second.as<std::string>();
          absl::StatusOr<Identity> id = ParseRole(role, "cert");
          if (!id.ok()) {
            return absl::InvalidArgumentError(
                absl::StrCat("config: roles.", who, ": ", id.status().message()));
          }
          if (absl::Status s = AddRoleEntry(cfg.roles, who, role); !s.ok()) {
            return absl::InvalidArgumentError(
                absl::StrCat("config: roles.", who, ": ", s.message()));
          }
        }
      } else {
        return absl::InvalidArgumentError(absl::StrCat(
            "config: unknown key '", key,
            "' (valid: db, listen, metrics_listen, dev, default_ttl_slots, tls, roles, chain, l2, "
            "streams)"));
      }
    }
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("config: ", e.what()));
  }
  return absl::OkStatus();
}

// `path` relative to `base_dir` unless it is absolute (or either is empty).
void ResolveAgainst(const std::string& base_dir, std::string& path) {
  if (base_dir.empty() || path.empty() || std::filesystem::path(path).is_absolute()) return;
  path = (std::filesystem::path(base_dir) / path).lexically_normal().string();
}

}  // namespace

absl::Status ParseDaemonConfig(const std::string& text, DaemonConfig& cfg,
                               const std::string& base_dir) {
  if (absl::Status s = ParseDaemonConfigText(text, cfg); !s.ok()) return s;
  for (std::string* path : {&cfg.db, &cfg.tls_cert, &cfg.tls_key, &cfg.tls_ca}) {
    ResolveAgainst(base_dir, *path);
  }
  return absl::OkStatus();
}

}  // namespace stakeward::controller
