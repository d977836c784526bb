// Interop: the reward cycle's transactions as third-party libraries read them.
//  - CSL (@emurgo/cardano-serialization-lib-nodejs) parses the L1 reward transaction: full
//    withdrawals from script reward accounts, treasury and bridge outputs, the fee, and the
//    Milkomeda metadata {87: magic, 88: operator L2 address} whose hash is in the body.
//  - ethers parses the signed L2 deposit: EIP-1559, chain id 200101, the sender recovered from the
//    signature is the operator, and the call data decodes as accreditToPool(_roi).
// The first two tests read transactions printed by `rewards_vectors` (tests/unit/rewards/tools);
// the last one drives the whole cycle through the CLI against stakewardd: `rewards build` on the
// controller, the signers' device signatures, `confirm-l1`, `deposit` signed on mock-trezor's
// Ethereum app (twice: the second call returns the stored deposit), and read-only `show --db`.
// Expected values come from the policy YAML text and the mock's documented default seed, and
// CSL and ethers decode the bytes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import CSL from '@emurgo/cardano-serialization-lib-nodejs';
import { Transaction, Interface, getAddress } from 'ethers';
// bech32 1.1.4 (pinned in package-lock.json, installed with the vendors' clients) decodes the
// CIP-1854 `acct_shared_xvk` keys, whose prefix CSL's from_bech32 does not accept.
import bech32 from 'bech32';

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
// The CLI end to end, against stakewardd: every change goes through the controller's API.

const SRC = process.env.STAKEWARD_SOURCE_DIR;
assert.ok(SRC, 'STAKEWARD_SOURCE_DIR must point at the source tree');

function startReady(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(bin, cmd), args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => reject(new Error(`${cmd} did not become ready`)), 10000);
    child.on('exit', (code) => reject(new Error(`${cmd} exited early (${code})`)));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      resolve({ child, words: line.split(' ') });
    });
  });
}

const H = 0x80000000;

// The treasury P = atLeast(threshold) of the signers' payment keys (CIP-1854 account .../0/0)
// as an enterprise script address (design §3), computed by CSL from the policy's xpubs.
function treasuryAddress(yaml) {
  const xpubs = [...yaml.matchAll(/^ {4}xpub: (\S+)$/gm)].map((m) => m[1]);
  assert.equal(xpubs.length, 3);
  const scripts = CSL.NativeScripts.new();
  for (const x of xpubs) {
    const raw = x.startsWith('acct_shared_xvk')
      ? Buffer.from(bech32.fromWords(bech32.decode(x, 1023).words)) : Buffer.from(x, 'hex');
    const pub = CSL.Bip32PublicKey.from_bytes(raw);
    const kh = pub.derive(0).derive(0).to_raw_key().hash();
    scripts.add(CSL.NativeScript.new_script_pubkey(CSL.ScriptPubkey.new(kh)));
  }
  const m = Number(/^threshold: (\d+)$/m.exec(yaml)[1]);
  const p = CSL.NativeScript.new_script_n_of_k(CSL.ScriptNOfK.new(m, scripts));
  return CSL.EnterpriseAddress.new(0, CSL.Credential.from_scripthash(p.hash()))
    .to_address().to_bech32('addr_test');
}

// A value of the sample policy's rewards section, read from the YAML text itself.
function policyValue(yaml, key) {
  const m = new RegExp(`^  ${key}: (\\S+)`, 'm').exec(yaml);
  assert.ok(m, `policy has rewards.${key}`);
  return m[1];
}

