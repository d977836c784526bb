// Interop: the real ledgerjs-hw-app-cardano client, over the real Speculos transport, against
// mock-ledger. Witnesses are checked against the body hash that cardano-serialization-lib
// computes for the same transaction.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';

// The Ledger packages' ESM builds use extension-less imports that Node's ESM loader rejects;
// their CommonJS builds load fine.
const require = createRequire(import.meta.url);
const AdaPkg = require('@cardano-foundation/ledgerjs-hw-app-cardano');
const SpeculosPkg = require('@ledgerhq/hw-transport-node-speculos');
const CSL = require('@emurgo/cardano-serialization-lib-nodejs');

const Ada = AdaPkg.default;
const {
  AddressType, CertificateType, CredentialParamsType, DRepParamsType, Networks,
  TransactionSigningMode, TxOutputDestinationType, NativeScriptType,
  NativeScriptHashDisplayFormat, HARDENED,
} = AdaPkg;
const SpeculosTransport = SpeculosPkg.default ?? SpeculosPkg;

const BIN = process.env.STAKEWARD_BIN;
const H = HARDENED;
const ACCOUNT = [1852 + H, 1815 + H, 0 + H];
const PAY0 = [...ACCOUNT, 0, 0];
const STAKE0 = [...ACCOUNT, 2, 0];
const MS_PAY0 = [1854 + H, 1815 + H, 0 + H, 0, 0];
const MS_STAKE0 = [1854 + H, 1815 + H, 0 + H, 2, 0];
const POOL = 'f61c42cbf7c8c53af3f520508212ad3e72f674f957fe23ff0acb4973';
const DREP_KEY = '1d227aefa4b773149170885aadba30aab3127cc611ddbc4999def61c';
const TXID = '3b40265111d8bb3c3c608d95b3a0bf83461ace32d79336579a1939b3aad1c0b7';

let mock;
let controlPort;
let ada;
let transport;

// Starts mock-ledger on free ports and resolves with its READY line's ports.
function startMock() {
  return new Promise((resolve, reject) => {
    const proc = spawn(path.join(BIN, 'mock-ledger'),
      ['--apdu-port', '0', '--control-port', '0', '--app', 'cardano'],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    const timer = setTimeout(() => reject(new Error('mock-ledger did not become ready')), 10000);
    proc.on('exit', (code) => reject(new Error(`mock-ledger exited early (${code})`)));
    readline.createInterface({ input: proc.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const m = /^READY tcp:127\.0\.0\.1:(\d+) control:127\.0\.0\.1:(\d+)$/.exec(line);
      if (!m) return reject(new Error(`bad READY line: ${line}`));
      resolve({ proc, apduPort: Number(m[1]), controlPort: Number(m[2]) });
    });
  });
}

// One control command; resolves with the reply lines (the first is OK/ERR).
function control(command) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(controlPort, '127.0.0.1');
    let buf = '';
    sock.setTimeout(5000, () => { sock.destroy(); reject(new Error('control timeout')); });
    sock.on('data', (d) => {
      buf += d.toString();
      const lines = buf.split('\n');
      if (lines.length < 2) return;
      const first = lines[0];
      const extra = first.startsWith('OK ') && command === 'screens' ? Number(first.slice(3)) : 0;
      if (lines.length - 1 >= 1 + extra) {
        sock.end();
        resolve(lines.slice(0, 1 + extra));
      }
    });
    sock.on('error', reject);
    sock.write(`${command}\n`);
  });
}

before(async () => {
  assert.ok(BIN, 'STAKEWARD_BIN must point at the build bin directory');
  mock = await startMock();
  controlPort = mock.controlPort;
  transport = await SpeculosTransport.open({ apduPort: mock.apduPort });
  ada = new Ada(transport);
});

after(async () => {
  if (transport) await transport.close();
  if (mock) mock.proc.kill('SIGTERM');
});

const hex = (b) => Buffer.from(b).toString('hex');
const keyHash = (pubHex) => CSL.PublicKey.from_bytes(Buffer.from(pubHex, 'hex')).hash();

async function publicKeyHex(p) {
  return (await ada.getExtendedPublicKey({ path: p })).publicKeyHex;
}

// Checks every witness against the CSL body hash and the device's public key for its path.
async function verifyWitnesses(result, body) {
  const bodyHash = CSL.FixedTransaction.new_from_body_bytes(body.to_bytes()).transaction_hash();
  assert.equal(result.txHashHex, bodyHash.to_hex(), 'device tx hash = CSL body hash');
  for (const w of result.witnesses) {
    const pub = CSL.PublicKey.from_bytes(Buffer.from(await publicKeyHex(w.path), 'hex'));
    const sig = CSL.Ed25519Signature.from_bytes(Buffer.from(w.witnessSignatureHex, 'hex'));
    assert.ok(pub.verify(bodyHash.to_bytes(), sig), `witness for ${w.path.join('/')} verifies`);
  }
}

