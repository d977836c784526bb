// Ogmios error codes (CardanoSolutions/ogmios v6.14 docs/static/ogmios.json: the
// SubmitTransactionFailure<…> definitions 3005 and 3100–3168, 3997–3998; query failures 2000–2003;
// JSON-RPC -32xxx). The advice sentences are Stakeward's own.
#include <algorithm>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "chainsource/macros.h"
#include "chainsource/ogmios_decode.h"

namespace stakeward::chainsource::ogmios {
namespace {

struct Advice {
  int64_t code;
  const char* name;
  const char* advice;
};

// Sorted by code.
constexpr Advice kSubmit[] = {
    {3005, "era mismatch",
     "The node is in another ledger era than the transaction; rebuild it for the current era."},
    {3100, "invalid signatures",
     "A witness does not verify; collect the signatures again for this exact body."},
    {3101, "missing signatures",
     "Required key witnesses are missing; collect the remaining signers' witnesses."},
    {3102, "missing scripts",
     "A script the inputs or certificates need is not attached; rebuild with the slot scripts."},
    {3103, "native script failed",
     "The multisig script is not satisfied (too few signers or outside its time bounds); collect "
     "more witnesses."},
    {3104, "extraneous scripts",
     "The transaction carries scripts nobody needs; rebuild without them."},
    {3105, "missing metadata hash",
     "Metadata is attached but the body has no metadata hash; rebuild the transaction."},
    {3106, "missing metadata",
     "The body names a metadata hash but no metadata is attached; rebuild the transaction."},
    {3107, "metadata hash mismatch",
     "The attached metadata does not match the body's hash; rebuild the transaction."},
    {3108, "invalid metadata",
     "The metadata breaks the ledger's size or format limits; shorten it and rebuild."},
    {3109, "missing redeemers",
     "A Plutus script has no redeemer; Stakeward builds no Plutus transactions, so check the "
     "source of this one."},
    {3110, "extraneous redeemers", "Redeemers point at nothing; rebuild the transaction."},
    {3111, "missing datums",
     "A datum needed by a script input is absent; rebuild the transaction."},
    {3112, "extraneous datums", "Datums are attached that no input needs; rebuild without them."},
    {3113, "script integrity hash mismatch",
     "The script data hash is wrong; rebuild with the current protocol parameters."},
    {3114, "orphan script inputs",
     "A script-locked input lacks its datum; rebuild the transaction."},
    {3115, "missing cost models",
     "The node lacks a cost model for the script language; rebuild for the current era."},
    {3116, "malformed scripts", "An attached script does not deserialise; check the script bytes."},
    {3117, "unknown or spent inputs",
     "An input no longer exists (already spent or never confirmed); fetch a fresh snapshot and "
     "rebuild the proposal."},
    {3118, "outside validity interval",
     "The transaction's validity interval does not contain the current slot (TTL passed or not yet "
     "valid); rebuild with a new TTL and sign again."},
    {3119, "transaction too large",
     "The transaction exceeds the maximum size; split the actions over several transactions."},
    {3120, "value too large",
     "An output's value exceeds the maximum value size; split the output."},
    {3121, "empty input set", "The transaction spends nothing; add an input to pay the fee."},
    {3122, "fee too small",
     "The fee is below the minimum for this size and the current parameters; rebuild with a fresh "
     "snapshot's parameters and sign again."},
    {3123, "value not conserved",
     "Inputs plus withdrawals and refunds do not equal outputs plus fee and deposits; the snapshot "
     "balances or deposits are stale: fetch a fresh snapshot and rebuild."},
    {3124, "network mismatch",
     "An address or reward account belongs to another network; check the policy's network and the "
     "chain source."},
    {3125, "outputs below minimum ADA",
     "An output holds less than the minimum UTxO value; rebuild with the current coins-per-byte "
     "parameter."},
    {3126, "bootstrap attributes too large",
     "A Byron output's attributes are too large; pay to a Shelley address instead."},
    {3127, "minting or burning ada",
     "The transaction mints ada, which is impossible; check the source of this transaction."},
    {3128, "insufficient collateral", "Collateral does not cover the script fees; add collateral."},
    {3129, "collateral locked by script",
     "Collateral inputs must be key-locked; choose other collateral."},
    {3130, "unforeseeable slot",
     "The validity bound lies too far in the future for the node to convert it; use a nearer TTL."},
    {3131, "too many collateral inputs", "Use fewer collateral inputs."},
    {3132, "missing collateral", "Script transactions need collateral; add a collateral input."},
    {3133, "non-ada collateral", "Collateral must hold only ada; choose other collateral."},
    {3134, "execution units too large",
     "Script budgets exceed the per-transaction limit; split the work."},
    {3135, "total collateral mismatch",
     "The declared total collateral differs from the collateral inputs; rebuild."},
    {3136, "spends mismatch",
     "The transaction's spend totals disagree with the ledger; rebuild from a fresh snapshot."},
    {3137, "unauthorized votes", "A voter may not vote on that action; check the votes."},
    {3138, "unknown governance proposals",
     "A vote names an unknown proposal; check the governance action ids."},
    {3139, "invalid protocol parameters update",
     "The proposed parameter update is malformed; check it."},
    {3140, "unknown stake pool",
     "A delegation targets a pool that is not registered (or retired); re-plan from a fresh "
     "snapshot."},
    {3141, "incomplete withdrawals",
     "A withdrawal does not take the reward account's full balance; fetch the current balances and "
     "rebuild."},
    {3142, "retirement too late",
     "The pool retirement epoch is beyond the allowed bound; choose an earlier epoch."},
    {3143, "pool cost too low", "The pool cost is below the minimum; raise it."},
    {3144, "metadata hash too large", "A pool metadata hash is too long; fix the certificate."},
    {3145, "credential already registered",
     "A slot's stake credential is already registered; fetch a fresh snapshot and rebuild without "
     "the registration."},
    {3146, "unknown credential",
     "A certificate or withdrawal names an unregistered stake credential; register it first or "
     "re-plan from a fresh snapshot."},
    {3147, "reward account not empty",
     "Deregistration needs an empty reward account; withdraw the rewards in the same or an earlier "
     "transaction."},
    {3148, "invalid genesis delegation",
     "Genesis delegation certificates are not allowed; check the source of this transaction."},
    {3149, "invalid MIR transfer",
     "MIR certificates are not allowed; check the source of this transaction."},
    {3150, "forbidden withdrawal",
     "Withdrawals need a DRep delegation since Conway; delegate the slot's vote first (design §6 "
     "of the specs)."},
    {3151, "deposit mismatch",
     "The deposit or refund in a certificate differs from the ledger's; rebuild with the current "
     "key deposit."},
    {3152, "DRep already registered", "That DRep is already registered; remove the registration."},
    {3153, "DRep not registered",
     "The certificate names an unregistered DRep; check the policy's DRep."},
    {3154, "unknown committee member",
     "The certificate names an unknown constitutional committee member; check it."},
    {3155, "proposal deposit mismatch",
     "The governance proposal deposit differs from the ledger's; rebuild with current parameters."},
    {3156, "conflicting committee update",
     "The committee update both adds and removes a member; fix the proposal."},
    {3157, "invalid committee update",
     "The committee update has an invalid term; fix the proposal."},
    {3158, "treasury withdrawal mismatch",
     "The treasury withdrawal proposal is inconsistent; fix the proposal."},
    {3159, "invalid previous proposal",
     "The proposal's previous-action reference is wrong; fix it."},
    {3160, "voting on expired actions", "A vote targets an expired action; drop the vote."},
    {3161, "execution budget out of bounds",
     "Script budgets are out of bounds; check the redeemers."},
    {3162, "invalid hard-fork version bump",
     "The proposed protocol version does not follow the current one; fix the proposal."},
    {3163, "constitution guardrails mismatch",
     "The guardrails script hash differs from the constitution's; fix the proposal."},
    {3164, "inputs also referenced",
     "An input is also a reference input; rebuild the transaction."},
    {3165, "unauthorized governance action",
     "This governance action is not allowed in the current bootstrap phase."},
    {3166, "reference scripts too large",
     "Reference scripts exceed the size limit; use fewer reference scripts."},
    {3167, "unknown voters", "A voter is not registered; check the votes."},
    {3168, "empty treasury withdrawal", "The treasury withdrawal is empty; fix the proposal."},
    {3997, "mempool error",
     "The node's mempool refused the transaction for another reason; wait a block and retry, or "
     "check the node log."},
    {3998, "unrecognized certificate",
     "The node does not recognise a certificate type; rebuild for the current era."},
};

const Advice* Find(int64_t code) {
  auto it = std::lower_bound(std::begin(kSubmit), std::end(kSubmit), code,
                             [](const Advice& a, int64_t c) { return a.code < c; });
  return it != std::end(kSubmit) && it->code == code ? &*it : nullptr;
}

std::string Quote(const Json& err) {
  const Json* m = OptMember(err, "message");
  if (m == nullptr || !m->is_string()) return "";
  std::string s = m->get<std::string>();
  if (s.size() > 200) s = s.substr(0, 200) + "…";
  return absl::StrCat(" (Ogmios: \"", s, "\")");
}

}  // namespace

absl::string_view SubmitAdvice(int64_t code) {
  const Advice* a = Find(code);
  return a == nullptr ? absl::string_view() : a->advice;
}

absl::Status ErrorStatus(const Json& error, absl::string_view method) {
  const Json* c = OptMember(error, "code");
  if (c == nullptr) return Malformed(method, "error without a code");
  auto code_or = ReadI64(*c, absl::StrCat(method, ".error.code"));
  if (!code_or.ok()) return code_or.status();
  int64_t code = *code_or;
  std::string quote = Quote(error);
  if (const Advice* a = Find(code); a != nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat(method, " rejected: ", a->name, " (code ", code, "). ", a->advice, quote));
  }
  if (code >= 3000 && code < 4000) {
    return absl::FailedPreconditionError(
        absl::StrCat(method, " rejected with code ", code,
                     "; the transaction is not valid on the ledger", quote));
  }
  if (code == 2001 || code == 2002) {
    return absl::FailedPreconditionError(
        absl::StrCat(method, ": the node's ledger is not in an era that answers this query (code ",
                     code, "); wait until the node is synced past the Conway hard fork", quote));
  }
  if (code == 2003) {
    return absl::UnavailableError(
        absl::StrCat(method, ": the acquired ledger state expired (code 2003); retry", quote));
  }
  if (code == -32602) {
    return absl::InvalidArgumentError(absl::StrCat(
        method, ": Ogmios could not decode the request (code -32602); check the transaction bytes",
        quote));
  }
  if (code <= -32000 && code >= -32768) {
    return absl::InternalError(absl::StrCat(method, ": JSON-RPC error ", code, quote));
  }
  return absl::UnknownError(absl::StrCat(method, ": Ogmios error ", code, quote));
}

}  // namespace stakeward::chainsource::ogmios
