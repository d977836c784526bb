#include "controller/model/witness_check.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "chain/check.h"
#include "chain/keys.h"
#include "chain/native_script.h"

namespace stakeward::controller {

bool VerifiedSignatures::Verify(const chain::Hash32& message, const chain::VkeyWitness& w) {
  Triple t;
  auto at = std::copy(message.begin(), message.end(), t.begin());
  at = std::copy(w.vkey.begin(), w.vkey.end(), at);
  std::copy(w.signature.begin(), w.signature.end(), at);
  {
    absl::MutexLock l(&mu_);
    if (seen_.contains(t)) return true;
  }
  if (!chain::Verify(w.vkey, chain::View(message), w.signature)) return false;
  absl::MutexLock l(&mu_);
  if (seen_.size() >= kMaxEntries) seen_.clear();  // a miss costs one verification
  seen_.insert(t);
  return true;
}

namespace {

bool VerifyOne(VerifiedSignatures* verified, const chain::Hash32& message,
               const chain::VkeyWitness& w) {
  if (verified != nullptr) return verified->Verify(message, w);
  return chain::Verify(w.vkey, chain::View(message), w.signature);
}

}  // namespace

absl::Status CheckWitness(const ProposalTxRec& tx, const std::string& signer,
                          const chain::VkeyWitness& w, VerifiedSignatures* verified) {
  const chain::Hash28 kh = chain::KeyHash(w.vkey);
  const RequiredSignerRec* mine = nullptr;
  for (const RequiredSignerRec& r : tx.required) {
    if (r.signer == signer) mine = &r;
  }
  if (mine == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("signer ", signer, " is not a signer of transaction ", tx.idx));
  }
  bool found = false;
  for (const SignerKeyRec& k : mine->keys) found = found || k.key_hash == kh;
  if (!found) {
    return absl::PermissionDeniedError(absl::StrCat("key ", chain::HexEncode(kh),
                                                    " is not a key signer ", signer,
                                                    " must sign transaction ", tx.idx, " with"));
  }
  if (!VerifyOne(verified, tx.tx_id, w)) {
    return absl::InvalidArgumentError(absl::StrCat("signature of key ", chain::HexEncode(kh),
                                                   " does not verify over transaction ",
                                                   chain::HexEncode(tx.tx_id)));
  }
  return absl::OkStatus();
}