function cslInputs(n = 1) {
  const inputs = CSL.TransactionInputs.new();
  for (let i = 0; i < n; i++) {
    inputs.add(CSL.TransactionInput.new(CSL.TransactionHash.from_hex(TXID), i));
  }
  return inputs;
}

test('version and extended public keys', async () => {
  const v = await ada.getVersion();
  assert.equal(`${v.version.major}.${v.version.minor}`, '7.1');
  const keys = await ada.getExtendedPublicKeys({ paths: [ACCOUNT, MS_PAY0, MS_STAKE0] });
  assert.equal(keys.length, 3);
  // Speculos default seed, Ledger derivation (specs/ledger.md §7.2, regression values).
  assert.equal(keys[0].publicKeyHex,
    '78d137231e6346f17b1d442bace1f7ba1d54a88ef8509464e2e786a854bd4815');
  assert.equal(keys[0].chainCodeHex,
    'acafe34e34bf401b4b0164607ee506c4aac63a0828f1dc20ab73ec39f2fe11f3');
  assert.equal(keyHash(keys[1].publicKeyHex).to_hex(),
    '619da22ba612c028eaccfeaba2e2363ae9aa6e6d48a79baf226e3da3');
  // An account key derived softly by CSL matches the device's address key.
  const acct = CSL.Bip32PublicKey.from_bytes(
    Buffer.from(keys[0].publicKeyHex + keys[0].chainCodeHex, 'hex'));
  assert.equal(hex(acct.derive(0).derive(0).to_raw_key().as_bytes()), await publicKeyHex(PAY0));
});

test('ORDINARY stake delegation: registration, pool delegation, vote delegation', async () => {
  const stakePub = await publicKeyHex(STAKE0);
  const stakeCred = CSL.Credential.from_keyhash(keyHash(stakePub));
  const payHash = keyHash(await publicKeyHex(PAY0));
  const change = CSL.BaseAddress.new(1, CSL.Credential.from_keyhash(payHash), stakeCred).to_address();

  const outputs = CSL.TransactionOutputs.new();
  outputs.add(CSL.TransactionOutput.new(change, CSL.Value.new(CSL.BigNum.from_str('4000000'))));
  const certs = CSL.Certificates.new();
  certs.add(CSL.Certificate.new_stake_registration(
    CSL.StakeRegistration.new_with_explicit_deposit(stakeCred, CSL.BigNum.from_str('2000000'))));
  certs.add(CSL.Certificate.new_stake_delegation(
    CSL.StakeDelegation.new(stakeCred, CSL.Ed25519KeyHash.from_hex(POOL))));
  certs.add(CSL.Certificate.new_vote_delegation(
    CSL.VoteDelegation.new(stakeCred, CSL.DRep.new_key_hash(CSL.Ed25519KeyHash.from_hex(DREP_KEY)))));
  const body = CSL.TransactionBody.new_tx_body(cslInputs(), outputs, CSL.BigNum.from_str('200000'));
  body.set_ttl(CSL.BigNum.from_str('90000000'));
  body.set_certs(certs);
  const tagged = hex(body.to_bytes()).includes('d90102');

  const stakeCredential = { type: CredentialParamsType.KEY_PATH, keyPath: STAKE0 };
  const result = await ada.signTransaction({
    signingMode: TransactionSigningMode.ORDINARY_TRANSACTION,
    options: { tagCborSets: tagged },
    tx: {
      network: Networks.Mainnet,
      inputs: [{ txHashHex: TXID, outputIndex: 0, path: PAY0 }],
      outputs: [{
        destination: {
          type: TxOutputDestinationType.DEVICE_OWNED,
          params: {
            type: AddressType.BASE_PAYMENT_KEY_STAKE_KEY,
            params: { spendingPath: PAY0, stakingPath: STAKE0 },
          },
        },
        amount: '4000000',
      }],
      fee: '200000',
      ttl: '90000000',
      certificates: [
        { type: CertificateType.STAKE_REGISTRATION_CONWAY,
          params: { stakeCredential, deposit: '2000000' } },
        { type: CertificateType.STAKE_DELEGATION,
          params: { stakeCredential, poolKeyHashHex: POOL } },
        { type: CertificateType.VOTE_DELEGATION,
          params: { stakeCredential, dRep: { type: DRepParamsType.KEY_HASH, keyHashHex: DREP_KEY } } },
      ],
    },
  });
  assert.deepEqual(result.witnesses.map((w) => w.path.join('/')).sort(),
    [PAY0.join('/'), STAKE0.join('/')].sort());
  await verifyWitnesses(result, body);
});

