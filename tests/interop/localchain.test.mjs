// Interop: the local ledger (tests/interop/localchain/, docs/local-ledger.md), scalus's
// Conway ledger rules behind an Ogmios v6.14 JSON-RPC front, seeded from
// policy/samples/snapshot.json. Transactions are built and signed here with CSL
// (@emurgo/cardano-serialization-lib-nodejs) from a key the test holds (--fund, --stake).
// Every answer is checked against the Ogmios v6.14 schema twice: by the front before it sends it
// (it exits 70 otherwise, which the after hook would report) and here, independently.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import CSL from '@emurgo/cardano-serialization-lib-nodejs';
import WebSocket from 'ws';
import {
  loadOgmiosSchema,
  RESPONSE_DEFINITIONS,
  RPC_ERROR_DEFINITION,
  schemaDirOf,
} from './localchain/ogmios_schema.mjs';

const sourceDir = process.env.STAKEWARD_SOURCE_DIR ?? fileURLToPath(new URL('../..', import.meta.url));
const sharedDir = process.env.STAKEWARD_SHARED_DIR ?? path.resolve(sourceDir, '..', 'shared');
const schema = loadOgmiosSchema(schemaDirOf(sharedDir));
const snapshotPath = path.join(sourceDir, 'policy', 'samples', 'snapshot.json');
const snapshot = JSON.parse(readFileSync(snapshotPath, 'utf8'));
const policyText = readFileSync(path.join(sourceDir, 'policy', 'samples', 'policy.yaml'), 'utf8');
const treasuryAddress = /^\s+treasury_address:\s*(addr\w+)/m.exec(policyText)[1];

// The test's key pays, stakes and signs: base address (payment = stake = this key).
const keySeed = createHash('sha256').update('stakeward localchain test key').digest();
const key = CSL.PrivateKey.from_normal_bytes(keySeed);
const keyHash = key.to_public().hash();
const stakeCred = CSL.Credential.from_keyhash(keyHash);
const address = CSL.BaseAddress.new(0, stakeCred, stakeCred).to_address().to_bech32();
const rewardAccount = CSL.RewardAddress.new(0, stakeCred);
const FUND = 1_000_000_000_000n; // per --fund UTxO
const SEEDED_REWARDS = 5_000_000n; // --stake
const FEE = 400_000n;
const knownPool = snapshot.pools[1].id;

let server;
let funds; // the --fund UTxOs, [{txId, index}]

