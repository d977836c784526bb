// Interop, L2 (issue 14): the deposit Stakeward signs on a hardware wallet is a transaction a real
// EVM node mines. anvil (pinned npm @foundry-rs/anvil-linux-amd64, chain id 200101, London) runs
// the test contract tests/interop/l2/LiquidStakingPool.sol compiled by the pinned solc-js; the
// operator's deposit accreditToPool(_roi) is signed by mock-trezor's Ethereum app through
// `stakeward evm sign`, broadcast with ethers and checked on chain: receipt status 1, contract
// balance up by exactly the value in wei, one PoolAccredited event for the epoch. The signed bytes
// are compared with `cast mktx` (pinned @foundry-rs/cast-linux-amd64) signing the same fields with
// the operator key ethers derives from the mock's documented seed (RFC 6979: identical bytes).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { HDNodeWallet, JsonRpcProvider, Mnemonic, Transaction, Wallet, id, parseEther } from 'ethers';
import { ANVIL_MNEMONIC, startAnvil } from './l2/anvil.mjs';
import { deploy } from './l2/contract.mjs';

const require = createRequire(import.meta.url);
const bin = process.env.STAKEWARD_BIN;
assert.ok(bin, 'STAKEWARD_BIN must point at the build bin directory');
const CAST = path.join(
  path.dirname(require.resolve('@foundry-rs/cast-linux-amd64/package.json')), 'bin', 'cast');

// mock-trezor's default seed ("all" × 12, documented in firmware-mocks) and the operator path of
// policy/samples/policy.yaml.
const MOCK_SEED = Array(12).fill('all').join(' ');
const OPERATOR_PATH = "m/44'/60'/0'/0/0";
const EPOCH = 200n;
const ROI = 100n;

let anvil, trezor, provider, pool, operatorKey;

function startMockTrezor() {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(bin, 'mock-trezor'), ['--port', '0', '--control-port', '0'],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    child.on('exit', (code) => reject(new Error(`mock-trezor exited early (${code})`)));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      child.removeAllListeners('exit');
      resolve({ child, device: line.split(' ').find((w) => w.startsWith('udp:')) });
    });
  });
}

before(async () => {
  anvil = await startAnvil();
  trezor = await startMockTrezor();
  // No response cache: nonces are read right after the previous transaction was mined.
  provider = new JsonRpcProvider(anvil.url, 200101, { staticNetwork: true, cacheTimeout: -1 });
  const funder = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(ANVIL_MNEMONIC), "m/44'/60'/0'/0/0")
    .connect(provider);
  operatorKey = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(MOCK_SEED), OPERATOR_PATH);
  await (await funder.sendTransaction({ to: operatorKey.address, value: parseEther('2000') })).wait();
  pool = await deploy(funder, operatorKey.address, EPOCH);
});

after(async () => {
  trezor?.child.kill('SIGTERM');
  await anvil?.stop();
});

function deviceSign(fields) {
  const out = execFileSync(path.join(bin, 'stakeward'), ['evm', 'sign', '--device', trezor.device,
    '--path', OPERATOR_PATH, '--chain-id', '200101', '--nonce', String(fields.nonce),
    '--max-fee', String(fields.maxFeePerGas), '--max-priority-fee',
    String(fields.maxPriorityFeePerGas), '--gas', String(fields.gasLimit), '--to', fields.to,
    '--value-wei', String(fields.value), '--data', fields.data], { encoding: 'utf8' });
  return out.trim().split('\n').pop();
}

test('evm address --json names the address ethers derives from the seed', () => {
  const out = execFileSync(path.join(bin, 'stakeward'), ['evm', 'address', '--device',
    trezor.device, '--path', OPERATOR_PATH, '--json'], { encoding: 'utf8' });
  const j = JSON.parse(out);
  assert.equal(j.address, operatorKey.address);  // ethers: EIP-55 checksummed
  assert.equal(j.path, OPERATOR_PATH);
  assert.equal(j.shown_on_device, false);
  assert.equal(j.device, trezor.device);
});

test('the selector Stakeward calls is accreditToPool(uint256)', () => {
  assert.equal(id('accreditToPool(uint256)').slice(0, 10), '0x65b3cdef');
});

test('a deposit signed on the mock Trezor is mined: balance, event and totals', async () => {
  const to = await pool.getAddress();
  const value = 1369669115n * 10n ** 12n;  // 1369.669115 ADA bridged, in wei (18 decimals)
  const block = await provider.getBlock('latest');
  const fields = {
    nonce: await provider.getTransactionCount(operatorKey.address, 'pending'),
    maxPriorityFeePerGas: 1000000000n,
    maxFeePerGas: block.baseFeePerGas * 2n + 1000000000n,
    gasLimit: 150000n,
    to,
    value,
    data: pool.interface.encodeFunctionData('accreditToPool', [ROI]),
  };
  assert.equal(fields.data.slice(0, 10), '0x65b3cdef');
  const raw = deviceSign(fields);

  // ethers reads it back: the signer is the operator, the fields are what was asked.
  const parsed = Transaction.from(raw);
  assert.equal(parsed.from, operatorKey.address);
  assert.equal(parsed.chainId, 200101n);
  assert.equal(parsed.value, value);

  // cast signs the same fields with the same key offline: the same bytes.
  const castRaw = execFileSync(CAST, ['mktx', '--private-key', operatorKey.privateKey,
    '--chain', '200101', '--nonce', String(fields.nonce), '--gas-limit', String(fields.gasLimit),
    '--gas-price', String(fields.maxFeePerGas), '--priority-gas-price',
    String(fields.maxPriorityFeePerGas), '--value', String(value), to, fields.data],
  { encoding: 'utf8' }).trim();
  assert.equal(raw, castRaw);

  const before = await provider.getBalance(to);
  const receipt = await (await provider.broadcastTransaction(raw)).wait();
  assert.equal(receipt.status, 1);
  assert.equal(await provider.getBalance(to), before + value);
  const events = receipt.logs.map((l) => pool.interface.parseLog(l)).filter(Boolean);
  assert.equal(events.length, 1);
  assert.equal(events[0].name, 'PoolAccredited');
  assert.equal(events[0].args.epoch, EPOCH);
  assert.equal(events[0].args.from, operatorKey.address);
  assert.equal(events[0].args.value, value);
  assert.equal(events[0].args.roi, ROI);
  assert.equal(await pool.accreditedInEpoch(EPOCH), value);
  assert.equal(await pool.depositsInEpoch(EPOCH), 1n);
});

test('anvil refuses a replay of the same deposit (nonce too low)', async () => {
  const to = await pool.getAddress();
  const nonce = await provider.getTransactionCount(operatorKey.address, 'latest');
  assert.ok(nonce > 0);
  const block = await provider.getBlock('latest');
  const raw = deviceSign({ nonce: nonce - 1, maxPriorityFeePerGas: 1000000000n,
    maxFeePerGas: block.baseFeePerGas * 2n + 1000000000n, gasLimit: 150000n, to, value: 1n,
    data: pool.interface.encodeFunctionData('accreditToPool', [ROI]) });
  await assert.rejects(provider.broadcastTransaction(raw), /nonce/i);
  assert.equal(await pool.depositsInEpoch(EPOCH), 1n);
});

test('the mock key ethers derives is the operator address the sample policy pins', () => {
  assert.equal(operatorKey.address.toLowerCase(), '0x73d0385f4d8e00c5e6504c6030f47bf6212736a8');
  assert.ok(new Wallet(operatorKey.privateKey).address === operatorKey.address);
});
