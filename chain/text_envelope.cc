// cardano-cli TextEnvelope files (cardano-api Cardano/Api/Serialise/TextEnvelope/Internal.hs).
#include "chain/text_envelope.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "chain/cbor.h"
#include "chain/certificate.h"
#include "nlohmann/json.hpp"

namespace stakeward::chain {
namespace {

// Envelopes hold keys, certificates and transactions (at most 16 KiB); 4 MiB of JSON is plenty.
constexpr size_t kMaxEnvelopeJson = 4 << 20;

std::string JsonString(std::string_view s) { return nlohmann::json(std::string(s)).dump(); }

// Descriptions from the cardano-cli goldens (cli_golden_certificates.json) and its writers.
std::string_view CertificateDescription(Certificate::Type t) {
  using T = Certificate::Type;
  switch (t) {
    case T::kStakeRegistration:
    case T::kRegCert:
      return "Stake Address Registration Certificate";
    case T::kStakeDeregistration:
    case T::kUnregCert:
      return "Stake Address Deregistration Certificate";
    case T::kStakeDelegation:
      return "Stake Delegation Certificate";
    case T::kVoteDelegCert:
      return "Vote Delegation Certificate";
    case T::kStakeVoteDelegCert:
      return "Stake and Vote Delegation Certificate";
    case T::kStakeRegDelegCert:
      return "Stake address registration and stake delegation certificate";
    case T::kVoteRegDelegCert:
    case T::kStakeVoteRegDelegCert:
      return "Stake address registration and vote delegation certificate";
    case T::kPoolRegistration:
      return "Stake Pool Registration Certificate";
    case T::kPoolRetirement:
      return "Stake Pool Retirement Certificate";
    default:
      return "";
  }
}

}  // namespace

std::string WriteTextEnvelope(const TextEnvelope& te) {
  return absl::StrCat("{\n    \"type\": ", JsonString(te.type),
                      ",\n    \"description\": ", JsonString(te.description),
                      ",\n    \"cborHex\": \"", HexEncode(View(te.cbor)), "\"\n}\n");
}

absl::StatusOr<TextEnvelope> ParseTextEnvelope(std::string_view json) {
  if (json.size() > kMaxEnvelopeJson) return absl::InvalidArgumentError("envelope file too large");
  nlohmann::json j = nlohmann::json::parse(json.begin(), json.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::InvalidArgumentError("not a TextEnvelope: expected a JSON object");
  }
  auto type = j.find("type");
  auto desc = j.find("description");
  auto hex = j.find("cborHex");
  if (type == j.end() || !type->is_string()) {
    return absl::InvalidArgumentError("TextEnvelope: missing string field \"type\"");
  }
  if (hex == j.end() || !hex->is_string()) {
    return absl::InvalidArgumentError("TextEnvelope: missing string field \"cborHex\"");
  }
  if (desc != j.end() && !desc->is_string()) {
    return absl::InvalidArgumentError("TextEnvelope: \"description\" must be a string");
  }
  TextEnvelope te;
  te.type = type->get<std::string>();
  if (desc != j.end()) te.description = desc->get<std::string>();
  const std::string hex_text = hex->get<std::string>();
  if (hex_text.rfind("0x", 0) == 0 || hex_text.rfind("0X", 0) == 0) {
    return absl::InvalidArgumentError("TextEnvelope: cborHex must be bare hex");
  }
  auto bytes = HexDecode(hex_text);
  if (!bytes.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("TextEnvelope cborHex: ", bytes.status().message()));
  }
  te.cbor = std::move(*bytes);
  return te;
}

absl::StatusOr<TextEnvelope> ParseTextEnvelopeOfType(std::string_view json,
                                                     const std::vector<std::string_view>& types) {
  auto te = ParseTextEnvelope(json);
  if (!te.ok()) return te.status();
  if (std::find(types.begin(), types.end(), te->type) == types.end()) {
    std::string want;
    for (auto t : types)
      absl::StrAppend(&want, want.empty() ? "" : ", ", "\"", std::string(t), "\"");
    return absl::InvalidArgumentError(
        absl::StrCat("TextEnvelope type \"", te->type, "\" is not one of ", want));
  }
  return te;
}

TextEnvelope TxEnvelope(Bytes tx_cbor) {
  return TextEnvelope{std::string(kTeTx), std::string(kTeTxDescription), std::move(tx_cbor)};
}

TextEnvelope KeyWitnessEnvelope(const std::array<uint8_t, 32>& vkey,
                                const std::array<uint8_t, 64>& signature) {
  cbor::Writer w;
  w.ArrayHeader(2).Bytes(View(vkey)).Bytes(View(signature));
  return TextEnvelope{std::string(kTeTxWitness), std::string(kTeKeyWitnessDescription), w.Take()};
}

TextEnvelope VerificationKeyEnvelope(std::string_view type, std::string_view description,
                                     const std::array<uint8_t, 32>& vkey) {
  cbor::Writer w;
  w.Bytes(View(vkey));
  return TextEnvelope{std::string(type), std::string(description), w.Take()};
}

TextEnvelope CertificateEnvelope(Bytes cert_cbor) {
  std::string desc;
  if (auto c = DecodeCertificate(View(cert_cbor)); c.ok()) {
    desc = std::string(CertificateDescription(c->type));
  }
  return TextEnvelope{std::string(kTeCertificate), std::move(desc), std::move(cert_cbor)};
}

absl::StatusOr<KeyWitnessParts> ParseKeyWitnessEnvelope(std::string_view json) {
  auto te = ParseTextEnvelopeOfType(json, {kTeTxWitness});
  if (!te.ok()) return te.status();
  cbor::Limits lim;
  lim.max_depth = 4;
  auto doc = cbor::Decode(View(te->cbor), lim);
  if (!doc.ok()) return doc.status();
  const cbor::Item* item = &doc->root();
  if (!item->IsArray() || item->children.size() != 2 || !item->children[0].IsBytes() ||
      item->children[0].bytes.size() != 32 || !item->children[1].IsBytes() ||
      item->children[1].bytes.size() != 64) {
    return absl::InvalidArgumentError("key witness must be [32-byte vkey, 64-byte signature]");
  }
  KeyWitnessParts p;
  std::copy_n(item->children[0].bytes.begin(), 32, p.vkey.begin());
  std::copy_n(item->children[1].bytes.begin(), 64, p.signature.begin());
  return p;
}

absl::StatusOr<std::array<uint8_t, 32>> ParseVerificationKeyEnvelope(
    std::string_view json, const std::vector<std::string_view>& types) {
  auto te = ParseTextEnvelopeOfType(json, types);
  if (!te.ok()) return te.status();
  auto doc = cbor::Decode(View(te->cbor));
  if (!doc.ok()) return doc.status();
  const cbor::Item* item = &doc->root();
  if (!item->IsBytes() || item->bytes.size() != 32) {
    return absl::InvalidArgumentError("verification key must be a 32-byte string");
  }
  std::array<uint8_t, 32> out;
  std::copy_n(item->bytes.begin(), 32, out.begin());
  return out;
}

}  // namespace stakeward::chain
