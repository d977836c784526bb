#include "controller/daemon/daemon_config.h"

#include <yaml-cpp/yaml.h>

#include "absl/strings/str_cat.h"

namespace stakeward::controller {

absl::Status ParseDaemonConfig(const std::string& text, DaemonConfig& cfg) {
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
        if (!v.IsMap()) return absl::InvalidArgumentError("config: tls must be a mapping");
        if (v["cert"]) cfg.tls_cert = v["cert"].as<std::string>();
        if (v["key"]) cfg.tls_key = v["key"].as<std::string>();
        if (v["ca"]) cfg.tls_ca = v["ca"].as<std::string>();
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
          cfg.roles[who] = role;
        }
      } else {
        return absl::InvalidArgumentError(absl::StrCat("config: unknown key '", key, "'"));
      }
    }
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("config: ", e.what()));
  }
  return absl::OkStatus();
}

}  // namespace stakeward::controller
