#include "controller/build/migrate_builder.h"

#include <algorithm>
#include <map>
#include <optional>

#include "absl/strings/str_cat.h"
#include "chain/hash.h"
#include "chain/lovelace.h"
#include "chain/native_script.h"
#include "chain/tx.h"
#include "controller/build/proposal_builder.h"
#include "controller/build/tx_balance.h"
#include "policy/slot_scripts.h"

namespace stakeward::controller {
namespace {

using chain::Bytes;
using chain::Credential;
using chain::Hash28;
using chain::NativeScript;

using Coin = TreasuryCoin;

// One policy's scripts and addresses.
class Side {
 public:
  absl::Status Init(const policy::Policy& p) {
    policy_ = &p;
    absl::StatusOr<NativeScript> pay = policy::PaymentScript(p);
    if (!pay.ok()) return pay.status();
    payment_ = std::move(*pay);
    pay_cred_ = Credential{Credential::Kind::kScriptHash, chain::NativeScriptHash(payment_)};
    absl::StatusOr<chain::Address> t = policy::TreasuryAddress(p);
    if (!t.ok()) return t.status();
    treasury_ = t->ToBytes();
    return absl::OkStatus();
  }

  absl::StatusOr<const NativeScript*> Stake(uint32_t slot) {
    auto it = stake_.find(slot);
    if (it != stake_.end()) return &it->second;
    absl::StatusOr<NativeScript> s = policy::SlotStakeScript(*policy_, slot);
    if (!s.ok()) return s.status();
    return &stake_.emplace(slot, std::move(*s)).first->second;
  }
  absl::StatusOr<Credential> StakeCred(uint32_t slot) {
    absl::StatusOr<const NativeScript*> s = Stake(slot);
    if (!s.ok()) return s.status();
    return Credential{Credential::Kind::kScriptHash, chain::NativeScriptHash(**s)};
  }
  absl::StatusOr<Bytes> SlotAddress(uint32_t slot) {
    absl::StatusOr<Credential> c = StakeCred(slot);
    if (!c.ok()) return c.status();
    return chain::Address::Base(policy_->network, pay_cred_, *c).ToBytes();
  }
  // Index of `name` among the signers, or -1.
  int SignerIndex(const std::string& name) const {
    for (size_t j = 0; j < policy_->signers.size(); ++j) {
      if (policy_->signers[j].name == name) return static_cast<int>(j);
    }
    return -1;
  }

  const policy::Policy& policy() const { return *policy_; }
  const NativeScript& payment() const { return payment_; }
  const Bytes& treasury() const { return treasury_; }

 private:
  const policy::Policy* policy_ = nullptr;
  NativeScript payment_;
  Credential pay_cred_;
  Bytes treasury_;
  std::map<uint32_t, NativeScript> stake_;
};

class MigrateBuilder {
 public:
  explicit MigrateBuilder(const MigrateRequest& r) : r_(r) {}

