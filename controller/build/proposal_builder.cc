#include "controller/build/proposal_builder.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "chain/check.h"
#include "chain/hash.h"
#include "chain/lovelace.h"
#include "chain/native_script.h"
#include "chain/status_macros.h"
#include "chain/tx.h"
#include "controller/build/tx_balance.h"
#include "controller/model/audit_anchor.h"
#include "policy/slot_scripts.h"

namespace stakeward::controller {
namespace {

using chain::Bytes;
using chain::Credential;
using chain::Hash28;
using chain::NativeScript;

using Coin = TreasuryCoin;

// Address bytes -> UTxOs at it still unspent by this proposal.
using UtxoPool = std::map<Bytes, std::vector<Coin>>;

class Builder {
 public:
  Builder(const BuildRequest& r, const chain::Hash32& plan_hash) : r_(r), plan_hash_(plan_hash) {}

  absl::Status Init() {
    absl::StatusOr<NativeScript> p = policy::PaymentScript(*r_.policy);
    if (!p.ok()) return p.status();
    payment_ = std::move(*p);
    payment_cred_ = Credential{Credential::Kind::kScriptHash, chain::NativeScriptHash(payment_)};
    absl::StatusOr<chain::Address> treasury = policy::TreasuryAddress(*r_.policy);
    if (!treasury.ok()) return treasury.status();
    treasury_addr_ = treasury->ToBytes();
    fee_params_.min_fee_a = r_.snapshot->params.min_fee_a;
    fee_params_.min_fee_b = r_.snapshot->params.min_fee_b;
    fee_params_.coins_per_utxo_byte = r_.snapshot->params.coins_per_utxo_byte;
    fee_params_.key_deposit = r_.snapshot->params.key_deposit;
    fee_params_.max_tx_size = r_.snapshot->params.max_tx_size;
    for (const policy::Utxo& u : r_.snapshot->treasury) {
      pool_[treasury_addr_].push_back({{u.tx, u.index}, u.lovelace});
    }
    for (const policy::SlotState& s : r_.snapshot->slots) {
      absl::StatusOr<Bytes> addr = SlotAddress(s.index);
      if (!addr.ok()) return addr.status();
      for (const policy::Utxo& u : s.utxos) {
        pool_[*addr].push_back({{u.tx, u.index}, u.lovelace});
      }
    }
    return absl::OkStatus();
  }

  absl::StatusOr<chain::Lovelace> HeldDeposit(uint32_t slot) const {
    for (const policy::SlotState& s : r_.snapshot->slots) {
      if (s.index == slot && s.registered) return r_.snapshot->HeldDeposit(s);
    }
    return absl::FailedPreconditionError(
        absl::StrCat("slot ", slot, " is not registered in the snapshot: nothing to deregister"));
  }

  absl::StatusOr<std::vector<ProposalTxRec>> Build() {
    std::vector<ProposalTxRec> out;
    const uint32_t n = static_cast<uint32_t>(r_.plan->txs.size());
    for (uint32_t t = 0; t < n; ++t) {
      std::vector<const policy::Action*> actions;
      for (const policy::Action& a : r_.plan->actions) {
        if (a.tx == t) actions.push_back(&a);
      }
      if (actions.empty()) continue;
      absl::StatusOr<ProposalTxRec> tx = BuildOne(static_cast<uint32_t>(out.size()), t, n, actions);
      if (!tx.ok()) return tx.status();
      out.push_back(std::move(*tx));
    }
    for (const policy::Action& a : r_.plan->actions) {
      if (a.tx >= n)
        return absl::FailedPreconditionError("plan action names a missing transaction");
    }
    return out;
  }

 private:
  absl::StatusOr<const NativeScript*> StakeScript(uint32_t slot) {
    auto it = stake_.find(slot);
    if (it != stake_.end()) return &it->second;
    absl::StatusOr<NativeScript> s = policy::SlotStakeScript(*r_.policy, slot);
    if (!s.ok()) return s.status();
    return &stake_.emplace(slot, std::move(*s)).first->second;
  }

  absl::StatusOr<Credential> StakeCred(uint32_t slot) {
    absl::StatusOr<const NativeScript*> s = StakeScript(slot);
    if (!s.ok()) return s.status();
    return Credential{Credential::Kind::kScriptHash, chain::NativeScriptHash(**s)};
  }

