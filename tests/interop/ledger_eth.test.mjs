// Interop: @ledgerhq/hw-app-eth over the Speculos transport signs an EIP-1559 transaction on
// mock-ledger; ethers recovers the signer, which must be the address ethers derives from the
// same mnemonic.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';

// The Ledger packages' ESM builds use extension-less imports that Node's ESM loader rejects;
// their CommonJS builds load fine.
const require = createRequire(import.meta.url);
const EthPkg = require('@ledgerhq/hw-app-eth');
const SpeculosPkg = require('@ledgerhq/hw-transport-node-speculos');
const { ethers } = require('ethers');

const Eth = EthPkg.default ?? EthPkg;
const SpeculosTransport = SpeculosPkg.default ?? SpeculosPkg;
const BIN = process.env.STAKEWARD_BIN;
// Speculos DEFAULT_SEED (specs/ledger.md §2); the mock's default mnemonic.
const MNEMONIC = 'glory promote mansion idle axis finger extra february uncover one trip resource '
  + 'lawn turtle enact monster seven myth punch hobby comfort wild raise skin';

let mock;
let transport;
let eth;

function startMock() {
  return new Promise((resolve, reject) => {
    const proc = spawn(path.join(BIN, 'mock-ledger'),
      ['--apdu-port', '0', '--control-port', '0', '--app', 'ethereum'],
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

before(async () => {
  assert.ok(BIN, 'STAKEWARD_BIN must point at the build bin directory');
  mock = await startMock();
  transport = await SpeculosTransport.open({ apduPort: mock.apduPort });
  eth = new Eth(transport);
});

after(async () => {
  if (transport) await transport.close();
  if (mock) mock.proc.kill('SIGTERM');
});

function control(command) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(mock.controlPort, '127.0.0.1');
    let buf = '';
    sock.setTimeout(5000, () => { sock.destroy(); reject(new Error('control timeout')); });
    sock.on('data', (d) => {
      buf += d.toString();
      if (buf.includes('\n')) {
        sock.end();
        resolve(buf.split('\n')[0]);
      }
    });
    sock.on('error', reject);
    sock.write(`${command}\n`);
  });
}

function expectedWallet(index) {
  return ethers.HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
}

const depositTx = (index) => ethers.Transaction.from({
  type: 2,
  chainId: 2001,
  nonce: 7 + index,
  maxPriorityFeePerGas: 1_000_000_000n,
  maxFeePerGas: 80_000_000_000n,
  gasLimit: 250_000n,
  to: '0x000000000000000000000000000000000000dEaD',
  value: 1_500_000_000_000_000_000n,
  data: `0x5fe6aab6${'00'.repeat(31)}2a${'ab'.repeat(200)}`,
});

// hw-app-eth reads bit 0x01 of the configuration as arbitraryDataEnabled and turns 0x6A80 on
// SIGN_TX into EthAppPleaseEnableContractData ("Please enable Blind signing ..."): the vendor
// client's reading of the mock's default (fresh app: blind signing off).
test('blind signing off by default: calldata refused as hw-app-eth expects', async () => {
  const config = await eth.getAppConfiguration();
  assert.equal(config.arbitraryDataEnabled, 0);
  await assert.rejects(
    eth.signTransaction("44'/60'/0'/0/0", depositTx(0).unsignedSerialized.slice(2), null),
    (e) => e.name === 'EthAppPleaseEnableContractData' || e.statusCode === 0x6a80,
  );
  assert.equal(await control('blind-signing on'), 'OK blind-signing on');
  assert.equal((await eth.getAppConfiguration()).arbitraryDataEnabled, 1);
});

test('app configuration and address', async () => {
  const config = await eth.getAppConfiguration();
  assert.match(config.version, /^\d+\.\d+\.\d+$/);
  const r = await eth.getAddress("44'/60'/0'/0/0", false, true);
  const wallet = expectedWallet(0);
  assert.equal(r.address, wallet.address);  // same EIP-55 casing
  assert.equal(r.address, '0xDad77910DbDFdE764fC21FCD4E74D71bBACA6D8D');  // specs/ledger.md §7.3
  assert.equal(`0x${r.publicKey}`, wallet.signingKey.publicKey);
  assert.equal(`0x${r.chainCode}`, wallet.chainCode);
});

for (const index of [0, 3]) {
  test(`EIP-1559 transaction signed with m/44'/60'/0'/0/${index} recovers to its address`, async () => {
    // A Milkomeda-style deposit call with calldata long enough to need several APDU chunks
    // (blind signing was turned on by the test above).
    const tx = depositTx(index);
    const unsigned = tx.unsignedSerialized.slice(2);
    const sig = await eth.signTransaction(`44'/60'/0'/0/${index}`, unsigned, null);
    const v = parseInt(sig.v, 16);
    assert.ok(v === 0 || v === 1, `typed tx v is the y-parity, got ${sig.v}`);
    tx.signature = ethers.Signature.from({ r: `0x${sig.r}`, s: `0x${sig.s}`, v: 27 + v });
    assert.equal(tx.from, expectedWallet(index).address);
    // Same deterministic signature as ethers' own RFC 6979 signer.
    const local = expectedWallet(index).signingKey.sign(tx.unsignedHash);
    assert.equal(local.r, `0x${sig.r}`);
    assert.equal(local.s, `0x${sig.s}`);
  });
}
