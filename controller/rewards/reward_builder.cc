#include "controller/rewards/reward_builder.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "chain/check.h"
#include "chain/hash.h"
#include "chain/lovelace.h"
#include "controller/rewards/bridge.h"
#include "policy/bps.h"

namespace stakeward::rewards {
namespace {

using chain::Bytes;

// Fee fixed-point iterations: each round can only grow the fee by the few bytes a longer integer
// encoding adds, so a handful of rounds always suffice.
constexpr int kMaxFeeRounds = 16;

using chain::Lovelace;

absl::Status CheckAmount(Lovelace v, const char* what) {
  if (v.value() > kMaxLovelaceSupply) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, " (", v.value(), ") exceeds the total lovelace supply"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Lovelace> Add(Lovelace a, Lovelace b, const char* what) {
  auto r = chain::CheckedAdd(a, b);
  if (!r || r->value() > kMaxLovelaceSupply) {
    return absl::InvalidArgumentError(absl::StrCat(what, " overflows the lovelace supply"));
  }
  return *r;
}

struct Candidate {
  const SlotRewardState* slot;
  Bytes account;
  Lovelace commission;
};

struct Shape {
  bool bridge_output;  // with the bridge output and the 87/88 metadata
};

struct Built {
  RewardTx tx;
  bool fits;
};

class TxAssembler {
 public:
  explicit TxAssembler(const RewardBuildInput& in) : in_(in) {}

  absl::Status Init() {
    auto md = BridgeMetadata(in_.routing.bridge_magic, in_.routing.operator_l2);
    if (!md.ok()) return md.status();
    bridge_md_ = std::move(*md);
    for (const auto& [label, value] : in_.extra_metadata) bridge_md_.emplace(label, value);
    if (!in_.extra_metadata.empty()) {
      auto aux = chain::EncodeAuxData(in_.extra_metadata);
      if (!aux.ok()) return aux.status();
      extra_aux_ = std::move(*aux);
    }
    auto aux = chain::EncodeAuxData(bridge_md_);
    if (!aux.ok()) return aux.status();
    bridge_aux_ = std::move(*aux);
    return absl::OkStatus();
  }

  // Builds the transaction for `group`, choosing between bridging and carrying.
  absl::StatusOr<Built> Build(const std::vector<const Candidate*>& group, const TreasuryUtxo& utxo,
                              Lovelace carry_in) const {
    auto bridged = BuildShape(group, utxo, carry_in, Shape{true});
    if (!bridged.ok()) return bridged.status();
    if (!bridged->fits) return bridged;
    const RewardTx& t = bridged->tx;
    auto bridge_min_utxo = chain::MinUtxo(t.tx.body.outputs[1], in_.fee_params);
    if (!bridge_min_utxo.ok()) return bridge_min_utxo.status();
    if (t.bridged > Lovelace(0) && t.bridged >= in_.routing.bridge_min_lovelace &&
        t.bridged >= *bridge_min_utxo) {
      return bridged;
    }
    return BuildShape(group, utxo, carry_in, Shape{false});
  }

 private:
  absl::StatusOr<Built> BuildShape(const std::vector<const Candidate*>& group,
                                   const TreasuryUtxo& utxo, Lovelace carry_in, Shape shape) const {
    RewardTx out;
    out.treasury_input = utxo;
    out.carry_in = carry_in;
    out.scripts.push_back(in_.routing.treasury_script);
    out.vkey_witnesses = MinimumSignatures(in_.routing.treasury_script);
    std::vector<chain::Withdrawal> withdrawals;
    for (const Candidate* c : group) {
      auto w = Add(out.withdrawn, c->slot->reward_balance, "withdrawn rewards");
      if (!w.ok()) return w.status();
      out.withdrawn = *w;
      out.commission += c->commission;  // commission <= reward: cannot overflow here
      withdrawals.push_back({c->account, c->slot->reward_balance});
      out.scripts.push_back(c->slot->stake_script);
      out.vkey_witnesses += MinimumSignatures(c->slot->stake_script);
      out.slots.push_back(c->slot->slot);
    }
    std::sort(withdrawals.begin(), withdrawals.end(),
              [](const chain::Withdrawal& a, const chain::Withdrawal& b) {
                return a.reward_account < b.reward_account;
              });
    // Share owed to the bridge before the fee.
    auto share = Add(out.withdrawn - out.commission, carry_in, "bridge share");
    if (!share.ok()) return share.status();
    auto in_total = Add(utxo.coin, out.withdrawn, "transaction inputs");
    if (!in_total.ok()) return in_total.status();

    std::optional<Bytes> aux;
    if (shape.bridge_output) {
      aux = bridge_aux_;
    } else if (!extra_aux_.empty()) {
      aux = extra_aux_;
    }

    Lovelace fee;
    for (int round = 0; round < kMaxFeeRounds; ++round) {
      out.fee = fee;
      out.fee_from_treasury = fee > *share ? fee - *share : Lovelace();
      const Lovelace after_fee = *share - (fee - out.fee_from_treasury);
      out.bridged = shape.bridge_output ? after_fee : Lovelace();
      out.carry_out = shape.bridge_output ? Lovelace() : after_fee;
      // Treasury output = everything not bridged and not paid as fee.
      auto t1 = chain::CheckedSub(*in_total, fee);
      auto t2 = t1 ? chain::CheckedSub(*t1, out.bridged) : std::nullopt;
      if (!t2) {
        return absl::FailedPreconditionError(absl::StrCat(
            "treasury UTxO ", chain::HexEncode(utxo.input.tx_id), "#", utxo.input.index, " (",
            utxo.coin.value(), " lovelace) does not hold the carried ", carry_in.value(),
            " lovelace plus the fee it must pay"));
      }
      out.treasury_out = *t2;
      chain::TxBody body;
      body.inputs = {utxo.input};
      body.outputs.push_back({in_.routing.treasury_address, out.treasury_out, {}, false, {}, {}});
      if (shape.bridge_output) {
        body.outputs.push_back({in_.routing.bridge_address, out.bridged, {}, false, {}, {}});
      }
      body.fee = fee;
      body.ttl = in_.ttl;
      body.withdrawals = withdrawals;
      if (aux) body.aux_data_hash = chain::Blake2b256(chain::View(*aux));
      out.tx = chain::MakeTransaction(std::move(body), chain::WitnessSet{}, aux);

      // The fee only grows, and the size with it: a body already too large never fits.
      out.final_size = chain::FinalTxSize(out.tx, out.vkey_witnesses, out.scripts);
      if (out.final_size > in_.fee_params.max_tx_size) return Built{std::move(out), false};
      auto min_fee = chain::MinFee(out.tx, out.vkey_witnesses, out.scripts, in_.fee_params);
      if (!min_fee.ok()) return min_fee.status();
      if (*min_fee <= fee) {
        // Exact conservation: inputs = outputs + fee.
        SW_CHECK(out.treasury_out + out.bridged + out.fee == *in_total);
        auto treasury_min = chain::MinUtxo(out.tx.body.outputs[0], in_.fee_params);
        if (!treasury_min.ok()) return treasury_min.status();
        if (out.treasury_out < *treasury_min) {
          return absl::FailedPreconditionError(
              absl::StrCat("treasury output of ", out.treasury_out.value(),
                           " lovelace is below its min-UTxO of ", treasury_min->value(),
                           "; fund the treasury UTxO"));
        }
        return Built{std::move(out), true};
      }
      fee = *min_fee;
    }
    return absl::InternalError("reward transaction fee did not reach a fixed point");
  }

  const RewardBuildInput& in_;
  chain::Metadata bridge_md_;
  Bytes bridge_aux_;
  Bytes extra_aux_;
};

absl::Status ValidateRouting(const RewardBuildInput& in) {
  const RewardRouting& r = in.routing;
  if (r.commission_bps > policy::kBpsPerUnit) {
    return absl::InvalidArgumentError("commission must be at most 10000 bps");
  }
  auto treasury = chain::ParseAddressBytes(chain::View(r.treasury_address));
  if (!treasury.ok()) return treasury.status();
  if (treasury->network != in.network || (treasury->type != chain::AddressType::kBase &&
                                          treasury->type != chain::AddressType::kEnterprise)) {
    return absl::InvalidArgumentError(
        "treasury address must be a base or enterprise address "
        "on the policy's network");
  }
  if (treasury->payment.kind != chain::Credential::Kind::kScriptHash ||
      treasury->payment.hash != chain::NativeScriptHash(r.treasury_script)) {
    return absl::InvalidArgumentError(
        "treasury address payment credential is not the hash of the treasury script");
  }
  auto bridge = chain::ParseAddressBytes(chain::View(r.bridge_address));
  if (!bridge.ok()) return bridge.status();
  if (bridge->network != in.network || (bridge->type != chain::AddressType::kBase &&
                                        bridge->type != chain::AddressType::kEnterprise)) {
    return absl::InvalidArgumentError(
        "bridge address must be a Shelley payment address on the "
        "policy's network");
  }
  if (r.treasury_address == r.bridge_address) {
    return absl::InvalidArgumentError("treasury and bridge addresses must differ");
  }
  if (auto s = CheckAmount(r.bridge_min_lovelace, "bridge minimum"); !s.ok()) return s;
  if (auto s = CheckAmount(in.carry_in, "carry-in"); !s.ok()) return s;
  if (in.extra_metadata.count(kLabelProtocolMagic) || in.extra_metadata.count(kLabelDestination)) {
    return absl::InvalidArgumentError("extra metadata must not use the bridge labels 87/88");
  }
  return absl::OkStatus();
}

}  // namespace

// Conway LEDGER rule (specs/cardano.md §6, cardano-ledger Conway/Rules/Ledger.hs
// validateWithdrawalsDelegated): outside the bootstrap phase (major version 9), a withdrawal from
// a key-hash reward account needs a DRep delegation. Script-hash accounts are exempt. Stakeward
// slots are script credentials, so this never fires for them; it stays explicit so that a key
// reward account can never slip through unnoticed.
absl::Status CheckWithdrawalDelegation(chain::ByteView reward_account, bool drep_delegated,
                                       uint32_t protocol_major) {
  if (reward_account.size() != 29) {
    return absl::InvalidArgumentError("a reward account is 29 bytes");
  }
  const bool key_hash = (reward_account[0] & 0xF0) == 0xE0;
  if (key_hash && protocol_major >= 10 && !drep_delegated) {
    return absl::FailedPreconditionError(
        "withdrawal from a key-hash reward account without a DRep delegation is rejected by "
        "the ledger from protocol version 10");
  }
  return absl::OkStatus();
}

std::string_view SlotOutcomeName(SlotOutcome o) {
  switch (o) {
    case SlotOutcome::kWithdrawn:
      return "withdrawn";
    case SlotOutcome::kSkippedDeregistered:
      return "skipped_deregistered";
    case SlotOutcome::kSkippedZero:
      return "skipped_zero";
  }
  return "unknown";
}

size_t MinimumSignatures(const chain::NativeScript& script) {
  using T = chain::NativeScript::Type;
  switch (script.type) {
    case T::kSig:
      return 1;
    case T::kAll: {
      size_t n = 0;
      for (const auto& s : script.scripts) n += MinimumSignatures(s);
      return n;
    }
    case T::kAny: {
      if (script.scripts.empty()) return 0;
      size_t best = SIZE_MAX;
      for (const auto& s : script.scripts) best = std::min(best, MinimumSignatures(s));
      return best;
    }
    case T::kAtLeast: {
      std::vector<size_t> costs;
      for (const auto& s : script.scripts) costs.push_back(MinimumSignatures(s));
      std::sort(costs.begin(), costs.end());
      size_t n = 0;
      for (size_t i = 0; i < costs.size() && i < script.required; ++i) n += costs[i];
      return n;
    }
    case T::kInvalidBefore:
    case T::kInvalidHereafter:
      return 0;
  }
  return 0;
}

chain::Bytes ScriptRewardAccount(chain::Network network, const chain::NativeScript& stake_script) {
  chain::Hash28 h = chain::NativeScriptHash(stake_script);
  chain::Bytes out;
  out.reserve(29);
  out.push_back(static_cast<uint8_t>(0xF0 | static_cast<uint8_t>(network)));
  out.insert(out.end(), h.begin(), h.end());
  return out;
}

// The treasury UTxO transaction 0 spends: the carry's UTxO when there is a carry (it must be
// listed), else the first in canonical order.
absl::StatusOr<TreasuryUtxo> FirstTreasuryInput(const RewardBuildInput& in) {
  std::vector<TreasuryUtxo> utxos = in.treasury_utxos;
  std::sort(utxos.begin(), utxos.end(),
            [](const TreasuryUtxo& a, const TreasuryUtxo& b) { return a.input < b.input; });
  for (size_t i = 0; i < utxos.size(); ++i) {
    if (i > 0 && utxos[i - 1].input == utxos[i].input) {
      return absl::InvalidArgumentError("treasury UTxO listed twice");
    }
    if (auto st = CheckAmount(utxos[i].coin, "treasury UTxO"); !st.ok()) return st;
  }
  if (in.carry_in == Lovelace()) {
    if (utxos.empty()) {
      return absl::FailedPreconditionError(
          "reward withdrawal needs a treasury UTxO; the snapshot has none");
    }
    return utxos.front();
  }
  const chain::TxIn& want = *in.carry_input;
  for (const TreasuryUtxo& u : utxos) {
    if (u.input == want) return u;
  }
  return absl::FailedPreconditionError(
      absl::StrCat("the carried ", in.carry_in.value(), " lovelace is held in treasury UTxO ",
                   chain::HexEncode(want.tx_id), "#", want.index,
                   ", which the snapshot does not list: push a snapshot that has it unspent"));
}

absl::StatusOr<RewardProposal> BuildRewardProposal(const RewardBuildInput& in) {
  if (auto s = ValidateRouting(in); !s.ok()) return s;
  if (in.carry_in > Lovelace() && !in.carry_input.has_value()) {
    return absl::InvalidArgumentError(
        "a carry-in needs the treasury UTxO that holds it (the carrying proposal's output)");
  }
  if (in.carry_in == Lovelace() && in.carry_input.has_value()) {
    return absl::InvalidArgumentError("a carry UTxO is given without a carry-in");
  }

  RewardProposal p;
  p.epoch = in.epoch;
  p.carry_in = in.carry_in;

  // Validate every slot and compute its line, in slot order.
  std::vector<const SlotRewardState*> by_slot;
  for (const auto& s : in.slots) by_slot.push_back(&s);
  std::sort(by_slot.begin(), by_slot.end(),
            [](const SlotRewardState* a, const SlotRewardState* b) { return a->slot < b->slot; });
  std::set<chain::Bytes> accounts;
  std::vector<Candidate> candidates;
  for (size_t i = 0; i < by_slot.size(); ++i) {
    const SlotRewardState& s = *by_slot[i];
    if (i > 0 && by_slot[i - 1]->slot == s.slot) {
      return absl::InvalidArgumentError(absl::StrCat("slot ", s.slot, " appears twice"));
    }
    if (auto st = CheckAmount(s.reward_balance, "reward balance"); !st.ok()) return st;
    if (auto st = CheckAmount(s.staked_lovelace, "staked balance"); !st.ok()) return st;
    SlotRewardLine line;
    line.slot = s.slot;
    line.reward_account = ScriptRewardAccount(in.network, s.stake_script);
    if (!accounts.insert(line.reward_account).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("slot ", s.slot, " has the same stake script as another slot"));
    }
    if (!s.registered) {
      line.outcome = SlotOutcome::kSkippedDeregistered;
      line.reason = "stake credential not registered: no reward account to withdraw";
    } else if (s.reward_balance == Lovelace()) {
      line.outcome = SlotOutcome::kSkippedZero;
      line.reason = "reward account is empty";
    } else {
      if (auto st = CheckWithdrawalDelegation(chain::View(line.reward_account), s.drep_delegated,
                                              in.protocol_major);
          !st.ok()) {
        return st;
      }
      // commission_bps <= 10000 was checked above, so the commission never exceeds the balance.
      const Lovelace c = policy::SlotCommission(s.reward_balance, in.routing.commission_bps);
      line.rewards = s.reward_balance;
      line.commission = c;
      line.net = s.reward_balance - c;
      auto tr = Add(p.total_rewards, s.reward_balance, "total rewards");
      if (!tr.ok()) return tr.status();
      p.total_rewards = *tr;
      p.total_commission += c;
      candidates.push_back({&s, line.reward_account, c});
    }
    if (s.registered) {
      auto ts = Add(p.total_staked, s.staked_lovelace, "total staked");
      if (!ts.ok()) return ts.status();
      p.total_staked = *ts;
    }
    p.slots.push_back(std::move(line));
  }