namespace {

// Blake2b-224 of a verification key, remembered per thread: the same few keys (signers times
// their keys) come back in every readiness check, each over all of a proposal's witnesses. A
// pure function's memo, bounded; no lock.
chain::Hash28 KeyHashOf(const std::array<uint8_t, 32>& vkey) {
  constexpr size_t kMaxKeys = 4096;
  thread_local absl::flat_hash_map<std::array<uint8_t, 32>, chain::Hash28> memo;
  if (auto it = memo.find(vkey); it != memo.end()) return it->second;
  if (memo.size() >= kMaxKeys) memo.clear();
  const chain::Hash28 h = chain::KeyHash(vkey);
  memo.emplace(vkey, h);
  return h;
}

// The required signers of `tx` who gave every one of their keys' witnesses. A witness counts for
// the signer who submitted it, so one key can never count for two. One pass over the witnesses,
// each matched to its signer's entries by name (signers are tens, with a key or two each).
std::vector<const RequiredSignerRec*> FullySigned(const ProposalTxRec& tx,
                                                  const std::vector<WitnessRec>& witnesses) {
  const size_t n = tx.required.size();
  absl::flat_hash_map<std::string_view, absl::InlinedVector<size_t, 1>> entries;
  entries.reserve(n);
  std::vector<size_t> offset(n + 1, 0);  // entry i's keys are found[offset[i] .. offset[i+1])
  for (size_t i = 0; i < n; ++i) {
    entries[tx.required[i].signer].push_back(i);
    offset[i + 1] = offset[i] + tx.required[i].keys.size();
  }
  std::vector<uint8_t> found(offset[n], 0);
  for (const WitnessRec& w : witnesses) {
    if (w.tx_idx != tx.idx) continue;
    auto it = entries.find(w.signer);
    if (it == entries.end()) continue;
    const chain::Hash28 kh = KeyHashOf(w.witness.vkey);
    for (size_t i : it->second) {
      const std::vector<SignerKeyRec>& keys = tx.required[i].keys;
      for (size_t j = 0; j < keys.size(); ++j) {
        if (keys[j].key_hash == kh) found[offset[i] + j] = 1;
      }
    }
  }
  std::vector<const RequiredSignerRec*> out;
  for (size_t i = 0; i < n; ++i) {
    const bool all = offset[i + 1] > offset[i] &&
                     std::all_of(found.begin() + static_cast<std::ptrdiff_t>(offset[i]),
                                 found.begin() + static_cast<std::ptrdiff_t>(offset[i + 1]),
                                 [](uint8_t f) { return f != 0; });
    if (all) out.push_back(&tx.required[i]);
  }
  return out;
}

// Key hashes kept sorted and unique (the scripts are judged against them by binary search).
void AddKeys(std::vector<chain::Hash28>& keys, const RequiredSignerRec& r) {
  for (const SignerKeyRec& k : r.keys) {
    auto at = std::lower_bound(keys.begin(), keys.end(), k.key_hash);
    if (at == keys.end() || *at != k.key_hash) keys.insert(at, k.key_hash);
  }
}

bool Satisfies(const chain::NativeScript& s, const std::vector<chain::Hash28>& keys) {
  return chain::NativeScriptSatisfiedSorted(s, keys, std::nullopt, std::nullopt);
}

bool SatisfiesAll(const ProposalTxRec& tx, const std::vector<chain::Hash28>& keys) {
  for (const chain::NativeScript& s : tx.scripts) {
    if (!Satisfies(s, keys)) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> FullySignedSigners(const ProposalTxRec& tx,
                                            const std::vector<WitnessRec>& witnesses) {
  std::vector<std::string> out;
  for (const RequiredSignerRec* r : FullySigned(tx, witnesses)) out.push_back(r->signer);
  return out;
}

std::vector<std::string> ChooseSigners(const ProposalTxRec& tx,
                                       const std::vector<WitnessRec>& witnesses) {
  const std::vector<const RequiredSignerRec*> full = FullySigned(tx, witnesses);
  // The chosen signers are a subset of the fully signed ones: when all of those together do not
  // satisfy every script, no choice does (the common answer while witnesses arrive).
  std::vector<chain::Hash28> keys;
  for (const RequiredSignerRec* r : full) {
    for (const SignerKeyRec& k : r->keys) keys.push_back(k.key_hash);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  if (!SatisfiesAll(tx, keys)) return {};
  keys.clear();
  std::vector<std::vector<chain::Hash28>> script_keys;
  for (const chain::NativeScript& s : tx.scripts) {
    script_keys.push_back(chain::NativeScriptKeyHashes(s));
  }
  std::vector<std::string> chosen;
  for (const RequiredSignerRec* r : full) {
    if (SatisfiesAll(tx, keys)) break;
    // Taken only when its keys advance a script that is not yet satisfied.
    bool helps = false;
    for (size_t i = 0; i < tx.scripts.size(); ++i) {
      if (Satisfies(tx.scripts[i], keys)) continue;
      const std::vector<chain::Hash28>& in_script = script_keys[i];
      for (const SignerKeyRec& k : r->keys) {
        helps =
            helps || (!std::binary_search(keys.begin(), keys.end(), k.key_hash) &&
                      std::find(in_script.begin(), in_script.end(), k.key_hash) != in_script.end());
      }
    }
    if (!helps) continue;
    AddKeys(keys, *r);
    chosen.push_back(r->signer);
  }
  if (!SatisfiesAll(tx, keys)) return {};
  return chosen;
}

absl::StatusOr<chain::Bytes> AssembleSignedTx(const ProposalTxRec& tx,
                                              const std::vector<WitnessRec>& witnesses,
                                              VerifiedSignatures* verified) {
  const std::vector<std::string> signed_by = ChooseSigners(tx, witnesses);
  if (signed_by.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("transaction ", tx.idx, " has ", FullySignedSigners(tx, witnesses).size(),
                     " fully signed signers, not enough to satisfy every script"));
  }
  const std::set<std::string> chosen(signed_by.begin(), signed_by.end());
  absl::StatusOr<chain::Transaction> unsigned_tx =
      chain::DecodeTransaction(chain::View(tx.unsigned_tx));
  if (!unsigned_tx.ok()) return absl::DataLossError("stored transaction does not decode");
  chain::Transaction out = std::move(*unsigned_tx);
  out.witnesses.vkeys.clear();
  // Only the required keys of the chosen signers, each once, in required order: the fee was
  // computed for exactly that many witnesses.
  std::map<chain::Hash28, chain::VkeyWitness> by_key;
  for (const WitnessRec& w : witnesses) {
    if (w.tx_idx == tx.idx && chosen.count(w.signer) > 0) {
      by_key.emplace(KeyHashOf(w.witness.vkey), w.witness);
    }
  }
  for (const RequiredSignerRec& r : tx.required) {
    if (chosen.count(r.signer) == 0) continue;
    for (const SignerKeyRec& k : r.keys) {
      auto it = by_key.find(k.key_hash);
      SW_CHECK(it != by_key.end());
      out.witnesses.vkeys.push_back(it->second);
    }
  }
  out.witnesses.scripts = tx.scripts;
  chain::Bytes encoded = chain::EncodeTransaction(out);
  if (absl::Status s = VerifySignedTx(chain::View(encoded), tx.scripts, verified); !s.ok()) {
    return absl::InternalError(
        absl::StrCat("assembled transaction fails verification: ", s.message()));
  }
  return encoded;
}

absl::Status VerifySignedTx(chain::ByteView signed_tx,
                            const std::vector<chain::NativeScript>& expected_scripts,
                            VerifiedSignatures* verified) {
  absl::StatusOr<chain::Transaction> tx = chain::DecodeTransaction(signed_tx);
  if (!tx.ok()) return tx.status();
  if (absl::Status s = chain::CheckHardwareWalletCompatible(chain::View(tx->body_bytes)); !s.ok()) {
    return s;
  }
  const chain::Hash32 id = chain::TxId(*tx);
  std::set<chain::Hash28> signers;
  for (const chain::VkeyWitness& w : tx->witnesses.vkeys) {
    if (!VerifyOne(verified, id, w)) {
      return absl::InvalidArgumentError("a vkey witness does not verify over the tx id");
    }
    signers.insert(chain::KeyHash(w.vkey));
  }
  std::map<chain::Hash28, const chain::NativeScript*> scripts;
  for (const chain::NativeScript& s : tx->witnesses.scripts) {
    scripts[chain::NativeScriptHash(s)] = &s;
    if (!chain::NativeScriptSatisfied(s, signers, tx->body.validity_start, tx->body.ttl)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "native script ", chain::HexEncode(chain::NativeScriptHash(s)), " is not satisfied"));
    }
  }
  for (const chain::NativeScript& s : expected_scripts) {
    if (scripts.count(chain::NativeScriptHash(s)) == 0) {
      return absl::FailedPreconditionError("an expected native script is missing");
    }
  }
  for (const chain::Certificate& c : tx->body.certificates) {
    if (c.type == chain::Certificate::Type::kStakeRegistration) continue;
    if (c.credential.kind == chain::Credential::Kind::kScriptHash &&
        scripts.count(c.credential.hash) == 0) {
      return absl::FailedPreconditionError("a certificate's script is missing");
    }
    if (c.credential.kind == chain::Credential::Kind::kKeyHash &&
        signers.count(c.credential.hash) == 0) {
      return absl::FailedPreconditionError("a certificate's key witness is missing");
    }
  }
  for (const chain::Withdrawal& w : tx->body.withdrawals) {
    if (w.reward_account.size() != 29) return absl::InvalidArgumentError("bad reward account");
    chain::Hash28 h;
    std::copy(w.reward_account.begin() + 1, w.reward_account.end(), h.begin());
    const bool script = (w.reward_account[0] & 0x10) != 0;
    if (script ? scripts.count(h) == 0 : signers.count(h) == 0) {
      return absl::FailedPreconditionError("a withdrawal's credential is not witnessed");
    }
  }
  return absl::OkStatus();
}

}  // namespace stakeward::controller
