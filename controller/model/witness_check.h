// Witness checks and assembly. The controller trusts no signer: a witness counts only when its key
// is one the submitting signer must sign that transaction with and its signature verifies over the
// transaction id recomputed from the stored body bytes.
#ifndef STAKEWARD_CONTROLLER_MODEL_WITNESS_CHECK_H_
#define STAKEWARD_CONTROLLER_MODEL_WITNESS_CHECK_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "chain/tx.h"
#include "controller/model/proposal_model.h"

namespace stakeward::controller {

// Signatures this process has verified. Validity depends only on (message, key, signature), so
// an exact triple seen valid before needs no second curve check: the assembly check at READY
// then costs no signature arithmetic for witnesses verified at intake, while any byte that
// differs (a row edited in the database, a restart) is verified afresh. Thread-safe, bounded.
class VerifiedSignatures {
 public:
  bool Verify(const chain::Hash32& message, const chain::VkeyWitness& w) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  static constexpr size_t kMaxEntries = 1 << 16;
  using Triple = std::array<uint8_t, 32 + 32 + 64>;
  absl::Mutex mu_;
  absl::flat_hash_set<Triple> seen_ ABSL_GUARDED_BY(mu_);
};

// PERMISSION_DENIED if the key is not one of `signer`'s required keys for the transaction;
// INVALID_ARGUMENT if the signature does not verify over the transaction id.
absl::Status CheckWitness(const ProposalTxRec& tx, const std::string& signer,
                          const chain::VkeyWitness& w, VerifiedSignatures* verified = nullptr);

// Signers (in the transaction's required order) who have a witness for every key they must sign
// with, among `witnesses` (those of any transaction; only tx.idx's are looked at).
std::vector<std::string> FullySignedSigners(const ProposalTxRec& tx,
                                            const std::vector<WitnessRec>& witnesses);

// The fully signed signers the assembled transaction uses, in required order: each is taken only
// when its keys advance a native script not yet satisfied, so a re-balance or reward transaction
// gets the first M and a MIGRATE transaction M of the outgoing plus enough of the incoming
// signers. Empty when the fully signed signers cannot satisfy every script.
std::vector<std::string> ChooseSigners(const ProposalTxRec& tx,
                                       const std::vector<WitnessRec>& witnesses);

// The signed transaction with the chosen signers' witnesses and the native scripts, verified
// with VerifySignedTx. FAILED_PRECONDITION if the scripts cannot all be satisfied yet.
absl::StatusOr<chain::Bytes> AssembleSignedTx(const ProposalTxRec& tx,
                                              const std::vector<WitnessRec>& witnesses,
                                              VerifiedSignatures* verified = nullptr);

// Decodes a signed transaction and checks: CIP-21 body, every vkey signature over the tx id,
// every expected script present and satisfied by the witnesses within the validity interval, and
// every script credential of a certificate or withdrawal backed by a satisfied script.
absl::Status VerifySignedTx(chain::ByteView signed_tx,
                            const std::vector<chain::NativeScript>& expected_scripts,
                            VerifiedSignatures* verified = nullptr);

}  // namespace stakeward::controller

#endif  // STAKEWARD_CONTROLLER_MODEL_WITNESS_CHECK_H_
