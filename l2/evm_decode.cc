#include "l2/evm_decode.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "chain/status_macros.h"

namespace stakeward::l2 {
namespace {

// Answers are bounded by the HTTP client; fields echoed into errors are cut to this.
constexpr size_t kEcho = 200;

absl::Status Bad(absl::string_view what, absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("EVM node answer: ", what.substr(0, kEcho), ": ", problem));
}

absl::StatusOr<std::string> HexText(const Json& j, absl::string_view what) {
  if (!j.is_string()) return Bad(what, "expected a 0x hex string");
  const std::string& s = j.get_ref<const std::string&>();
  if (s.size() < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) {
    return Bad(what, "expected a 0x hex string");
  }
  return s.substr(2);
}

const Json* Find(const Json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}

absl::StatusOr<const Json*> Need(const Json& obj, const char* key, absl::string_view what) {
  if (!obj.is_object()) return Bad(what, "expected an object");
  const Json* v = Find(obj, key);
  if (v == nullptr) return Bad(absl::StrCat(what, ".", key), "missing");
  return v;
}

}  // namespace

absl::StatusOr<RpcAnswer> DecodeAnswer(absl::string_view body, int64_t expected_id) {
  Json j = Json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Bad("body", "not a JSON-RPC object");
  auto id = j.find("id");
  if (id == j.end() || !id->is_number_integer() || id->get<int64_t>() != expected_id) {
    return Bad("id", "does not answer this request");
  }
  RpcAnswer a;
  if (auto e = j.find("error"); e != j.end() && !e->is_null()) {
    if (!e->is_object()) return Bad("error", "expected an object");
    auto code = e->find("code");
    auto msg = e->find("message");
    if (code == e->end() || !code->is_number_integer()) return Bad("error.code", "missing");
    if (msg == e->end() || !msg->is_string()) return Bad("error.message", "missing");
    a.is_error = true;
    a.error_code = code->get<int64_t>();
    a.error_message = msg->get<std::string>().substr(0, 500);
    if (auto d = e->find("data"); d != e->end() && d->is_string()) {
      a.error_data = d->get<std::string>().substr(0, 500);
    }
    return a;
  }
  auto r = j.find("result");
  if (r == j.end()) return Bad("result", "missing");
  a.result = std::move(*r);
  return a;
}

absl::StatusOr<U256> Quantity(const Json& j, absl::string_view what) {
  absl::StatusOr<std::string> hex = HexText(j, what);
  if (!hex.ok()) return hex.status();
  if (hex->empty() || hex->size() > 64) return Bad(what, "expected 1 to 64 hex digits");
  absl::StatusOr<U256> v = U256::ParseQuantity(absl::StrCat("0x", *hex));
  if (!v.ok()) return Bad(what, "not a hex quantity");
  return v;
}

absl::StatusOr<uint64_t> Quantity64(const Json& j, absl::string_view what) {
  absl::StatusOr<U256> v = Quantity(j, what);
  if (!v.ok()) return v.status();
  const auto& be = v->big_endian();
  for (size_t i = 0; i < 24; ++i) {
    if (be[i] != 0) return Bad(what, "above 2^64");
  }
  uint64_t out = 0;
  for (size_t i = 24; i < 32; ++i) out = (out << 8) | be[i];
  return out;
}

absl::StatusOr<chain::Bytes> Data(const Json& j, absl::string_view what) {
  absl::StatusOr<std::string> hex = HexText(j, what);
  if (!hex.ok()) return hex.status();
  absl::StatusOr<chain::Bytes> b = chain::HexDecode(*hex);
  if (!b.ok()) return Bad(what, "expected an even number of hex digits");
  return b;
}

absl::StatusOr<chain::Hash32> Hash(const Json& j, absl::string_view what) {
  absl::StatusOr<chain::Bytes> b = Data(j, what);
  if (!b.ok()) return b.status();
  if (b->size() != 32) return Bad(what, "expected 32 bytes");
  chain::Hash32 h;
  std::copy(b->begin(), b->end(), h.begin());
  return h;
}

absl::StatusOr<Address> AddressOf(const Json& j, absl::string_view what) {
  absl::StatusOr<chain::Bytes> b = Data(j, what);
  if (!b.ok()) return b.status();
  if (b->size() != 20) return Bad(what, "expected 20 bytes");
  Address a;
  std::copy(b->begin(), b->end(), a.begin());
  return a;
}

