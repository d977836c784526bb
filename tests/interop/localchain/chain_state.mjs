// One ledger state: a scalus Emulator (UTxO set, stake registrations, delegation, transaction
// validation) plus the front's account book (reward balances, deposits, DRep delegation), kept
// equal to the emulator's view of rewards by re-seeding the emulator (resync) whenever the front
// changes a balance the emulator cannot change itself (withdrawals, added rewards).
//
// Every answer about UTxOs, registrations, pool delegation and rewards is read back from the
// emulator; the front's book is cross-checked against it and a disagreement is an internal error.
import pkg from 'scalus';
import {
  credKey,
  credentialCbor,
  decodeUtxoEntry,
  outRefKey,
  stakeCredentialOfAddress,
  utxoMapCbor,
} from './chain_codec.mjs';
import { applyEffects, frontRuleFailure } from './tx_effects.mjs';

const { Emulator } = pkg;

function hex(bytes) {
  return Buffer.from(bytes).toString('hex');
}

function copyAccounts(accounts) {
  return new Map([...accounts].map(([k, a]) => [k, { ...a }]));
}

// `config`: {slotConfig, keyDeposit: bigint, poolCerts: Uint8Array[] (CBOR pool registration
// certificates), knownPools: Set<pool key hash hex>}; shared and never modified.
export class ChainState {
  constructor(config, emulator, accounts, dreps, slot) {
    this.config = config;
    this.em = emulator;
    this.accounts = accounts;
    this.dreps = dreps;
    this.slot = slot;
  }

  // `seed`: {utxos: [{txId, index, output}], accounts: [{cred, rewards, deposit, pool, drep}],
  // slot}.
  static fromSeed(config, seed) {
    const accounts = new Map();
    for (const a of seed.accounts) {
      const { cred, rewards, deposit, drep } = a;
      accounts.set(credKey(cred), { cred, rewards, deposit, drep });
    }
    const pools = new Map(seed.accounts.map((a) => [credKey(a.cred), a.pool]));
    const state = new ChainState(config, null, accounts, new Map(), seed.slot);
    state.em = state.#newEmulator(utxoMapCbor(seed.utxos), (cred) => pools.get(credKey(cred)));
    return state;
  }

  #newEmulator(utxosCbor, poolOf) {
    const stakeRegistrations = [...this.accounts.values()].map((a) => {
      const r = { credentialType: a.cred.type, credentialHash: a.cred.hash, rewards: a.rewards };
      const pool = poolOf(a.cred);
      if (pool) r.delegatedTo = pool;
      return r;
    });
    const drepRegistrations = [...this.dreps.values()].map((d) => ({
      credentialType: d.cred.type,
      credentialHash: d.cred.hash,
      deposit: d.deposit,
    }));
    const em = Emulator.withState(
      {
        utxos: utxosCbor,
        stakeRegistrations,
        poolRegistrations: this.config.poolCerts.map((params) => ({ params })),
        drepRegistrations,
      },
      this.config.slotConfig,
    );
    em.setSlot(this.slot);
    return em;
  }

  // Rebuilds the emulator from its own UTxO set and delegations with the front's reward
  // balances. What is lost: scalus's datum store and its record of accepted transaction ids,
  // neither of which the front reads.
  resync() {
    this.em = this.#newEmulator(this.em.getUtxosCbor(), (cred) => this.#emPool(cred));
  }

  clone() {
    const accounts = copyAccounts(this.accounts);
    return new ChainState(this.config, this.em.snapshot(), accounts, new Map(this.dreps), this.slot);
  }

  setSlot(slot) {
    this.slot = slot;
    this.em.setSlot(slot);
  }

  // Validates `tx` (decoded by tx_effects.decodeTx) and applies it. Returns {ok: true, txId} or
  // {ok: false, failure} where failure is {source: 'front', code, message, data} (an Ogmios
  // failure already), {source: 'scalus', message} or {source: 'decode', message}.
  apply(tx, bytes) {
    const front = frontRuleFailure(tx, this.accounts, this.config.knownPools);
    if (front) return { ok: false, failure: { source: 'front', ...front } };
    let r;
    try {
      r = this.em.submitTx(bytes);
    } catch (e) {
      // scalus throws (instead of returning an error) when it cannot decode the bytes.
      const message = String(e?.message ?? e).slice(0, 300);
      return { ok: false, failure: { source: 'decode', message } };
    }
    if (!r.isSuccess) return { ok: false, failure: { source: 'scalus', message: String(r.error) } };
    applyEffects(tx, this.accounts, this.dreps, this.config.keyDeposit);
    if (tx.withdrawals.some((w) => w.amount > 0n)) this.resync();
    return { ok: true, txId: r.txHash };
  }

  addRewards(cred, lovelace) {
    const a = this.accounts.get(credKey(cred));
    if (!a) throw new RangeError(`${credKey(cred)} is not registered`);
    a.rewards += lovelace;
    this.resync();
  }

  #emPool(cred) {
    const d = this.em.getDelegation(credentialCbor(cred));
    return d.poolId ? hex(d.poolId) : null;
  }

  // {registered, rewards, deposit, pool (hex|null), drep (Ogmios JSON|null)}, or null when the
  // credential is not registered.
  account(cred) {
    const a = this.accounts.get(credKey(cred));
    // getStakeReward answers for script credentials only (scalus.d.ts): null = not registered.
    if (cred.type === 'script' && (this.em.getStakeReward(cred.hash) !== null) !== Boolean(a)) {
      throw new Error(`internal: registration of ${credKey(cred)} differs between scalus and the front`);
    }
    if (!a) return null;
    const d = this.em.getDelegation(credentialCbor(cred));
    if (d.rewards !== a.rewards) {
      throw new Error(`internal: rewards of ${credKey(cred)}: scalus ${d.rewards}, front ${a.rewards}`);
    }
    const pool = d.poolId ? hex(d.poolId) : null;
    return { rewards: d.rewards, deposit: a.deposit, pool, drep: a.drep };
  }

  registeredCredentials() {
    return [...this.accounts.values()].map((a) => a.cred);
  }

  // [{txId, index, output: CSL.TransactionOutput}]
  utxosAt(addressText) {
    return this.em.getUtxosForAddress(addressText).map(decodeUtxoEntry);
  }

  allUtxos() {
    return this.em.getAllUtxos().map(decodeUtxoEntry);
  }

  utxosByRefs(refs) {
    const wanted = new Set(refs.map((r) => outRefKey(r.txId, r.index)));
    return this.allUtxos().filter((u) => wanted.has(outRefKey(u.txId, u.index)));
  }

  // Live stake delegated through the ledger, per pool (hex → lovelace): UTxO value under each
  // delegated stake credential (base addresses) plus its reward balance.
  delegatedStake() {
    const utxoStake = new Map();
    for (const u of this.allUtxos()) {
      const cred = stakeCredentialOfAddress(u.output.address());
      if (!cred) continue;
      const k = credKey(cred);
      utxoStake.set(k, (utxoStake.get(k) ?? 0n) + BigInt(u.output.amount().coin().to_str()));
    }
    const perPool = new Map();
    for (const cred of this.registeredCredentials()) {
      const acc = this.account(cred);
      if (!acc.pool) continue;
      const stake = (utxoStake.get(credKey(cred)) ?? 0n) + acc.rewards;
      perPool.set(acc.pool, (perPool.get(acc.pool) ?? 0n) + stake);
    }
    return perPool;
  }
}
