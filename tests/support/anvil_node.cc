#include "tests/support/anvil_node.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"
#include "chain/check.h"
#include "chain/keys.h"
#include "chain/status_macros.h"
#include "chainsource/http_client.h"

namespace stakeward::testing {
namespace {

namespace evm = chain::evm;

const std::string kInterop = std::string(STAKEWARD_SOURCE_DIR) + "/tests/interop";

chain::Bytes Word(const evm::U256& v) {
  return chain::Bytes(v.big_endian().begin(), v.big_endian().end());
}
chain::Bytes Word(const evm::Address& a) {
  chain::Bytes w(12, 0);
  w.insert(w.end(), a.begin(), a.end());
  return w;
}

}  // namespace

std::string AnvilPath() {
  const std::string p = kInterop + "/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";
  return ::access(p.c_str(), X_OK) == 0 ? p : "";
}

absl::StatusOr<std::string> AnvilNode::Start(const std::vector<std::string>& extra,
                                             uint64_t chain_id) {
  const std::string bin = AnvilPath();
  if (bin.empty()) {
    return absl::FailedPreconditionError("anvil is not installed: run scripts/install-npm.sh");
  }
  std::vector<std::string> args = {
      bin, "--chain-id", std::to_string(chain_id), "--hardfork", "london", "--port", "0"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return absl::InternalError("pipe failed");
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::execv(argv[0], argv.data());
    _exit(127);
  }
  ::close(out[1]);
  fd_ = out[0];
  std::string line;
  while (url_.empty()) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 20000) <= 0) break;
    char c;
    if (::read(fd_, &c, 1) <= 0) break;
    if (c != '\n') {
      line.push_back(c);
      continue;
    }
    if (line.rfind("Listening on ", 0) == 0) url_ = "http://" + line.substr(13);
    line.clear();
  }
  // anvil keeps logging every request: drain its output so it never blocks on a full pipe.
  drain_ = std::thread([fd = fd_] {
    char buf[4096];
    while (::read(fd, buf, sizeof buf) > 0) {
    }
  });
  if (url_.empty()) return absl::FailedPreconditionError("anvil did not start listening");
  return url_;
}

void AnvilNode::Stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  if (drain_.joinable()) drain_.join();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

absl::Status AnvilNode::Raw(const std::string& method, const std::string& params_json) {
  chainsource::HttpRequest req;
  req.method = "POST";
  req.url = url_;
  req.body = absl::StrCat(R"({"jsonrpc":"2.0","id":1,"method":")", method, R"(","params":)",
                          params_json, "}");
  SW_ASSIGN_OR_RETURN(chainsource::HttpResponse r,
                      chainsource::HttpFetch(req, absl::Seconds(20), 1 << 16));
  if (r.status != 200 || r.body.find("\"error\"") != std::string::npos) {
    return absl::InternalError(absl::StrCat(method, " failed: ", r.body));
  }
  return absl::OkStatus();
}

absl::Status AnvilNode::Mine(uint64_t blocks) {
  return Raw("anvil_mine", absl::StrCat("[\"0x", absl::Hex(blocks), "\"]"));
}

absl::Status AnvilNode::SetBalance(const evm::Address& a, uint64_t ether) {
  // anvil takes the balance as a decimal or 0x quantity of wei.
  return Raw("anvil_setBalance", absl::StrCat("[\"", evm::ToChecksumAddress(a), "\",\"", ether,
                                              "000000000000000000\"]"));
}

absl::Status AnvilNode::SetAutomine(bool on) {
  return Raw("evm_setAutomine", on ? "[true]" : "[false]");
}

absl::Status AnvilNode::DropTransaction(const std::string& tx_hash_hex) {
  return Raw("anvil_dropTransaction", absl::StrCat("[\"", tx_hash_hex, "\"]"));
}

evm::Secp256k1Key AnvilAccount(uint32_t index) {
  auto seed = chain::MnemonicToSeed(kAnvilMnemonic, "");
  SW_CHECK(seed.ok());
  absl::StatusOr<evm::Secp256k1Key> master = evm::Secp256k1Key::MasterFromSeed(chain::View(*seed));
  SW_CHECK(master.ok());
  absl::StatusOr<chain::Path> path = chain::ParsePath(absl::StrCat("m/44'/60'/0'/0/", index));
  SW_CHECK(path.ok());
  absl::StatusOr<evm::Secp256k1Key> key = master->DerivePath(*path);
  SW_CHECK(key.ok());
  return *key;
}

absl::StatusOr<chain::Bytes> LiquidStakingPoolBytecode() {
  const std::string cmd = "node " + kInterop + "/l2/bytecode.mjs";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return absl::FailedPreconditionError("cannot run node");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  if (out.rfind("0x", 0) != 0) {
    return absl::FailedPreconditionError("solc-js did not compile the test contract");
  }
  return chain::HexDecode(out.substr(2));
}

absl::StatusOr<l2::Receipt> SendAndWait(AnvilNode& node, l2::EvmRpc& rpc,
                                        const evm::Secp256k1Key& key,
                                        std::optional<evm::Address> to, const evm::U256& value,
                                        const chain::Bytes& data, uint64_t gas) {
  evm::Eip1559Tx tx;
  tx.chain_id = 200101;
  SW_ASSIGN_OR_RETURN(uint64_t nonce, rpc.Nonce(key.EthAddress(), true));
  tx.nonce = evm::U256::FromUint64(nonce);
  SW_ASSIGN_OR_RETURN(l2::FeeSuggestion fees, rpc.Fees({evm::U256::FromUint64(1000000000000),
                                                        evm::U256::FromUint64(2000000000)}));
  tx.max_fee_per_gas = fees.max_fee_per_gas;
  tx.max_priority_fee_per_gas = fees.max_priority_fee_per_gas;
  tx.gas_limit = evm::U256::FromUint64(gas);
  tx.to = to;
  tx.value = value;
  tx.data = data;
  const chain::Bytes raw = evm::EncodeSigned(tx, evm::SignHash(key, evm::SigningHash(tx)));
  SW_ASSIGN_OR_RETURN(chain::Hash32 h, rpc.SendRawTransaction(chain::View(raw)));
  SW_ASSIGN_OR_RETURN(std::optional<l2::Receipt> r, rpc.GetReceipt(h));
  if (!r) {
    SW_RETURN_IF_ERROR(node.Mine());
    SW_ASSIGN_OR_RETURN(r, rpc.GetReceipt(h));
  }
  if (!r) return absl::InternalError("no receipt after a block was mined");
  return *r;
}

absl::StatusOr<evm::Address> DeployLiquidStakingPool(AnvilNode& node, l2::EvmRpc& rpc,
                                                     const evm::Address& op, uint64_t epoch) {
  SW_ASSIGN_OR_RETURN(chain::Bytes data, LiquidStakingPoolBytecode());
  for (const chain::Bytes& w : {Word(op), Word(evm::U256::FromUint64(epoch))}) {
    data.insert(data.end(), w.begin(), w.end());
  }
  SW_ASSIGN_OR_RETURN(l2::Receipt r,
                      SendAndWait(node, rpc, AnvilAccount(0), std::nullopt, {}, data, 1500000));
  if (!r.success || !r.contract_address) return absl::InternalError("deployment failed");
  return *r.contract_address;
}

absl::StatusOr<evm::U256> CallUint(l2::EvmRpc& rpc, const evm::Address& contract,
                                   const std::string& signature, std::optional<uint64_t> arg) {
  std::optional<evm::U256> word;
  if (arg) word = evm::U256::FromUint64(*arg);
  return rpc.CallUint(contract, signature, word);
}

}  // namespace stakeward::testing