absl::StatusOr<Log> DecodeLog(const Json& j, absl::string_view what) {
  Log l;
  const Json* v;
  SW_ASSIGN_OR_RETURN(v, Need(j, "address", what));
  SW_ASSIGN_OR_RETURN(l.address, AddressOf(*v, absl::StrCat(what, ".address")));
  SW_ASSIGN_OR_RETURN(v, Need(j, "topics", what));
  if (!v->is_array() || v->size() > 4) return Bad(absl::StrCat(what, ".topics"), "0 to 4 topics");
  for (const Json& t : *v) {
    chain::Hash32 h;
    SW_ASSIGN_OR_RETURN(h, Hash(t, absl::StrCat(what, ".topics")));
    l.topics.push_back(h);
  }
  SW_ASSIGN_OR_RETURN(v, Need(j, "data", what));
  SW_ASSIGN_OR_RETURN(l.data, Data(*v, absl::StrCat(what, ".data")));
  // Pending logs carry null positions; only mined logs are read here.
  SW_ASSIGN_OR_RETURN(v, Need(j, "blockNumber", what));
  SW_ASSIGN_OR_RETURN(l.block_number, Quantity64(*v, absl::StrCat(what, ".blockNumber")));
  SW_ASSIGN_OR_RETURN(v, Need(j, "transactionHash", what));
  SW_ASSIGN_OR_RETURN(l.tx_hash, Hash(*v, absl::StrCat(what, ".transactionHash")));
  SW_ASSIGN_OR_RETURN(v, Need(j, "logIndex", what));
  SW_ASSIGN_OR_RETURN(l.log_index, Quantity64(*v, absl::StrCat(what, ".logIndex")));
  if (const Json* r = Find(j, "removed"); r != nullptr) {
    if (!r->is_boolean()) return Bad(absl::StrCat(what, ".removed"), "expected true or false");
    l.removed = r->get<bool>();
  }
  return l;
}

absl::StatusOr<std::vector<Log>> DecodeLogs(const Json& j) {
  if (!j.is_array()) return Bad("logs", "expected a list");
  std::vector<Log> out;
  for (size_t i = 0; i < j.size(); ++i) {
    Log l;
    SW_ASSIGN_OR_RETURN(l, DecodeLog(j[i], absl::StrCat("logs[", i, "]")));
    out.push_back(std::move(l));
  }
  return out;
}

absl::StatusOr<std::optional<Receipt>> DecodeReceipt(const Json& j) {
  if (j.is_null()) return std::optional<Receipt>();
  Receipt r;
  const Json* v;
  SW_ASSIGN_OR_RETURN(v, Need(j, "transactionHash", "receipt"));
  SW_ASSIGN_OR_RETURN(r.tx_hash, Hash(*v, "receipt.transactionHash"));
  SW_ASSIGN_OR_RETURN(v, Need(j, "blockNumber", "receipt"));
  SW_ASSIGN_OR_RETURN(r.block_number, Quantity64(*v, "receipt.blockNumber"));
  SW_ASSIGN_OR_RETURN(v, Need(j, "blockHash", "receipt"));
  SW_ASSIGN_OR_RETURN(r.block_hash, Hash(*v, "receipt.blockHash"));
  // Post-Byzantium receipts carry status 0x0 or 0x1 (EIP-658).
  SW_ASSIGN_OR_RETURN(v, Need(j, "status", "receipt"));
  uint64_t status;
  SW_ASSIGN_OR_RETURN(status, Quantity64(*v, "receipt.status"));
  if (status > 1) return Bad("receipt.status", "expected 0x0 or 0x1");
  r.success = status == 1;
  SW_ASSIGN_OR_RETURN(v, Need(j, "gasUsed", "receipt"));
  SW_ASSIGN_OR_RETURN(r.gas_used, Quantity64(*v, "receipt.gasUsed"));
  SW_ASSIGN_OR_RETURN(v, Need(j, "effectiveGasPrice", "receipt"));
  SW_ASSIGN_OR_RETURN(r.effective_gas_price, Quantity(*v, "receipt.effectiveGasPrice"));
  if (const Json* c = Find(j, "contractAddress"); c != nullptr) {
    Address a;
    SW_ASSIGN_OR_RETURN(a, AddressOf(*c, "receipt.contractAddress"));
    r.contract_address = a;
  }
  SW_ASSIGN_OR_RETURN(v, Need(j, "logs", "receipt"));
  SW_ASSIGN_OR_RETURN(r.logs, DecodeLogs(*v));
  return std::optional<Receipt>(std::move(r));
}

absl::StatusOr<U256> NextBaseFee(const Json& fee_history) {
  const Json* v;
  SW_ASSIGN_OR_RETURN(v, Need(fee_history, "baseFeePerGas", "feeHistory"));
  if (!v->is_array() || v->empty()) return Bad("feeHistory.baseFeePerGas", "expected a list");
  return Quantity(v->back(), "feeHistory.baseFeePerGas");
}

}  // namespace stakeward::l2
