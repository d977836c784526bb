// Interop: the real @trezor/transport 1.6.3 UdpTransport with the @trezor/protobuf 1.5.3 schema
// against mock-trezor. GetFeatures, then a full Cardano MULTISIG signing flow for a delegation
// transaction (Conway stake registration 7, stake delegation 2, vote delegation 9, all with a
// script-hash stake credential), witnessed with m/1854'/1815'/0'/0/0 and m/1854'/1815'/0'/2/0.
// The body hash the device returns is checked against the body cardano-serialization-lib builds
// for the same transaction, and every witness is verified with CSL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { UdpTransport } = require('@trezor/transport');
const messages = require('@trezor/protobuf/messages.json');
const CSL = require('@emurgo/cardano-serialization-lib-nodejs');

const BIN = process.env.STAKEWARD_BIN;
const H = 0x80000000;
const MS_PAY0 = [1854 + H, 1815 + H, 0 + H, 0, 0];
const MS_STAKE0 = [1854 + H, 1815 + H, 0 + H, 2, 0];
const POOL = 'f61c42cbf7c8c53af3f520508212ad3e72f674f957fe23ff0acb4973';
const DREP_KEY = '29fb5fd4aa8cadd6705acc8263cee0fc62edca5ac38db593fec2f9fd';
const TXID = '3b40265111d8bb3c3c608d95b3a0bf83461ace32d79336579a1939b3aad1c0b7';
const OUTPUT =
  'addr1q84sh2j72ux0l03fxndjnhctdg7hcppsaejafsa84vh7lwgmcs5wgus8qt4atk45lvt4xfxpjtwfhdmvchdf2m3u3hlsd5tq5r';
// specs/trezor.md §5: m/1854'/1815'/0'/0/0 of "all"x12 (ICARUS = ICARUS_TREZOR for 12 words).
const MS_PAY0_PUB = 'b10be5c0d11ad8292bbe69e220ca0cfbe154610b3041a8e72f9d515c226ab3b1';

let mock;
let transport;
let session;

