// Interop: EIP-1559 transactions with nonce 0 / value 0 against mock-trezor.
// 1. The real @trezor/transport 1.6.3 + @trezor/protobuf 1.5.3 send zero as EMPTY bytes, as
//    trezorlib does (`int_to_big_endian(0) == b""`); the signatures must equal the published
//    fixtures (trezor-firmware common/tests/fixtures/ethereum/sign_tx_eip1559.json, "nodata":
//    nonce 0; "erc20": nonce 0 and value 0) and recover, with ethers, to the device's address.
// 2. One 0x00 byte for zero is hashed as sent (the firmware's rule): ethers then recovers the
//    canonical transaction to some other address.
// 3. `stakeward evm sign` with --nonce 0 --value-wei 0 produces a raw transaction ethers parses
//    with the device's address as sender.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { UdpTransport } = require('@trezor/transport');
const messages = require('@trezor/protobuf/messages.json');
const { ethers } = require('ethers');

const BIN = process.env.STAKEWARD_BIN;
const H = 0x80000000;

// Published vectors (see the header); mnemonic "all all ... all" = the mock's default seed.
const VECTORS = [
  {
    name: 'nodata',
    path: [44 + H, 60 + H, 0 + H, 0, 100],
    to: '0x1d1c328764a41bda0492b66baa30c4a339ff85ef',
    chainId: 1, nonce: 0n, gas: 0x14n, maxFee: 0x14n, prio: 0x1n, value: 0xan, data: '',
    v: 1,
    r: '2ceeaabc994fbce2fbd66551f9d48fc711c8db2a12e93779eeddede11e41f636',
    s: '2db4a9ecc73da91206f84397ae9287a399076fdc01ed7f3c6554b1c57c39bf8c',
  },
  {
    name: 'erc20',
    path: [44 + H, 60 + H, 0 + H, 0, 1],
    to: '0xfc6b5d6af8a13258f7cbd0d39e11b35e01a32f93',
    chainId: 1, nonce: 0n, gas: 0x14n, maxFee: 0x14n, prio: 0x1n, value: 0n,
    data: 'a9059cbb000000000000000000000000574bbb36871ba6b78e27f4b4dcfb76ea0091880b0000000000000000000000000000000000000000000000000000000000000123',
    v: 1,
    r: 'e631b56bcc596844cb8686b2046e36cf33634aa396e7e1ea94a97aac02c18bda',
    s: '399bff8752539176c4b2f1d5d2a8f6029f79841d28802149ab339a033ffe4c1f',
  },
];

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
      resolve({ proc, udpPort: Number(m[1]), uri: `udp:127.0.0.1:${m[1]}` });
    });
  });
}

// UdpApi 1.6.3 enumerates 127.0.0.1:21324 only; point it at the mock's free port (same ping and
// descriptor shape as upstream; framing, sessions and protobuf stay the library's own code).
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

async function call(name, data = {}) {
  let res = await transport.call({ session, name, data });
  assert.ok(res.success, `${name}: ${JSON.stringify(res)}`);
  while (res.payload.type === 'ButtonRequest') {
    res = await transport.call({ session, name: 'ButtonAck', data: {} });
    assert.ok(res.success, `ButtonAck after ${name}: ${JSON.stringify(res)}`);
  }
  return res.payload;
}

// trezorlib int_to_big_endian: minimal big-endian hex, '' for zero.
function intHex(v) {
  if (v === 0n) return '';
  const h = v.toString(16);
  return h.length % 2 ? `0${h}` : h;
}

async function signViaTransport(vec, nonceHex) {
  const data = vec.data;
  const reply = await call('EthereumSignTxEIP1559', {
    address_n: vec.path,
    nonce: nonceHex,
    max_gas_fee: intHex(vec.maxFee),
    max_priority_fee: intHex(vec.prio),
    gas_limit: intHex(vec.gas),
    to: vec.to,
    value: intHex(vec.value),
    data_initial_chunk: data,
    data_length: data.length / 2,
    chain_id: vec.chainId,
  });
  assert.equal(reply.type, 'EthereumTxRequest', JSON.stringify(reply));
  assert.equal(reply.message.data_length ?? null, null, 'no more data requested');
  return reply.message;
}