test('reward round on stakewardd: build, device signatures, confirm-l1, deposit, show --db', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sw-rewards-'));
  const children = [];
  try {
    const trezor = await startReady('mock-trezor', ['--port', '0', '--control-port', '0']);
    children.push(trezor.child);
    const ledger = await startReady('mock-ledger', ['--apdu-port', '0', '--control-port', '0']);
    children.push(ledger.child);
    const trezorUri = trezor.words[1];
    const ledgerUri = ledger.words[1];
    const policyFile = path.join(SRC, 'policy/samples/policy.yaml');
    const policyYaml = readFileSync(policyFile, 'utf8');
    const db = path.join(dir, 'controller.db');
    const daemon = await startReady('stakewardd', ['--dev', '--listen', '127.0.0.1:0', '--db', db,
      '--policy', policyFile, '--snapshot', path.join(SRC, 'policy/samples/snapshot.json')]);
    children.push(daemon.child);
    const server = daemon.words.find((w) => w.startsWith('grpc:')).slice('grpc:'.length);

    const env = { ...process.env, STAKEWARD_TRUST_DIR: path.join(dir, 'trust') };
    const cli = (args) => execFileSync(path.join(bin, 'stakeward'), [...args, '--server', server],
      { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
    execFileSync(path.join(bin, 'stakeward'), ['policy', 'trust', policyFile], { env, stdio: 'ignore' });
    cli(['policy', 'sign', '--signer', 'alice', '--device', trezorUri]);
    cli(['policy', 'sign', '--signer', 'carol', '--device', ledgerUri]);
    cli(['snapshot', 'push', path.join(SRC, 'policy/samples/snapshot-rewards.json'), '--dev-role', 'operator']);

    // L1: the controller builds the reward proposal; the operator's address comes from the device.
    const built = JSON.parse(cli(['rewards', 'build', '200', '--device', trezorUri, '--json']));
    const id = built.proposal_id;
    assert.ok(id, 'a reward proposal was built');
    cli(['proposal', 'sign', id, '--signer', 'alice', '--device', trezorUri]);
    cli(['proposal', 'sign', id, '--signer', 'carol', '--device', ledgerUri]);
    const out = path.join(dir, 'export');
    cli(['proposal', 'export', id, '--dev-role', 'operator', '--out-dir', out]);
    const envelopes = readdirSync(out).map((f) => JSON.parse(readFileSync(path.join(out, f), 'utf8')))
      .filter((e) => e.type === 'Witnessed Tx ConwayEra');
    assert.equal(envelopes.length, 1);
    const tx = CSL.Transaction.from_hex(envelopes[0].cborHex);
    const operator = policyValue(policyYaml, 'operator_l2_address');
    // The commission and the treasury UTxO go back to the signers' treasury script.
    assert.equal(tx.body().outputs().get(0).address().to_bech32(), treasuryAddress(policyYaml));
    assert.equal(tx.body().outputs().get(1).address().to_bech32(), policyValue(policyYaml, 'bridge_address'));
    assert.equal(tx.auxiliary_data().metadata().get(CSL.BigNum.from_str('88')).as_text(), operator);
    const bridged = BigInt(tx.body().outputs().get(1).amount().coin().to_str());
    assert.equal(BigInt(built.bridged), bridged);

    cli(['rewards', 'confirm-l1', '200']);

    // L2: the deposit the controller reserves, checked and signed on the Trezor's Ethereum app.
    const depositArgs = ['rewards', 'deposit', '200', '--device', trezorUri, '--nonce', '3',
      '--gas-limit', '150000', '--max-fee-per-gas', '60000000000',
      '--max-priority-fee-per-gas', '1000000000', '--bridge-fee', '500000', '--json'];
    const first = JSON.parse(cli(depositArgs));
    assert.equal(first.reused, false);
    const l2 = Transaction.from(first.raw_tx);
    assert.equal(l2.from, getAddress(operator));
    assert.equal(l2.chainId, BigInt(policyValue(policyYaml, 'l2_chain_id')));
    assert.equal(l2.to, getAddress(policyValue(policyYaml, 'contract_address')));
    assert.equal(l2.nonce, 3);
    assert.equal(l2.value, (bridged - 500000n) * 10n ** 12n);
    const iface = new Interface(['function accreditToPool(uint256 _roi) payable']);
    assert.equal(iface.parseTransaction({ data: l2.data, value: l2.value }).args[0],
      BigInt(policyValue(policyYaml, 'roi')));

    // A second request returns the stored deposit.
    const second = JSON.parse(cli(depositArgs));
    assert.equal(second.reused, true);
    assert.equal(second.raw_tx, first.raw_tx);

    // Read-only views of the controller's database, while it runs.
    const shown = JSON.parse(execFileSync(path.join(bin, 'stakeward'),
      ['rewards', 'show', '200', '--db', db, '--json'], { encoding: 'utf8' }));
    // Signed, not on the L2 chain (this controller has no L2 node): the epoch is not DEPOSITED.
    assert.equal(shown.status, 'L1_CONFIRMED');
    assert.equal(shown.deposit.state, 'SIGNED');
    assert.equal(shown.deposit.tx_hash, l2.hash);
    assert.equal(shown.deposit.raw_tx, first.raw_tx);
    assert.equal(BigInt(shown.bridged), bridged);
    const verified = execFileSync(path.join(bin, 'stakeward'), ['audit', 'verify', '--db', db],
      { encoding: 'utf8' });
    assert.match(verified, /state tables match the log/);
  } finally {
    for (const c of children.reverse()) c.kill('SIGTERM');
  }
});
