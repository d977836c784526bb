// Interop: the reward cycle's transactions as third-party libraries read them.
//  - CSL (@emurgo/cardano-serialization-lib-nodejs) parses the L1 reward transaction: full
//    withdrawals from script reward accounts, treasury and bridge outputs, the fee, and the
//    Milkomeda metadata {87: magic, 88: operator L2 address} whose hash is in the body.
//  - ethers parses the signed L2 deposit: EIP-1559, chain id 200101, the sender recovered from the
//    signature is the operator, and the call data decodes as accreditToPool(_roi).
// The first two tests read transactions printed by `rewards_vectors` (tests/unit/rewards/tools);
// the last one drives the whole cycle through the CLI: `stakeward rewards build` from a policy
// and a snapshot whose addresses CSL derives independently, `confirm-l1`, `deposit` signed on
// mock-ledger's Ethereum app (twice: the second call returns the stored deposit), and `show`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import CSL from '@emurgo/cardano-serialization-lib-nodejs';
import { Transaction, Interface, getAddress } from 'ethers';

const bin = process.env.STAKEWARD_BIN;
assert.ok(bin, 'STAKEWARD_BIN must point at the build bin directory');
const tool = path.join(bin, 'rewards_vectors');

function vectors() {
  assert.ok(existsSync(tool), `${tool} is not built`);
  return JSON.parse(execFileSync(tool, { encoding: 'utf8' }));
}

test('CSL parses the L1 reward transaction and its bridge metadata', () => {
  const v = vectors().l1;
  const tx = CSL.Transaction.from_hex(v.cbor_hex);
  const body = tx.body();

  // Byte-exact round trip and the same transaction id.
  const fixed = CSL.FixedTransaction.from_hex(v.cbor_hex);
  assert.equal(fixed.transaction_hash().to_hex(), v.tx_id);

  assert.equal(body.inputs().len(), 1);
  assert.equal(body.fee().to_str(), String(v.fee));

  // Withdrawals: three script-credential reward accounts, their sum is what was withdrawn.
  const wd = body.withdrawals();
  assert.ok(wd, 'withdrawals present');
  assert.equal(wd.len(), 3);
  const keys = wd.keys();
  let sum = 0n;
  for (let i = 0; i < keys.len(); i++) {
    const ra = keys.get(i);
    assert.equal(ra.payment_cred().kind(), CSL.CredKind.Script);
    assert.equal(ra.to_address().to_bytes()[0], 0xf0);
    sum += BigInt(wd.get(ra).to_str());
  }
  assert.equal(sum, BigInt(v.withdrawn));

  // Outputs: treasury (UTxO back + commission), then the bridge; inputs = outputs + fee.
  const outs = body.outputs();
  assert.equal(outs.len(), 2);
  assert.equal(outs.get(0).amount().coin().to_str(), String(v.treasury_out));
  assert.equal(outs.get(1).address().to_bech32(), v.bridge_address);
  assert.equal(outs.get(1).amount().coin().to_str(), String(v.bridged));
  const outTotal = BigInt(outs.get(0).amount().coin().to_str()) +
    BigInt(outs.get(1).amount().coin().to_str());
  assert.equal(BigInt(v.treasury_in) + sum, outTotal + BigInt(body.fee().to_str()));

  // Metadata 87/88 and the auxiliary data hash in the body.
  const aux = tx.auxiliary_data();
  assert.ok(aux, 'auxiliary data present');
  const md = aux.metadata();
  assert.equal(md.get(CSL.BigNum.from_str('87')).as_text(), v.magic);
  const dest = md.get(CSL.BigNum.from_str('88')).as_text();
  assert.equal(dest, v.operator_l2);
  assert.match(dest, /^0x[0-9a-f]{40}$/);
  assert.equal(CSL.hash_auxiliary_data(aux).to_hex(), body.auxiliary_data_hash().to_hex());
});

test('ethers parses the L2 deposit, recovers the operator and decodes accreditToPool', () => {
  const v = vectors().l2;
  const tx = Transaction.from(v.raw);
  assert.equal(tx.type, 2);
  assert.equal(tx.chainId, BigInt(v.chain_id));
  assert.equal(tx.chainId, 200101n);
  assert.equal(tx.from, getAddress(v.from));
  assert.equal(tx.to, getAddress(v.to));
  assert.equal(tx.nonce, Number(v.nonce));
  assert.equal(tx.value, BigInt(v.value_wei));
  assert.equal(tx.hash, v.tx_hash);
  // value = lovelace × 10^12: an exact multiple.
  assert.equal(tx.value % 10n ** 12n, 0n);

  const iface = new Interface([
    'function accreditToPool(uint256 _roi) payable returns (uint256 amountIn, uint256 amountOut)',
  ]);
  const call = iface.parseTransaction({ data: tx.data, value: tx.value });
  assert.equal(call.name, 'accreditToPool');
  assert.equal(call.args[0], BigInt(v.roi));
  assert.equal(tx.data.slice(0, 10), iface.getFunction('accreditToPool').selector);
});

