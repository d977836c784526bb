// What a transaction does to stake accounts, decoded with CSL, and the rules the front adds on top
// of scalus's ledger rules.
//
// scalus 0.17.0 validates a transaction completely but keeps no usable account bookkeeping for two
// things the front needs (measured, see ledger.mjs): it does not debit a reward account on
// withdrawal, and it does not check that a delegation targets a registered pool. The front
// therefore decodes every accepted transaction and applies its withdrawals and certificates to its
// own account map, in the ledger's order (Conway CERTS: withdrawals drain first, then the
// certificates in order).
import { CSL, credentialOfCsl, credKey, poolIdToBech32 } from './chain_codec.mjs';

export class TxDecodeError extends Error {}

const K = CSL.CertificateKind;

// Ogmios DelegateRepresentative (cardano.json) of a CSL DRep.
export function drepJson(drep) {
  switch (drep.kind()) {
    case CSL.DRepKind.AlwaysAbstain:
      return { type: 'abstain' };
    case CSL.DRepKind.AlwaysNoConfidence:
      return { type: 'noConfidence' };
    case CSL.DRepKind.KeyHash:
      return { type: 'registered', from: 'verificationKey', id: drep.to_key_hash().to_hex() };
    default:
      return { type: 'registered', from: 'script', id: drep.to_script_hash().to_hex() };
  }
}

const big = (bignum) => (bignum === undefined ? null : BigInt(bignum.to_str()));

// One certificate as the effects the front tracks. `register` is the deposit (null: the legacy
// certificate 0, whose deposit is the protocol parameter); `pool` is a pool key hash (hex).
function certEffects(cert) {
  const kind = cert.kind();
  const withCred = (c, extra) => ({ cred: credentialOfCsl(c.stake_credential()), ...extra });
  switch (kind) {
    case K.StakeRegistration: {
      const c = cert.as_stake_registration();
      return withCred(c, { register: big(c.coin()) });
    }
    case K.StakeDeregistration:
      return withCred(cert.as_stake_deregistration(), { unregister: true });
    case K.StakeDelegation: {
      const c = cert.as_stake_delegation();
      return withCred(c, { pool: c.pool_keyhash().to_hex() });
    }
    case K.VoteDelegation: {
      const c = cert.as_vote_delegation();
      return withCred(c, { drep: drepJson(c.drep()) });
    }
    case K.StakeAndVoteDelegation: {
      const c = cert.as_stake_and_vote_delegation();
      return withCred(c, { pool: c.pool_keyhash().to_hex(), drep: drepJson(c.drep()) });
    }
    case K.StakeRegistrationAndDelegation: {
      const c = cert.as_stake_registration_and_delegation();
      return withCred(c, { register: big(c.coin()), pool: c.pool_keyhash().to_hex() });
    }
    case K.VoteRegistrationAndDelegation: {
      const c = cert.as_vote_registration_and_delegation();
      return withCred(c, { register: big(c.coin()), drep: drepJson(c.drep()) });
    }
    case K.StakeVoteRegistrationAndDelegation: {
      const c = cert.as_stake_vote_registration_and_delegation();
      return withCred(c, {
        register: big(c.coin()),
        pool: c.pool_keyhash().to_hex(),
        drep: drepJson(c.drep()),
      });
    }
    case K.DRepRegistration: {
      const c = cert.as_drep_registration();
      return { drepRegister: { cred: credentialOfCsl(c.voting_credential()), deposit: big(c.coin()) } };
    }
    case K.DRepDeregistration:
      return { drepUnregister: credentialOfCsl(cert.as_drep_deregistration().voting_credential()) };
    case K.PoolRegistration:
    case K.PoolRetirement:
      return { poolCert: true };
    default:
      return {}; // committee, DRep update, genesis, MIR: no account effect; scalus decides
  }
}

function decodeWithdrawals(body) {
  const w = body.withdrawals();
  if (!w) return [];
  const out = [];
  const keys = w.keys();
  for (let i = 0; i < keys.len(); i++) {
    const account = keys.get(i);
    out.push({
      cred: credentialOfCsl(account.payment_cred()),
      amount: BigInt(w.get(account).to_str()),
      account: account.to_address().to_bech32(),
      networkId: account.network_id(),
    });
  }
  return out;
}

function decodeCerts(body) {
  const certs = body.certs();
  const out = [];
  for (let i = 0; certs && i < certs.len(); i++) out.push(certEffects(certs.get(i)));
  return out;
}

