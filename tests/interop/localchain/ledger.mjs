// The local chain: scalus 0.17.0's Conway ledger rules (npm "scalus", an Emulator compiled from
// Scala to JS) under a block model the front keeps itself.
//
// Block model. The confirmed state (a ChainState) is the tip; the mempool is a list of accepted
// transactions and `pending` is the confirmed state with the mempool applied. A submission is
// validated against a copy of `pending` at the tip slot and, if accepted, joins the mempool.
// Queries answer from the confirmed state only, as a node does. `mine` makes blocks: the first
// re-applies the whole mempool at its own slot (tip + slotsPerBlock; a transaction whose TTL
// passed by then is dropped, as a block producer would), later ones are empty. The state before
// each block is kept (64 blocks); `rollback n` restores the state before the n-th last block.
// Transactions of rolled-back blocks are dropped, not returned to the mempool; the mempool itself
// is re-validated against the restored tip and keeps what still applies.
import { createHash } from 'node:crypto';
import { ChainState } from './chain_state.mjs';
import { decodeTx, TxDecodeError } from './tx_effects.mjs';

// scalus 0.17.0's protocol parameters. Those it enforces were measured with small transactions
// against Emulator.withState (preview slot config, Conway-era CSL 15.0.3 transactions):
//  - minFeeA 44, minFeeB 155381: a 234-byte transaction with fee 0 is refused with "fee Coin(0) is
//    less than minimum required Coin(165633)", a 238-byte one with "... Coin(165809)": two points
//    of fee = a * (size - 1) + b give a = 44, b = 155381. (Size - 1: the fee counts the
//    transaction without its is_valid byte, as the Haskell ledger's size computation does.)
//  - coinsPerUtxoByte 4310: a 35-byte output holding 1000 lovelace is refused with minimum
//    Coin(840450) = (160 + 35) * 4310.
//  - maxTxSize 16384: a signed transaction of 16384 bytes is accepted, 16385 is refused with
//    "Transaction size 16385 exceeds maximum allowed size 16384" (scalus counts all bytes here).
//  - keyDeposit 2000000: a certificate-0 registration balanced with 2000000 is accepted and with
//    1000000 is refused (value not conserved); a certificate-7 registration declaring 1000000 is
//    refused with "invalid deposits (expected -> provided): … (Coin(2000000),Coin(1000000))".
//  - poolDeposit 500000000, minPoolCost 170000000: a pool registration balanced with 5e8 is
//    accepted, with 4e8 refused; cost 169000000 is refused with "costs below minimum …
//    (Coin(170000000),Coin(169000000))".
// Not observable through any check: the protocol version. 10.0 is the value in scalus's built-in
// parameter set (scalus.js, next to the values above: `new Azt(10,0)`), as are maxValueSize 5000,
// collateralPercentage 150, maxCollateralInputs 3, eMax 18, block sizes 90112/1100. scalus does
// not apply the version-10 rule that key-hash withdrawals need a DRep delegation; the front does
// (tx_effects.mjs).
export const SCALUS_PARAMETERS = Object.freeze({
  minFeeA: 44n,
  minFeeB: 155381n,
  coinsPerUtxoByte: 4310n,
  maxTxSize: 16384n,
  keyDeposit: 2000000n,
  poolDeposit: 500000000n,
  minPoolCost: 170000000n,
  protocolMajor: 10,
  protocolMinor: 0,
  maxValueSize: 5000n,
  collateralPercentage: 150n,
  maxCollateralInputs: 3n,
  poolRetireMaxEpoch: 18n,
  maxBlockBodySize: 90112n,
  maxBlockHeaderSize: 1100n,
});

const HISTORY_LIMIT = 64;

function blockId(prev, height, slot, txIds) {
  return createHash('sha256').update(`${prev}|${height}|${slot}|${txIds.join(',')}`).digest('hex');
}

