// The local ledger's initial state, built from a Stakeward snapshot (format: policy/snapshot.h;
// sample: policy/samples/snapshot.json) plus test flags.
//
// Into the scalus emulator (the ledger):
//  - every slot's UTxOs at the slot's base address, the treasury UTxOs at --treasury-address
//    (the snapshot's treasury_utxos carry no address), and one UTxO per --fund ADDR=LOVELACE
//    (transaction id sha256("stakeward-localchain fund <n> <address>"), index 0);
//  - a stake registration per slot with "registered": true (its credential is the stake part of
//    the slot's base address), with the slot's rewards and pool, and one per --stake
//    KEYHASH=REWARDS (a key credential, no pool, no DRep);
//  - a pool registration per snapshot pool (operator, VRF, pledge, cost, margin, owners; reward
//    account = the first owner's key on the snapshot's network, because the snapshot has none;
//    no relays and no metadata: scalus only needs the pool to exist).
// Kept by the front only (scalus has no such data): pool relays, metadata URLs, live and active
// stake, live pledge, blocks per epoch, retiring epochs, the reserves, the slots' DRep choices.
import { createHash } from 'node:crypto';
import { parseExact } from './bigjson.mjs';
import {
  CSL,
  credentialOfCsl,
  parseAddress,
  plainOutput,
  poolIdToBech32,
  poolIdToHex,
} from './chain_codec.mjs';
import { drepJson } from './tx_effects.mjs';

const sha256 = (text) => createHash('sha256').update(text).digest('hex');

function gcd(a, b) {
  while (b) [a, b] = [b, a % b];
  return a;
}

// Snapshot ratios are "n/d", decimal text or a number (policy/snapshot.h); kept exact.
export function parseRatio(v) {
  const text = String(v).trim();
  let n;
  let d;
  if (text.includes('/')) {
    [n, d] = text.split('/').map((x) => BigInt(x.trim()));
  } else {
    const m = /^([0-9]+)(?:\.([0-9]+))?$/.exec(text);
    if (!m) throw new Error(`not a ratio: ${text.slice(0, 40)}`);
    const frac = m[2] ?? '';
    n = BigInt(m[1] + frac);
    d = 10n ** BigInt(frac.length);
  }
  if (d === 0n) throw new Error(`zero denominator: ${text}`);
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}

function lovelace(v, what) {
  if (v === null || v === undefined || !/^[0-9]+$/.test(String(v))) {
    throw new Error(`${what}: expected an amount, got ${v}`);
  }
  return BigInt(v);
}

function seedPool(p) {
  const hex = poolIdToHex(p.id);
  return {
    hex,
    bech32: poolIdToBech32(hex),
    vrf: p.vrf,
    pledge: lovelace(p.pledge, `${p.id}.pledge`),
    cost: lovelace(p.fixed_cost, `${p.id}.fixed_cost`),
    margin: parseRatio(p.margin),
    owners: p.owners ?? [],
    relays: p.relays ?? [],
    metadataUrl: p.metadata_url || null,
    retiringEpoch: p.retiring_epoch ?? null,
    registeredEpoch: p.registered_epoch ?? 0,
    liveStake: lovelace(p.live_stake ?? 0, `${p.id}.live_stake`),
    activeStake: lovelace(p.active_stake ?? p.live_stake ?? 0, `${p.id}.active_stake`),
    livePledge: lovelace(p.live_pledge ?? p.pledge, `${p.id}.live_pledge`),
    blocks: (p.blocks ?? []).map((b) => ({
      epoch: b.epoch,
      made: b.made,
      expected: parseRatio(b.expected),
    })),
  };
}

// The CBOR pool registration certificate scalus's EmulatorInitialState.poolRegistrations takes.
function poolCertificate(pool, networkId) {
  const bn = (x) => CSL.BigNum.from_str(String(x));
  const owners = CSL.Ed25519KeyHashes.new();
  for (const o of pool.owners) owners.add(CSL.Ed25519KeyHash.from_hex(o));
  const rewardKey = CSL.Ed25519KeyHash.from_hex(pool.owners[0] ?? pool.hex);
  const params = CSL.PoolParams.new(
    CSL.Ed25519KeyHash.from_hex(pool.hex),
    CSL.VRFKeyHash.from_hex(pool.vrf),
    bn(pool.pledge),
    bn(pool.cost),
    CSL.UnitInterval.new(bn(pool.margin.n), bn(pool.margin.d)),
    CSL.RewardAddress.new(networkId, CSL.Credential.from_keyhash(rewardKey)),
    owners,
    CSL.Relays.new(),
    undefined,
  );
  return CSL.Certificate.new_pool_registration(CSL.PoolRegistration.new(params)).to_bytes();
}

// Snapshot "drep": "abstain" (or "alwaysAbstain") | "no-confidence" (or "alwaysNoConfidence") |
// "drep1…" | null (docs/snapshot-format.md, slots[]).
function seedDrep(text) {
  if (!text) return null;
  if (text === 'abstain' || text === 'alwaysAbstain') return { type: 'abstain' };
  if (text === 'no-confidence' || text === 'alwaysNoConfidence') return { type: 'noConfidence' };
  return drepJson(CSL.DRep.from_bech32(text));
}

