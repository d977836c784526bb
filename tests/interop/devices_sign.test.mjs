// Interop: the same `stakeward sign` invocation against mock-ledger and mock-trezor. The
// unsigned 2-of-2 multisig delegation transaction is built with cardano-serialization-lib from
// the account keys `stakeward keys export` reads from each device; CSL then takes the witness
// files, and each signature must verify over the body hash CSL computes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const CSL = require('@emurgo/cardano-serialization-lib-nodejs');

const BIN = process.env.STAKEWARD_BIN;
const POOL = 'f61c42cbf7c8c53af3f520508212ad3e72f674f957fe23ff0acb4973';
const TXID = '3b40265111d8bb3c3c608d95b3a0bf83461ace32d79336579a1939b3aad1c0b7';
const PATHS = ["m/1854'/1815'/0'/0/0", "m/1854'/1815'/0'/2/0"];

const mocks = {};
let tmp;

function startMock(name, args, scheme) {
  return new Promise((resolve, reject) => {
    const proc = spawn(path.join(BIN, name), args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => reject(new Error(`${name} did not become ready`)), 10000);
    proc.on('exit', (code) => reject(new Error(`${name} exited early (${code})`)));
    readline.createInterface({ input: proc.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const uri = line.split(' ').find((t) => t.startsWith(`${scheme}:`));
      if (!line.startsWith('READY ') || !uri) return reject(new Error(`bad READY line: ${line}`));
      resolve({ proc, uri });
    });
  });
}

function stakeward(args) {
  return new Promise((resolve, reject) => {
    execFile(path.join(BIN, 'stakeward'), args, { timeout: 60000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`stakeward ${args.join(' ')} failed: ${stderr || err.message}`));
      resolve({ stdout, stderr });
    });
  });
}

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-devices-sign-'));
  mocks.ledger = await startMock('mock-ledger', ['--apdu-port', '0', '--control-port', '0'], 'tcp');
  mocks.trezor = await startMock('mock-trezor', ['--port', '0', '--control-port', '0'], 'udp');
});

after(() => {
  for (const m of Object.values(mocks)) m.proc.kill('SIGTERM');
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

// Key hash of account xpub / chain / index, derived by CSL from the exported account key.
function childKeyHash(accountHex, chain, index) {
  const acct = CSL.Bip32PublicKey.from_bytes(Buffer.from(accountHex, 'hex'));
  return acct.derive(chain).derive(index).to_raw_key().hash();
}

function atLeast2(hashes) {
  const scripts = CSL.NativeScripts.new();
  for (const h of hashes) scripts.add(CSL.NativeScript.new_script_pubkey(CSL.ScriptPubkey.new(h)));
  return CSL.NativeScript.new_script_n_of_k(CSL.ScriptNOfK.new(2, scripts));
}

test('keys export, then one multisig delegation signed by both devices, accepted by CSL', async () => {
  const accounts = {};
  for (const [name, m] of Object.entries(mocks)) {
    const { stdout } = await stakeward(['keys', 'export', '--device', m.uri, '--account', '0',
      '--name', name]);
    const j = JSON.parse(stdout);
    assert.equal(j.device, name);
    assert.match(j.multisig_account.xpub, /^acct_shared_xvk1/);
    assert.equal(j.multisig_account.path, "m/1854'/1815'/0'");
    accounts[name] = j.multisig_account.xpub_hex;
  }
  const names = Object.keys(accounts);
  const payScript = atLeast2(names.map((n) => childKeyHash(accounts[n], 0, 0)));
  const stakeScript = atLeast2(names.map((n) => childKeyHash(accounts[n], 2, 0)));
  const payCred = CSL.Credential.from_scripthash(payScript.hash());
  const stakeCred = CSL.Credential.from_scripthash(stakeScript.hash());

  const inputs = CSL.TransactionInputs.new();
  inputs.add(CSL.TransactionInput.new(CSL.TransactionHash.from_hex(TXID), 0));
  const outputs = CSL.TransactionOutputs.new();
  const addr = CSL.BaseAddress.new(0, payCred, stakeCred).to_address();
  outputs.add(CSL.TransactionOutput.new(addr, CSL.Value.new(CSL.BigNum.from_str('97000000'))));
  const certs = CSL.Certificates.new();
  certs.add(CSL.Certificate.new_stake_registration(
    CSL.StakeRegistration.new_with_explicit_deposit(stakeCred, CSL.BigNum.from_str('2000000'))));
  certs.add(CSL.Certificate.new_stake_delegation(
    CSL.StakeDelegation.new(stakeCred, CSL.Ed25519KeyHash.from_hex(POOL))));
  certs.add(CSL.Certificate.new_vote_delegation(
    CSL.VoteDelegation.new(stakeCred, CSL.DRep.new_always_abstain())));
  const body = CSL.TransactionBody.new_tx_body(inputs, outputs, CSL.BigNum.from_str('400000'));
  body.set_ttl(CSL.BigNum.from_str('90000000'));
  body.set_certs(certs);

  const unsigned = CSL.Transaction.new(body, CSL.TransactionWitnessSet.new(), undefined);
  const txFile = path.join(tmp, 'delegation.unsigned.json');
  fs.writeFileSync(txFile, JSON.stringify({
    type: 'Tx ConwayEra', description: 'Ledger Cddl Format', cborHex: unsigned.to_hex(),
  }, null, 4));

  const bodyHash = CSL.FixedTransaction.new_from_body_bytes(body.to_bytes()).transaction_hash();
  const vkeys = CSL.Vkeywitnesses.new();
  for (const [name, m] of Object.entries(mocks)) {
    const outDir = path.join(tmp, name);
    // The same invocation for both vendors; only the device differs.
    const args = ['sign', '--device', m.uri, '--tx', txFile, '--mode', 'multisig',
      '--path', PATHS[0], '--path', PATHS[1], '--out-dir', outDir];
    const { stdout, stderr } = await stakeward(args);
    assert.match(stderr, /Confirm|Review/, 'progress on stderr');
    const files = stdout.trim().split('\n');
    assert.equal(files.length, 2);
    for (const [i, f] of files.entries()) {
      const env = JSON.parse(fs.readFileSync(f, 'utf8'));
      assert.equal(env.type, 'TxWitness ConwayEra');
      assert.equal(env.description, 'Key Witness ShelleyEra');
      const w = CSL.Vkeywitness.from_bytes(Buffer.from(env.cborHex, 'hex'));
      const expectedHash = childKeyHash(accounts[name], i === 0 ? 0 : 2, 0);
      assert.equal(w.vkey().public_key().hash().to_hex(), expectedHash.to_hex(), `${name} ${PATHS[i]}`);
      assert.ok(w.vkey().public_key().verify(bodyHash.to_bytes(), w.signature()),
        `${name} ${PATHS[i]} signature verifies over the CSL body hash`);
      vkeys.add(w);
    }
  }
  const ws = CSL.TransactionWitnessSet.new();
  ws.set_vkeys(vkeys);
  const scripts = CSL.NativeScripts.new();
  scripts.add(payScript);
  scripts.add(stakeScript);
  ws.set_native_scripts(scripts);
  const signed = CSL.Transaction.new(body, ws, undefined);
  const decoded = CSL.Transaction.from_bytes(signed.to_bytes());
  assert.equal(decoded.witness_set().vkeys().len(), 4);
  assert.equal(CSL.FixedTransaction.from_bytes(signed.to_bytes()).transaction_hash().to_hex(),
    bodyHash.to_hex());
});