// The 2-of-2 style native script of the DAO: all [multisig payment key, multisig stake key].
async function multisigScript() {
  const pay = keyHash(await publicKeyHex(MS_PAY0));
  const stake = keyHash(await publicKeyHex(MS_STAKE0));
  const scripts = CSL.NativeScripts.new();
  scripts.add(CSL.NativeScript.new_script_pubkey(CSL.ScriptPubkey.new(pay)));
  scripts.add(CSL.NativeScript.new_script_pubkey(CSL.ScriptPubkey.new(stake)));
  return CSL.NativeScript.new_script_all(CSL.ScriptAll.new(scripts));
}

test('native script hash matches CSL', async () => {
  const script = await multisigScript();
  const r = await ada.deriveNativeScriptHash({
    script: {
      type: NativeScriptType.ALL,
      params: {
        scripts: [
          { type: NativeScriptType.PUBKEY_DEVICE_OWNED, params: { path: MS_PAY0 } },
          { type: NativeScriptType.PUBKEY_DEVICE_OWNED, params: { path: MS_STAKE0 } },
        ],
      },
    },
    displayFormat: NativeScriptHashDisplayFormat.POLICY_ID,
  });
  assert.equal(r.scriptHashHex, script.hash().to_hex());
});

// Builds the MULTISIG delegation body in CSL and the matching ledgerjs request.
// certKinds: 7 (registration), 2 (pool delegation), 9 (vote delegation). The i-th certificate
// uses its own pool / DRep so no two certificates are equal (CSL keeps certificates as a set).
const variant = (h, i) => h.slice(0, -2) + i.toString(16).padStart(2, '0');
function multisigTx(scriptHash, certKinds) {
  const cred = CSL.Credential.from_scripthash(scriptHash);
  const scriptAddr = CSL.BaseAddress.new(1, cred, cred).to_address();
  const outputs = CSL.TransactionOutputs.new();
  outputs.add(CSL.TransactionOutput.new(scriptAddr, CSL.Value.new(CSL.BigNum.from_str('7000000'))));
  const certs = CSL.Certificates.new();
  const stakeCredential = { type: CredentialParamsType.SCRIPT_HASH, scriptHashHex: scriptHash.to_hex() };
  const ledgerCerts = [];
  for (const [i, kind] of certKinds.entries()) {
    const pool = i === 0 ? POOL : variant(POOL, i);
    if (kind === 7) {
      certs.add(CSL.Certificate.new_stake_registration(
        CSL.StakeRegistration.new_with_explicit_deposit(cred, CSL.BigNum.from_str('2000000'))));
      ledgerCerts.push({ type: CertificateType.STAKE_REGISTRATION_CONWAY,
        params: { stakeCredential, deposit: '2000000' } });
    } else if (kind === 2) {
      certs.add(CSL.Certificate.new_stake_delegation(
        CSL.StakeDelegation.new(cred, CSL.Ed25519KeyHash.from_hex(pool))));
      ledgerCerts.push({ type: CertificateType.STAKE_DELEGATION,
        params: { stakeCredential, poolKeyHashHex: pool } });
    } else if (i < 3) {
      certs.add(CSL.Certificate.new_vote_delegation(
        CSL.VoteDelegation.new(cred, CSL.DRep.new_always_abstain())));
      ledgerCerts.push({ type: CertificateType.VOTE_DELEGATION,
        params: { stakeCredential, dRep: { type: DRepParamsType.ABSTAIN } } });
    } else {
      const drep = variant(DREP_KEY, i);
      certs.add(CSL.Certificate.new_vote_delegation(
        CSL.VoteDelegation.new(cred, CSL.DRep.new_key_hash(CSL.Ed25519KeyHash.from_hex(drep)))));
      ledgerCerts.push({ type: CertificateType.VOTE_DELEGATION,
        params: { stakeCredential, dRep: { type: DRepParamsType.KEY_HASH, keyHashHex: drep } } });
    }
  }
  const body = CSL.TransactionBody.new_tx_body(cslInputs(), outputs, CSL.BigNum.from_str('350000'));
  body.set_ttl(CSL.BigNum.from_str('90000000'));
  body.set_certs(certs);
  const request = {
    signingMode: TransactionSigningMode.MULTISIG_TRANSACTION,
    options: { tagCborSets: hex(body.to_bytes()).includes('d90102') },
    additionalWitnessPaths: [MS_PAY0, MS_STAKE0],
    tx: {
      network: Networks.Mainnet,
      inputs: [{ txHashHex: TXID, outputIndex: 0, path: null }],
      outputs: [{
        destination: { type: TxOutputDestinationType.THIRD_PARTY,
          params: { addressHex: hex(scriptAddr.to_bytes()) } },
        amount: '7000000',
      }],
      fee: '350000',
      ttl: '90000000',
      certificates: ledgerCerts,
    },
  };
  return { body, request };
}