async function deviceAddress(addressN) {
  const reply = await call('EthereumGetAddress', { address_n: addressN, show_display: false });
  assert.equal(reply.type, 'EthereumAddress');
  return reply.message.address;
}

function ethersTx(vec, sig) {
  return ethers.Transaction.from({
    type: 2,
    chainId: vec.chainId,
    nonce: Number(vec.nonce),
    maxPriorityFeePerGas: vec.prio,
    maxFeePerGas: vec.maxFee,
    gasLimit: vec.gas,
    to: vec.to,
    value: vec.value,
    data: `0x${vec.data}`,
    accessList: [],
    signature: sig
      ? { r: `0x${sig.signature_r}`, s: `0x${sig.signature_s}`, yParity: sig.signature_v }
      : undefined,
  });
}

before(async () => {
  assert.ok(BIN, 'STAKEWARD_BIN must point at the build bin directory');
  mock = await startMock();
  transport = new UdpTransport({ messages });
  pointAt(transport, mock.udpPort);
  assert.ok((await transport.init()).success);
  const enumerated = await transport.enumerate();
  assert.ok(enumerated.success, JSON.stringify(enumerated));
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

test('zero as empty bytes (trezorlib): published signatures, ethers recovers the device', async () => {
  for (const vec of VECTORS) {
    const sig = await signViaTransport(vec, intHex(vec.nonce));
    assert.equal(sig.signature_v, vec.v, vec.name);
    assert.equal(sig.signature_r, vec.r, vec.name);
    assert.equal(sig.signature_s, vec.s, vec.name);
    const address = await deviceAddress(vec.path);
    assert.equal(ethersTx(vec, sig).from, ethers.getAddress(address), vec.name);
  }
});

test('zero as one 0x00 byte is signed as sent: the canonical transaction does not recover', async () => {
  const vec = VECTORS[0];
  const sig = await signViaTransport(vec, '00');
  assert.notEqual(sig.signature_r, vec.r);
  const address = await deviceAddress(vec.path);
  assert.notEqual(ethersTx(vec, sig).from, ethers.getAddress(address));
});

test('stakeward evm sign with nonce 0 and value 0: ethers parses it, sender = device', async () => {
  await transport.release({ session, path: undefined, onClose: false });
  const address = await new Promise((resolve, reject) => {
    execFile(path.join(BIN, 'stakeward'), ['evm', 'address', '--device', mock.uri,
      '--path', "m/44'/60'/0'/0/0"], { timeout: 60000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`evm address failed: ${stderr || err.message}`));
      resolve(stdout.trim());
    });
  });
  const raw = await new Promise((resolve, reject) => {
    execFile(path.join(BIN, 'stakeward'), ['evm', 'sign', '--device', mock.uri,
      '--path', "m/44'/60'/0'/0/0", '--chain-id', '200101', '--nonce', '0', '--value-wei', '0',
      '--max-fee', '80000000000', '--max-priority-fee', '0', '--gas', '21000',
      '--to', '0x1d1c328764a41bda0492b66baa30c4a339ff85ef'], { timeout: 60000 },
    (err, stdout, stderr) => {
      if (err) return reject(new Error(`evm sign failed: ${stderr || err.message}`));
      resolve(stdout.trim());
    });
  });
  const tx = ethers.Transaction.from(raw);
  assert.equal(tx.nonce, 0);
  assert.equal(tx.value, 0n);
  assert.equal(tx.maxPriorityFeePerGas, 0n);
  assert.equal(tx.from, ethers.getAddress(address));
});
