// `stakeward tx ...`: offline inspection of Cardano transactions.
//   describe FILE  decodes a transaction (cardano-cli TextEnvelope JSON, CBOR hex or raw CBOR)
//                  and prints its id, inputs, outputs, fee, validity, certificates, withdrawals,
//                  metadata hash, witnesses and the hardware-wallet compatibility verdict;
//   id FILE        prints the transaction id only.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "chain/address.h"
#include "chain/hash.h"
#include "chain/lovelace.h"
#include "chain/text_envelope.h"
#include "chain/tx.h"
#include "controller/cli/command.h"
#include "controller/model/bounded_read.h"
#include "nlohmann/json.hpp"

namespace stakeward::cli {
namespace {

using chain::Bytes;

// Large enough for any transaction envelope (transactions are at most 16 KiB on chain).

[[noreturn]] void InvalidInput(const std::string& message) {
  throw CLI::RuntimeError("invalid input: " + message, kExitInvalidInput);
}

absl::StatusOr<std::string> ReadSmallFile(const std::string& path) {
  return controller::ReadBoundedFile(path, controller::InputKind::kTransaction);
}

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// TextEnvelope JSON, hex text or raw CBOR, recognised in that order.
absl::StatusOr<Bytes> TransactionBytes(const std::string& content) {
  const std::string text = Trim(content);
  if (!text.empty() && text[0] == '{') {
    auto te = chain::ParseTextEnvelopeOfType(
        text, {chain::kTeTx, chain::kTeWitnessedTx, chain::kTeUnwitnessedTx});
    if (!te.ok()) return te.status();
    return std::move(te->cbor);
  }
  const bool hex = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isxdigit(static_cast<unsigned char>(c));
  });
  if (hex) return chain::HexDecode(text);
  return Bytes(content.begin(), content.end());
}

chain::Transaction LoadTransaction(const std::string& path) {
  auto content = ReadSmallFile(path);
  if (!content.ok()) InvalidInput(std::string(content.status().message()));
  auto bytes = TransactionBytes(*content);
  if (!bytes.ok()) InvalidInput(absl::StrCat(path, ": ", bytes.status().message()));
  auto tx = chain::DecodeTransaction(chain::View(*bytes));
  if (!tx.ok()) {
    InvalidInput(absl::StrCat(path, ": not a Conway transaction: ", tx.status().message()));
  }
  return std::move(*tx);
}

// The network the transaction is for: its network id field, else its first Shelley address.
chain::Network GuessNetwork(const chain::Transaction& tx) {
  if (tx.body.network_id) return static_cast<chain::Network>(*tx.body.network_id);
  for (const auto& out : tx.body.outputs) {
    auto a = chain::ParseAddressBytes(chain::View(out.address));
    if (a.ok() && a->type != chain::AddressType::kByron) return a->network;
  }
  for (const auto& w : tx.body.withdrawals) {
    auto a = chain::ParseAddressBytes(chain::View(w.reward_account));
    if (a.ok()) return a->network;
  }
  return chain::Network::kMainnet;
}

std::string Ada(chain::Lovelace v) {
  return absl::StrCat(chain::FormatAda(v), " (", v.value(), " lovelace)");
}

void Describe(const chain::Transaction& tx, std::optional<chain::Network> forced) {
  const chain::Network net = forced ? *forced : GuessNetwork(tx);
  const auto& b = tx.body;
  std::printf("tx id:           %s\n", chain::HexEncode(chain::TxId(tx)).c_str());
  std::printf("network:         %s\n", net == chain::Network::kMainnet ? "mainnet" : "testnet");
  std::printf("inputs (%zu):\n", b.inputs.size());
  for (const auto& in : b.inputs) {
    std::printf("  %s#%u\n", chain::HexEncode(in.tx_id).c_str(), in.index);
  }
  std::printf("outputs (%zu):\n", b.outputs.size());
  for (const auto& out : b.outputs) {
    std::string extra;
    if (!out.multiasset.empty()) extra += " + native tokens";
    if (!out.datum_option.empty()) extra += " + datum";
    if (!out.script_ref.empty()) extra += " + script ref";
    std::printf("  %s  %s%s\n", chain::FormatAddress(chain::View(out.address)).c_str(),
                Ada(out.coin).c_str(), extra.c_str());
  }
  std::printf("fee:             %s\n", Ada(b.fee).c_str());
  std::printf("ttl:             %s\n", b.ttl ? absl::StrCat("slot ", *b.ttl).c_str() : "none");
  if (b.validity_start)
    std::printf("valid from:      slot %llu\n", static_cast<unsigned long long>(*b.validity_start));
  std::printf("certificates (%zu):\n", b.certificates.size());
  for (const auto& c : b.certificates) {
    std::printf("  %s\n", chain::DescribeCertificate(c, net).c_str());
  }
  std::printf("withdrawals (%zu):\n", b.withdrawals.size());
  for (const auto& w : b.withdrawals) {
    std::printf("  %s  %s\n", chain::FormatAddress(chain::View(w.reward_account)).c_str(),
                Ada(w.coin).c_str());
  }
  for (const auto& h : b.required_signers) {
    std::printf("required signer: %s\n", chain::HexEncode(h).c_str());
  }
  for (const auto& [key, value] : b.other_fields) {
    std::printf("other field:     body key %llu (%zu bytes, not interpreted)\n",
                static_cast<unsigned long long>(key), value.size());
  }
  if (b.aux_data_hash) {
    std::string check = "no auxiliary data attached";
    if (tx.aux_data) {
      check = chain::Blake2b256(chain::View(*tx.aux_data)) == *b.aux_data_hash
                  ? "matches the attached auxiliary data"
                  : "DOES NOT MATCH the attached auxiliary data";
    }
    std::printf("metadata hash:   %s (%s)\n", chain::HexEncode(*b.aux_data_hash).c_str(),
                check.c_str());
  } else {
    std::printf("metadata hash:   none%s\n",
                tx.aux_data ? " (but auxiliary data is attached: INVALID)" : "");
  }
  std::printf("witnesses:       %zu vkey, %zu native script(s)\n", tx.witnesses.vkeys.size(),
              tx.witnesses.scripts.size());
  for (const auto& s : tx.witnesses.scripts) {
    std::printf("  script %s\n", chain::HexEncode(chain::NativeScriptHash(s)).c_str());
  }
  std::printf("size:            %zu bytes\n", chain::EncodeTransaction(tx).size());
  const absl::Status hw = chain::CheckHardwareWalletCompatible(chain::View(tx.body_bytes));
  std::printf(
      "hardware wallet: %s\n",
      hw.ok() ? "compatible (CIP-21)" : absl::StrCat("NOT compatible: ", hw.message()).c_str());
}