  absl::Status Init() {
    if (r_.from->network != r_.to->network) {
      return absl::FailedPreconditionError("the two policies are for different networks");
    }
    if (absl::Status s = from_.Init(*r_.from); !s.ok()) return s;
    if (absl::Status s = to_.Init(*r_.to); !s.ok()) return s;
    if (chain::NativeScriptHash(from_.payment()) == chain::NativeScriptHash(to_.payment())) {
      return absl::FailedPreconditionError(
          "both policies have the same scripts: there is nothing to migrate");
    }
    for (const policy::Signer& s : r_.from->signers) {
      const int j = to_.SignerIndex(s.name);
      if (j >= 0 && !(r_.to->signers[static_cast<size_t>(j)].account_xpub == s.account_xpub)) {
        return absl::FailedPreconditionError(absl::StrCat(
            "signer ", s.name,
            " stays but changes account key: one device cannot sign for both "
            "keys; remove the signer in one version and add the new key under another name"));
      }
    }
    if (absl::Status s = policy::CheckSlotAddresses(*r_.from, *r_.snapshot); !s.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat("the snapshot's slots are not the outgoing policy's: ", s.message()));
    }
    const policy::Snapshot& snap = *r_.snapshot;
    fee_params_.min_fee_a = snap.params.min_fee_a;
    fee_params_.min_fee_b = snap.params.min_fee_b;
    fee_params_.coins_per_utxo_byte = snap.params.coins_per_utxo_byte;
    fee_params_.key_deposit = snap.params.key_deposit;
    fee_params_.max_tx_size = snap.params.max_tx_size;
    for (const policy::SlotState& s : snap.slots) {
      if (s.rewards > chain::Lovelace(0)) {
        return absl::FailedPreconditionError(absl::StrCat(
            "slot ", s.index, "'s reward account holds ", s.rewards.value(),
            " lovelace: withdraw it with the epoch's reward proposal first (a deregistration "
            "needs a zero balance)"));
      }
      if (!s.registered && s.utxos.empty()) continue;
      if (s.index >= r_.to->max_slots) {
        return absl::FailedPreconditionError(
            absl::StrCat("slot ", s.index, " holds funds but the incoming policy allows ",
                         r_.to->max_slots, " slots"));
      }
      slots_.push_back(&s);
    }
    for (const policy::Utxo& u : snap.treasury) {
      treasury_.push_back({{u.tx, u.index}, u.lovelace});
    }
    if (treasury_.empty()) {
      return absl::FailedPreconditionError(
          "the outgoing treasury has no UTxO to pay the migration's fees and deposits");
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::vector<ProposalTxRec>> Build() {
    const size_t total =
        std::max<size_t>(1, (slots_.size() + kSlotsPerMigrateTx - 1) / kSlotsPerMigrateTx);
    std::vector<ProposalTxRec> out;
    for (size_t t = 0; t < total; ++t) {
      const size_t a = t * kSlotsPerMigrateTx;
      const size_t b = std::min(slots_.size(), a + kSlotsPerMigrateTx);
      std::vector<const policy::SlotState*> chunk(slots_.begin() + static_cast<long>(a),
                                                  slots_.begin() + static_cast<long>(b));
      absl::StatusOr<ProposalTxRec> tx =
          BuildOne(static_cast<uint32_t>(t), static_cast<uint32_t>(total), chunk);
      if (!tx.ok()) return tx.status();
      out.push_back(std::move(*tx));
    }
    return out;
  }

 private:
  chain::Metadata MakeMetadata(uint32_t index, uint32_t total) const {
    chain::Metadatum msg;
    msg.kind = chain::Metadatum::Kind::kList;
    msg.list.push_back(
        chain::Metadatum::Text(absl::StrCat("Stakeward migrate ", r_.proposal_id.substr(0, 40))));
    msg.list.push_back(chain::Metadatum::Text(absl::StrCat("tx ", index + 1, " of ", total)));
    msg.list.push_back(chain::Metadatum::Text("from policy hash"));
    msg.list.push_back(chain::Metadatum::Text(chain::HexEncode(r_.from_hash)));
    msg.list.push_back(chain::Metadatum::Text("to policy hash"));
    msg.list.push_back(chain::Metadatum::Text(chain::HexEncode(r_.to_hash)));
    return Cip20Message(std::move(msg), r_.anchor);
  }

  // Certificates, inputs and outputs of the slots in `chunk`.
  absl::Status AddSlots(const std::vector<const policy::SlotState*>& chunk, chain::TxBody& body,
                        std::vector<Coin>& inputs, std::vector<chain::TxOut>& outs,
                        std::vector<uint32_t>& stake_slots) {
    for (const policy::SlotState* s : chunk) {
      if (s->registered) {
        absl::StatusOr<Credential> old_cred = from_.StakeCred(s->index);
        absl::StatusOr<Credential> new_cred = to_.StakeCred(s->index);
        if (!old_cred.ok()) return old_cred.status();
        if (!new_cred.ok()) return new_cred.status();
        const chain::Lovelace held = r_.snapshot->HeldDeposit(*s);
        body.certificates.push_back(chain::Certificate::Unregistration(*old_cred, held));
        std::optional<chain::Lovelace> sum = chain::CheckedAdd(held_refunds_, held);
        if (!sum) return absl::FailedPreconditionError("refunds overflow");
        held_refunds_ = *sum;
        body.certificates.push_back(
            chain::Certificate::Registration(*new_cred, fee_params_.key_deposit));
        if (s->pool) {
          body.certificates.push_back(chain::Certificate::StakeDelegation(*new_cred, *s->pool));
        }
        body.certificates.push_back(
            chain::Certificate::VoteDelegation(*new_cred, ToChainDRep(r_.to->drep)));
        stake_slots.push_back(s->index);
      }
      if (s->utxos.empty()) continue;
      chain::Lovelace balance;
      for (const policy::Utxo& u : s->utxos) {
        std::optional<chain::Lovelace> sum = chain::CheckedAdd(balance, u.lovelace);
        if (!sum) return absl::FailedPreconditionError("slot balance overflows");
        balance = *sum;
        inputs.push_back({{u.tx, u.index}, u.lovelace});
      }
      absl::StatusOr<Bytes> to_addr = to_.SlotAddress(s->index);
      if (!to_addr.ok()) return to_addr.status();
      chain::TxOut o;
      o.address = *to_addr;
      o.coin = balance;
      absl::StatusOr<chain::Lovelace> min = chain::MinUtxo(o, fee_params_);
      if (!min.ok()) return min.status();
      if (o.coin < *min) {
        return absl::FailedPreconditionError(
            absl::StrCat("slot ", s->index, " holds ", o.coin.value(),
                         " lovelace, below the minimum UTxO ", min->value()));
      }
      outs.push_back(std::move(o));
    }
    return absl::OkStatus();
  }

  // Who signs with what. Outgoing signers: payment key and the old stake key of every slot whose
  // credential changes; incoming signers: the new stake keys (the same key for a signer who
  // stays, since the account key may not change).
  absl::StatusOr<std::vector<RequiredSignerRec>> Required(const std::vector<uint32_t>& slots) {
    std::vector<RequiredSignerRec> out;
    const std::vector<Hash28> pay = chain::NativeScriptKeyHashes(from_.payment());
    auto stake_key = [&](Side& side, uint32_t slot, size_t j) -> absl::StatusOr<Hash28> {
      absl::StatusOr<const NativeScript*> s = side.Stake(slot);
      if (!s.ok()) return s.status();
      const std::vector<Hash28> keys = chain::NativeScriptKeyHashes(**s);
      if (j >= keys.size()) return absl::InternalError("stake script key count");
      return keys[j];
    };
    auto add_key = [](RequiredSignerRec& rs, const Hash28& h, std::string path) {
      for (const SignerKeyRec& k : rs.keys) {
        if (k.key_hash == h) return;
      }
      rs.keys.push_back({h, std::move(path)});
    };
    for (size_t j = 0; j < r_.from->signers.size(); ++j) {
      RequiredSignerRec rs;
      rs.signer = r_.from->signers[j].name;
      if (j >= pay.size()) return absl::InternalError("payment script key count");
      rs.keys.push_back({pay[j], PaymentKeyPath()});
      const int k = to_.SignerIndex(rs.signer);
      for (uint32_t s : slots) {
        absl::StatusOr<Hash28> h = stake_key(from_, s, j);
        if (!h.ok()) return h.status();
        add_key(rs, *h, StakeKeyPath(s));
        if (k < 0) continue;
        absl::StatusOr<Hash28> hn = stake_key(to_, s, static_cast<size_t>(k));
        if (!hn.ok()) return hn.status();
        add_key(rs, *hn, StakeKeyPath(s));
      }
      out.push_back(std::move(rs));
    }
    if (slots.empty()) return out;
    for (size_t k = 0; k < r_.to->signers.size(); ++k) {
      if (from_.SignerIndex(r_.to->signers[k].name) >= 0) continue;
      RequiredSignerRec rs;
      rs.signer = r_.to->signers[k].name;
      for (uint32_t s : slots) {
        absl::StatusOr<Hash28> h = stake_key(to_, s, k);
        if (!h.ok()) return h.status();
        add_key(rs, *h, StakeKeyPath(s));
      }
      out.push_back(std::move(rs));
    }
    return out;
  }

  absl::StatusOr<ProposalTxRec> BuildOne(uint32_t index, uint32_t total,
                                         const std::vector<const policy::SlotState*>& chunk) {
    const bool last = index + 1 == total;
    chain::TxBody body;
    body.ttl = r_.ttl;
    std::vector<Coin> inputs;
    std::vector<chain::TxOut> fixed_outs;
    std::vector<uint32_t> stake_slots;
    held_refunds_ = chain::Lovelace(0);
    if (absl::Status s = AddSlots(chunk, body, inputs, fixed_outs, stake_slots); !s.ok()) return s;
    const std::optional<uint64_t> deposits =
        chain::CheckedMul(fee_params_.key_deposit.value(), stake_slots.size());
    if (!deposits) return absl::FailedPreconditionError("deposits overflow");
    // One deregistration per registration: each refunds what its old credential holds.
    const chain::Lovelace refunds = held_refunds_;

    std::vector<NativeScript> scripts = {from_.payment()};
    for (Side* side : {&from_, &to_}) {
      for (uint32_t s : stake_slots) {
        absl::StatusOr<const NativeScript*> ss = side->Stake(s);
        if (!ss.ok()) return ss.status();
        scripts.push_back(**ss);
      }
    }
    // Upper bound of what the assembler includes (witness_check.h): at most M signers helping
    // the outgoing scripts plus M' helping the incoming ones, each with at most 1 + n keys.
    const size_t witnesses = (r_.from->threshold + r_.to->threshold) * (1 + stake_slots.size());
    absl::StatusOr<Bytes> aux = chain::EncodeAuxData(MakeMetadata(index, total));
    if (!aux.ok()) return aux.status();
    body.aux_data_hash = chain::Blake2b256(chain::View(*aux));

    SortLargestFirst(treasury_);
    BalanceRequest br;
    br.body = body;
    br.inputs = inputs;
    br.extra_in = refunds;
    br.deposits = chain::Lovelace(*deposits);
    br.fixed_outs = fixed_outs;
    br.treasury = treasury_;
    // The last transaction empties the old treasury into the new one; earlier ones pass their
    // change on as the next one's treasury coin.
    br.first_take = last ? treasury_.size() : 1;
    br.change_address = last ? to_.treasury() : from_.treasury();
    br.aux = *aux;
    br.witnesses = witnesses;
    br.scripts = &scripts;
    br.name = absl::StrCat("migration transaction ", index + 1);
    absl::StatusOr<Balanced> bal = BalanceWithTreasury(br, fee_params_);
    if (!bal.ok()) return bal.status();
    const chain::TxBody& built = bal->tx.body;
    ProposalTxRec rec;
    rec.idx = index;
    rec.unsigned_tx = chain::EncodeTransaction(bal->tx);
    rec.tx_id = chain::TxId(bal->tx);
    rec.fee = bal->fee;
    rec.scripts = std::move(scripts);
    rec.inputs = built.inputs;
    absl::StatusOr<std::vector<RequiredSignerRec>> req = Required(stake_slots);
    if (!req.ok()) return req.status();
    rec.required = std::move(*req);
    treasury_.erase(treasury_.begin(), treasury_.begin() + static_cast<long>(bal->taken));
    if (!last) {  // the change is the next transaction's treasury coin
      treasury_.push_back(
          {{rec.tx_id, static_cast<uint32_t>(built.outputs.size() - 1)}, bal->change});
    }
    return rec;
  }

  const MigrateRequest& r_;
  Side from_, to_;
  chain::FeeParams fee_params_;
  chain::Lovelace held_refunds_;  // deposits the chunk's deregistrations refund (AddSlots)
  std::vector<const policy::SlotState*> slots_;
  std::vector<Coin> treasury_;
};

}  // namespace

absl::StatusOr<std::vector<ProposalTxRec>> BuildMigrateTxs(const MigrateRequest& req) {
  if (req.from == nullptr || req.to == nullptr || req.snapshot == nullptr) {
    return absl::InvalidArgumentError("both policies and the snapshot are required");
  }
  if (req.ttl <= req.snapshot->slot) {
    return absl::InvalidArgumentError("the TTL must be after the snapshot slot");
  }
  MigrateBuilder b(req);
  if (absl::Status s = b.Init(); !s.ok()) return s;
  return b.Build();
}

chain::Hash32 MigratePlanHash(const chain::Hash32& to_hash, const std::vector<ProposalTxRec>& txs) {
  constexpr std::string_view kTag = "stakeward-migrate";
  chain::Bytes buf(kTag.begin(), kTag.end());
  buf.insert(buf.end(), to_hash.begin(), to_hash.end());
  for (const ProposalTxRec& t : txs) buf.insert(buf.end(), t.tx_id.begin(), t.tx_id.end());
  return chain::Blake2b256(chain::View(buf));
}

absl::StatusOr<bool> SameScripts(const policy::Policy& a, const policy::Policy& b) {
  absl::StatusOr<NativeScript> pa = policy::PaymentScript(a);
  if (!pa.ok()) return pa.status();
  absl::StatusOr<NativeScript> pb = policy::PaymentScript(b);
  if (!pb.ok()) return pb.status();
  return chain::NativeScriptHash(*pa) == chain::NativeScriptHash(*pb);
}

}  // namespace stakeward::controller
