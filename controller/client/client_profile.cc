#include "controller/client/client_profile.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "controller/model/bounded_read.h"

namespace stakeward::controller {
namespace {

constexpr int kMaxTimeoutSeconds = 3600;

absl::Status Bad(const std::string& where, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(where, ": ", why));
}

absl::StatusOr<int> Timeout(const std::string& text, const std::string& where) {
  int t = 0;
  if (!absl::SimpleAtoi(text, &t) || t < 1 || t > kMaxTimeoutSeconds) {
    return Bad(where, absl::StrCat("timeout_s must be a whole number of seconds, 1 to ",
                                   kMaxTimeoutSeconds));
  }
  return t;
}

// $STAKEWARD_PROFILE (explicit), else the XDG location; empty when no file is to be read.
struct ProfilePath {
  std::string path;
  bool explicit_ = false;
};

ProfilePath FindProfile(const EnvLookup& env) {
  if (auto p = env("STAKEWARD_PROFILE"); p.has_value() && !p->empty()) {
    if (*p == "none") return {};
    return {*p, true};
  }
  if (auto x = env("XDG_CONFIG_HOME"); x.has_value() && !x->empty()) {
    return {*x + "/stakeward/client.yaml", false};
  }
  if (auto h = env("HOME"); h.has_value() && !h->empty()) {
    return {*h + "/.config/stakeward/client.yaml", false};
  }
  return {};
}

// A path from the file, relative to the file's directory.
std::string Resolve(const std::string& file, const std::string& value) {
  if (value.empty() || value[0] == '/') return value;
  return (std::filesystem::path(file).parent_path() / value).lexically_normal().string();
}

absl::Status ApplyTls(const YAML::Node& v, const std::string& file, ClientDefaults& d) {
  if (!v.IsMap()) return Bad(file, "tls must be a mapping of cert, key, ca, server_name");
  for (const auto& kv : v) {
    const std::string key = kv.first.as<std::string>();
    const std::string value = kv.second.as<std::string>();
    if (key == "cert") {
      d.options.tls_cert = Resolve(file, value);
    } else if (key == "key") {
      d.options.tls_key = Resolve(file, value);
    } else if (key == "ca") {
      d.options.tls_ca = Resolve(file, value);
    } else if (key == "server_name") {
      d.options.tls_server_name = value;
    } else {
      return Bad(file,
                 absl::StrCat("unknown key 'tls.", key, "' (valid: cert, key, ca, server_name)"));
    }
    d.source["tls." + key] = "profile";
  }
  return absl::OkStatus();
}

absl::Status ApplyProfile(const std::string& text, const std::string& file, ClientDefaults& d) {
  try {
    YAML::Node n = YAML::Load(text);
    if (n.IsNull()) return absl::OkStatus();  // an empty file
    if (!n.IsMap()) return Bad(file, "expected a mapping");
    for (const auto& kv : n) {
      const std::string key = kv.first.as<std::string>();
      if (key == "server") {
        d.options.server = kv.second.as<std::string>();
      } else if (key == "dev_role") {
        d.options.dev_role = kv.second.as<std::string>();
      } else if (key == "timeout_s") {
        auto t = Timeout(kv.second.as<std::string>(), file);
        if (!t.ok()) return t.status();
        d.options.timeout_s = *t;
      } else if (key == "tls") {
        if (absl::Status s = ApplyTls(kv.second, file, d); !s.ok()) return s;
        continue;
      } else {
        return Bad(file, absl::StrCat("unknown key '", key,
                                      "' (valid: server, tls, timeout_s, dev_role)"));
      }
      d.source[key] = "profile";
    }
  } catch (const YAML::Exception& e) {
    return Bad(file, e.what());
  }
  return absl::OkStatus();
}

absl::Status ApplyEnvironment(const EnvLookup& env, ClientDefaults& d) {
  struct Var {
    const char* name;
    const char* setting;
    std::string* field;
  };
  const Var vars[] = {
      {"STAKEWARD_SERVER", "server", &d.options.server},
      {"STAKEWARD_DEV_ROLE", "dev_role", &d.options.dev_role},
      {"STAKEWARD_TLS_CERT", "tls.cert", &d.options.tls_cert},
      {"STAKEWARD_TLS_KEY", "tls.key", &d.options.tls_key},
      {"STAKEWARD_TLS_CA", "tls.ca", &d.options.tls_ca},
      {"STAKEWARD_TLS_SERVER_NAME", "tls.server_name", &d.options.tls_server_name},
  };
  for (const Var& v : vars) {
    if (auto value = env(v.name); value.has_value()) {
      *v.field = *value;
      d.source[v.setting] = absl::StrCat("env ", v.name);
    }
  }
  if (auto t = env("STAKEWARD_TIMEOUT_S"); t.has_value()) {
    auto parsed = Timeout(*t, "STAKEWARD_TIMEOUT_S");
    if (!parsed.ok()) return parsed.status();
    d.options.timeout_s = *parsed;
    d.source["timeout_s"] = "env STAKEWARD_TIMEOUT_S";
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ClientDefaults> LoadClientDefaults(const EnvLookup& env) {
  ClientDefaults d;
  for (const char* s :
       {"server", "dev_role", "timeout_s", "tls.cert", "tls.key", "tls.ca", "tls.server_name"}) {
    d.source[s] = "default";
  }
  const ProfilePath where = FindProfile(env);
  if (!where.path.empty()) {
    absl::StatusOr<std::string> text = ReadBoundedFile(where.path, InputKind::kConfig);
    if (text.ok()) {
      d.profile = where.path;
      if (absl::Status s = ApplyProfile(*text, where.path, d); !s.ok()) return s;
    } else if (where.explicit_ || !absl::IsNotFound(text.status())) {
      return absl::Status(text.status().code(),
                          absl::StrCat("client profile: ", text.status().message()));
    }
  }
  if (absl::Status s = ApplyEnvironment(env, d); !s.ok()) return s;
  return d;
}

const absl::StatusOr<ClientDefaults>& ProcessClientDefaults() {
  static const auto* d = new absl::StatusOr<ClientDefaults>(
      LoadClientDefaults([](const char* name) -> std::optional<std::string> {
        const char* v = std::getenv(name);
        if (v == nullptr) return std::nullopt;
        return std::string(v);
      }));
  return *d;
}

}  // namespace stakeward::controller