function decodeInputs(body) {
  const ins = body.inputs();
  const out = [];
  for (let i = 0; i < ins.len(); i++) {
    out.push({ txId: ins.get(i).transaction_id().to_hex(), index: ins.get(i).index() });
  }
  return out;
}

// Decodes a signed transaction; throws TxDecodeError when CSL cannot read it.
export function decodeTx(bytes) {
  let fixed;
  try {
    fixed = CSL.FixedTransaction.from_bytes(bytes);
  } catch (e) {
    throw new TxDecodeError(String(e?.message ?? e).slice(0, 300));
  }
  const body = fixed.body();
  return {
    id: fixed.transaction_hash().to_hex(),
    body,
    inputs: decodeInputs(body),
    validity: {
      invalidBefore: big(body.validity_start_interval_bignum()),
      invalidAfter: big(body.ttl_bignum()),
    },
    withdrawals: decodeWithdrawals(body),
    certs: decodeCerts(body),
  };
}

// The front's own rules, checked against the state before the transaction. Returns an Ogmios
// SubmitTransactionFailure ({code, message, data}, ogmios.json definitions) or null.
//  - 3140 UnknownStakePool: a delegation to a pool that is not in the seeded pool list (scalus
//    accepts any pool key hash). The Conway DELEG rule fails with
//    DelegateeStakePoolNotRegisteredDELEG (shared/specs/cardano.md §1.5), which Ogmios v6.14
//    reports as UnknownStakePool (server/src/Ogmios/Data/Ledger/PredicateFailure/Conway.hs).
//  - 3150 ForbiddenWithdrawal: from protocol version 10 a withdrawal from a key-hash reward
//    account needs a DRep delegation in the state before the transaction
//    (shared/specs/cardano.md §6); scalus does not check it.
//  - 3997: pool registration and retirement certificates are refused, because the pool list is
//    the seed's and is not rebuilt from transactions.
export function frontRuleFailure(tx, accounts, knownPools) {
  for (const c of tx.certs) {
    if (c.poolCert) {
      const message =
        'The local ledger does not model pool registration or retirement; its pools are the seed\'s.';
      return { code: 3997, message, data: { error: message } };
    }
    if (c.pool !== undefined && !knownPools.has(c.pool)) {
      const id = poolIdToBech32(c.pool);
      return {
        code: 3140,
        message: `The transaction delegates to ${id}, which is not a registered stake pool.`,
        data: { unknownStakePool: id },
      };
    }
  }
  const marginalized = tx.withdrawals
    .filter((w) => w.cred.type === 'key' && accounts.has(credKey(w.cred)))
    .filter((w) => !accounts.get(credKey(w.cred)).drep)
    .map((w) => w.cred.hash);
  if (marginalized.length > 0) {
    return {
      code: 3150,
      message:
        'Withdrawals from key-hash reward accounts need a DRep delegation first (protocol version 10).',
      data: { marginalizedCredentials: marginalized },
    };
  }
  return null;
}

// scalus accepted the transaction, so a certificate's credential must be registered by now; a
// missing account is a bug in the front's bookkeeping, never a client error.
function requireAccount(accounts, cred) {
  const a = accounts.get(credKey(cred));
  if (!a) throw new Error(`internal: no account for ${credKey(cred)} after scalus accepted the tx`);
  return a;
}

// Applies an accepted transaction's withdrawals and certificates to `accounts` (credKey →
// {cred, rewards, deposit, drep}) and `dreps` (credKey → {cred, deposit}).
export function applyEffects(tx, accounts, dreps, keyDeposit) {
  for (const w of tx.withdrawals) {
    requireAccount(accounts, w.cred).rewards -= w.amount;
  }
  for (const c of tx.certs) {
    if (c.register !== undefined) {
      const deposit = c.register ?? keyDeposit;
      accounts.set(credKey(c.cred), { cred: c.cred, rewards: 0n, deposit, drep: null });
    }
    if (c.drep !== undefined) requireAccount(accounts, c.cred).drep = c.drep;
    if (c.unregister) accounts.delete(credKey(c.cred));
    if (c.drepRegister) dreps.set(credKey(c.drepRegister.cred), c.drepRegister);
    if (c.drepUnregister) dreps.delete(credKey(c.drepUnregister));
  }
}
