#include "firmware-mocks/common/malice.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace stakeward::mocks {

absl::StatusOr<Malice> ParseMalice(std::string_view name) {
  if (name == "none" || name.empty()) return Malice::kNone;
  if (name == "other-key") return Malice::kOtherKey;
  if (name == "other-body") return Malice::kOtherBody;
  if (name == "wrong-pubkey") return Malice::kWrongPubkey;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown --malicious mode '", std::string(name),
                   "' (none | other-key | other-body | wrong-pubkey)"));
}

std::string_view MaliceName(Malice m) {
  switch (m) {
    case Malice::kOtherKey:
      return "other-key";
    case Malice::kOtherBody:
      return "other-body";
    case Malice::kWrongPubkey:
      return "wrong-pubkey";
    case Malice::kNone:
      break;
  }
  return "none";
}

}  // namespace stakeward::mocks