// ---------------------------------------------------------------------------------------------
// The CLI end to end.

const H = 0x80000000;

// CIP-1854 account xpub and payment key hash (.../0/0) of a signer, derived by CSL.
function signerKeys(seedByte) {
  const entropy = Buffer.alloc(16, seedByte);
  const root = CSL.Bip32PrivateKey.from_bip39_entropy(entropy, Buffer.alloc(0));
  const account = root.derive(1854 + H).derive(1815 + H).derive(0 + H);
  const pub = account.to_public();
  return {
    xpubHex: Buffer.from(pub.as_bytes()).toString('hex'),
    paymentKeyHash: pub.derive(0).derive(0).to_raw_key().hash(),
  };
}

// Enterprise address of P = atLeast M of the signers' payment keys (design §3), by CSL.
function treasuryAddress(keyHashes, m) {
  const scripts = CSL.NativeScripts.new();
  for (const kh of keyHashes) scripts.add(CSL.NativeScript.new_script_pubkey(CSL.ScriptPubkey.new(kh)));
  const p = CSL.NativeScript.new_script_n_of_k(CSL.ScriptNOfK.new(m, scripts));
  return CSL.EnterpriseAddress.new(0, CSL.Credential.from_scripthash(p.hash()))
    .to_address().to_bech32('addr_test');
}

function startMockLedger() {
  return new Promise((resolve, reject) => {
    const proc = spawn(path.join(bin, 'mock-ledger'),
      // The deposit carries calldata: the Ethereum app's Blind signing setting must be on.
      ['--apdu-port', '0', '--control-port', '0', '--app', 'ethereum', '--blind-signing'],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => reject(new Error('mock-ledger did not become ready')), 10000);
    proc.on('exit', (code) => reject(new Error(`mock-ledger exited early (${code})`)));
    readline.createInterface({ input: proc.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const m = /^READY (tcp:127\.0\.0\.1:\d+) control:127\.0\.0\.1:\d+$/.exec(line);
      if (!m) return reject(new Error(`bad READY line: ${line}`));
      resolve({ proc, uri: m[1] });
    });
  });
}

function stakeward(args) {
  return execFileSync(path.join(bin, 'stakeward'), args, { encoding: 'utf8' });
}

// m/44'/60'/0'/0/0 of the Speculos default seed, the mock's default mnemonic (specs/ledger.md §7.3).
const LEDGER_OPERATOR = '0xDad77910DbDFdE764fC21FCD4E74D71bBACA6D8D';
const CONTRACT = '0x45f48842ef34da79a5b426f427e63d9fa8b53696';  // devnet LiquidStaking

