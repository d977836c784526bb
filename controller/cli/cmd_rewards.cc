// `stakeward rewards ...`: the epoch reward cycle from the operator's side.
//   build EPOCH-SNAPSHOT  builds the L1 reward proposal (withdraw, commission, bridge) from a
//   policy
//                         and a snapshot, writes the unsigned transactions as TextEnvelopes and
//                         records the epoch in the ledger database;
//   confirm-l1 EPOCH      marks the epoch's L1 transactions as confirmed on chain;
//   show EPOCH            prints the epoch ledger (per slot and per epoch, exchange-rate effect,
//                         L1 tx ids, L2 deposit);
//   deposit EPOCH         signs the L2 deposit on the operator's device, at most once per epoch.
// The controller's gRPC API has no rewards service yet, so these commands work directly on the
// controller's SQLite file (--db) and the device (--device); SQLite serializes them with a running
// controller.
#include <sqlite3.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "chain/evm.h"
#include "chain/lovelace.h"
#include "chain/text_envelope.h"
#include "chain/tx.h"
#include "controller/cli/command.h"
#include "controller/rewards/deposit_service.h"
#include "controller/rewards/epoch_ledger.h"
#include "controller/rewards/policy_inputs.h"
#include "controller/rewards/reward_builder.h"
#include "devices/signer/signer.h"
#include "nlohmann/json.hpp"
#include "policy/policy.h"
#include "policy/snapshot.h"