test('MULTISIG stake delegation (certificates 7, 2, 9 with script-hash credentials)', async () => {
  const script = await multisigScript();
  const { body, request } = multisigTx(script.hash(), [7, 2, 9]);
  await control('screens clear');
  const result = await ada.signTransaction(request);
  assert.equal(result.witnesses.length, 2);
  await verifyWitnesses(result, body);
  const screens = (await control('screens')).slice(1);
  assert.ok(screens.some((l) => l.startsWith('Delegate stake to pool1')), screens.join('\n'));
  assert.ok(screens.includes('Fee 0.35 ADA'), screens.join('\n'));
  assert.ok(screens.includes('Delegate vote to Abstain'), screens.join('\n'));
});

test('user rejection at confirm surfaces as 0x6E09', async () => {
  const script = await multisigScript();
  const { request } = multisigTx(script.hash(), [9]);
  assert.deepEqual(await control('user reject confirm'), ['OK user reject confirm']);
  try {
    await assert.rejects(ada.signTransaction(request), (e) => e.code === 0x6e09);
  } finally {
    await control('user approve');
  }
});

test('exchange count for a 10-certificate multisig transaction', async (t) => {
  const script = await multisigScript();
  const kinds = [7, 2, 9, 2, 9, 2, 9, 2, 9, 2];
  const { body, request } = multisigTx(script.hash(), kinds);
  assert.deepEqual(await control('stats reset'), ['OK stats reset']);
  const result = await ada.signTransaction(request);
  assert.equal(body.certs().len(), kinds.length);
  const [stats] = await control('stats');
  const m = /^OK exchanges=(\d+) bytes_in=(\d+) bytes_out=(\d+)$/.exec(stats);
  assert.ok(m, stats);
  // GET_VERSION, INIT, 1 input, 2 output APDUs, fee, ttl, 10 certificates, confirm, 2 witnesses.
  assert.equal(Number(m[1]), 1 + 1 + 1 + 2 + 1 + 1 + kinds.length + 1 + 2);
  t.diagnostic(`10-cert multisig: ${stats}`);
  console.log(`ledger 10-certificate multisig sign: ${stats.slice(3)}`);
  await verifyWitnesses(result, body);

  // The same transaction through `stakeward sign`, with the signer's account xpub as the policy
  // holds it (exported here through ledgerjs, outside the counted window): the host derives the
  // witness keys itself, so it sends no GET_EXT_PUBLIC_KEY and needs at most ledgerjs's APDUs.
  const acct = await ada.getExtendedPublicKey({ path: [1854 + H, 1815 + H, 0 + H] });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-ledger-count-'));
  try {
    const txFile = path.join(tmp, 'tx.json');
    const unsigned = CSL.Transaction.new(body, CSL.TransactionWitnessSet.new(), undefined);
    fs.writeFileSync(txFile, JSON.stringify({
      type: 'Tx ConwayEra', description: '', cborHex: unsigned.to_hex(),
    }));
    assert.deepEqual(await control('stats reset'), ['OK stats reset']);
    const { stderr } = await run(path.join(BIN, 'stakeward'), ['sign',
      '--device', `tcp:127.0.0.1:${mock.apduPort}`, '--tx', txFile, '--mode', 'multisig',
      '--path', "m/1854'/1815'/0'/0/0", '--path', "m/1854'/1815'/0'/2/0",
      '--account-xpub', `m/1854'/1815'/0'=${acct.publicKeyHex}${acct.chainCodeHex}`,
      '--out-dir', tmp]);
    const sm = /Device exchanges for signing: (\d+), bytes sent (\d+), bytes received (\d+)/
      .exec(stderr);
    assert.ok(sm, stderr);
    const [whole] = await control('stats');
    const wm = /^OK exchanges=(\d+) bytes_in=(\d+) bytes_out=(\d+)$/.exec(whole);
    assert.ok(wm, whole);
    // The device counted the signing exchanges plus the two of opening the device
    // (GET_VERSION, GET_SERIAL), which ledgerjs's count above does not include.
    assert.equal(Number(wm[1]), Number(sm[1]) + 2, `${whole} vs ${stderr}`);
    console.log(`stakeward 10-certificate multisig sign (same tx): exchanges=${sm[1]} ` +
      `bytes_in=${sm[2]} bytes_out=${sm[3]}; device total incl. open: ${whole.slice(3)}`);
    assert.ok(Number(sm[1]) <= Number(m[1]), `stakeward ${sm[1]} > ledgerjs ${m[1]} APDUs`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

function run(file, args) {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 60000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${path.basename(file)} ${args.join(' ')}: ${stderr || err.message}`));
      resolve({ stdout, stderr });
    });
  });
}