function slotStakeCredential(slot) {
  if (!slot.address) {
    throw new Error(`slot ${slot.index}: no "address"; the local ledger needs its base address`);
  }
  const base = CSL.BaseAddress.from_address(parseAddress(slot.address));
  if (!base) throw new Error(`slot ${slot.index}: ${slot.address.slice(0, 40)}… is no base address`);
  return credentialOfCsl(base.stake_cred());
}

function slotUtxos(slot) {
  return (slot.utxos ?? []).map((u) => ({
    txId: u.tx,
    index: u.index,
    output: plainOutput(slot.address, lovelace(u.lovelace, `slot ${slot.index} utxo`)),
  }));
}

// What the snapshot says the slot holds (its live_stake counts it): "balance", else the UTxO sum.
function slotBalance(slot) {
  if (slot.balance !== undefined && slot.balance !== null) {
    return lovelace(slot.balance, `slot ${slot.index}.balance`);
  }
  return slotUtxos(slot).reduce((s, u) => s + BigInt(u.output.amount().coin().to_str()), 0n);
}

function addSlots(snapshot, seed, keyDeposit) {
  for (const slot of snapshot.slots ?? []) {
    if ((slot.utxos ?? []).length > 0 || slot.registered) slotStakeCredential(slot); // checks it
    seed.utxos.push(...slotUtxos(slot));
    if (slotBalance(slot) > 0n && (slot.utxos ?? []).length === 0) {
      seed.warnings.push(`slot ${slot.index}: balance without "utxos"; the ledger holds nothing for it`);
    }
    if (!slot.registered) continue;
    // scalus records every seeded registration with the key deposit parameter and refunds exactly
    // that, so the account reports it; a different snapshot deposit is only warned about.
    if (slot.deposit !== undefined && slot.deposit !== null && BigInt(slot.deposit) !== keyDeposit) {
      seed.warnings.push(`slot ${slot.index}: deposit ${slot.deposit}, key deposit ${keyDeposit}`);
    }
    const pool = slot.pool ? poolIdToHex(slot.pool) : null;
    const rewards = lovelace(slot.rewards ?? 0, `slot ${slot.index}.rewards`);
    const cred = slotStakeCredential(slot);
    seed.accounts.push({ cred, rewards, deposit: keyDeposit, pool, drep: seedDrep(slot.drep) });
    if (pool) {
      const counted = (seed.seededDelegation.get(pool) ?? 0n) + slotBalance(slot) + rewards;
      seed.seededDelegation.set(pool, counted);
    }
  }
}

// `options`: {snapshotText, treasuryAddress, funds: [{address, lovelace}], stakes: [{keyHash,
// rewards}], keyDeposit}. Returns {network, networkId, epoch (the snapshot's), tip, protocol,
// reserves, pools, poolCerts, utxos, accounts, warnings: [text], seededDelegation: Map(pool hex
// → the slot stake the snapshot's live_stake counts)}.
export function buildSeed(options) {
  const snapshot = parseExact(options.snapshotText);
  if (snapshot.schema !== 1) throw new Error(`unsupported snapshot schema ${snapshot.schema}`);
  const networkId = snapshot.network === 'mainnet' ? 1 : 0;
  const pools = (snapshot.pools ?? []).map(seedPool);
  const source = snapshot.source?.tip;
  const seed = {
    network: snapshot.network,
    networkId,
    epoch: Number(snapshot.epoch),
    tip: {
      slot: Number(snapshot.slot ?? 0),
      id: source?.hash ?? sha256(`stakeward-localchain genesis ${snapshot.slot}`),
      height: Number(source?.height ?? 0),
    },
    protocol: snapshot.protocol,
    reserves: lovelace(snapshot.supply?.reserves ?? 0, 'supply.reserves'),
    pools,
    poolCerts: pools.map((p) => poolCertificate(p, networkId)),
    utxos: [],
    accounts: [],
    seededDelegation: new Map(),
    warnings: [],
  };
  addSlots(snapshot, seed, options.keyDeposit);
  for (const u of snapshot.treasury_utxos ?? []) {
    const output = plainOutput(options.treasuryAddress, lovelace(u.lovelace, 'treasury utxo'));
    seed.utxos.push({ txId: u.tx, index: u.index, output });
  }
  options.funds.forEach((f, i) => {
    const txId = sha256(`stakeward-localchain fund ${i} ${f.address}`);
    seed.utxos.push({ txId, index: 0, output: plainOutput(f.address, f.lovelace) });
  });
  for (const s of options.stakes) {
    const cred = { type: 'key', hash: s.keyHash };
    const deposit = options.keyDeposit;
    seed.accounts.push({ cred, rewards: s.rewards, deposit, pool: null, drep: null });
  }
  return seed;
}
