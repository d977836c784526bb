// One field of the proposal's first transaction changed (body re-encoded, transaction id, fee
// and chained inputs updated, a reward proposal's plan hash recomputed), or one native script or
// required-signer entry of the proposal message changed.
#include "absl/strings/str_cat.h"
#include "chain/check.h"
#include "tests/integration/trust/rows.h"

namespace stakeward::controller::testing {
namespace {

using BodyEdit = std::function<void(chain::TxBody*, size_t)>;
using CountOf = std::function<size_t(const chain::TxBody&)>;

// One variant per element of the first transaction's body (count() of them), each with `edit`
// applied to that element.
std::function<std::vector<Variant>(const RecordedRound&)> EachElement(std::string what,
                                                                      CountOf count,
                                                                      BodyEdit edit) {
  return [what, count, edit](const RecordedRound& h) {
    std::vector<Variant> out;
    const chain::Transaction tx = DecodeTx(h.proposal, 0);
    for (size_t k = 0; k < count(tx.body); ++k) {
      RecordedRound r = h;
      chain::TxBody body = tx.body;
      edit(&body, k);
      ReplaceTx(&r.proposal, 0, std::move(body), tx.aux_data);
      out.push_back(Variant{absl::StrCat(what, " ", k + 1, " of ", count(tx.body)), std::move(r)});
    }
    return out;
  };
}

CountOf Single() {
  return [](const chain::TxBody&) { return size_t{1}; };
}

// The first text found (depth first) gets another character.
bool ChangeFirstText(chain::Metadatum* m) {
  using K = chain::Metadatum::Kind;
  if (m->kind == K::kText && !m->text.empty()) {
    m->text.back() = m->text.back() == 'x' ? 'y' : 'x';
    return true;
  }
  for (chain::Metadatum& e : m->list) {
    if (ChangeFirstText(&e)) return true;
  }
  for (auto& [k, v] : m->map) {
    if (ChangeFirstText(&v)) return true;
  }
  return false;
}

std::function<std::vector<Variant>(const RecordedRound&)> EachProposalEdit(
    std::vector<std::pair<std::string, std::function<bool(v1::ProposalTx*)>>> edits) {
  return [edits](const RecordedRound& h) {
    std::vector<Variant> out;
    for (const auto& [what, edit] : edits) {
      RecordedRound r = h;
      if (edit(r.proposal.mutable_txs(0))) out.push_back(Variant{what, std::move(r)});
    }
    return out;
  };
}

void AddBodyRows(RoundKind kind, const std::string& suffix, std::vector<Row>* rows) {
  auto add = [&](const std::string& name,
                 std::function<std::vector<Variant>(const RecordedRound&)> make) {
    rows->push_back(Row{name + suffix, kind, false, std::move(make)});
  };
  add("TxInput", EachElement(
                     "input (another UTxO)", [](const chain::TxBody& b) { return b.inputs.size(); },
                     [](chain::TxBody* b, size_t k) { b->inputs[k].tx_id[5] ^= 0x40; }));
  add("TxInputIndex",
      EachElement(
          "input (another output index)", [](const chain::TxBody& b) { return b.inputs.size(); },
          [](chain::TxBody* b, size_t k) { b->inputs[k].index += 1; }));
  add("TxOutputAddress",
      EachElement(
          "output address", [](const chain::TxBody& b) { return b.outputs.size(); },
          [](chain::TxBody* b, size_t k) { b->outputs[k].address.back() ^= 0x01; }));
  add("TxOutputAmount",
      EachElement(
          "output amount", [](const chain::TxBody& b) { return b.outputs.size(); },
          [](chain::TxBody* b, size_t k) { b->outputs[k].coin += chain::Lovelace(1000000); }));
  add("TxFee", EachElement("fee", Single(),
                           [](chain::TxBody* b, size_t) { b->fee += chain::Lovelace(1000); }));
  add("TxTtl", EachElement("ttl", Single(), [](chain::TxBody* b, size_t) {
        SW_CHECK(b->ttl.has_value());
        *b->ttl += 86400;
      }));
  add("TxAuxDataHash", EachElement("auxiliary data hash", Single(), [](chain::TxBody* b, size_t) {
        SW_CHECK(b->aux_data_hash.has_value());
        (*b->aux_data_hash)[0] ^= 0x80;
      }));
  add("TxMetadata", [](const RecordedRound& h) {
    RecordedRound r = h;
    bool changed = false;
    EditMetadata(&r.proposal, 0, [&](chain::Metadata* md) {
      for (auto& [label, m] : *md) {
        if (!changed) changed = ChangeFirstText(&m);
      }
    });
    SW_CHECK(changed);
    std::vector<Variant> out;
    out.push_back(Variant{"a metadata text (aux data hash recomputed)", std::move(r)});
    return out;
  });
  add("NativeScripts",
      EachProposalEdit({{"last native script dropped",
                         [](v1::ProposalTx* t) {
                           if (t->native_scripts_size() == 0) return false;
                           t->mutable_native_scripts()->RemoveLast();
                           return true;
                         }},
                        {"first native script replaced by the last", [](v1::ProposalTx* t) {
                           if (t->native_scripts_size() < 2) return false;
                           *t->mutable_native_scripts(0) =
                               t->native_scripts(t->native_scripts_size() - 1);
                           return true;
                         }}}));
  add("RequiredSigners",
      EachProposalEdit({{"alice's first key path moved to another key",
                         [](v1::ProposalTx* t) {
                           for (v1::RequiredSigner& rs : *t->mutable_required_signers()) {
                             if (rs.signer() != "alice" || rs.keys_size() == 0) continue;
                             rs.mutable_keys(0)->set_path("m/1854'/1815'/0'/0/7");
                             return true;
                           }
                           return false;
                         }},
                        {"alice's last key path changed to a stake key path",
                         [](v1::ProposalTx* t) {
                           for (v1::RequiredSigner& rs : *t->mutable_required_signers()) {
                             if (rs.signer() != "alice" || rs.keys_size() == 0) continue;
                             rs.mutable_keys(rs.keys_size() - 1)->set_path("m/1854'/1815'/0'/2/77");
                             return true;
                           }
                           return false;
                         }},
                        {"alice's first key hash changed",
                         [](v1::ProposalTx* t) {
                           for (v1::RequiredSigner& rs : *t->mutable_required_signers()) {
                             if (rs.signer() != "alice" || rs.keys_size() == 0) continue;
                             std::string kh = rs.keys(0).key_hash();
                             if (kh.empty()) return false;
                             kh[0] = static_cast<char>(kh[0] ^ 0x01);
                             rs.mutable_keys(0)->set_key_hash(kh);
                             return true;
                           }
                           return false;
                         }},
                        {"alice's entry dropped", [](v1::ProposalTx* t) {
                           for (int i = 0; i < t->required_signers_size(); ++i) {
                             if (t->required_signers(i).signer() != "alice") continue;
                             t->mutable_required_signers()->DeleteSubrange(i, 1);
                             return true;
                           }
                           return false;
                         }}}));
}

}  // namespace

std::vector<Row> TxFieldRows() {
  std::vector<Row> rows;
  AddBodyRows(RoundKind::kRebalance, "", &rows);
  AddBodyRows(RoundKind::kReward, "_Reward", &rows);
  rows.push_back(
      Row{"TxCertificate", RoundKind::kRebalance, false,
          EachElement(
              "certificate", [](const chain::TxBody& b) { return b.certificates.size(); },
              [](chain::TxBody* b, size_t k) {
                chain::Certificate& c = b->certificates[k];
                using T = chain::Certificate::Type;
                if (c.type == T::kStakeDelegation || c.type == T::kStakeVoteDelegCert ||
                    c.type == T::kStakeRegDelegCert || c.type == T::kStakeVoteRegDelegCert) {
                  c.pool[3] ^= 0x10;
                } else {
                  c.credential.hash[3] ^= 0x10;
                }
              })});
  rows.push_back(
      Row{"TxCertificateCredential", RoundKind::kRebalance, false,
          EachElement(
              "certificate stake credential",
              [](const chain::TxBody& b) { return b.certificates.size(); },
              [](chain::TxBody* b, size_t k) { b->certificates[k].credential.hash[7] ^= 0x02; })});
  rows.push_back(
      Row{"TxWithdrawalAmount", RoundKind::kReward, false,
          EachElement(
              "withdrawal amount", [](const chain::TxBody& b) { return b.withdrawals.size(); },
              [](chain::TxBody* b, size_t k) { b->withdrawals[k].coin += chain::Lovelace(1); })});
  rows.push_back(Row{
      "TxWithdrawalAccount", RoundKind::kReward, false,
      EachElement(
          "withdrawal reward account", [](const chain::TxBody& b) { return b.withdrawals.size(); },
          [](chain::TxBody* b, size_t k) { b->withdrawals[k].reward_account.back() ^= 0x01; })});
  return rows;
}

}  // namespace stakeward::controller::testing