namespace stakeward::cli {
namespace {

namespace evm = chain::evm;
using rewards::EpochLedger;

[[noreturn]] void Fail(const absl::Status& s) {
  int code = kExitInternal;
  switch (s.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kOutOfRange:
      code = kExitInvalidInput;
      break;
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kAlreadyExists:
      code = kExitDenied;
      break;
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
      code = kExitDevice;
      break;
    default:
      break;
  }
  throw CLI::RuntimeError(std::string(s.ToString()), code);
}

template <typename T>
T Check(absl::StatusOr<T> v) {
  if (!v.ok()) Fail(v.status());
  return std::move(*v);
}
void Check(const absl::Status& s) {
  if (!s.ok()) Fail(s);
}

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) Fail(absl::NotFoundError(absl::StrCat("cannot read ", path)));
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

class DbHandle {
 public:
  DbHandle(const std::string& path, bool read_only) {
    const int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      Fail(absl::UnavailableError(absl::StrCat("cannot open database ", path, ": ", msg)));
    }
    sqlite3_busy_timeout(db_, 10'000);
    if (!read_only) Check(rewards::MigrateRewardsSchema(db_));
  }
  ~DbHandle() { sqlite3_close(db_); }
  DbHandle(const DbHandle&) = delete;
  DbHandle& operator=(const DbHandle&) = delete;
  sqlite3* get() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

// Decimal, or 0x-prefixed hex as JSON-RPC returns it.
absl::StatusOr<evm::U256> ParseQuantity(const std::string& text, const char* what) {
  absl::StatusOr<evm::U256> v = absl::InvalidArgumentError("empty");
  if (text.rfind("0x", 0) == 0 || text.rfind("0X", 0) == 0) {
    std::string hex = text.substr(2);
    if (hex.size() % 2) hex.insert(hex.begin(), '0');
    auto b = chain::HexDecode(hex);
    if (b.ok() && !b->empty()) v = evm::U256::FromBigEndian(chain::View(*b));
  } else {
    v = evm::U256::FromDecimal(text);
  }
  if (!v.ok()) return absl::InvalidArgumentError(absl::StrCat(what, ": not a number: ", text));
  return v;
}

nlohmann::json EpochJson(const rewards::EpochRecord& r) {
  nlohmann::json j;
  j["epoch"] = r.epoch;
  j["status"] = r.status;
  j["summary"] = r.summary;
  j["rewards"] = r.total_rewards;
  j["commission"] = r.commission;
  j["fee"] = r.fee;
  j["fee_from_treasury"] = r.fee_from_treasury;
  j["bridged"] = r.bridged;
  j["carry_in"] = r.carry_in;
  j["carry_out"] = r.carry_out;
  j["staked"] = r.staked;
  j["rewards_per_staked_lovelace"] = {{"numerator", r.rate.numerator},
                                      {"denominator", r.rate.denominator},
                                      {"fixed18", r.rate.fixed18}};
  j["slots"] = nlohmann::json::array();
  for (const auto& s : r.slots) {
    j["slots"].push_back({{"slot", s.slot},
                          {"reward_account", s.reward_account_hex},
                          {"outcome", s.outcome},
                          {"reason", s.reason},
                          {"rewards", s.rewards},
                          {"commission", s.commission},
                          {"net", s.net},
                          {"l1_tx_id", s.l1_tx_id}});
  }
  j["l1_txs"] = nlohmann::json::array();
  for (const auto& t : r.l1_txs) {
    j["l1_txs"].push_back({{"index", t.index},
                           {"tx_id", t.tx_id},
                           {"cbor_hex", chain::HexEncode(t.tx_cbor)},
                           {"withdrawn", t.withdrawn},
                           {"commission", t.commission},
                           {"fee", t.fee},
                           {"fee_from_treasury", t.fee_from_treasury},
                           {"bridged", t.bridged},
                           {"carry_in", t.carry_in},
                           {"carry_out", t.carry_out}});
  }
  if (r.deposit) {
    const auto& d = *r.deposit;
    j["deposit"] = {{"state", d.state},
                    {"chain_id", d.chain_id},
                    {"sender", d.sender},
                    {"path", d.path},
                    {"nonce", d.nonce},
                    {"value_wei", d.value_wei},
                    {"tx_hash", d.tx_hash},
                    {"attempts", d.attempts},
                    {"raw_tx", d.raw_tx.empty() ? "" : "0x" + chain::HexEncode(d.raw_tx)}};
  } else {
    j["deposit"] = nullptr;
  }
  return j;
}

void PrintEpoch(const rewards::EpochRecord& r) {
  std::printf("epoch %llu: %s\n  %s\n", static_cast<unsigned long long>(r.epoch), r.status.c_str(),
              r.summary.c_str());
  std::printf("  rewards %s  commission %s  fee %s (treasury paid %s)\n",
              chain::FormatAda(r.total_rewards).c_str(), chain::FormatAda(r.commission).c_str(),
              chain::FormatAda(r.fee).c_str(), chain::FormatAda(r.fee_from_treasury).c_str());
  std::printf("  bridged %s  carry in %s  carry out %s\n", chain::FormatAda(r.bridged).c_str(),
              chain::FormatAda(r.carry_in).c_str(), chain::FormatAda(r.carry_out).c_str());
  std::printf("  rewards per staked lovelace %s/%s = %s\n", r.rate.numerator.c_str(),
              r.rate.denominator.c_str(), r.rate.fixed18.c_str());
  for (const auto& s : r.slots) {
    std::printf("  slot %u  %-22s rewards %llu commission %llu net %llu  %s%s\n", s.slot,
                s.outcome.c_str(), static_cast<unsigned long long>(s.rewards),
                static_cast<unsigned long long>(s.commission),
                static_cast<unsigned long long>(s.net),
                s.l1_tx_id.empty() ? "" : ("tx " + s.l1_tx_id).c_str(), s.reason.c_str());
  }
  for (const auto& t : r.l1_txs) {
    std::printf("  L1 tx %d  %s  fee %llu bridged %llu carry %llu\n", t.index, t.tx_id.c_str(),
                static_cast<unsigned long long>(t.fee), static_cast<unsigned long long>(t.bridged),
                static_cast<unsigned long long>(t.carry_out));
  }
  if (r.deposit) {
    std::printf("  L2 deposit %s  chain %llu  from %s  nonce %s  value %s wei  %s\n",
                r.deposit->state.c_str(), static_cast<unsigned long long>(r.deposit->chain_id),
                r.deposit->sender.c_str(), r.deposit->nonce.c_str(), r.deposit->value_wei.c_str(),
                r.deposit->tx_hash.c_str());
  } else {
    std::printf("  L2 deposit: none\n");
  }
}

struct BuildArgs {
  std::string policy, snapshot, db, out_prefix, operator_l2;
  uint64_t ttl = 0;
  bool json = false;
};

void RunBuild(const BuildArgs& a) {
  const policy::Policy pol = Check(policy::LoadPolicy(ReadFile(a.policy)));
  const policy::Snapshot snap = Check(policy::LoadSnapshot(ReadFile(a.snapshot)));
  const evm::Address op = Check(evm::ParseAddress(a.operator_l2));
  std::unique_ptr<DbHandle> db;
  uint64_t carry = 0;
  if (!a.db.empty()) {
    db = std::make_unique<DbHandle>(a.db, false);
    carry = Check(EpochLedger(db->get()).CarryBefore(snap.epoch));
  }
  std::optional<uint64_t> ttl;
  if (a.ttl != 0) ttl = a.ttl;
  auto input = Check(rewards::RewardInputFromPolicy(pol, snap, op, carry, ttl));
  auto proposal = Check(rewards::BuildRewardProposal(input));
  if (db) Check(EpochLedger(db->get()).RecordProposal(proposal));
  nlohmann::json out;
  out["epoch"] = proposal.epoch;
  out["summary"] = proposal.summary;
  out["carry_in"] = proposal.carry_in;
  out["carry_out"] = proposal.carry_out;
  out["txs"] = nlohmann::json::array();
  for (size_t i = 0; i < proposal.txs.size(); ++i) {
    const auto& t = proposal.txs[i];
    const chain::Bytes cbor = chain::EncodeTransaction(t.tx);
    std::string file;
    if (!a.out_prefix.empty()) {
      file = absl::StrCat(a.out_prefix, "-", i, ".tx.json");
      std::ofstream f(file);
      f << chain::WriteTextEnvelope({std::string(chain::kTeTx), "Ledger Cddl Format", cbor});
      if (!f) Fail(absl::UnavailableError(absl::StrCat("cannot write ", file)));
    }
    out["txs"].push_back({{"tx_id", chain::HexEncode(chain::TxId(t.tx))},
                          {"cbor_hex", chain::HexEncode(cbor)},
                          {"file", file},
                          {"withdrawn", t.withdrawn},
                          {"commission", t.commission},
                          {"fee", t.fee},
                          {"fee_from_treasury", t.fee_from_treasury},
                          {"bridged", t.bridged},
                          {"carry_out", t.carry_out},
                          {"size", t.final_size}});
  }
  if (a.json) {
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("%s\n", proposal.summary.c_str());
    for (const auto& t : out["txs"]) {
      std::printf("  tx %s  fee %llu  bridged %llu  %s\n", t["tx_id"].get<std::string>().c_str(),
                  static_cast<unsigned long long>(t["fee"].get<uint64_t>()),
                  static_cast<unsigned long long>(t["bridged"].get<uint64_t>()),
                  t["file"].get<std::string>().c_str());
    }
  }
}

struct DepositArgs {
  uint64_t epoch = 0;
  std::string db, policy, device, nonce, gas_limit, max_fee, max_priority_fee;
  uint64_t bridge_fee = 0;
  int timeout_s = 180;
  bool json = false;
};

void RunDeposit(const DepositArgs& a) {
  const policy::Policy pol = Check(policy::LoadPolicy(ReadFile(a.policy)));
  rewards::DepositGas gas;
  gas.nonce = Check(ParseQuantity(a.nonce, "--nonce"));
  gas.gas_limit = Check(ParseQuantity(a.gas_limit, "--gas-limit"));
  gas.max_fee_per_gas = Check(ParseQuantity(a.max_fee, "--max-fee-per-gas"));
  gas.max_priority_fee_per_gas =
      Check(ParseQuantity(a.max_priority_fee, "--max-priority-fee-per-gas"));
  gas.bridge_fee_lovelace = a.bridge_fee;
  const chain::Path path = Check(chain::ParsePath(pol.rewards.operator_path));
  Check(rewards::CheckOperatorPath(path));

  devices::SignerOptions opts;
  opts.timeout = absl::Seconds(a.timeout_s);
  opts.progress = [](std::string_view msg) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(msg.size()), msg.data());
  };
  std::unique_ptr<devices::Signer> signer = Check(devices::OpenSigner(a.device, opts));
  const evm::Address op = Check(signer->GetEthAddress(path, false));
  const rewards::DepositParams params = Check(rewards::DepositParamsFromPolicy(pol, op, gas));

