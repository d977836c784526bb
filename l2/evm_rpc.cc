#include "l2/evm_rpc.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "chain/hash.h"
#include "chain/status_macros.h"
#include "chainsource/http_client.h"
#include "l2/evm_errors.h"

namespace stakeward::l2 {
namespace {

// A receipt with every log of a block fits easily; a hostile node cannot make us buffer more.
constexpr size_t kMaxAnswerBytes = 8u << 20;

std::string Hex(chain::ByteView b) { return absl::StrCat("0x", chain::HexEncode(b)); }
std::string Hex(const Address& a) { return Hex(chain::View(a)); }
std::string Hex(const chain::Hash32& h) { return Hex(chain::View(h)); }
std::string QuantityHex(const U256& v) {
  chain::Bytes m = v.MinimalBigEndian();
  if (m.empty()) return "0x0";
  std::string s = chain::HexEncode(chain::View(m));
  size_t nz = s.find_first_not_of('0');
  return absl::StrCat("0x", s.substr(nz == std::string::npos ? s.size() - 1 : nz));
}
std::string QuantityHex(uint64_t v) { return QuantityHex(U256::FromUint64(v)); }

Json CallObject(const CallRequest& c) {
  Json o = {{"to", Hex(c.to)}, {"value", QuantityHex(c.value)}, {"data", Hex(chain::View(c.data))}};
  if (c.from) o["from"] = Hex(*c.from);
  return o;
}

}  // namespace

absl::StatusOr<FeeSuggestion> SuggestFees(const U256& next_base_fee, const U256& node_priority,
                                          const FeeCaps& caps) {
  FeeSuggestion f;
  f.next_base_fee = next_base_fee;
  f.max_priority_fee_per_gas = std::min(node_priority, caps.max_priority_fee_per_gas);
  std::optional<U256> twice = next_base_fee.CheckedMulSmall(2);
  std::optional<U256> wanted =
      twice ? twice->CheckedAdd(f.max_priority_fee_per_gas) : std::optional<U256>();
  if (!wanted) return absl::InvalidArgumentError("the node's base fee is out of range");
  f.max_fee_per_gas = std::min(*wanted, caps.max_fee_per_gas);
  std::optional<U256> floor = next_base_fee.CheckedAdd(f.max_priority_fee_per_gas);
  if (!floor || f.max_fee_per_gas < *floor) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the fee cap ", caps.max_fee_per_gas.ToDecimal(), " wei/gas is below the next block's base "
        "fee ", next_base_fee.ToDecimal(), " plus the priority fee ",
        f.max_priority_fee_per_gas.ToDecimal(), ": raise the cap or wait for lower fees"));
  }
  return f;
}

absl::StatusOr<EvmRpc> EvmRpc::Create(std::string url, absl::Duration per_call) {
  if (!absl::StartsWith(url, "http://") && !absl::StartsWith(url, "https://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("EVM node URL must start with http:// or https:// (got '",
                     url.substr(0, 100), "')"));
  }
  if (per_call <= absl::ZeroDuration()) return absl::InvalidArgumentError("deadline must be > 0");
  return EvmRpc(std::move(url), per_call);
}

absl::StatusOr<Json> EvmRpc::Invoke(const char* method, Json params) {
  const int64_t id = next_id_++;
  chainsource::HttpRequest req;
  req.method = "POST";
  req.url = url_;
  req.body = Json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}}
                 .dump();
  absl::StatusOr<chainsource::HttpResponse> r = chainsource::HttpFetch(req, per_call_, kMaxAnswerBytes);
  if (!r.ok()) {
    return absl::Status(r.status().code(), absl::StrCat(method, " at ", url_, ": ",
                                                        r.status().message()));
  }
  // Nodes answer JSON-RPC errors with 200 (geth) or 4xx/5xx (some gateways): read the body first.
  absl::StatusOr<RpcAnswer> a = DecodeAnswer(r->body, id);
  if (!a.ok()) {
    if (r->status != 200) {
      return absl::UnavailableError(
          absl::StrCat(method, " at ", url_, ": HTTP ", r->status, " without a JSON-RPC answer"));
    }
    return absl::InvalidArgumentError(absl::StrCat(method, ": ", a.status().message()));
  }
  if (a->is_error) return TranslateNodeError(method, a->error_code, a->error_message, a->error_data);
  return std::move(a->result);
}

absl::StatusOr<uint64_t> EvmRpc::ChainId() {
  SW_ASSIGN_OR_RETURN(Json r, Invoke("eth_chainId", Json::array()));
  return Quantity64(r, "eth_chainId");
}

absl::Status EvmRpc::CheckChainId(uint64_t expected) {
  SW_ASSIGN_OR_RETURN(uint64_t id, ChainId());
  if (id != expected) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the EVM node at ", url_, " serves chain ", id, ", not ", expected,
        " (the policy's l2_chain_id): point the L2 URL at the right network"));
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> EvmRpc::BlockNumber() {
  SW_ASSIGN_OR_RETURN(Json r, Invoke("eth_blockNumber", Json::array()));
  return Quantity64(r, "eth_blockNumber");
}

