#!/usr/bin/env node
// A local Cardano "node" for offline tests: scalus's Conway ledger rules behind an Ogmios
// v6.14-shaped JSON-RPC front (WebSocket and HTTP POST on one port). See docs/local-ledger.md.
//
//   node tests/interop/localchain/local-ledger.mjs --snapshot FILE --treasury-address ADDR
//        [--fund ADDR=LOVELACE]... [--stake KEYHASH=REWARDS]... [--port 0]
//        [--slots-per-block 20] [--epoch-length 432000] [--shared-dir DIR]
//
// Prints exactly one line on stdout once listening:
//   READY ws://127.0.0.1:PORT http://127.0.0.1:PORT
// and logs one line per request (and per submit result, block, rollback) on stderr. Exits 0 on
// SIGTERM/SIGINT, 64 on bad flags, 70 when an answer fails the Ogmios schema (a bug here).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pkg from 'scalus';
import { LocalLedger, SCALUS_PARAMETERS } from './ledger.mjs';
import { OgmiosFront } from './ogmios_server.mjs';
import { loadOgmiosSchema, schemaDirOf } from './ogmios_schema.mjs';
import { activePools } from './pool_view.mjs';
import { buildSeed } from './seed.mjs';

const { SlotConfig } = pkg;
const here = path.dirname(fileURLToPath(import.meta.url));
// <repo>/tests/interop/localchain → <repo>/../shared, the layout CTest's STAKEWARD_SHARED_DIR uses.
const DEFAULT_SHARED = path.resolve(here, '..', '..', '..', '..', 'shared');

const log = (line) => process.stderr.write(`[localchain] ${line}\n`);

function usage(problem) {
  process.stderr.write(
    `local-ledger: ${problem}\nusage: local-ledger.mjs --snapshot FILE --treasury-address ADDR ` +
      '[--fund ADDR=LOVELACE]... [--stake KEYHASH=REWARDS]... [--port 0] [--slots-per-block 20] ' +
      '[--epoch-length 432000] [--shared-dir DIR]\n',
  );
  process.exit(64);
}

function pairs(list, flag, check) {
  return (list ?? []).map((item) => {
    const m = /^([^=]+)=([0-9]+)$/.exec(item);
    if (!m || !check(m[1])) usage(`bad ${flag} ${item.slice(0, 120)}`);
    return [m[1], BigInt(m[2])];
  });
}

function integer(text, flag, min) {
  const v = Number(text);
  if (!Number.isSafeInteger(v) || v < min) usage(`${flag} must be an integer >= ${min}`);
  return v;
}

function parseCli(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        snapshot: { type: 'string' },
        'treasury-address': { type: 'string' },
        fund: { type: 'string', multiple: true },
        stake: { type: 'string', multiple: true },
        port: { type: 'string', default: '0' },
        'slots-per-block': { type: 'string', default: '20' },
        'epoch-length': { type: 'string', default: '432000' },
        'shared-dir': { type: 'string' },
      },
      strict: true,
    }));
  } catch (e) {
    usage(e.message);
  }
  if (!values.snapshot) usage('--snapshot is required');
  if (!values['treasury-address']) usage('--treasury-address is required');
  return {
    snapshot: values.snapshot,
    treasuryAddress: values['treasury-address'],
    funds: pairs(values.fund, '--fund', (a) => /^addr/.test(a))
      .map(([address, lovelace]) => ({ address, lovelace })),
    stakes: pairs(values.stake, '--stake', (h) => /^[0-9a-f]{56}$/.test(h))
      .map(([keyHash, rewards]) => ({ keyHash, rewards })),
    port: integer(values.port, '--port', 0),
    slotsPerBlock: integer(values['slots-per-block'], '--slots-per-block', 1),
    epochLength: integer(values['epoch-length'], '--epoch-length', 1),
    sharedDir: values['shared-dir'] ?? process.env.STAKEWARD_SHARED_DIR ?? DEFAULT_SHARED,
  };
}

// The snapshot's own parameters describe the chain it came from; the local chain enforces
// scalus's. A difference is worth a line, not a failure.
function warnOnParameterDrift(protocol) {
  const pairsToCheck = [
    ['key_deposit', SCALUS_PARAMETERS.keyDeposit],
    ['min_fee_a', SCALUS_PARAMETERS.minFeeA],
    ['min_fee_b', SCALUS_PARAMETERS.minFeeB],
    ['coins_per_utxo_byte', SCALUS_PARAMETERS.coinsPerUtxoByte],
    ['max_tx_size', SCALUS_PARAMETERS.maxTxSize],
    ['protocol_major', BigInt(SCALUS_PARAMETERS.protocolMajor)],
  ];
  for (const [name, enforced] of pairsToCheck) {
    if (protocol?.[name] !== undefined && BigInt(protocol[name]) !== enforced) {
      log(`warning: snapshot protocol.${name} = ${protocol[name]}, scalus enforces ${enforced}`);
    }
  }
}

async function main() {
  const opts = parseCli(process.argv.slice(2));
  const seed = buildSeed({
    snapshotText: readFileSync(opts.snapshot, 'utf8'),
    treasuryAddress: opts.treasuryAddress,
    funds: opts.funds,
    stakes: opts.stakes,
    keyDeposit: SCALUS_PARAMETERS.keyDeposit,
  });
  warnOnParameterDrift(seed.protocol);
  for (const w of seed.warnings) log(`warning: ${w}`);
  const startEpoch = Math.floor(seed.tip.slot / opts.epochLength);
  if (startEpoch !== seed.epoch) {
    log(`warning: slot ${seed.tip.slot} / --epoch-length ${opts.epochLength} is epoch ` +
      `${startEpoch}, the snapshot says ${seed.epoch}`);
  }
  const config = {
    // scalus takes the network from the slot configuration (a preview emulator refuses mainnet
    // addresses); only slot numbers are used here, never wall-clock time.
    slotConfig: seed.networkId === 1 ? SlotConfig.mainnet : SlotConfig.preview,
    keyDeposit: SCALUS_PARAMETERS.keyDeposit,
    poolCerts: seed.poolCerts,
    // Pools retiring by the start epoch are unknown to delegation checks for the whole run.
    knownPools: new Set(activePools(seed, startEpoch).map((p) => p.hex)),
  };
  const ledger = LocalLedger.fromSeed(config, seed, {
    slotsPerBlock: opts.slotsPerBlock,
    epochLength: opts.epochLength,
    log,
  });
  const schema = loadOgmiosSchema(schemaDirOf(opts.sharedDir));
  const front = new OgmiosFront({ ctx: { ledger, seed, log }, schema });
  const port = await front.listen(opts.port);
  log(`seeded ${seed.utxos.length} UTxOs, ${seed.accounts.length} stake registrations, ` +
    `${seed.pools.length} pools; tip slot ${ledger.tip.slot} height ${ledger.tip.height} ` +
    `epoch ${ledger.epoch()}`);
  process.stdout.write(`READY ws://127.0.0.1:${port} http://127.0.0.1:${port}\n`);
  const stop = (signal) => {
    log(`${signal}: closing`);
    front.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((e) => {
  process.stderr.write(`local-ledger: ${e?.stack ?? e}\n`);
  process.exit(1);
});