function startMock() {
  return new Promise((resolve, reject) => {
    const proc = spawn(path.join(BIN, 'mock-trezor'), ['--port', '0', '--control-port', '0'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const timer = setTimeout(() => reject(new Error('mock-trezor did not become ready')), 10000);
    proc.on('exit', (code) => reject(new Error(`mock-trezor exited early (${code})`)));
    readline.createInterface({ input: proc.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const m = /^READY udp:127\.0\.0\.1:(\d+) control:127\.0\.0\.1:(\d+)$/.exec(line);
      if (!m) return reject(new Error(`bad READY line: ${line}`));
      resolve({ proc, udpPort: Number(m[1]), controlPort: Number(m[2]) });
    });
  });
}

// UdpApi 1.6.3 always enumerates 127.0.0.1:21324 (lib/api/udp.js `enumerate`). The mock runs on a
// free port, so the enumeration is pointed at it: same ping and descriptor shape as upstream,
// different address. Everything else (framing, sessions, protobuf) is the library's own code.
function pointAt(t, port) {
  const api = t.api;
  const address = `127.0.0.1:${port}`;
  api.enumerate = async function enumerate(signal) {
    const pinged = await this.ping(address, signal);
    const descriptors = pinged
      ? [{ path: address, type: 5, product: 0, vendor: 0, id: address, apiType: this.type }]
      : [];
    this.handleDevicesChange(descriptors);
    return this.success(descriptors);
  };
}

// One request; every ButtonRequest is acknowledged until the real answer arrives.
async function call(name, data = {}) {
  let res = await transport.call({ session, name, data });
  assert.ok(res.success, `${name}: ${JSON.stringify(res)}`);
  while (res.payload.type === 'ButtonRequest') {
    res = await transport.call({ session, name: 'ButtonAck', data: {} });
    assert.ok(res.success, `ButtonAck after ${name}: ${JSON.stringify(res)}`);
  }
  return res.payload;
}

async function expectType(name, data, type) {
  const reply = await call(name, data);
  assert.equal(reply.type, type, `${name} answered ${JSON.stringify(reply)}`);
  return reply.message;
}

before(async () => {
  assert.ok(BIN, 'STAKEWARD_BIN must point at the build bin directory');
  mock = await startMock();
  transport = new UdpTransport({ messages });
  pointAt(transport, mock.udpPort);
  const init = await transport.init();
  assert.ok(init.success, JSON.stringify(init));
  const enumerated = await transport.enumerate();
  assert.ok(enumerated.success, JSON.stringify(enumerated));
  assert.equal(enumerated.payload.length, 1);
  const acquired = await transport.acquire({
    input: { path: enumerated.payload[0].path, previous: null },
  });
  assert.ok(acquired.success, JSON.stringify(acquired));
  session = acquired.payload;
});

after(async () => {
  if (transport) {
    try {
      await transport.release({ session, path: undefined, onClose: false });
    } catch {
      // best effort
    }
    transport.stop();
  }
  if (mock) mock.proc.kill('SIGTERM');
});

test('GetFeatures describes a Model T with Cardano and Ethereum', async () => {
  const f = await expectType('GetFeatures', {}, 'Features');
  assert.equal(f.vendor, 'trezor.io');
  assert.equal(f.model, 'T');
  assert.equal(f.major_version, 2);
  assert.equal(f.initialized, true);
  assert.ok(f.capabilities.includes('Capability_Cardano'), JSON.stringify(f.capabilities));
  assert.ok(f.capabilities.includes('Capability_Ethereum'));
});

test('Cardano MULTISIG delegation: body hash matches CSL, witnesses verify', async () => {
  await expectType('Initialize', { derive_cardano: true }, 'Features');

  // The stake credential: a native script requiring the multisig stake key.
  const stakeKey = await expectType(
    'CardanoGetPublicKey',
    { address_n: MS_STAKE0, derivation_type: 'ICARUS_TREZOR' },
    'CardanoPublicKey',
  );
  const stakePub = CSL.PublicKey.from_bytes(Buffer.from(stakeKey.node.public_key, 'hex'));
  const script = CSL.NativeScript.new_script_pubkey(CSL.ScriptPubkey.new(stakePub.hash()));
  const scriptHash = script.hash();
  const scriptHashHex = scriptHash.to_hex();
  const cred = CSL.Credential.from_scripthash(scriptHash);

  // The same transaction, built by cardano-serialization-lib.
  const inputs = CSL.TransactionInputs.new();
  inputs.add(CSL.TransactionInput.new(CSL.TransactionHash.from_hex(TXID), 0));
  const outputs = CSL.TransactionOutputs.new();
  outputs.add(
    CSL.TransactionOutput.new(
      CSL.Address.from_bech32(OUTPUT),
      CSL.Value.new(CSL.BigNum.from_str('1500000')),
    ),
  );
  const body = CSL.TransactionBody.new_tx_body(inputs, outputs, CSL.BigNum.from_str('200000'));
  body.set_ttl(CSL.BigNum.from_str('90000000'));
  const certs = CSL.Certificates.new();
  certs.add(
    CSL.Certificate.new_reg_cert(
      CSL.StakeRegistration.new_with_explicit_deposit(cred, CSL.BigNum.from_str('2000000')),
    ),
  );
  certs.add(
    CSL.Certificate.new_stake_delegation(
      CSL.StakeDelegation.new(cred, CSL.Ed25519KeyHash.from_hex(POOL)),
    ),
  );
  certs.add(
    CSL.Certificate.new_vote_delegation(
      CSL.VoteDelegation.new(cred, CSL.DRep.new_key_hash(CSL.Ed25519KeyHash.from_hex(DREP_KEY))),
    ),
  );
  body.set_certs(certs);
  const bodyBytes = body.to_bytes();
  const bodyHex = Buffer.from(bodyBytes).toString('hex');
  const expectedHash = CSL.FixedTransactionBody.from_bytes(bodyBytes).tx_hash().to_hex();
  // Body map header, key 0, then either tag 258 (d9 0102) or a plain array: whichever CSL chose,
  // ask the device for the same (CardanoSignTxInit.tag_cbor_sets).
  const tagSets = bodyHex.slice(4, 10) === 'd90102';

  await expectType(
    'CardanoSignTxInit',
    {
      signing_mode: 'MULTISIG_TRANSACTION',
      protocol_magic: 764824073,
      network_id: 1,
      inputs_count: 1,
      outputs_count: 1,
      fee: 200000,
      ttl: 90000000,
      certificates_count: 3,
      withdrawals_count: 0,
      has_auxiliary_data: false,
      witness_requests_count: 2,
      minting_asset_groups_count: 0,
      derivation_type: 'ICARUS_TREZOR',
      collateral_inputs_count: 0,
      required_signers_count: 0,
      tag_cbor_sets: tagSets,
    },
    'CardanoTxItemAck',
  );
  await expectType('CardanoTxInput', { prev_hash: TXID, prev_index: 0 }, 'CardanoTxItemAck');
  await expectType(
    'CardanoTxOutput',
    { address: OUTPUT, amount: 1500000, asset_groups_count: 0 },
    'CardanoTxItemAck',
  );
  await expectType(
    'CardanoTxCertificate',
    { type: 'STAKE_REGISTRATION_CONWAY', script_hash: scriptHashHex, deposit: 2000000 },
    'CardanoTxItemAck',
  );
  await expectType(
    'CardanoTxCertificate',
    { type: 'STAKE_DELEGATION', script_hash: scriptHashHex, pool: POOL },
    'CardanoTxItemAck',
  );
  await expectType(
    'CardanoTxCertificate',
    { type: 'VOTE_DELEGATION', script_hash: scriptHashHex, drep: { type: 'KEY_HASH', key_hash: DREP_KEY } },
    'CardanoTxItemAck',
  );
  const witnesses = [];
  for (const p of [MS_PAY0, MS_STAKE0]) {
    witnesses.push(
      await expectType('CardanoTxWitnessRequest', { path: p }, 'CardanoTxWitnessResponse'),
    );
  }
  const bodyHash = await expectType('CardanoTxHostAck', {}, 'CardanoTxBodyHash');
  await expectType('CardanoTxHostAck', {}, 'CardanoSignTxFinished');

  assert.equal(bodyHash.tx_hash, expectedHash, `CSL body ${bodyHex}`);
  assert.equal(witnesses[0].pub_key, MS_PAY0_PUB);
  assert.equal(witnesses[1].pub_key, stakeKey.node.public_key);
  for (const w of witnesses) {
    assert.equal(w.type, 'SHELLEY_WITNESS');
    const pub = CSL.PublicKey.from_bytes(Buffer.from(w.pub_key, 'hex'));
    const sig = CSL.Ed25519Signature.from_hex(w.signature);
    assert.ok(pub.verify(Buffer.from(expectedHash, 'hex'), sig), `witness of ${w.pub_key}`);
  }
  // The stake witness belongs to the key the script requires.
  assert.equal(
    CSL.PublicKey.from_bytes(Buffer.from(witnesses[1].pub_key, 'hex')).hash().to_hex(),
    stakePub.hash().to_hex(),
  );
});

test('a Shelley witness path is refused in MULTISIG mode with the firmware Failure', async () => {
  await expectType(
    'CardanoSignTxInit',
    {
      signing_mode: 'MULTISIG_TRANSACTION', protocol_magic: 764824073, network_id: 1,
      inputs_count: 1, outputs_count: 1, fee: 200000, ttl: 90000000, certificates_count: 0,
      withdrawals_count: 0, has_auxiliary_data: false, witness_requests_count: 1,
      minting_asset_groups_count: 0, derivation_type: 'ICARUS_TREZOR',
      collateral_inputs_count: 0, required_signers_count: 0,
    },
    'CardanoTxItemAck',
  );
  await expectType('CardanoTxInput', { prev_hash: TXID, prev_index: 0 }, 'CardanoTxItemAck');
  await expectType(
    'CardanoTxOutput', { address: OUTPUT, amount: 1500000, asset_groups_count: 0 },
    'CardanoTxItemAck',
  );
  const failure = await expectType(
    'CardanoTxWitnessRequest', { path: [1852 + H, 1815 + H, 0 + H, 0, 0] }, 'Failure',
  );
  assert.equal(failure.code, 'Failure_ProcessError');
  assert.equal(failure.message, 'Invalid witness request');
});
