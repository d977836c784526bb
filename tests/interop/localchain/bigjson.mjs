// JSON text with exact integers. Lovelace amounts (reserves, total stake, asset quantities) can
// exceed 2^53, so the front keeps them as BigInt and writes them as bare JSON integers, the way
// Ogmios does (cardano.json Value: "lovelace": {"type": "integer"}). Node 20 has no JSON.rawJSON,
// so BigInts pass through JSON.stringify as a marker string that is then unquoted. The marker
// carries a per-process random nonce, so a client-supplied string (an echoed request id) can never
// be mistaken for one.
import { randomBytes } from 'node:crypto';

const NONCE = randomBytes(8).toString('hex');
const MARKER = new RegExp(`"@big${NONCE}:(-?[0-9]+)"`, 'g');

export function stringify(value) {
  const text = JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? `@big${NONCE}:${v}` : v));
  return text.replace(MARKER, '$1');
}

// JSON.parse that keeps integers beyond 2^53 exact: they come back as decimal strings, to be
// read with BigInt() (every integer field of a Stakeward snapshot is read that way). Integers
// of 16+ digits outside string literals are quoted before parsing.
export function parseExact(text) {
  const quoted = text.replace(/"(?:[^"\\]|\\.)*"|-?[0-9]{16,}(?![0-9.eE])/g, (m) =>
    m.startsWith('"') ? m : `"${m}"`,
  );
  return JSON.parse(quoted);
}
