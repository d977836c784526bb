// Foreign client: Node's @grpc/grpc-js + @grpc/proto-loader, loading Stakeward's own .proto files,
// drive a full proposal round against stakewardd (dev mode, loopback); the two signers sign on the
// Ledger and Trezor mocks with the C++ CLI; @emurgo/cardano-serialization-lib parses every
// exported transaction and verifies every vkey witness over the transaction hash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import CSL from '@emurgo/cardano-serialization-lib-nodejs';

const BIN = process.env.STAKEWARD_BIN;
const SRC = process.env.STAKEWARD_SOURCE_DIR;

function startReady(cmd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(BIN, cmd), args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`${cmd} not ready`)), 10000);
    child.stdout.on('data', (d) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => l.startsWith('READY '));
      if (line) {
        clearTimeout(timer);
        resolve({ child, line });
      }
    });
    child.on('exit', (code) => reject(new Error(`${cmd} exited ${code}`)));
  });
}

function loadApi() {
  const def = protoLoader.loadSync(
    ['proposal.proto', 'policy.proto', 'snapshot.proto', 'audit.proto'].map((f) =>
      path.join('proto/stakeward/v1', f)),
    { includeDirs: [SRC], keepCase: false, longs: String, enums: String, defaults: true, bytes: Buffer });
  return grpc.loadPackageDefinition(def).stakeward.v1;
}

function call(client, method, req, role) {
  const md = new grpc.Metadata();
  md.set('x-stakeward-role', role);
  return new Promise((resolve, reject) => {
    client[method](req, md, { deadline: Date.now() + 60000 }, (err, resp) =>
      err ? reject(err) : resolve(resp));
  });
}

test('full round over gRPC from Node, transactions verified by cardano-serialization-lib', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sw-grpc-'));
  const children = [];
  try {
    const trezor = await startReady('mock-trezor', ['--port', '0', '--control-port', '0']);
    const ledger = await startReady('mock-ledger', ['--apdu-port', '0', '--control-port', '0']);
    children.push(trezor.child, ledger.child);
    const trezorUri = trezor.line.split(' ')[1];
    const ledgerUri = ledger.line.split(' ')[1];
    const daemon = await startReady('stakewardd',
      ['--dev', '--listen', '127.0.0.1:0', '--db', path.join(dir, 'db.sqlite')]);
    children.push(daemon.child);
    const server = daemon.line.split(' ')[1].replace('grpc:', '');

    const api = loadApi();
    const creds = grpc.credentials.createInsecure();
    const policies = new api.PolicyService(server, creds);
    const snapshots = new api.SnapshotService(server, creds);
    const proposals = new api.ProposalService(server, creds);
    const audit = new api.AuditService(server, creds);

    const policyDoc = readFileSync(path.join(SRC, 'policy/samples/policy.yaml'), 'utf8');
    const proposed = await call(policies, 'proposePolicy', { document: policyDoc }, 'operator');
    assert.equal(proposed.policy.inForce, false);
    // Unknown role and wrong role are refused with the right codes.
    await assert.rejects(call(snapshots, 'pushSnapshot', { document: '{}' }, 'auditor'),
      (e) => e.code === grpc.status.PERMISSION_DENIED);
    await assert.rejects(call(proposals, 'getProposal', { id: 'nope' }, 'operator'),
      (e) => e.code === grpc.status.NOT_FOUND);

    // Each signer trusts the policy document the DAO agreed on (the signers' trust anchor).
    const env = { ...process.env, STAKEWARD_TRUST_DIR: path.join(dir, 'trust') };
    execFileSync(path.join(BIN, 'stakeward'),
      ['policy', 'trust', path.join(SRC, 'policy/samples/policy.yaml')], { env, stdio: 'ignore' });
    const cli = (args) => execFileSync(path.join(BIN, 'stakeward'),
      [...args, '--server', server], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
    cli(['policy', 'sign', '--signer', 'alice', '--device', trezorUri]);
    cli(['policy', 'sign', '--signer', 'carol', '--device', ledgerUri]);
    const inForce = await call(policies, 'getPolicyInForce', {}, 'auditor');
    assert.equal(inForce.policy.version, '1');

    const snapDoc = readFileSync(path.join(SRC, 'policy/samples/snapshot.json'), 'utf8');
    await call(snapshots, 'pushSnapshot', { document: snapDoc }, 'operator');
    const created = await call(proposals, 'createProposal', {}, 'operator');
    const id = created.proposal.id;
    assert.equal(created.proposal.state, 'PROPOSAL_STATE_OPEN');

    cli(['proposal', 'sign', id, '--signer', 'alice', '--device', trezorUri]);
    cli(['proposal', 'sign', id, '--signer', 'carol', '--device', ledgerUri]);

    const got = await call(proposals, 'getProposal', { id }, 'auditor');
    assert.equal(got.proposal.state, 'PROPOSAL_STATE_READY');
    const exported = await call(proposals, 'exportProposal', { id }, 'operator');
    assert.equal(exported.files.length, got.proposal.txs.length);
    for (const [i, f] of exported.files.entries()) {
      const te = JSON.parse(f.json);
      assert.equal(te.type, 'Witnessed Tx ConwayEra');
      const fixed = CSL.FixedTransaction.from_hex(te.cborHex);
      const hash = fixed.transaction_hash();
      assert.equal(Buffer.from(hash.to_bytes()).toString('hex'),
        got.proposal.txs[i].txId.toString('hex'));
      const ws = fixed.witness_set();
      const vkeys = ws.vkeys();
      assert.ok(vkeys && vkeys.len() >= 2, 'vkey witnesses present');
      for (let k = 0; k < vkeys.len(); k++) {
        const w = vkeys.get(k);
        assert.ok(w.vkey().public_key().verify(hash.to_bytes(), w.signature()),
          `witness ${k} of tx ${i} verifies`);
      }
      assert.ok(ws.native_scripts() && ws.native_scripts().len() >= 1, 'native scripts present');
      const body = fixed.body();
      assert.ok(BigInt(body.fee().to_str()) > 0n);
      assert.ok(body.auxiliary_data_hash(), 'aux data hash in the body');
    }
    const log = await call(audit, 'readAudit', { fromSeq: 1, limit: 100 }, 'auditor');
    assert.ok(log.entries.length >= 8);
    for (const c of [policies, snapshots, proposals, audit]) c.close();
  } finally {
    for (const c of children.reverse()) c.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
});
