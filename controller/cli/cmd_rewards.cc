// `stakeward rewards ...`: the epoch reward cycle from the operator's side. Every change goes
// through the controller (--server), so it is authorized by role and recorded in the audit log:
//   build EPOCH        the controller builds the epoch's L1 reward proposal (withdraw,
//                      commission, bridge); signers then sign it with `stakeward proposal sign`;
//   confirm-l1 EPOCH   marks the reward proposal (and so the epoch) confirmed on chain;
//   deposit EPOCH      the controller reserves the L2 deposit, the operator's device signs it here
//                      after an independent check, and the controller stores it (at most once);
//   show EPOCH         the epoch ledger (per slot and per epoch, exchange-rate effect, L1 tx ids,
//                      L2 deposit), from the controller or read-only from its database (--db).
// Without --server, `build --policy --snapshot --operator` is a preview: it computes and writes
// the transactions from local files and records nothing anywhere.
#include <sodium.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "chain/evm.h"
#include "chain/lovelace.h"
#include "chain/text_envelope.h"
#include "chain/tx.h"
#include "controller/cli/command.h"
#include "controller/cli/deposit_follow.h"
#include "controller/cli/deposit_node.h"
#include "controller/cli/rewards_print.h"
#include "controller/cli/trust_flags.h"
#include "controller/client/api_client.h"
#include "controller/client/api_client_flags.h"
#include "controller/client/proposal_review.h"
#include "controller/model/bounded_read.h"
#include "controller/rewards/deposit_check.h"
#include "controller/rewards/policy_inputs.h"
#include "controller/rewards/reward_builder.h"
#include "controller/store/epoch_ledger.h"
#include "controller/store/sqlite_db.h"
#include "devices/signer/signer.h"
#include "nlohmann/json.hpp"
#include "policy/policy.h"
#include "policy/snapshot.h"
#include "proto/stakeward/v1/policy.grpc.pb.h"
#include "proto/stakeward/v1/proposal.grpc.pb.h"
#include "proto/stakeward/v1/rewards.grpc.pb.h"

namespace stakeward::cli {
namespace {

namespace evm = chain::evm;
using rewards::EpochLedger;

[[noreturn]] void Fail(const absl::Status& s) {
  throw CLI::RuntimeError(std::string(s.ToString()), ExitCodeFor(s));
}

template <typename T>
T Check(absl::StatusOr<T> v) {
  if (!v.ok()) Fail(v.status());
  return std::move(*v);
}
void Check(const absl::Status& s) {
  if (!s.ok()) Fail(s);
}

std::string ReadFile(const std::string& path, controller::InputKind kind) {
  absl::StatusOr<std::string> text = controller::ReadBoundedFile(path, kind);
  if (!text.ok()) Fail(text.status());
  return *std::move(text);
}

absl::StatusOr<evm::U256> ParseQuantity(const std::string& text, const char* what) {
  absl::StatusOr<evm::U256> v = evm::U256::ParseQuantity(text);
  if (!v.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": not a number: ", text, " (", v.status().message(), ")"));
  }
  return v;
}

// --- controller (gRPC) mode ---

std::shared_ptr<grpc::Channel> Channel(const controller::ClientOptions& o) {
  return Check(controller::MakeChannel(o));
}

void CheckRpc(const grpc::Status& s) {
  if (!s.ok()) Fail(controller::FromGrpc(s));
}

chain::Bytes BytesOf(const std::string& b) { return chain::Bytes(b.begin(), b.end()); }

rewards::DepositRecord DepositFromProto(const v1::L2Deposit& d) {
  rewards::DepositRecord r;
  // The stored states are the enum's names without their prefix.
  r.state = std::string(absl::StripPrefix(v1::DepositState_Name(d.state()), "DEPOSIT_STATE_"));
  r.chain_id = d.chain_id();
  r.sender = d.sender();
  r.path = d.path();
  r.nonce = d.nonce();
  r.value_wei = d.value_wei();
  r.unsigned_tx = BytesOf(d.unsigned_tx());
  r.raw_tx = BytesOf(d.raw_tx());
  r.tx_hash = d.tx_hash();
  r.attempts = d.attempts();
  if (d.block_number() != 0) r.block_number = d.block_number();
  r.block_hash = d.block_hash();
  r.adopted = d.adopted();
  r.failure = d.failure();
  r.note = d.note();
  return r;
}

