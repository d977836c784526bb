// Interop: the reward cycle's transactions as third-party libraries read them.
//  - CSL (@emurgo/cardano-serialization-lib-nodejs) parses the L1 reward transaction: full
//    withdrawals from script reward accounts, treasury and bridge outputs, the fee, and the
//    Milkomeda metadata {87: magic, 88: operator L2 address} whose hash is in the body.
//  - ethers parses the signed L2 deposit: EIP-1559, chain id 200101, the sender recovered from the
//    signature is the operator, and the call data decodes as accreditToPool(_roi).
// The transactions come from `rewards_vectors` (tests/unit/rewards/tools), built by sw_rewards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
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