  if (candidates.empty()) {
    p.carry_out = in.carry_in;
    p.carry_output = in.carry_input;  // the carry stays where it is
    p.summary = in.carry_in > Lovelace()
                    ? absl::StrCat("no rewards to withdraw; ", in.carry_in.value(),
                                   " lovelace stays carried for the bridge")
                    : "no rewards to withdraw";
    return p;
  }

  // Canonical order (reward account bytes) drives grouping, so grouping is deterministic.
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) { return a.account < b.account; });
  auto first = FirstTreasuryInput(in);
  if (!first.ok()) return first.status();

  TxAssembler assembler(in);
  if (auto st = assembler.Init(); !st.ok()) return st;

  // Transaction i + 1 spends transaction i's treasury output and carries what it carried.
  TreasuryUtxo utxo = *first;
  Lovelace carry = in.carry_in;
  size_t next = 0;
  while (next < candidates.size()) {
    std::vector<const Candidate*> group;
    std::optional<RewardTx> best;
    while (next < candidates.size()) {
      group.push_back(&candidates[next]);
      auto built = assembler.Build(group, utxo, carry);
      if (!built.ok()) return built.status();
      if (!built->fits) {
        group.pop_back();
        break;
      }
      best = std::move(built->tx);
      ++next;
    }
    if (!best) {
      return absl::FailedPreconditionError(
          "a single slot's withdrawal does not fit in the maximum transaction size");
    }
    utxo = TreasuryUtxo{chain::TxIn{chain::TxId(best->tx), 0}, best->treasury_out};
    carry = best->carry_out;
    p.txs.push_back(std::move(*best));
  }

  for (size_t i = 0; i < p.txs.size(); ++i) {
    const RewardTx& t = p.txs[i];
    for (uint32_t slot : t.slots) {
      for (auto& line : p.slots) {
        if (line.slot == slot) line.tx_index = static_cast<int>(i);
      }
    }
    p.total_fee += t.fee;
    p.total_fee_from_treasury += t.fee_from_treasury;
    p.total_bridged += t.bridged;
  }
  p.carry_out = p.txs.back().carry_out;
  if (p.carry_out > Lovelace()) p.carry_output = chain::TxIn{chain::TxId(p.txs.back().tx), 0};
  p.has_transactions = true;
  p.summary = absl::StrCat("withdraw ", p.total_rewards.value(), " lovelace from ",
                           candidates.size(), " slot(s) in ", p.txs.size(),
                           " transaction(s); commission ", p.total_commission.value(), ", fee ",
                           p.total_fee.value(), ", bridged ", p.total_bridged.value());
  if (p.carry_out > Lovelace()) {
    absl::StrAppend(&p.summary, ", carried ", p.carry_out.value(),
                    " (below the bridge minimum; kept at the treasury, owed to the bridge)");
  }
  return p;
}

}  // namespace stakeward::rewards