absl::StatusOr<uint64_t> EvmRpc::Nonce(const Address& account, bool pending) {
  SW_ASSIGN_OR_RETURN(Json r, Invoke("eth_getTransactionCount",
                                     {Hex(account), pending ? "pending" : "latest"}));
  return Quantity64(r, "eth_getTransactionCount");
}

absl::StatusOr<U256> EvmRpc::Balance(const Address& account) {
  SW_ASSIGN_OR_RETURN(Json r, Invoke("eth_getBalance", {Hex(account), "latest"}));
  return Quantity(r, "eth_getBalance");
}

absl::StatusOr<FeeSuggestion> EvmRpc::Fees(const FeeCaps& caps) {
  SW_ASSIGN_OR_RETURN(Json h, Invoke("eth_feeHistory", {"0x1", "latest", Json::array()}));
  SW_ASSIGN_OR_RETURN(U256 base, NextBaseFee(h));
  SW_ASSIGN_OR_RETURN(Json p, Invoke("eth_maxPriorityFeePerGas", Json::array()));
  SW_ASSIGN_OR_RETURN(U256 tip, Quantity(p, "eth_maxPriorityFeePerGas"));
  return SuggestFees(base, tip, caps);
}

absl::StatusOr<uint64_t> EvmRpc::EstimateGas(const CallRequest& call) {
  SW_ASSIGN_OR_RETURN(Json r, Invoke("eth_estimateGas", {CallObject(call)}));
  return Quantity64(r, "eth_estimateGas");
}

absl::StatusOr<chain::Bytes> EvmRpc::Call(const CallRequest& call) {
  SW_ASSIGN_OR_RETURN(Json r, Invoke("eth_call", {CallObject(call), "latest"}));
  return Data(r, "eth_call");
}

absl::StatusOr<U256> EvmRpc::CallUint(const Address& contract, const std::string& signature,
                                      std::optional<U256> arg) {
  CallRequest call;
  call.to = contract;
  const std::array<uint8_t, 4> sel = chain::evm::FunctionSelector(signature);
  call.data.assign(sel.begin(), sel.end());
  if (arg) call.data.insert(call.data.end(), arg->big_endian().begin(), arg->big_endian().end());
  SW_ASSIGN_OR_RETURN(chain::Bytes out, Call(call));
  if (out.size() != 32) {
    return absl::FailedPreconditionError(
        absl::StrCat("eth_call ", signature, " returned ", out.size(), " bytes, not one uint256"));
  }
  return U256::FromBigEndian(chain::View(out));
}

absl::StatusOr<chain::Hash32> EvmRpc::SendRawTransaction(chain::ByteView raw) {
  SW_ASSIGN_OR_RETURN(Json r, Invoke("eth_sendRawTransaction", {Hex(raw)}));
  SW_ASSIGN_OR_RETURN(chain::Hash32 h, Hash(r, "eth_sendRawTransaction"));
  if (h != chain::Keccak256(raw)) {
    return absl::InvalidArgumentError(
        "eth_sendRawTransaction: the node names another transaction hash than the one sent");
  }
  return h;
}

absl::StatusOr<std::optional<Receipt>> EvmRpc::GetReceipt(const chain::Hash32& tx) {
  SW_ASSIGN_OR_RETURN(Json r, Invoke("eth_getTransactionReceipt", {Hex(tx)}));
  SW_ASSIGN_OR_RETURN(std::optional<Receipt> rc, DecodeReceipt(r));
  if (rc && rc->tx_hash != tx) {
    return absl::InvalidArgumentError("eth_getTransactionReceipt: receipt of another transaction");
  }
  return rc;
}

absl::StatusOr<std::optional<chain::Bytes>> EvmRpc::GetRawTransaction(const chain::Hash32& tx) {
  SW_ASSIGN_OR_RETURN(Json r, Invoke("eth_getRawTransactionByHash", {Hex(tx)}));
  if (r.is_null()) return std::optional<chain::Bytes>();
  SW_ASSIGN_OR_RETURN(chain::Bytes raw, Data(r, "eth_getRawTransactionByHash"));
  if (chain::Keccak256(chain::View(raw)) != tx) {
    return absl::InvalidArgumentError(
        "eth_getRawTransactionByHash: the bytes do not hash to the requested transaction");
  }
  return std::optional<chain::Bytes>(std::move(raw));
}

absl::StatusOr<std::vector<Log>> EvmRpc::GetLogs(const LogFilter& f) {
  Json topics = Json::array();
  for (const auto& t : f.topics) topics.push_back(t ? Json(Hex(*t)) : Json(nullptr));
  Json filter = {{"address", Hex(f.address)},
                 {"topics", topics},
                 {"fromBlock", QuantityHex(f.from_block)},
                 {"toBlock", f.to_block ? QuantityHex(*f.to_block) : "latest"}};
  SW_ASSIGN_OR_RETURN(Json r, Invoke("eth_getLogs", {filter}));
  return DecodeLogs(r);
}

}  // namespace stakeward::l2