rewards::EpochRecord EpochFromProto(const v1::EpochLedger& e) {
  rewards::EpochRecord r;
  r.epoch = e.epoch();
  std::string status = v1::EpochStatus_Name(e.status());
  const std::string prefix = "EPOCH_STATUS_";
  if (status.rfind(prefix, 0) == 0) status = status.substr(prefix.size());
  r.status = status;
  r.summary = e.summary();
  r.total_rewards = chain::Lovelace(e.total_rewards());
  r.commission = chain::Lovelace(e.commission());
  r.fee = chain::Lovelace(e.fee());
  r.fee_from_treasury = chain::Lovelace(e.fee_from_treasury());
  r.bridged = chain::Lovelace(e.bridged());
  r.carry_in = chain::Lovelace(e.carry_in());
  r.carry_out = chain::Lovelace(e.carry_out());
  r.staked = chain::Lovelace(e.staked());
  r.rate = {e.rate().numerator(), e.rate().denominator(), e.rate().fixed18()};
  for (const v1::SlotRewardLine& s : e.slots()) {
    r.slots.push_back({s.slot(), s.reward_account(), s.outcome(), s.reason(),
                       chain::Lovelace(s.rewards()), chain::Lovelace(s.commission()),
                       chain::Lovelace(s.net()), s.l1_tx_id()});
  }
  for (const v1::RewardL1Tx& t : e.l1_txs()) {
    rewards::L1TxRecord x;
    x.index = static_cast<int>(t.index());
    x.tx_id = t.tx_id();
    x.withdrawn = chain::Lovelace(t.withdrawn());
    x.commission = chain::Lovelace(t.commission());
    x.fee = chain::Lovelace(t.fee());
    x.fee_from_treasury = chain::Lovelace(t.fee_from_treasury());
    x.bridged = chain::Lovelace(t.bridged());
    x.carry_in = chain::Lovelace(t.carry_in());
    x.carry_out = chain::Lovelace(t.carry_out());
    r.l1_txs.push_back(std::move(x));
  }
  if (e.has_deposit()) r.deposit = DepositFromProto(e.deposit());
  return r;
}

void PrintRemoteEpoch(const v1::EpochLedger& e, bool json) {
  const rewards::EpochRecord r = EpochFromProto(e);
  if (json) {
    nlohmann::json j = EpochJson(r);
    j["proposal_id"] = e.proposal_id();
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  PrintEpoch(r);
  if (!e.proposal_id().empty()) std::printf("  reward proposal %s\n", e.proposal_id().c_str());
}

void ShowRemote(const controller::ClientOptions& client, uint64_t epoch, bool json) {
  auto stub = v1::RewardsService::NewStub(Channel(client));
  v1::GetEpochRequest req;
  req.set_epoch(epoch);
  v1::GetEpochResponse resp;
  CheckRpc(stub->GetEpoch(controller::NewContext(client).get(), req, &resp));
  PrintRemoteEpoch(resp.epoch(), json);
}

policy::Policy PolicyInForce(const controller::ClientOptions& client) {
  auto stub = v1::PolicyService::NewStub(Channel(client));
  v1::GetPolicyInForceRequest req;
  v1::GetPolicyInForceResponse resp;
  CheckRpc(stub->GetPolicyInForce(controller::NewContext(client).get(), req, &resp));
  return Check(policy::LoadPolicy(resp.policy().document()));
}

std::unique_ptr<devices::Signer> OpenOperatorDevice(const std::string& uri, int timeout_s) {
  devices::SignerOptions opts;
  opts.timeout = absl::Seconds(timeout_s);
  opts.progress = [](std::string_view msg) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(msg.size()), msg.data());
  };
  return Check(devices::OpenSigner(uri, opts));
}

struct RemoteBuildArgs {
  controller::ClientOptions client;
  uint64_t epoch = 0;
  std::string operator_l2, device;
  uint64_t ttl_slots = 0;
  bool json = false;
};