  absl::StatusOr<Bytes> SlotAddress(uint32_t slot) {
    absl::StatusOr<Credential> c = StakeCred(slot);
    if (!c.ok()) return c.status();
    return chain::Address::Base(r_.policy->network, payment_cred_, *c).ToBytes();
  }

  chain::Metadata MakeMetadata(uint32_t index, uint32_t total) const {
    chain::Metadatum msg;
    msg.kind = chain::Metadatum::Kind::kList;
    msg.list.push_back(
        chain::Metadatum::Text(absl::StrCat("Stakeward proposal ", r_.proposal_id.substr(0, 40))));
    msg.list.push_back(chain::Metadatum::Text(absl::StrCat("tx ", index + 1, " of ", total)));
    msg.list.push_back(chain::Metadatum::Text("plan hash"));
    msg.list.push_back(chain::Metadatum::Text(chain::HexEncode(plan_hash_)));
    msg.list.push_back(chain::Metadatum::Text("policy hash"));
    msg.list.push_back(chain::Metadatum::Text(chain::HexEncode(r_.plan->policy_hash)));
    return Cip20Message(std::move(msg), r_.anchor);
  }

  // Takes every UTxO at `addr` (a source slot spends all it holds).
  std::vector<Coin> TakeAll(const Bytes& addr) {
    auto it = pool_.find(addr);
    if (it == pool_.end()) return {};
    std::vector<Coin> out = std::move(it->second);
    pool_.erase(it);
    return out;
  }

