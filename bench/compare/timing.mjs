// The references run by bench/compare/run.sh, timed like stakeward-compare: the median over
// batches of the per-operation time.
//   node timing.mjs csl-decode FILE     CSL Transaction.from_bytes, µs per op
//   node timing.mjs json-parse FILE     JSON.parse of the file's text, ms per op
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

function medianMicros(batches, n, op) {
  const perOp = [];
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) op();
    perOp.push(Number(process.hrtime.bigint() - t0) / 1000 / n);
  }
  perOp.sort((x, y) => x - y);
  return perOp[Math.floor(perOp.length / 2)];
}

const [mode, file] = process.argv.slice(2);
if (mode === 'csl-decode') {
  // Resolved from tests/interop, where the project's lock file pins it.
  const require = createRequire(new URL('../../tests/interop/package.json', import.meta.url));
  const CSL = require('@emurgo/cardano-serialization-lib-nodejs');
  const bytes = new Uint8Array(readFileSync(file));
  CSL.Transaction.from_bytes(bytes).free();
  const n = bytes.length > 2000 ? 2000 : 20000;
  const us = medianMicros(21, n, () => CSL.Transaction.from_bytes(bytes).free());
  console.log(`decode_us ${us.toFixed(3)} bytes ${bytes.length}`);
} else if (mode === 'json-parse') {
  const text = readFileSync(file, 'utf8');
  const us = medianMicros(11, 1, () => JSON.parse(text));
  console.log(`parse_ms ${(us / 1000).toFixed(3)} bytes ${Buffer.byteLength(text)}`);
} else {
  console.error('usage: node timing.mjs csl-decode FILE | json-parse FILE');
  process.exit(2);
}