// The same facts as one JSON object (amounts in lovelace).
void DescribeJson(const chain::Transaction& tx, std::optional<chain::Network> forced) {
  using J = nlohmann::ordered_json;
  const chain::Network net = forced ? *forced : GuessNetwork(tx);
  const auto& b = tx.body;
  J j{{"id", chain::HexEncode(chain::TxId(tx))},
      {"network", net == chain::Network::kMainnet ? "mainnet" : "testnet"}};
  J inputs = J::array();
  for (const auto& in : b.inputs)
    inputs.push_back(absl::StrCat(chain::HexEncode(in.tx_id), "#", in.index));
  j["inputs"] = std::move(inputs);
  J outputs = J::array();
  for (const auto& out : b.outputs) {
    outputs.push_back({{"address", chain::FormatAddress(chain::View(out.address))},
                       {"lovelace", out.coin},
                       {"native_tokens", !out.multiasset.empty()},
                       {"datum", !out.datum_option.empty()},
                       {"script_ref", !out.script_ref.empty()}});
  }
  j["outputs"] = std::move(outputs);
  j["fee"] = b.fee;
  j["ttl"] = b.ttl ? J(*b.ttl) : J(nullptr);
  j["valid_from"] = b.validity_start ? J(*b.validity_start) : J(nullptr);
  J certs = J::array();
  for (const auto& c : b.certificates) certs.push_back(chain::DescribeCertificate(c, net));
  j["certificates"] = std::move(certs);
  J withdrawals = J::array();
  for (const auto& w : b.withdrawals) {
    withdrawals.push_back({{"reward_account", chain::FormatAddress(chain::View(w.reward_account))},
                           {"lovelace", w.coin}});
  }
  j["withdrawals"] = std::move(withdrawals);
  J signers = J::array();
  for (const auto& h : b.required_signers) signers.push_back(chain::HexEncode(h));
  j["required_signers"] = std::move(signers);
  J aux{{"hash", b.aux_data_hash ? J(chain::HexEncode(*b.aux_data_hash)) : J(nullptr)},
        {"attached", tx.aux_data.has_value()}};
  if (b.aux_data_hash && tx.aux_data) {
    aux["matches"] = chain::Blake2b256(chain::View(*tx.aux_data)) == *b.aux_data_hash;
  }
  j["metadata"] = std::move(aux);
  J scripts = J::array();
  for (const auto& sc : tx.witnesses.scripts)
    scripts.push_back(chain::HexEncode(chain::NativeScriptHash(sc)));
  j["witnesses"] = {{"vkeys", tx.witnesses.vkeys.size()}, {"native_scripts", std::move(scripts)}};
  j["size"] = chain::EncodeTransaction(tx).size();
  const absl::Status hw = chain::CheckHardwareWalletCompatible(chain::View(tx.body_bytes));
  j["hardware_wallet_compatible"] = hw.ok();
  if (!hw.ok()) j["hardware_wallet_problem"] = std::string(hw.message());
  std::printf("%s\n", j.dump(2).c_str());
}

void Register(CLI::App& app) {
  auto* tx = app.add_subcommand("tx", "Inspect Cardano transactions");
  tx->require_subcommand(1);

  struct DescribeArgs {
    std::string file;
    std::string network;
  };
  auto args = std::make_shared<DescribeArgs>();
  auto* describe = tx->add_subcommand(
      "describe", "Decode a transaction (TextEnvelope, CBOR hex or binary) and print it");
  describe->add_option("FILE", args->file, "transaction file")->required();
  describe
      ->add_option("--network", args->network, "mainnet or testnet (default: from the transaction)")
      ->check(CLI::IsMember({"mainnet", "testnet"}));
  auto json = std::make_shared<bool>(false);
  describe->add_flag("--json", *json, "the same facts as JSON (amounts in lovelace)");
  describe->callback([args, json] {
    std::optional<chain::Network> net;
    if (!args->network.empty()) {
      net = args->network == "mainnet" ? chain::Network::kMainnet : chain::Network::kTestnet;
    }
    if (*json) {
      DescribeJson(LoadTransaction(args->file), net);
    } else {
      Describe(LoadTransaction(args->file), net);
    }
  });

  auto id_file = std::make_shared<std::string>();
  auto* id = tx->add_subcommand("id", "Print the transaction id (blake2b-256 of the body)");
  id->add_option("FILE", *id_file, "transaction file")->required();
  id->callback([id_file] {
    std::printf("%s\n", chain::HexEncode(chain::TxId(LoadTransaction(*id_file))).c_str());
  });
}

const RegisterCommands kRegister(Register);

}  // namespace
}  // namespace stakeward::cli