  absl::StatusOr<ProposalTxRec> BuildOne(uint32_t index, uint32_t plan_tx, uint32_t total,
                                         const std::vector<const policy::Action*>& actions) {
    chain::TxBody body;
    body.ttl = r_.ttl;
    std::set<uint32_t> stake_slots;                   // slots whose stake script must be satisfied
    std::map<uint32_t, chain::Lovelace> out_of_slot;  // lovelace leaving each source slot
    std::vector<chain::TxOut> transfer_outs;
    chain::Lovelace deposits, refunds, withdrawn;
    for (const policy::Action* a : actions) {
      absl::StatusOr<Credential> cred = StakeCred(a->slot);
      if (!cred.ok()) return cred.status();
      switch (a->type) {
        case policy::ActionType::kRegister: {
          body.certificates.push_back(
              chain::Certificate::Registration(*cred, fee_params_.key_deposit));
          SW_ASSIGN_OR_RETURN(deposits,
                              chain::AddLovelace(deposits, fee_params_.key_deposit, "deposits"));
          stake_slots.insert(a->slot);
          break;
        }
        case policy::ActionType::kDelegatePool:
          if (!a->pool) return absl::FailedPreconditionError("delegation action without a pool");
          body.certificates.push_back(chain::Certificate::StakeDelegation(*cred, *a->pool));
          stake_slots.insert(a->slot);
          break;
        case policy::ActionType::kDelegateDRep: {
          if (!a->drep) return absl::FailedPreconditionError("DRep action without a DRep");
          body.certificates.push_back(
              chain::Certificate::VoteDelegation(*cred, ToChainDRep(*a->drep)));
          stake_slots.insert(a->slot);
          break;
        }
        case policy::ActionType::kDeregister: {
          // The refund is the deposit the credential holds, which the ledger checks.
          absl::StatusOr<chain::Lovelace> held = HeldDeposit(a->slot);
          if (!held.ok()) return held.status();
          if (a->amount != *held) {
            return absl::FailedPreconditionError(
                absl::StrCat("the plan refunds ", a->amount.value(), " lovelace for slot ", a->slot,
                             " but its credential holds ", held->value()));
          }
          body.certificates.push_back(chain::Certificate::Unregistration(*cred, *held));
          SW_ASSIGN_OR_RETURN(refunds, chain::AddLovelace(refunds, *held, "refunds"));
          stake_slots.insert(a->slot);
          break;
        }
        case policy::ActionType::kWithdraw: {
          if (a->amount > chain::Lovelace()) {
            body.withdrawals.push_back(
                {chain::Address::Reward(r_.policy->network, *cred).ToBytes(), a->amount});
            SW_ASSIGN_OR_RETURN(withdrawn, chain::AddLovelace(withdrawn, a->amount, "withdrawals"));
            stake_slots.insert(a->slot);
          }
          break;
        }
        case policy::ActionType::kTransfer: {
          absl::StatusOr<Bytes> to = SlotAddress(a->to_slot);
          if (!to.ok()) return to.status();
          chain::TxOut o;
          o.address = *to;
          o.coin = a->amount;
          transfer_outs.push_back(std::move(o));
          std::optional<chain::Lovelace> sum = chain::CheckedAdd(out_of_slot[a->slot], o.coin);
          if (!sum) return absl::FailedPreconditionError("transfer amounts overflow");
          out_of_slot[a->slot] = *sum;
          break;
        }
      }
    }
    std::sort(body.withdrawals.begin(), body.withdrawals.end(),
              [](const chain::Withdrawal& x, const chain::Withdrawal& y) {
                return x.reward_account < y.reward_account;
              });
    // Source slots: spend all their UTxOs, send the remainder back to the slot.
    std::vector<Coin> inputs;
    std::vector<chain::TxOut> remainder_outs;
    for (const auto& [slot, leaving] : out_of_slot) {
      absl::StatusOr<Bytes> addr = SlotAddress(slot);
      if (!addr.ok()) return addr.status();
      std::vector<Coin> coins = TakeAll(*addr);
      if (coins.empty()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "slot ", slot, " has no known UTxOs to transfer from (the snapshot must list them)"));
      }
      chain::Lovelace have;
      for (const Coin& c : coins) {
        std::optional<chain::Lovelace> s = chain::CheckedAdd(have, c.lovelace);
        if (!s) return absl::FailedPreconditionError("slot balance overflows");
        have = *s;
      }
      if (have < leaving) {
        return absl::FailedPreconditionError(absl::StrCat("slot ", slot, " holds ", have.value(),
                                                          " lovelace but the plan moves ",
                                                          leaving.value()));
      }
      inputs.insert(inputs.end(), coins.begin(), coins.end());
      if (have > leaving) {
        chain::TxOut o;
        o.address = *addr;
        o.coin = have - leaving;
        remainder_outs.push_back(std::move(o));
      }
    }
    std::vector<chain::TxOut> fixed_outs = transfer_outs;
    fixed_outs.insert(fixed_outs.end(), remainder_outs.begin(), remainder_outs.end());
    for (const chain::TxOut& o : fixed_outs) {
      absl::StatusOr<chain::Lovelace> min = chain::MinUtxo(o, fee_params_);
      if (!min.ok()) return min.status();
      if (o.coin < *min) {
        return absl::FailedPreconditionError(absl::StrCat(
            "an output of ", o.coin.value(), " lovelace is below the minimum UTxO ", min->value()));
      }
    }

    // Scripts and the witnesses they need.
    std::vector<NativeScript> scripts = {payment_};
    for (uint32_t s : stake_slots) {
      absl::StatusOr<const NativeScript*> ss = StakeScript(s);
      if (!ss.ok()) return ss.status();
      scripts.push_back(**ss);
    }
    const size_t witnesses = r_.policy->threshold * (1 + stake_slots.size());

    // Aux data first: its hash goes into the body.
    absl::StatusOr<Bytes> aux = chain::EncodeAuxData(MakeMetadata(index, total));
    if (!aux.ok()) return aux.status();
    body.aux_data_hash = chain::Blake2b256(chain::View(*aux));

