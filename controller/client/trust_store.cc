#include "controller/client/trust_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "controller/model/bounded_read.h"
#include "nlohmann/json.hpp"

namespace stakeward::controller {
namespace {

constexpr size_t kMaxAnchors = 10000;

bool ValidSignerName(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
      return false;
    }
  }
  return s != "." && s != "..";
}

absl::Status WriteAtomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return absl::PermissionDeniedError(absl::StrCat("cannot write ", tmp));
  size_t off = 0;
  while (off < text.size()) {
    const ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n <= 0) {
      ::close(fd);
      return absl::UnavailableError(absl::StrCat("cannot write ", tmp));
    }
    off += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced || ::rename(tmp.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat("cannot replace ", path));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ResolveTrustDir(const std::string& flag, const std::string& signer) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("STAKEWARD_TRUST_DIR"); env != nullptr && *env != '\0') {
    return std::string(env);
  }
  const std::string who = signer.empty() ? "default" : signer;
  if (!ValidSignerName(who)) {
    return absl::InvalidArgumentError("a signer name is letters, digits, '-', '_' or '.'");
  }
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg == '/') {
    return absl::StrCat(xdg, "/stakeward/trust/", who);
  }
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home != '/') {
    return absl::FailedPreconditionError(
        "cannot find your config directory (HOME is not set): pass --trust-dir DIR");
  }
  return absl::StrCat(home, "/.config/stakeward/trust/", who);
}

absl::StatusOr<TrustStore> TrustStore::Open(const std::string& dir) {
  TrustStore t;
  t.dir_ = dir;
  t.path_ = (std::filesystem::path(dir) / "anchors.json").string();
  std::error_code ec;
  if (!std::filesystem::exists(t.path_, ec)) return t;
  absl::StatusOr<std::string> text = ReadBoundedFile(t.path_, InputKind::kTrustStore);
  if (!text.ok()) return text.status();
  const nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
  const std::string bad = absl::StrCat(t.path_, ": not a Stakeward trust store (fix or remove it)");
  if (j.is_discarded() || !j.is_object() || !j.contains("anchors") || !j["anchors"].is_array() ||
      j["anchors"].size() > kMaxAnchors) {
    return absl::InvalidArgumentError(bad);
  }
  for (const nlohmann::json& a : j["anchors"]) {
    if (!a.is_object() || !a.contains("hash") || !a["hash"].is_string()) {
      return absl::InvalidArgumentError(bad);
    }
    absl::StatusOr<chain::Hash32> h = chain::HexDecodeFixed<32>(a["hash"].get<std::string>());
    if (!h.ok()) return absl::InvalidArgumentError(bad);
    TrustAnchor anchor;
    anchor.hash = *h;
    if (a.contains("note") && a["note"].is_string()) anchor.note = a["note"];
    if (a.contains("recorded") && a["recorded"].is_string()) anchor.recorded = a["recorded"];
    t.anchors_.push_back(std::move(anchor));
  }
  return t;
}

std::set<chain::Hash32> TrustStore::Hashes() const {
  std::set<chain::Hash32> out;
  for (const TrustAnchor& a : anchors_) out.insert(a.hash);
  return out;
}

absl::Status TrustStore::Add(const chain::Hash32& hash, const std::string& note) {
  for (const TrustAnchor& a : anchors_) {
    if (a.hash == hash) return absl::OkStatus();
  }
  if (anchors_.size() >= kMaxAnchors) return absl::ResourceExhaustedError("trust store is full");
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return absl::PermissionDeniedError(absl::StrCat("cannot create ", dir_));
  std::vector<TrustAnchor> next = anchors_;
  next.push_back({hash, note.substr(0, 200),
                  absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone())});
  nlohmann::json j;
  j["anchors"] = nlohmann::json::array();
  for (const TrustAnchor& a : next) {
    j["anchors"].push_back(
        {{"hash", chain::HexEncode(a.hash)}, {"note", a.note}, {"recorded", a.recorded}});
  }
  if (absl::Status s = WriteAtomically(path_, j.dump(2) + "\n"); !s.ok()) return s;
  anchors_ = std::move(next);
  return absl::OkStatus();
}

}  // namespace stakeward::controller
