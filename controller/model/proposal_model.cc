#include "controller/model/proposal_model.h"

#include <sodium.h>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace stakeward::controller {

std::string_view ProposalStateName(ProposalState s) {
  switch (s) {
    case ProposalState::kOpen:
      return "open";
    case ProposalState::kReady:
      return "ready";
    case ProposalState::kRejected:
      return "rejected";
    case ProposalState::kExpired:
      return "expired";
    case ProposalState::kSuperseded:
      return "superseded";
    case ProposalState::kSubmitted:
      return "submitted";
    case ProposalState::kConfirmed:
      return "confirmed";
  }
  return "unknown";
}

bool HoldsInputs(ProposalState s) {
  return s == ProposalState::kOpen || s == ProposalState::kReady || s == ProposalState::kSubmitted;
}

std::string RequiredSignersToJson(const std::vector<RequiredSignerRec>& r) {
  nlohmann::json arr = nlohmann::json::array();
  for (const RequiredSignerRec& s : r) {
    nlohmann::json keys = nlohmann::json::array();
    for (const SignerKeyRec& k : s.keys) {
      keys.push_back({{"key_hash", chain::HexEncode(k.key_hash)}, {"path", k.path}});
    }
    arr.push_back({{"signer", s.signer}, {"keys", keys}});
  }
  return arr.dump();
}

absl::StatusOr<std::vector<RequiredSignerRec>> RequiredSignersFromJson(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_array()) return absl::DataLossError("bad required_signers");
  std::vector<RequiredSignerRec> out;
  for (const auto& s : j) {
    if (!s.is_object() || !s.contains("signer") || !s["signer"].is_string() ||
        !s.contains("keys") || !s["keys"].is_array()) {
      return absl::DataLossError("bad required_signers entry");
    }
    RequiredSignerRec r;
    r.signer = s["signer"].get<std::string>();
    for (const auto& k : s["keys"]) {
      if (!k.is_object() || !k.contains("key_hash") || !k["key_hash"].is_string() ||
          !k.contains("path") || !k["path"].is_string()) {
        return absl::DataLossError("bad required signer key");
      }
      absl::StatusOr<chain::Hash28> h = chain::HexDecodeFixed<28>(k["key_hash"].get<std::string>());
      if (!h.ok()) return absl::DataLossError("bad required signer key hash");
      r.keys.push_back({*h, k["path"].get<std::string>()});
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::string ScriptsToJson(const std::vector<chain::NativeScript>& scripts) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& s : scripts) arr.push_back(chain::HexEncode(chain::EncodeNativeScript(s)));
  return arr.dump();
}

absl::StatusOr<std::vector<chain::NativeScript>> ScriptsFromJson(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_array()) return absl::DataLossError("bad scripts");
  std::vector<chain::NativeScript> out;
  for (const auto& s : j) {
    if (!s.is_string()) return absl::DataLossError("bad script entry");
    absl::StatusOr<chain::Bytes> b = chain::HexDecode(s.get<std::string>());
    if (!b.ok()) return absl::DataLossError("bad script hex");
    absl::StatusOr<chain::NativeScript> ns = chain::DecodeNativeScript(chain::View(*b));
    if (!ns.ok()) return absl::DataLossError("bad script cbor");
    out.push_back(std::move(*ns));
  }
  return out;
}

std::string NewProposalId(const std::string& prefix) {
  uint8_t r[8];
  randombytes_buf(r, sizeof r);
  return absl::StrCat(prefix, "-", chain::HexEncode(chain::ByteView(r, sizeof r)));
}

bool IsProposalIdShape(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace stakeward::controller