  DbHandle db(a.db, false);
  EpochLedger ledger(db.get());
  rewards::EvmSignFn sign = [&](const chain::Path& p,
                                const evm::Eip1559Tx& tx) -> absl::StatusOr<evm::EvmSignature> {
    return signer->SignEip1559(tx, p);
  };
  rewards::DepositOptions dopts;
  dopts.lease_ms = static_cast<int64_t>(a.timeout_s) * 1000 + 30'000;
  auto out = Check(rewards::DepositEpochOnce(ledger, a.epoch, params, sign, dopts));
  if (a.json) {
    nlohmann::json j = {{"epoch", a.epoch},
                        {"raw_tx", out.deposit.RawHex()},
                        {"tx_hash", out.deposit.TxHashHex()},
                        {"sender", out.record.sender},
                        {"nonce", out.record.nonce},
                        {"value_wei", out.record.value_wei},
                        {"reused", out.reused},
                        {"matches_request", out.matches_request}};
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  if (out.reused) {
    std::fprintf(stderr, "epoch %llu was already deposited; returning the stored transaction%s\n",
                 static_cast<unsigned long long>(a.epoch),
                 out.matches_request ? "" : " (it differs from this request's parameters)");
  } else if (!out.matches_request) {
    std::fprintf(stderr,
                 "note: a reserved deposit for this epoch existed; it was signed as reserved, "
                 "not with this request's parameters\n");
  }
  std::printf("tx hash %s\n%s\n", out.deposit.TxHashHex().c_str(), out.deposit.RawHex().c_str());
}

void Register(CLI::App& app) {
  CLI::App* rw = app.add_subcommand("rewards", "Epoch rewards: L1 withdrawal, bridge, L2 deposit");
  rw->require_subcommand(1);

  auto build_args = std::make_shared<BuildArgs>();
  CLI::App* build = rw->add_subcommand("build", "Build the L1 reward proposal for a snapshot");
  build->add_option("--policy", build_args->policy, "Policy YAML")->required();
  build->add_option("--snapshot", build_args->snapshot, "Chain snapshot JSON")->required();
  build
      ->add_option("--operator", build_args->operator_l2,
                   "Operator's L2 address (metadata label 88)")
      ->required();
  build->add_option("--db", build_args->db, "Controller database: record the epoch, read carry");
  build->add_option("--out", build_args->out_prefix, "Write <prefix>-<i>.tx.json TextEnvelopes");
  build->add_option("--ttl", build_args->ttl, "invalid-hereafter slot");
  build->add_flag("--json", build_args->json, "JSON output");
  build->callback([build_args] { RunBuild(*build_args); });

  auto confirm_epoch = std::make_shared<uint64_t>(0);
  auto confirm_db = std::make_shared<std::string>();
  CLI::App* confirm = rw->add_subcommand("confirm-l1", "Mark an epoch's L1 txs as confirmed");
  confirm->add_option("epoch", *confirm_epoch, "Epoch")->required();
  confirm->add_option("--db", *confirm_db, "Controller database")->required();
  confirm->callback([confirm_epoch, confirm_db] {
    DbHandle db(*confirm_db, false);
    Check(EpochLedger(db.get()).MarkL1Confirmed(*confirm_epoch));
    std::printf("epoch %llu: L1 confirmed\n", static_cast<unsigned long long>(*confirm_epoch));
  });

  auto show_epoch = std::make_shared<uint64_t>(0);
  auto show_db = std::make_shared<std::string>();
  auto show_json = std::make_shared<bool>(false);
  CLI::App* show = rw->add_subcommand("show", "Show an epoch's reward ledger");
  show->add_option("epoch", *show_epoch, "Epoch")->required();
  show->add_option("--db", *show_db, "Controller database (read-only)")->required();
  show->add_flag("--json", *show_json, "JSON output");
  show->callback([show_epoch, show_db, show_json] {
    DbHandle db(*show_db, true);
    auto rec = Check(EpochLedger(db.get()).Get(*show_epoch));
    if (*show_json) {
      std::printf("%s\n", EpochJson(rec).dump(2).c_str());
    } else {
      PrintEpoch(rec);
    }
  });

  auto dep = std::make_shared<DepositArgs>();
  CLI::App* deposit = rw->add_subcommand("deposit", "Sign the epoch's L2 deposit (at most once)");
  deposit->add_option("epoch", dep->epoch, "Epoch")->required();
  deposit->add_option("--db", dep->db, "Controller database")->required();
  deposit
      ->add_option("--policy", dep->policy, "Policy YAML (chain id, contract, _roi, operator path)")
      ->required();
  deposit->add_option("--device", dep->device, "Operator device URI")->required();
  deposit->add_option("--nonce", dep->nonce, "Operator account nonce")->required();
  deposit->add_option("--gas-limit", dep->gas_limit, "Gas limit")->required();
  deposit->add_option("--max-fee-per-gas", dep->max_fee, "Max fee per gas (wei)")->required();
  deposit
      ->add_option("--max-priority-fee-per-gas", dep->max_priority_fee,
                   "Max priority fee per gas (wei)")
      ->required();
  deposit
      ->add_option("--bridge-fee", dep->bridge_fee,
                   "Lovelace the bridge keeps (stargate fromADAFeeLovelace)")
      ->required();
  deposit->add_option("--timeout", dep->timeout_s, "Device timeout in seconds");
  deposit->add_flag("--json", dep->json, "JSON output");
  deposit->callback([dep] { RunDeposit(*dep); });
}

const RegisterCommands kRegister(Register);

}  // namespace
}  // namespace stakeward::cli
