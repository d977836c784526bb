// `stakeward evm`: the operator's L2 deposit on a hardware wallet.
//   evm address --device D --path P [--show] [--json]   prints the device's address for P
//   evm sign --device D --path P --chain-id N --nonce N --max-fee W --max-priority-fee W
//            --gas N --to 0x.. --value-wei N [--data 0x..]
//                                              prints the raw signed EIP-1559 transaction (hex)
// The signature is recovered and compared with the device's address before anything is printed.
// `evm fees` and `evm send` (cmd_evm_node.cc) talk to an EVM node.
#include <cstdio>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "chain/evm.h"
#include "controller/cli/cmd_evm_node.h"
#include "controller/cli/command.h"
#include "devices/signer/select.h"
#include "devices/signer/signer.h"
#include "nlohmann/json.hpp"

namespace stakeward::cli {
namespace {

namespace evm = chain::evm;

// Failures map through the CLI's one exit-code table (exit_codes.h).
[[noreturn]] void Fail(const absl::Status& s) { ThrowStatus(s); }

struct Options {
  std::string device;
  std::string path = "m/44'/60'/0'/0/0";
  bool show = false;
  bool json = false;  // evm address --json
  uint64_t chain_id = 0;
  std::string nonce = "0", max_fee, max_priority_fee, gas, to, value = "0", data;
  int timeout_s = 180;
};

evm::U256 Quantity(const std::string& flag, const std::string& v) {
  auto u = evm::U256::ParseQuantity(v);
  if (!u.ok()) Fail(absl::InvalidArgumentError(absl::StrCat(flag, ": ", u.status().message())));
  return *u;
}

std::unique_ptr<devices::Signer> Open(const Options& o) {
  devices::SignerOptions so;
  so.timeout = absl::Seconds(o.timeout_s);
  so.progress = [](std::string_view m) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(m.size()), m.data());
  };
  auto s = devices::OpenSelected(o.device, so);
  if (!s.ok()) Fail(s.status());
  return std::move(*s);
}

chain::Path ParsedPath(const Options& o) {
  auto p = chain::ParsePath(o.path);
  if (!p.ok()) Fail(absl::InvalidArgumentError(absl::StrCat("--path: ", p.status().message())));
  return *p;
}

void Address(const Options& o) {
  auto signer = Open(o);
  auto a = signer->GetEthAddress(ParsedPath(o), o.show);
  if (!a.ok()) Fail(a.status());
  if (!o.json) {
    std::printf("%s\n", evm::ToChecksumAddress(*a).c_str());
    return;
  }
  const devices::DeviceInfo info = signer->Info();
  const nlohmann::ordered_json j{{"address", evm::ToChecksumAddress(*a)},
                                 {"path", o.path},
                                 {"shown_on_device", o.show},
                                 {"device", info.uri},
                                 {"model", info.model}};
  std::printf("%s\n", j.dump(2).c_str());
}

void Sign(const Options& o) {
  evm::Eip1559Tx tx;
  if (o.chain_id == 0) Fail(absl::InvalidArgumentError("--chain-id is required"));
  tx.chain_id = o.chain_id;
  tx.nonce = Quantity("--nonce", o.nonce);
  tx.max_fee_per_gas = Quantity("--max-fee", o.max_fee);
  tx.max_priority_fee_per_gas = Quantity("--max-priority-fee", o.max_priority_fee);
  tx.gas_limit = Quantity("--gas", o.gas);
  tx.value = Quantity("--value-wei", o.value);
  if (tx.max_priority_fee_per_gas > tx.max_fee_per_gas) {
    Fail(absl::InvalidArgumentError("--max-priority-fee must not exceed --max-fee"));
  }
  if (!o.to.empty()) {
    auto to = evm::ParseAddress(o.to);
    if (!to.ok()) Fail(absl::InvalidArgumentError(absl::StrCat("--to: ", to.status().message())));
    tx.to = *to;
  }
  if (!o.data.empty()) {
    auto d = chain::HexDecode(o.data);
    if (!d.ok()) Fail(absl::InvalidArgumentError(absl::StrCat("--data: ", d.status().message())));
    tx.data = std::move(*d);
  }
  auto signer = Open(o);
  auto sig = signer->SignEip1559(tx, ParsedPath(o));
  if (!sig.ok()) Fail(sig.status());
  std::printf("0x%s\n", chain::HexEncode(chain::View(evm::EncodeSigned(tx, *sig))).c_str());
}

RegisterCommands reg([](CLI::App& app) {
  auto* evm_cmd = app.add_subcommand("evm", "EVM (Milkomeda) operations on a hardware wallet");
  evm_cmd->require_subcommand(1);
  auto o = std::make_shared<Options>();
  auto common = [o](CLI::App* c) {
    c->add_option("--device", o->device,
                  "Device URI, serial:<serial> or fingerprint:<8 hex> (default: the only one)");
    c->add_option("--path", o->path, "BIP32 path")->capture_default_str();
    c->add_option("--timeout-s", o->timeout_s, "How long to wait for the device")
        ->capture_default_str();
  };
  auto* addr = evm_cmd->add_subcommand("address", "Print the device's address");
  common(addr);
  addr->add_flag("--show", o->show, "Show the address on the device for confirmation");
  addr->add_flag("--json", o->json,
                 "address, path, whether the device showed it, device and model");
  addr->callback([o] { Address(*o); });
  auto* sign = evm_cmd->add_subcommand("sign", "Sign an EIP-1559 transaction");
  common(sign);
  sign->add_option("--chain-id", o->chain_id, "Chain id (Milkomeda C1: 2001, devnet 200101)")
      ->required();
  sign->add_option("--nonce", o->nonce, "Nonce")->required();
  sign->add_option("--max-fee", o->max_fee, "maxFeePerGas in wei")->required();
  sign->add_option("--max-priority-fee", o->max_priority_fee, "maxPriorityFeePerGas in wei")
      ->required();
  sign->add_option("--gas", o->gas, "Gas limit")->required();
  sign->add_option("--to", o->to, "Recipient 0x address (omit for contract creation)");
  sign->add_option("--value-wei", o->value, "Value in wei")->capture_default_str();
  sign->add_option("--data", o->data, "Calldata, 0x hex");
  sign->callback([o] { Sign(*o); });
  AddEvmNodeCommands(evm_cmd);
});

}  // namespace
}  // namespace stakeward::cli