test('stakeward rewards build / confirm-l1 / deposit / show on mock-ledger', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sw-rewards-'));
  const signers = [1, 2, 3].map(signerKeys);
  const treasury = treasuryAddress(signers.map((s) => s.paymentKeyHash), 2);
  const bridge = 'addr_test1wz6lvjg3anml96vl22mls5vae3x2cgaqwy2ewp5gj3fcxdcw652wz';
  const policyYaml = [
    'version: 1',
    'network: testnet',
    'protocol_magic: 1',
    'threshold: 2',
    'signers:',
    ...signers.map((s, i) => `  - {name: s${i}, xpub: "${s.xpubHex}", device: ${i % 2 ? 'trezor' : 'ledger'}}`),
    'drep: abstain',
    'rewards:',
    '  commission_bps: 500',
    `  treasury_address: ${treasury}`,
    `  bridge_address: ${bridge}`,
    '  bridge_metadata_magic: devnet.cardano-evm.c1',
    '  l2_chain_id: 200101',
    `  contract_address: "${CONTRACT}"`,
    '  roi: 40',
    `  operator_path: "m/44'/60'/0'/0/0"`,
    '  bridge_min_lovelace: 3000000',
    `  operator_l2_address: "${LEDGER_OPERATOR.toLowerCase()}"`,
    '',
  ].join('\n');
  const snapshot = {
    schema: 1, network: 'testnet', epoch: 510, slot: 130000000,
    protocol: { k: 500, a0: '3/10', rho: '3/1000', tau: '1/5', key_deposit: 2000000,
      min_fee_a: 44, min_fee_b: 155381, coins_per_utxo_byte: 4310, max_tx_size: 16384,
      protocol_major: 10 },
    supply: { circulating: 37000000000000000, reserves: 8000000000000000 },
    pools: [],
    slots: [
      { index: 0, registered: true, pool: null, drep: 'abstain', balance: 1000000000000, rewards: 40000000 },
      { index: 1, registered: true, pool: null, drep: 'abstain', balance: 3000000000000, rewards: 60000000 },
      { index: 2, registered: false, pool: null, drep: null, balance: 0, rewards: 0 },
    ],
    treasury_utxos: [{ tx: '11'.repeat(32), index: 0, lovelace: 5000000 }],
  };
  const policyFile = path.join(dir, 'policy.yaml');
  const snapFile = path.join(dir, 'snapshot.json');
  const db = path.join(dir, 'controller.db');
  writeFileSync(policyFile, policyYaml);
  writeFileSync(snapFile, JSON.stringify(snapshot));

  // L1: build and record; CSL reads the TextEnvelope the CLI wrote.
  const built = JSON.parse(stakeward(['rewards', 'build', '--policy', policyFile, '--snapshot', snapFile,
    '--operator', LEDGER_OPERATOR, '--db', db, '--create-db', '--out', path.join(dir, 'reward'), '--ttl', '130007200', '--json']));
  assert.equal(built.txs.length, 1);
  const envelope = JSON.parse(readFileSync(built.txs[0].file, 'utf8'));
  assert.equal(envelope.type, 'Tx ConwayEra');
  const tx = CSL.Transaction.from_hex(envelope.cborHex);
  assert.equal(CSL.FixedTransaction.from_hex(envelope.cborHex).transaction_hash().to_hex(), built.txs[0].tx_id);
  assert.equal(tx.body().withdrawals().len(), 2);
  assert.equal(tx.body().outputs().get(0).address().to_bech32(), treasury);
  assert.equal(tx.body().outputs().get(1).address().to_bech32(), bridge);
  const md = tx.auxiliary_data().metadata();
  assert.equal(md.get(CSL.BigNum.from_str('88')).as_text(), LEDGER_OPERATOR.toLowerCase());
  const bridged = BigInt(built.txs[0].bridged);
  assert.equal(BigInt(tx.body().outputs().get(1).amount().coin().to_str()), bridged);

  stakeward(['rewards', 'confirm-l1', '510', '--db', db]);

  // L2: the deposit, signed on the mock's Ethereum app.
  const mock = await startMockLedger();
  try {
    const depositArgs = ['rewards', 'deposit', '510', '--db', db, '--policy', policyFile,
      '--device', mock.uri, '--nonce', '3', '--gas-limit', '150000', '--max-fee-per-gas', '60000000000',
      '--max-priority-fee-per-gas', '1000000000', '--bridge-fee', '500000', '--json'];
    const first = JSON.parse(stakeward(depositArgs));
    assert.equal(first.reused, false);
    const l2 = Transaction.from(first.raw_tx);
    assert.equal(l2.from, LEDGER_OPERATOR);
    assert.equal(l2.chainId, 200101n);
    assert.equal(l2.to, getAddress(CONTRACT));
    assert.equal(l2.nonce, 3);
    assert.equal(l2.value, (bridged - 500000n) * 10n ** 12n);
    const iface = new Interface(['function accreditToPool(uint256 _roi) payable']);
    assert.equal(iface.parseTransaction({ data: l2.data, value: l2.value }).args[0], 40n);

    // A second request (even with another nonce) returns the stored deposit.
    depositArgs[depositArgs.indexOf('--nonce') + 1] = '4';
    const second = JSON.parse(stakeward(depositArgs));
    assert.equal(second.reused, true);
    assert.equal(second.raw_tx, first.raw_tx);

    const shown = JSON.parse(stakeward(['rewards', 'show', '510', '--db', db, '--json']));
    assert.equal(shown.status, 'DEPOSITED');
    assert.equal(shown.deposit.state, 'SIGNED');
    assert.equal(shown.deposit.tx_hash, l2.hash);
    assert.equal(shown.deposit.raw_tx, first.raw_tx);
    assert.equal(shown.slots.length, 3);
    assert.equal(shown.slots[2].outcome, 'skipped_deregistered');
    assert.equal(BigInt(shown.bridged), bridged);
  } finally {
    mock.proc.kill('SIGTERM');
  }
});