void BuildRemote(const RemoteBuildArgs& a) {
  std::string op = a.operator_l2;
  if (op.empty()) {
    if (a.device.empty()) Fail(absl::InvalidArgumentError("give --operator or --device"));
    const policy::Policy pol = PolicyInForce(a.client);
    const chain::Path path = Check(chain::ParsePath(pol.rewards.operator_path));
    std::fprintf(stderr, "Reading the operator's L2 address (%s) from the device\n",
                 pol.rewards.operator_path.c_str());
    op =
        evm::ToChecksumAddress(Check(OpenOperatorDevice(a.device, 60)->GetEthAddress(path, false)));
  }
  std::fprintf(stderr, "Building the reward proposal of epoch %llu on %s\n",
               static_cast<unsigned long long>(a.epoch), a.client.server.c_str());
  auto stub = v1::RewardsService::NewStub(Channel(a.client));
  v1::BuildRewardProposalRequest req;
  req.set_epoch(a.epoch);
  req.set_operator_address(op);
  req.set_ttl_slots(a.ttl_slots);
  v1::BuildRewardProposalResponse resp;
  CheckRpc(stub->BuildRewardProposal(controller::NewContext(a.client, 120).get(), req, &resp));
  if (a.json) {
    nlohmann::json j = EpochJson(EpochFromProto(resp.epoch()));
    j["proposal_id"] = resp.has_proposal() ? resp.proposal().id() : "";
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  if (resp.has_proposal()) {
    std::printf("proposal %s\n", resp.proposal().id().c_str());
    for (const v1::ProposalTx& t : resp.proposal().txs()) {
      std::printf("  tx %u %s fee %llu\n", t.index() + 1,
                  chain::HexEncode(BytesOf(t.tx_id())).c_str(),
                  static_cast<unsigned long long>(t.fee()));
    }
  } else {
    std::printf("no proposal: %s\n", resp.epoch().summary().c_str());
  }
  PrintEpoch(EpochFromProto(resp.epoch()));
}

// Marks the epoch's reward proposal submitted (when READY) and confirmed; the controller then
// marks the epoch L1-confirmed. `slot` (0 = not given) is the block's slot as the operator read
// it; a controller that follows the chain requires it (the chain confirms otherwise).
void ConfirmRemote(const controller::ClientOptions& client, uint64_t epoch, uint64_t slot) {
  auto ch = Channel(client);
  auto rstub = v1::RewardsService::NewStub(ch);
  v1::GetEpochRequest ereq;
  ereq.set_epoch(epoch);
  v1::GetEpochResponse eresp;
  CheckRpc(rstub->GetEpoch(controller::NewContext(client).get(), ereq, &eresp));
  const std::string id = eresp.epoch().proposal_id();
  if (id.empty()) {
    Fail(absl::FailedPreconditionError(absl::StrCat("epoch ", epoch, " has no reward proposal")));
  }
  auto pstub = v1::ProposalService::NewStub(ch);
  v1::GetProposalRequest greq;
  greq.set_id(id);
  v1::GetProposalResponse gresp;
  CheckRpc(pstub->GetProposal(controller::NewContext(client).get(), greq, &gresp));
  const v1::Proposal& p = gresp.proposal();
  if (p.state() == v1::PROPOSAL_STATE_READY) {
    std::fprintf(stderr, "Marking proposal %s submitted\n", id.c_str());
    v1::MarkSubmittedRequest req;
    req.set_id(id);
    for (const v1::ProposalTx& t : p.txs()) req.add_tx_ids(t.tx_id());
    v1::MarkSubmittedResponse resp;
    CheckRpc(pstub->MarkSubmitted(controller::NewContext(client).get(), req, &resp));
  }
  std::fprintf(stderr, "Marking proposal %s confirmed\n", id.c_str());
  v1::MarkConfirmedRequest req;
  req.set_id(id);
  req.set_slot(slot);
  for (const v1::ProposalTx& t : p.txs()) req.add_tx_ids(t.tx_id());
  v1::MarkConfirmedResponse resp;
  CheckRpc(pstub->MarkConfirmed(controller::NewContext(client).get(), req, &resp));
  std::printf("epoch %llu: L1 confirmed (proposal %s)\n", static_cast<unsigned long long>(epoch),
              id.c_str());
}

std::string RandomRequestId() {
  uint8_t r[8];
  randombytes_buf(r, sizeof r);
  return absl::StrCat("cli-", chain::HexEncode(chain::ByteView(r, sizeof r)));
}

struct RemoteDepositArgs {
  controller::ClientOptions client;
  uint64_t epoch = 0;
  std::string device, nonce, gas_limit, max_fee, max_priority_fee, request_id;
  std::string trust_dir, trust_as = "operator";
  uint64_t bridge_fee = 0;
  uint64_t lease_ms = 0;
  int timeout_s = 180;
  bool json = false;
  DepositNodeQuery node;  // --l2-rpc, caps, --replace
  int wait_s = 0;         // --wait: follow the deposit to CONFIRMED or FAILED
};

// The epoch's confirmed reward proposal, reviewed here like a signer reviews it: its policy
// verified through the approval chain from the operator's trust anchor, its transactions rebuilt.
controller::ReviewedProposal ReviewConfirmedReward(const RemoteDepositArgs& a) {
  auto stub = v1::RewardsService::NewStub(Channel(a.client));
  v1::GetEpochRequest req;
  req.set_epoch(a.epoch);
  v1::GetEpochResponse resp;
  CheckRpc(stub->GetEpoch(controller::NewContext(a.client).get(), req, &resp));
  if (resp.epoch().proposal_id().empty()) {
    Fail(absl::FailedPreconditionError(absl::StrCat("epoch ", a.epoch, " has no reward proposal")));
  }
  controller::ReviewedProposal r = Check(controller::ReviewProposal(
      a.client, resp.epoch().proposal_id(), AnchorsOrThrow(a.trust_dir, a.trust_as)));
  if (r.proposal.kind() != v1::PROPOSAL_KIND_REWARD || r.proposal.reward().epoch() != a.epoch) {
    Fail(absl::PermissionDeniedError("the controller's reward proposal is not of this epoch"));
  }
  if (r.proposal.state() != v1::PROPOSAL_STATE_CONFIRMED) {
    Fail(absl::FailedPreconditionError(
        absl::StrCat("the reward proposal ", r.proposal.id(), " of epoch ", a.epoch,
                     " is not confirmed: deposit only what the chain received")));
  }
  return r;
}

rewards::DepositLimits LimitsOf(const RemoteDepositArgs& a) {
  rewards::DepositLimits l;
  l.gas.nonce = Check(ParseQuantity(a.nonce, "--nonce"));
  l.gas.gas_limit = Check(ParseQuantity(a.gas_limit, "--gas-limit"));
  l.gas.max_fee_per_gas = Check(ParseQuantity(a.max_fee, "--max-fee-per-gas"));
  l.gas.max_priority_fee_per_gas =
      Check(ParseQuantity(a.max_priority_fee, "--max-priority-fee-per-gas"));
  l.gas.bridge_fee_lovelace = chain::Lovelace(a.bridge_fee);
  return l;
}

// The attempt a replacement replaces: its fees are the floor of the new ones (a lower bound only;
// the new transaction is still checked against the operator's own caps).
std::optional<evm::Eip1559Tx> CurrentAttempt(const RemoteDepositArgs& a) {
  auto stub = v1::RewardsService::NewStub(Channel(a.client));
  v1::GetEpochRequest req;
  req.set_epoch(a.epoch);
  v1::GetEpochResponse resp;
  CheckRpc(stub->GetEpoch(controller::NewContext(a.client).get(), req, &resp));
  if (!resp.epoch().has_deposit()) return std::nullopt;
  absl::StatusOr<evm::Eip1559Tx> tx =
      evm::DecodeUnsigned(chain::View(BytesOf(resp.epoch().deposit().unsigned_tx())));
  if (!tx.ok()) return std::nullopt;
  return *tx;
}

void DepositRemote(RemoteDepositArgs a) {
  const controller::ReviewedProposal reviewed = ReviewConfirmedReward(a);
  const policy::Policy& pol = reviewed.policy;
  const chain::Path op_path = Check(chain::ParsePath(pol.rewards.operator_path));
  Check(rewards::CheckOperatorPath(op_path));
  std::unique_ptr<devices::Signer> signer = OpenOperatorDevice(a.device, a.timeout_s);
  const evm::Address op = Check(signer->GetEthAddress(op_path, false));
  Check(rewards::CheckPinnedOperator(pol, op));
  // Nonce, fees and gas the operator left out come from the operator's own node.
  if (a.node.replace) a.node.previous = CurrentAttempt(a);
  if (reviewed.reward_bridged <= chain::Lovelace(a.bridge_fee)) {
    Fail(absl::FailedPreconditionError("the bridge fee leaves nothing to deposit"));
  }
  const DepositGasFlags gas = Check(CompleteFromNode(
      {a.nonce, a.gas_limit, a.max_fee, a.max_priority_fee}, a.node, pol, op,
      evm::LovelaceToWei(reviewed.reward_bridged - chain::Lovelace(a.bridge_fee))));
  a.nonce = gas.nonce;
  a.gas_limit = gas.gas_limit;
  a.max_fee = gas.max_fee;
  a.max_priority_fee = gas.max_priority_fee;
  const rewards::DepositLimits limits = LimitsOf(a);
  const std::string request_id = a.request_id.empty() ? RandomRequestId() : a.request_id;
  std::fprintf(stderr, "Operator %s; request %s (pass --request-id %s to resume)\n",
               evm::ToChecksumAddress(op).c_str(), request_id.c_str(), request_id.c_str());
  auto stub = v1::RewardsService::NewStub(Channel(a.client));
  v1::ReserveDepositRequest req;
  req.set_epoch(a.epoch);
  req.set_operator_address(evm::ToChecksumAddress(op));
  req.set_nonce(a.nonce);
  req.set_gas_limit(a.gas_limit);
  req.set_max_fee_per_gas(a.max_fee);
  req.set_max_priority_fee_per_gas(a.max_priority_fee);
  req.set_bridge_fee_lovelace(a.bridge_fee);
  req.set_request_id(request_id);
  req.set_lease_ms(a.lease_ms);
  req.set_replace(a.node.replace);
  const absl::Time deadline = absl::Now() + absl::Seconds(a.timeout_s) + absl::Minutes(3);
  v1::L2Deposit deposit;
  bool reused = false;
  for (;;) {
    v1::ReserveDepositResponse resp;
    CheckRpc(stub->ReserveDeposit(controller::NewContext(a.client).get(), req, &resp));
    if (!resp.matches_request()) {
      std::fprintf(stderr,
                   "note: the epoch's deposit was reserved earlier with other "
                   "parameters; that transaction is the one signed\n");
    }
    if (resp.outcome() == v1::RESERVATION_OUTCOME_ALREADY_SIGNED) {
      deposit = resp.deposit();
      reused = true;
      break;
    }
    if (resp.outcome() == v1::RESERVATION_OUTCOME_BUSY) {
      if (absl::Now() > deadline) {
        Fail(absl::DeadlineExceededError("another request keeps the deposit's signing lease"));
      }
      std::fprintf(stderr, "Another request is signing this deposit; waiting\n");
      absl::SleepFor(absl::Seconds(1));
      continue;
    }
    if (resp.outcome() != v1::RESERVATION_OUTCOME_RESERVED) {
      Fail(absl::InternalError("unexpected reservation outcome"));
    }
    const v1::L2Deposit& d = resp.deposit();
    const evm::Eip1559Tx tx = Check(evm::DecodeUnsigned(chain::View(BytesOf(d.unsigned_tx()))));
    const chain::Path path = Check(chain::ParsePath(d.path()));
    if (chain::FormatPath(path) != chain::FormatPath(op_path)) {
      Fail(absl::PermissionDeniedError(
          "the reserved deposit names another account path than the policy's"));
    }
    if (Check(evm::ParseAddress(d.sender())) != op) {
      Fail(absl::FailedPreconditionError(absl::StrCat("the reserved deposit is from ", d.sender(),
                                                      ", not from this device's account")));
    }
    // Every field checked against the approved policy, the rebuilt reward proposal and the
    // operator's own limits; the description comes from the decoded transaction alone.
    Check(rewards::CheckReservedDeposit(tx, pol, op, reviewed.reward_bridged, limits));
    std::fprintf(stderr, "Signing the %s — confirm on the device\n",
                 rewards::DescribeDeposit(tx).c_str());
    const evm::EvmSignature sig = Check(signer->SignEip1559(tx, path));
    const rewards::SignedDeposit signed_tx = Check(rewards::FinalizeDeposit(tx, sig, op));
    v1::StoreDepositRequest sreq;
    sreq.set_epoch(a.epoch);
    sreq.set_raw_tx(std::string(signed_tx.raw.begin(), signed_tx.raw.end()));
    v1::StoreDepositResponse sresp;
    CheckRpc(stub->StoreDeposit(controller::NewContext(a.client).get(), sreq, &sresp));
    deposit = sresp.deposit();
    reused = sresp.existing();
    break;
  }
  const std::string raw = "0x" + chain::HexEncode(BytesOf(deposit.raw_tx()));
  if (a.json) {
    nlohmann::json j = {{"epoch", a.epoch},
                        {"raw_tx", raw},
                        {"tx_hash", deposit.tx_hash()},
                        {"sender", deposit.sender()},
                        {"nonce", deposit.nonce()},
                        {"value_wei", deposit.value_wei()},
                        {"state", DepositFromProto(deposit).state},
                        {"reused", reused}};
    std::printf("%s\n", j.dump(2).c_str());
    return;
  }
  if (reused) {
    std::fprintf(stderr, "epoch %llu was already deposited; returning the stored transaction\n",
                 static_cast<unsigned long long>(a.epoch));
  }
  std::printf("tx hash %s\n%s\n", deposit.tx_hash().c_str(), raw.c_str());
  const rewards::DepositRecord rec = DepositFromProto(deposit);
  if (rec.state == rewards::kDepositFailed) {
    Fail(absl::FailedPreconditionError(absl::StrCat("the deposit FAILED: ", rec.failure)));
  }
  if (rec.state == rewards::kDepositConfirmed || a.wait_s <= 0) {
    std::fprintf(stderr,
                 "deposit %s%s; follow it with `stakeward rewards show %llu` (a stakewardd with "
                 "`l2:` broadcasts and confirms it on the L2 chain)\n",
                 rec.state.c_str(), rec.adopted ? " (adopted from the chain)" : "",
                 static_cast<unsigned long long>(a.epoch));
    return;
  }
  Check(FollowDeposit(a.client, a.epoch, deposit.tx_hash(), a.wait_s));
}

// --- offline preview (no --server) ---

struct BuildArgs {
  std::string policy, snapshot, out_prefix, operator_l2, carry_utxo;
  uint64_t carry_in = 0;
  uint64_t ttl = 0;
  bool json = false;
};

// "TXID#INDEX" as cardano-cli prints a UTxO.
absl::StatusOr<chain::TxIn> ParseUtxoRef(const std::string& text) {
  const size_t hash = text.find('#');
  absl::StatusOr<chain::Hash32> id =
      chain::HexDecodeFixed<32>(std::string_view(text).substr(0, hash));
  uint32_t index = 0;
  if (hash == std::string::npos || !id.ok() ||
      !absl::SimpleAtoi(absl::string_view(text).substr(hash + 1), &index)) {
    return absl::InvalidArgumentError(
        "--carry-utxo must be TXID#INDEX (64 hex digits, '#', index)");
  }
  return chain::TxIn{*id, index};
}

void RunBuild(const BuildArgs& a) {
  const policy::Policy pol =
      Check(policy::LoadPolicy(ReadFile(a.policy, controller::InputKind::kPolicy)));
  const policy::Snapshot snap =
      Check(policy::LoadSnapshot(ReadFile(a.snapshot, controller::InputKind::kSnapshot)));
  const evm::Address op = Check(evm::ParseAddress(a.operator_l2));
  const chain::Lovelace carry(a.carry_in);
  std::optional<uint64_t> ttl;
  if (a.ttl != 0) ttl = a.ttl;
  std::optional<chain::TxIn> carry_input;
  if (!a.carry_utxo.empty()) carry_input = Check(ParseUtxoRef(a.carry_utxo));
  if (carry > chain::Lovelace() && !carry_input) {
    Fail(absl::FailedPreconditionError(
        absl::StrCat("--carry-in ", carry.value(),
                     " needs --carry-utxo TXID#INDEX, the treasury output of the last "
                     "reward transaction that carried it")));
  }
  auto input = Check(rewards::RewardInputFromPolicy(pol, snap, op, carry, carry_input, ttl));
  auto proposal = Check(rewards::BuildRewardProposal(input));
  nlohmann::json out;
  out["epoch"] = proposal.epoch;
  out["summary"] = proposal.summary;
  out["carry_in"] = proposal.carry_in;
  out["carry_out"] = proposal.carry_out;
  if (proposal.carry_output) {
    out["carry_utxo"] = absl::StrCat(chain::HexEncode(proposal.carry_output->tx_id), "#",
                                     proposal.carry_output->index);
  }
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
    out["txs"].push_back(nlohmann::json{{"tx_id", chain::HexEncode(chain::TxId(t.tx))},
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

// Dev-mode controllers identify the caller by a header: default to the operator.
controller::ClientOptions OperatorClient(controller::ClientOptions o) {
  if (o.dev_role.empty() && o.tls_cert.empty()) o.dev_role = "operator";
  return o;
}

[[noreturn]] void Usage(const std::string& what) { Fail(absl::InvalidArgumentError(what)); }

// The operator's deposit flags; only --server mode exists.
struct DepositFlags {
  uint64_t epoch = 0;
  std::string device, nonce, gas_limit, max_fee, max_priority_fee;
  uint64_t bridge_fee = 0;
  int timeout_s = 180;
  bool json = false;
};

void RegisterBuild(CLI::App* rw) {
  auto offline = std::make_shared<BuildArgs>();
  auto remote = std::make_shared<RemoteBuildArgs>();
  CLI::App* build = rw->add_subcommand(
      "build",
      "Build the epoch's L1 reward proposal on the controller (--server), or preview it "
      "from local files (--policy, --snapshot; records nothing)");
  build->add_option("epoch", remote->epoch, "Epoch (--server: must be the latest snapshot's)");
  build->add_option("--policy", offline->policy, "Policy YAML (preview)");
  build->add_option("--snapshot", offline->snapshot, "Chain snapshot JSON (preview)");
  build->add_option("--operator", offline->operator_l2,
                    "Operator's L2 address (metadata label 88)");
  build->add_option("--device", remote->device,
                    "--server: read the operator's L2 address from this device instead");
  build->add_option("--out", offline->out_prefix, "Write <prefix>-<i>.tx.json TextEnvelopes");
  build->add_option("--carry-in", offline->carry_in,
                    "preview: lovelace carried into this epoch by an earlier one");
  build->add_option("--carry-utxo", offline->carry_utxo,
                    "preview: TXID#INDEX of the treasury output holding the carry-in");
  build->add_option("--ttl", offline->ttl,
                    "invalid-hereafter slot (preview) or slots after the snapshot (--server)");
  build->add_flag("--json", offline->json, "JSON output");
  controller::AddClientFlags(build, &remote->client);
  build->callback([build, offline, remote] {
    if (build->count("--server") > 0) {
      if (build->count("epoch") == 0) Usage("rewards build --server needs the EPOCH");
      RemoteBuildArgs a = *remote;
      a.client = OperatorClient(a.client);
      a.operator_l2 = offline->operator_l2;
      a.ttl_slots = offline->ttl;
      a.json = offline->json;
      BuildRemote(a);
      return;
    }
    if (offline->policy.empty() || offline->snapshot.empty() || offline->operator_l2.empty()) {
      Usage("rewards build needs --server, or --policy, --snapshot and --operator for a preview");
    }
    RunBuild(*offline);
  });
}

void RegisterConfirm(CLI::App* rw) {
  auto epoch = std::make_shared<uint64_t>(0);
  auto client = std::make_shared<controller::ClientOptions>();
  auto slot = std::make_shared<uint64_t>(0);
  CLI::App* confirm = rw->add_subcommand(
      "confirm-l1", "Mark an epoch's L1 reward proposal confirmed on chain (on the controller)");
  confirm->add_option("epoch", *epoch, "Epoch")->required();
  confirm->add_option("--slot", *slot,
                      "slot of the block holding it (required when stakewardd follows the chain)");
  controller::AddClientFlags(confirm, client.get());
  confirm->callback([confirm, epoch, client, slot] {
    if (confirm->count("--server") == 0) Usage("rewards confirm-l1 needs --server");
    ConfirmRemote(OperatorClient(*client), *epoch, *slot);
  });
}

void RegisterShow(CLI::App* rw) {
  auto epoch = std::make_shared<uint64_t>(0);
  auto db_path = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  auto client = std::make_shared<controller::ClientOptions>();
  CLI::App* show = rw->add_subcommand("show", "Show an epoch's reward ledger");
  show->add_option("epoch", *epoch, "Epoch")->required();
  show->add_option("--db", *db_path, "Controller database (opened read-only, never created)");
  show->add_flag("--json", *json, "JSON output");
  controller::AddClientFlags(show, client.get());
  show->callback([show, epoch, db_path, json, client] {
    if (show->count("--server") > 0) {
      ShowRemote(OperatorClient(*client), *epoch, *json);
      return;
    }
    if (db_path->empty()) Usage("rewards show needs --server or --db");
    std::unique_ptr<controller::Db> db = Check(controller::Db::Open(*db_path, /*read_only=*/true));
    const rewards::EpochRecord rec = Check(EpochLedger(*db).Get(*epoch));
    if (*json) {
      std::printf("%s\n", EpochJson(rec).dump(2).c_str());
    } else {
      PrintEpoch(rec);
    }
  });
}

void RegisterDeposit(CLI::App* rw) {
  auto dep = std::make_shared<DepositFlags>();
  auto rdep = std::make_shared<RemoteDepositArgs>();
  CLI::App* deposit = rw->add_subcommand(
      "deposit", "Sign the epoch's L2 deposit the controller reserves (at most once per epoch)");
  deposit->add_option("epoch", dep->epoch, "Epoch")->required();
  deposit->add_option("--device", dep->device, "Operator device URI")->required();
  deposit->add_option("--nonce", dep->nonce, "Operator account nonce (default: from --l2-rpc)");
  deposit->add_option("--gas-limit", dep->gas_limit, "Gas limit (default: estimate + 25 %)");
  deposit->add_option("--max-fee-per-gas", dep->max_fee,
                      "Max fee per gas, wei (default: from --l2-rpc, within --max-fee-cap)");
  deposit->add_option("--l2-rpc", rdep->node.rpc,
                      "The operator's own L2 node: nonce, fees and gas limit come from it");
  deposit
      ->add_option("--max-fee-cap", rdep->node.max_fee_cap,
                   "With --l2-rpc: never a max fee above this (wei)")
      ->capture_default_str();
  deposit
      ->add_option("--max-priority-fee-cap", rdep->node.max_priority_fee_cap,
                   "With --l2-rpc: never a priority fee above this (wei)")
      ->capture_default_str();
  deposit->add_option("--wait", rdep->wait_s,
                      "Follow the deposit for up to SECONDS until the controller confirms it on "
                      "the L2 chain (exit 0) or finds it failed");
  deposit->add_flag("--replace", rdep->node.replace,
                    "Replace a stuck deposit (same nonce, fees +12.5 %) or a FAILED one (next "
                    "nonce); the earlier attempt stays watched until one is mined");
  deposit->add_option("--max-priority-fee-per-gas", dep->max_priority_fee,
                      "Max priority fee per gas, wei (default: from --l2-rpc)");
  deposit
      ->add_option("--bridge-fee", dep->bridge_fee,
                   "Lovelace the bridge keeps (stargate fromADAFeeLovelace)")
      ->required();
  deposit->add_option("--timeout", dep->timeout_s, "Device timeout in seconds");
  deposit->add_option("--request-id", rdep->request_id,
                      "Resume an interrupted deposit under this request id");
  deposit->add_option("--lease-ms", rdep->lease_ms,
                      "How long this request may hold the signing lease");
  deposit->add_flag("--json", dep->json, "JSON output");
  AddTrustFlag(deposit, &rdep->trust_dir);
  deposit->add_option("--trust-as", rdep->trust_as, "Whose trust store verifies the policy")
      ->capture_default_str();
  controller::AddClientFlags(deposit, &rdep->client);
  deposit->callback([deposit, dep, rdep] {
    if (deposit->count("--server") == 0) Usage("rewards deposit needs --server");
    RemoteDepositArgs a = *rdep;
    a.client = OperatorClient(a.client);
    a.epoch = dep->epoch;
    a.device = dep->device;
    a.nonce = dep->nonce;
    a.gas_limit = dep->gas_limit;
    a.max_fee = dep->max_fee;
    a.max_priority_fee = dep->max_priority_fee;
    a.bridge_fee = dep->bridge_fee;
    a.timeout_s = dep->timeout_s;
    a.json = dep->json;
    DepositRemote(a);
  });
}

void Register(CLI::App& app) {
  CLI::App* rw = app.add_subcommand("rewards", "Epoch rewards: L1 withdrawal, bridge, L2 deposit");
  rw->require_subcommand(1);
  RegisterBuild(rw);
  RegisterConfirm(rw);
  RegisterShow(rw);
  RegisterDeposit(rw);
}

const RegisterCommands kRegister(Register);

}  // namespace
}  // namespace stakeward::cli
