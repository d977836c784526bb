// Derivation paths ("m/1852'/1815'/0'/2/0") and derivation-scheme names.
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "chain/keys.h"

namespace stakeward::chain {
namespace {

// BIP32 serializes the depth in one byte; no real path comes close.
constexpr size_t kMaxDepth = 255;

absl::StatusOr<uint32_t> ParseComponent(std::string_view part) {
  bool hardened = false;
  if (!part.empty() && (part.back() == '\'' || part.back() == 'h' || part.back() == 'H')) {
    hardened = true;
    part.remove_suffix(1);
  }
  if (part.empty()) return absl::InvalidArgumentError("empty derivation path component");
  if (part.size() > 1 && part[0] == '0') {
    return absl::InvalidArgumentError("derivation path index with a leading zero");
  }
  uint64_t value = 0;
  for (char c : part) {
    if (c < '0' || c > '9') {
      return absl::InvalidArgumentError("derivation path index is not a decimal number");
    }
    value = value * 10 + static_cast<uint64_t>(c - '0');
    if (value >= kHardened) {
      return absl::InvalidArgumentError("derivation path index must be below 2^31");
    }
  }
  return static_cast<uint32_t>(value) | (hardened ? kHardened : 0u);
}

}  // namespace

absl::StatusOr<Path> ParsePath(std::string_view text) {
  Path path;
  if (text == "m" || text == "M") return path;
  if (text.size() >= 2 && (text[0] == 'm' || text[0] == 'M') && text[1] == '/') {
    text.remove_prefix(2);
  }
  if (text.empty()) return absl::InvalidArgumentError("empty derivation path");
  while (true) {
    size_t slash = text.find('/');
    std::string_view part = text.substr(0, slash);
    absl::StatusOr<uint32_t> index = ParseComponent(part);
    if (!index.ok()) return index.status();
    if (path.indexes.size() == kMaxDepth) {
      return absl::InvalidArgumentError("derivation path is too deep");
    }
    path.indexes.push_back(*index);
    if (slash == std::string_view::npos) break;
    text.remove_prefix(slash + 1);
  }
  return path;
}

std::string FormatPath(const Path& path) {
  std::string out = "m";
  for (uint32_t i : path.indexes) {
    absl::StrAppend(&out, "/", i & ~kHardened, (i & kHardened) ? "'" : "");
  }
  return out;
}

absl::StatusOr<Derivation> ParseDerivation(std::string_view name) {
  if (name == "icarus") return Derivation::kIcarus;
  if (name == "icarus-trezor") return Derivation::kIcarusTrezor;
  if (name == "ledger") return Derivation::kLedger;
  return absl::InvalidArgumentError(absl::StrCat("unknown derivation '", std::string(name),
                                                 "' (icarus, icarus-trezor or ledger)"));
}

std::string_view DerivationName(Derivation d) {
  switch (d) {
    case Derivation::kIcarus:
      return "icarus";
    case Derivation::kIcarusTrezor:
      return "icarus-trezor";
    case Derivation::kLedger:
      return "ledger";
  }
  return "unknown";
}

}  // namespace stakeward::chain