function startLedger(args) {
  const script = path.join(sourceDir, 'tests', 'interop', 'localchain', 'local-ledger.mjs');
  const proc = spawn(process.execPath, [script, ...args], {
    env: { ...process.env, STAKEWARD_SHARED_DIR: sharedDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr = [];
  readline.createInterface({ input: proc.stderr }).on('line', (l) => stderr.push(l));
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve, reject) => {
    readline.createInterface({ input: proc.stdout }).on('line', (line) => {
      const m = /^READY (ws:\/\/\S+) (http:\/\/\S+)$/.exec(line);
      if (m) resolve({ ws: m[1], http: m[2] });
    });
    exited.then((e) => {
      reject(new Error(`local ledger exited (${JSON.stringify(e)}):\n${stderr.join('\n')}`));
    });
  });
  return { proc, stderr, exited, ready };
}

// The Ogmios schema definition an answer must match.
function checkSchema(method, body) {
  const definition = body.error && !body.method ? RPC_ERROR_DEFINITION : RESPONSE_DEFINITIONS[method];
  const errors = schema.check(definition, body);
  assert.equal(errors, null, `${method} answer matches ogmios.json ${definition}`);
}

async function post(text) {
  let res;
  try {
    const headers = { 'Content-Type': 'application/json' };
    res = await fetch(server.http, { method: 'POST', body: text, headers });
  } catch (e) {
    const log = server.stderr.slice(-40).join('\n');
    throw new Error(`no answer from the local ledger (${e.cause?.code ?? e.message}); stderr:\n${log}`);
  }
  return { status: res.status, body: await res.json() };
}

async function rpc(method, params) {
  const request = { jsonrpc: '2.0', method, ...(params ? { params } : {}), id: 7 };
  const { status, body } = await post(JSON.stringify(request));
  if (!method.startsWith('stakeward/')) checkSchema(method, body);
  assert.equal(status, body.error ? 400 : 200);
  return body;
}

async function result(method, params) {
  const body = await rpc(method, params);
  assert.ok(!body.error, `${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

const tip = () => result('queryNetwork/tip');
const ref = (txId, index) => ({ transaction: { id: txId }, index });
async function unspent(refs) {
  const found = await result('queryLedgerState/utxo', { outputReferences: refs });
  return found.map((u) => `${u.transaction.id}#${u.index}`);
}

// A transaction spending `input` ({txId, index, lovelace}) back to the test's address, signed.
function signedTx({ input, fee = FEE, ttl, certs = [], withdrawals = [], deposit = 0n }) {
  const bn = (v) => CSL.BigNum.from_str(String(v));
  const ins = CSL.TransactionInputs.new();
  ins.add(CSL.TransactionInput.new(CSL.TransactionHash.from_hex(input.txId), input.index));
  const withdrawn = withdrawals.reduce((s, w) => s + w, 0n);
  const change = input.lovelace + withdrawn - fee - deposit;
  const outs = CSL.TransactionOutputs.new();
  outs.add(CSL.TransactionOutput.new(CSL.Address.from_bech32(address), CSL.Value.new(bn(change))));
  const body = CSL.TransactionBody.new_tx_body(ins, outs, bn(fee));
  body.set_ttl(bn(ttl));
  if (certs.length) {
    const cs = CSL.Certificates.new();
    for (const c of certs) cs.add(c);
    body.set_certs(cs);
  }
  if (withdrawals.length) {
    const ws = CSL.Withdrawals.new();
    ws.insert(rewardAccount, bn(withdrawals[0]));
    body.set_withdrawals(ws);
  }
  const tx = CSL.FixedTransaction.new(body.to_bytes(), CSL.TransactionWitnessSet.new().to_bytes(), true);
  tx.sign_and_add_vkey_signature(key);
  const id = tx.transaction_hash().to_hex();
  const size = tx.to_bytes().length;
  return { cbor: tx.to_hex(), id, size, change: { txId: id, index: 0, lovelace: change } };
}

const submit = (tx) => rpc('submitTransaction', { transaction: { cbor: tx.cbor } });

async function submitOk(tx) {
  const body = await submit(tx);
  assert.ok(!body.error, `submit: ${JSON.stringify(body.error)}`);
  assert.equal(body.result.transaction.id, tx.id);
}

before(async () => {
  const args = ['--snapshot', snapshotPath, '--treasury-address', treasuryAddress, '--port', '0',
    '--stake', `${keyHash.to_hex()}=${SEEDED_REWARDS}`];
  for (let i = 0; i < 4; i++) args.push('--fund', `${address}=${FUND}`);
  server = startLedger(args);
  Object.assign(server, await server.ready);
  funds = (await result('queryLedgerState/utxo', { addresses: [address] }))
    .map((u) => ({ txId: u.transaction.id, index: u.index, lovelace: BigInt(u.value.ada.lovelace) }));
  assert.equal(funds.length, 4);
});

after(async () => {
  if (!server?.proc) return;
  const running = server.proc.exitCode === null && server.proc.signalCode === null;
  if (running) process.kill(server.proc.pid, 'SIGTERM');
  const { code } = await server.exited;
  const log = server.stderr.join('\n');
  assert.equal(code, 0, `local ledger exit code (70 = an answer failed the schema):\n${log}`);
});

test('every query answers, matches the Ogmios v6.14 schema and reflects the seed', async () => {
  const start = await tip();
  assert.equal(start.slot, snapshot.slot);
  assert.match(start.id, /^[0-9a-f]{64}$/);
  assert.equal(await result('queryNetwork/blockHeight'), 0);
  assert.equal(await result('queryLedgerState/epoch'), snapshot.epoch);
  const pp = await result('queryLedgerState/protocolParameters');
  assert.equal(pp.minFeeCoefficient, 44);
  assert.equal(pp.minFeeConstant.ada.lovelace, 155381);
  assert.equal(pp.minUtxoDepositCoefficient, 4310);
  assert.equal(pp.maxTransactionSize.bytes, 16384);
  assert.equal(pp.stakeCredentialDeposit.ada.lovelace, 2000000);
  assert.equal(pp.version.major, 10);
  const pools = await result('queryLedgerState/stakePools', { includeStake: true });
  assert.equal(Object.keys(pools).length, snapshot.pools.length);
  assert.equal(pools[knownPool].pledge.ada.lovelace, snapshot.pools[1].pledge);
  const live = await result('queryLedgerState/liveStakeDistribution');
  assert.equal(Object.keys(live).length, snapshot.pools.length);
  const perf = await result('queryLedgerState/stakePoolsPerformances');
  assert.equal(perf.stakePools[knownPool].stake.ada.lovelace, snapshot.pools[1].active_stake);
  const pots = await result('queryLedgerState/treasuryAndReserves');
  assert.equal(pots.reserves.ada.lovelace, snapshot.supply.reserves);
});

test('stakePoolsPerformances with params is refused, as Ogmios v6.14 does', async () => {
  // server/src/Ogmios/Data/Json/Query.hs parseQueryLedgerStakePoolsPerformances: guard (null obj).
  const body = await rpc('queryLedgerState/stakePoolsPerformances', { stakePools: [{ id: knownPool }] });
  assert.equal(body.error.code, -32600);
});

test('utxo by address returns the seeded slot and treasury UTxOs', async () => {
  const addresses = [...snapshot.slots.map((s) => s.address), treasuryAddress];
  const got = (await result('queryLedgerState/utxo', { addresses }))
    .map((u) => `${u.address}|${u.transaction.id}#${u.index}=${u.value.ada.lovelace}`).sort();
  const want = [
    ...snapshot.slots.flatMap((s) =>
      s.utxos.map((u) => `${s.address}|${u.tx}#${u.index}=${u.lovelace}`)),
    ...snapshot.treasury_utxos.map((u) => `${treasuryAddress}|${u.tx}#${u.index}=${u.lovelace}`),
  ].sort();
  assert.deepEqual(got, want);
});

test('rewardAccountSummaries reports the registered slots', async () => {
  const stakeScript = (bech32) =>
    CSL.BaseAddress.from_address(CSL.Address.from_bech32(bech32)).stake_cred().to_scripthash();
  const scripts = snapshot.slots.map((s) => stakeScript(s.address).to_hex());
  const got = await result('queryLedgerState/rewardAccountSummaries', { keys: [], scripts });
  const registered = snapshot.slots.filter((s) => s.registered);
  assert.equal(got.length, registered.length);
  for (const s of registered) {
    const a = got.find((x) => x.credential === scripts[s.index]);
    assert.equal(a.from, 'script');
    assert.equal(a.stakePool.id, s.pool);
    assert.equal(a.rewards.ada.lovelace, s.rewards);
    assert.deepEqual(a.delegateRepresentative, { type: 'abstain' });
  }
});

test('a payment enters the mempool, is confirmed by a block, and cannot be replayed', async () => {
  const t = signedTx({ input: funds[0], ttl: (await tip()).slot + 1000 });
  await submitOk(t);
  const spent = `${funds[0].txId}#${funds[0].index}`;
  const refs = [ref(funds[0].txId, funds[0].index), ref(t.id, 0)];
  assert.deepEqual(await unspent(refs), [spent], 'queries answer from the tip, not the mempool');
  const mined = await result('stakeward/mine', {});
  assert.deepEqual(mined.blocks[0].transactions, [t.id]);
  assert.deepEqual(await unspent(refs), [`${t.id}#0`]);
  assert.equal(await result('queryNetwork/blockHeight'), 1);
  const again = await submit(t);
  assert.equal(again.error.code, 3117);
  assert.deepEqual(again.error.data.unknownOutputReferences, [ref(funds[0].txId, funds[0].index)]);
});

test('a rollback brings the input back and removes the output', async () => {
  const before = await tip();
  await result('stakeward/rollback', { blocks: 1 });
  assert.notDeepEqual(await tip(), before);
  assert.equal(await result('queryNetwork/blockHeight'), 0);
  const t = signedTx({ input: funds[0], ttl: before.slot + 1000 });
  const input = ref(funds[0].txId, funds[0].index);
  assert.deepEqual(await unspent([input, ref(t.id, 0)]), [`${funds[0].txId}#${funds[0].index}`]);
  assert.equal((await result('stakeward/status')).mempool, 0, 'rolled-back transactions are dropped');
});

test('a transaction past its TTL is refused with 3118', async () => {
  const now = (await tip()).slot;
  const body = await submit(signedTx({ input: funds[3], ttl: now - 1 }));
  assert.equal(body.error.code, 3118);
  assert.deepEqual(body.error.data, { validityInterval: { invalidAfter: now - 1 }, currentSlot: now });
});

test('a fee below the minimum is refused with 3122', async () => {
  const t = signedTx({ input: funds[3], fee: 100_000n, ttl: (await tip()).slot + 1000 });
  const body = await submit(t);
  assert.equal(body.error.code, 3122);
  assert.equal(body.error.data.providedFee.ada.lovelace, 100000);
  // The ledger counts the transaction without its is_valid byte (ledger.mjs).
  assert.equal(body.error.data.minimumRequiredFee.ada.lovelace, 44 * (t.size - 1) + 155381);
});

async function keyAccount() {
  const got = await result('queryLedgerState/rewardAccountSummaries', { keys: [keyHash.to_hex()] });
  assert.equal(got.length, 1);
  return got[0];
}

test('a withdrawal needs a DRep delegation, then is debited', async () => {
  const ttl = (await tip()).slot + 1000;
  const early = await submit(signedTx({ input: funds[1], ttl, withdrawals: [SEEDED_REWARDS] }));
  assert.equal(early.error.code, 3150);
  assert.deepEqual(early.error.data.marginalizedCredentials, [keyHash.to_hex()]);

  const abstain = CSL.VoteDelegation.new(stakeCred, CSL.DRep.new_always_abstain());
  const vote = CSL.Certificate.new_vote_delegation(abstain);
  const t1 = signedTx({ input: funds[1], ttl, certs: [vote] });
  await submitOk(t1);
  await result('stakeward/mine');
  assert.deepEqual((await keyAccount()).delegateRepresentative, { type: 'abstain' });

  const t2 = signedTx({ input: t1.change, ttl, withdrawals: [SEEDED_REWARDS] });
  await submitOk(t2);
  await result('stakeward/mine');
  assert.equal((await keyAccount()).rewards.ada.lovelace, 0);
  const twice = await submit(signedTx({ input: t2.change, ttl, withdrawals: [SEEDED_REWARDS] }));
  assert.equal(twice.error.code, 3141, 'the balance was debited');

  const paid = { credential: keyHash.to_hex(), from: 'verificationKey', lovelace: '1500000' };
  await result('stakeward/addRewards', paid);
  assert.equal((await keyAccount()).rewards.ada.lovelace, 1500000);
});

test('a delegation to an unknown pool is refused; to a seeded pool it moves live stake', async () => {
  const ttl = (await tip()).slot + 1000;
  const unknown = CSL.Ed25519KeyHash.from_hex('ee'.repeat(28));
  const bad = CSL.Certificate.new_stake_delegation(CSL.StakeDelegation.new(stakeCred, unknown));
  const refused = await submit(signedTx({ input: funds[2], ttl, certs: [bad] }));
  assert.equal(refused.error.code, 3140);
  assert.equal(refused.error.data.unknownStakePool, unknown.to_bech32('pool'));

  const share = async () => (await result('queryLedgerState/liveStakeDistribution'))[knownPool].stake;
  const before = await share();
  const pool = CSL.Ed25519KeyHash.from_bech32(knownPool);
  const good = CSL.Certificate.new_stake_delegation(CSL.StakeDelegation.new(stakeCred, pool));
  await submitOk(signedTx({ input: funds[2], ttl, certs: [good] }));
  await result('stakeward/mine');
  assert.equal((await keyAccount()).stakePool.id, knownPool);
  assert.notEqual(await share(), before, 'the key\'s UTxOs and rewards now count for the pool');
});

test('malformed JSON-RPC gets JSON-RPC errors', async () => {
  const notJson = await post('{"jsonrpc": "2.0", "method": ');
  assert.equal(notJson.status, 400);
  checkSchema('', notJson.body);
  assert.equal(notJson.body.error.code, -32600);
  assert.equal(notJson.body.id, null);
  const unknown = await rpc('queryLedgerState/everything');
  assert.equal(unknown.error.code, -32600);
  assert.match(unknown.error.message, /unknown method/);
  assert.equal((await rpc('queryLedgerState/utxo', { addresses: 'addr_test1' })).error.code, -32600);
  const notHex = await rpc('submitTransaction', { transaction: { cbor: 'not hex' } });
  assert.equal(notHex.error.code, -32600);
  const garbage = await rpc('submitTransaction', { transaction: { cbor: '00' } });
  assert.equal(garbage.error.code, -32602, 'DeserialisationFailure');
});

test('a WebSocket client gets the same answers as an HTTP client', async () => {
  const requests = [
    ['queryNetwork/tip'],
    ['queryLedgerState/epoch'],
    ['queryLedgerState/protocolParameters'],
    ['queryLedgerState/stakePools', { includeStake: true }],
    ['queryLedgerState/rewardAccountSummaries', { keys: [keyHash.to_hex()] }],
    ['queryLedgerState/utxo', { addresses: [address] }],
    ['queryLedgerState/nothing'],
  ];
  const ws = new WebSocket(server.ws);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  try {
    for (const [method, params] of requests) {
      const text = JSON.stringify({ jsonrpc: '2.0', method, ...(params ? { params } : {}), id: 7 });
      const viaWs = await new Promise((resolve) => {
        ws.once('message', (data) => resolve(JSON.parse(data.toString('utf8'))));
        ws.send(text);
      });
      checkSchema(method, viaWs);
      assert.deepEqual(viaWs, (await post(text)).body, method);
    }
  } finally {
    ws.close();
  }
});

test('stakeward/advance moves time and epochs; rollback is bounded by history', async () => {
  const from = await tip();
  const adv = await result('stakeward/advance', { slots: 432000 });
  assert.equal(adv.tip.slot, from.slot + 432000);
  assert.equal(await result('queryLedgerState/epoch'), snapshot.epoch + 1);
  const tooFar = await rpc('stakeward/rollback', { blocks: 1000 });
  assert.equal(tooFar.error.code, -32602);
});