export class LocalLedger {
  // `tip`: {slot, id, height}; `log`: (line) => void.
  constructor({ state, tip, slotsPerBlock, epochLength, log }) {
    this.confirmed = state;
    this.tip = { ...tip };
    this.slotsPerBlock = slotsPerBlock;
    this.epochLength = epochLength;
    this.log = log;
    this.history = [];
    this.mempool = [];
    this.pending = state.clone();
  }

  static fromSeed(config, seed, options) {
    const state = ChainState.fromSeed(config, { ...seed, slot: seed.tip.slot });
    return new LocalLedger({ state, tip: seed.tip, ...options });
  }

  epoch() {
    return Math.floor(this.tip.slot / this.epochLength);
  }

  status() {
    return {
      tip: { ...this.tip },
      epoch: this.epoch(),
      mempool: this.mempool.length,
      history: this.history.length,
    };
  }

  // {ok: true, txId} or {ok: false, failure} (ChainState.apply).
  submit(bytes) {
    let tx;
    try {
      tx = decodeTx(bytes);
    } catch (e) {
      if (!(e instanceof TxDecodeError)) throw e;
      return { ok: false, failure: { source: 'decode', message: e.message } };
    }
    const candidate = this.pending.clone();
    const r = candidate.apply(tx, bytes);
    if (r.ok) {
      this.pending = candidate;
      this.mempool.push({ tx, bytes });
    }
    return { ...r, tx };
  }

  // Makes `count` blocks; returns their summaries.
  mine(count = 1) {
    const made = [];
    for (let i = 0; i < count; i++) {
      made.push(this.#newBlock(this.tip.slot + this.slotsPerBlock, i === 0 ? this.mempool : []));
    }
    this.mempool = [];
    this.pending = this.confirmed.clone();
    return made;
  }

  // One empty block `slots` after the tip (time passes); the mempool is re-validated there.
  advance(slots) {
    const block = this.#newBlock(this.tip.slot + slots, []);
    this.#revalidateMempool();
    return block;
  }

  rollback(count = 1) {
    if (count < 1 || count > this.history.length) {
      throw new RangeError(`can roll back 1 to ${this.history.length} blocks, not ${count}`);
    }
    const entry = this.history[this.history.length - count];
    this.history.length -= count;
    this.confirmed = entry.state;
    this.tip = entry.tip;
    this.#revalidateMempool();
    this.log(`rollback ${count} block(s) to height ${this.tip.height} slot ${this.tip.slot}`);
    return { tip: { ...this.tip } };
  }

  // Rewards paid into a registered account of the tip state (the front's stand-in for an epoch
  // boundary); a later rollback past the current tip undoes them.
  addRewards(cred, lovelace) {
    this.confirmed.addRewards(cred, lovelace);
    this.#revalidateMempool();
  }

  #newBlock(slot, txs) {
    this.history.push({ state: this.confirmed, tip: { ...this.tip } });
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
    const state = this.confirmed.clone();
    state.setSlot(slot);
    const included = [];
    for (const { tx, bytes } of txs) {
      const r = state.apply(tx, bytes);
      if (r.ok) included.push(r.txId);
      else this.log(`mine: dropped ${tx.id} at slot ${slot}: ${r.failure.message.slice(0, 160)}`);
    }
    const height = this.tip.height + 1;
    this.confirmed = state;
    this.tip = { slot, height, id: blockId(this.tip.id, height, slot, included) };
    this.log(`block ${height} slot ${slot} ${this.tip.id} txs=${included.length}`);
    return { ...this.tip, transactions: included };
  }

  #revalidateMempool() {
    const pending = this.confirmed.clone();
    this.mempool = this.mempool.filter(({ tx, bytes }) => {
      const r = pending.apply(tx, bytes);
      if (!r.ok) this.log(`mempool: dropped ${tx.id}: ${String(r.failure.message).slice(0, 160)}`);
      return r.ok;
    });
    this.pending = pending;
  }
}