    // Treasury coins, largest first (ties by id), added until the change covers fee and minimum.
    std::vector<Coin>& treasury = pool_[treasury_addr_];
    SortLargestFirst(treasury);
    const std::optional<chain::Lovelace> extra_in = chain::CheckedAdd(withdrawn, refunds);
    if (!extra_in) return absl::FailedPreconditionError("amounts overflow");
    BalanceRequest br;
    br.body = body;
    br.inputs = inputs;
    br.extra_in = *extra_in;
    br.deposits = deposits;
    br.fixed_outs = fixed_outs;
    br.treasury = treasury;
    br.first_take = 1;  // the change goes back to the treasury: spend at least one of its coins
    br.change_address = treasury_addr_;
    br.aux = *aux;
    br.witnesses = witnesses;
    br.scripts = &scripts;
    br.name = absl::StrCat("transaction ", index + 1);
    absl::StatusOr<Balanced> bal = BalanceWithTreasury(br, fee_params_);
    if (!bal.ok()) return bal.status();
    const chain::TxBody& built = bal->tx.body;
    ProposalTxRec rec;
    rec.idx = index;
    rec.unsigned_tx = chain::EncodeTransaction(bal->tx);
    rec.tx_id = chain::TxId(bal->tx);
    rec.fee = bal->fee;
    rec.scripts = scripts;
    rec.inputs = built.inputs;
    // Who signs with what: signer j's payment key and stake key of every involved slot.
    const std::vector<Hash28> pay_keys = chain::NativeScriptKeyHashes(payment_);
    SW_CHECK(pay_keys.size() == r_.policy->signers.size());
    for (size_t j = 0; j < r_.policy->signers.size(); ++j) {
      RequiredSignerRec rs;
      rs.signer = r_.policy->signers[j].name;
      rs.keys.push_back({pay_keys[j], PaymentKeyPath()});
      for (uint32_t s : stake_slots) {
        const std::vector<Hash28> keys = chain::NativeScriptKeyHashes(stake_.at(s));
        SW_CHECK(keys.size() == r_.policy->signers.size());
        rs.keys.push_back({keys[j], StakeKeyPath(s)});
      }
      rec.required.push_back(std::move(rs));
    }
    // Later transactions of this proposal may spend this one's outputs.
    const chain::Hash32 id = rec.tx_id;
    treasury.erase(treasury.begin(), treasury.begin() + static_cast<long>(bal->taken));
    for (size_t o = 0; o < built.outputs.size(); ++o) {
      pool_[built.outputs[o].address].push_back(
          {{id, static_cast<uint32_t>(o)}, built.outputs[o].coin});
    }
    (void)plan_tx;
    return rec;
  }

  const BuildRequest& r_;
  const chain::Hash32 plan_hash_;
  NativeScript payment_;
  Credential payment_cred_;
  Bytes treasury_addr_;
  chain::FeeParams fee_params_;
  std::map<uint32_t, NativeScript> stake_;
  UtxoPool pool_;
};

}  // namespace

chain::Metadata Cip20Message(chain::Metadatum lines, const AuditAnchor& anchor) {
  AppendAnchorLines(anchor, lines.list);
  chain::Metadatum root;
  root.kind = chain::Metadatum::Kind::kMap;
  root.map.emplace_back(chain::Metadatum::Text("msg"), std::move(lines));
  chain::Metadata md;
  md[kCip20Label] = std::move(root);
  return md;
}

chain::DRep ToChainDRep(const policy::DRepChoice& d) {
  chain::DRep out;
  switch (d.kind) {
    case policy::DRepChoice::Kind::kAbstain:
      out.kind = chain::DRep::Kind::kAlwaysAbstain;
      break;
    case policy::DRepChoice::Kind::kNoConfidence:
      out.kind = chain::DRep::Kind::kNoConfidence;
      break;
    case policy::DRepChoice::Kind::kDRep:
      out.kind = d.drep.kind == Credential::Kind::kKeyHash ? chain::DRep::Kind::kKeyHash
                                                           : chain::DRep::Kind::kScriptHash;
      out.hash = d.drep.hash;
      break;
  }
  return out;
}

std::string PaymentKeyPath() { return "m/1854'/1815'/0'/0/0"; }
std::string StakeKeyPath(uint32_t slot) { return absl::StrCat("m/1854'/1815'/0'/2/", slot); }

absl::StatusOr<std::vector<ProposalTxRec>> BuildProposalTxs(const BuildRequest& req) {
  if (req.policy == nullptr || req.snapshot == nullptr || req.plan == nullptr) {
    return absl::InvalidArgumentError("policy, snapshot and plan are required");
  }
  if (req.ttl <= req.snapshot->slot) {
    return absl::InvalidArgumentError("the TTL must be after the snapshot slot");
  }
  Builder b(req, policy::PlanHash(*req.plan));
  if (absl::Status s = b.Init(); !s.ok()) return s;
  return b.Build();
}

}  // namespace stakeward::controller
