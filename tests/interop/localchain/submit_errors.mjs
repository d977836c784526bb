// scalus's rejection messages → Ogmios v6.14 submitTransaction errors.
//
// Codes and data shapes: ogmios.json definitions "SubmitTransactionFailure<…>" (3100–3168, 3997)
// and "DeserialisationFailure" (-32602). The message formats are scalus 0.17.0's
// (TransactionException subclasses in scalus.js, seen in experiments); each rule below matches one
// of them. A message no rule knows becomes 3997 (UnexpectedMempoolError, the generic code) with
// scalus's text in both `message` and `data.error`.
import { CSL, addressText } from './chain_codec.mjs';

const ada = (lovelace) => ({ ada: { lovelace: BigInt(lovelace) } });

// The text after `label:` up to the end of its line. Multi-part scalus messages put one part per
// line ("already registered credentials: Set(…),\nmissing registrations: …") or, on one line,
// end with the part this file reads ("…, extra script hashes: TreeSet(…)").
function section(text, label) {
  const at = text.indexOf(`${label}:`);
  if (at < 0) return '';
  const rest = text.slice(at + label.length + 1);
  const end = rest.indexOf('\n');
  return end < 0 ? rest : rest.slice(0, end);
}

// Every quoted hex string of `len` digits (key hashes 56, transaction ids 64).
function hexes(text, len) {
  return [...text.matchAll(new RegExp(`"([0-9a-f]{${len}})"`, 'g'))].map((m) => m[1]);
}

function outRefs(text) {
  return [...text.matchAll(/TransactionInput\("([0-9a-f]{64})",([0-9]+)\)/g)].map((m) => ({
    transaction: { id: m[1] },
    index: Number(m[2]),
  }));
}

// "Value(100000.000000 ADA)" → lovelace; null when the value holds more than ada.
function adaOfValue(text) {
  const m = /^Value\(([0-9]+)\.([0-9]{6}) ADA\)$/.exec(text.trim());
  return m ? BigInt(m[1]) * 1000000n + BigInt(m[2]) : null;
}

function validityInterval(tx) {
  const v = {};
  if (tx.validity.invalidBefore !== null) v.invalidBefore = tx.validity.invalidBefore;
  if (tx.validity.invalidAfter !== null) v.invalidAfter = tx.validity.invalidAfter;
  return v;
}

function wrongNetworkOutputs(tx, networkId) {
  const outs = tx.body.outputs();
  const bad = [];
  for (let i = 0; i < outs.len(); i++) {
    const a = outs.get(i).address();
    if (a.network_id() !== networkId) bad.push(addressText(a));
  }
  return bad;
}

function underfundedOutputs(tx, coinsPerUtxoByte) {
  const outs = tx.body.outputs();
  const cost = CSL.DataCost.new_coins_per_byte(CSL.BigNum.from_str(String(coinsPerUtxoByte)));
  const bad = [];
  for (let i = 0; i < outs.len(); i++) {
    const o = outs.get(i);
    const min = BigInt(CSL.min_ada_for_output(o, cost).to_str());
    const coin = BigInt(o.amount().coin().to_str());
    if (coin < min) {
      const output = { address: addressText(o.address()), value: ada(coin) };
      bad.push({ output, minimumRequiredValue: ada(min) });
    }
  }
  return bad;
}

const CRED = /(KeyHash|Script|ScriptHash|Stake)\("([0-9a-f]{56})"\)/;
// The first credential scalus prints in `text`: KeyHash("…") / Stake("…") for keys,
// Script("…") / ScriptHash("…") for scripts.
function credOf(text) {
  const m = CRED.exec(text);
  if (!m) return null;
  return { hash: m[2], from: m[1] === 'KeyHash' || m[1] === 'Stake' ? 'verificationKey' : 'script' };
}

function stakeCertificateFailure(msg) {
  const known = credOf(section(msg, 'already registered credentials'));
  if (known) return { code: 3145, data: { knownCredential: known.hash, from: known.from } };
  const unknown = credOf(section(msg, 'missing registrations'));
  if (unknown) return { code: 3146, data: { unknownCredential: unknown.hash, from: unknown.from } };
  const nonEmpty = /non-zero reward accounts: Map\([^)]*\) -> Coin\(([0-9]+)\)/.exec(msg);
  if (nonEmpty) return { code: 3147, data: { nonEmptyRewardAccountBalance: ada(nonEmpty[1]) } };
  const deposit = new RegExp(
    'invalid (?:deposits|refunds) \\(expected -> provided\\): ' +
      'Map\\([^)]*\\) -> \\(Coin\\(([0-9]+)\\),Coin\\(([0-9]+)\\)\\)',
  ).exec(msg);
  if (deposit) {
    return { code: 3151, data: { providedDeposit: ada(deposit[2]), expectedDeposit: ada(deposit[1]) } };
  }
  return null;
}

function withdrawalsFailure(msg, ctx) {
  const missing = credOf(section(msg, 'missing reward accounts'));
  if (missing) return { code: 3146, data: { unknownCredential: missing.hash, from: missing.from } };
  const undrained = /do not drain accounts \(expected -> provided\): Map\(.+\)/.exec(msg);
  if (!undrained) return null;
  const bad = {};
  for (const w of ctx.tx.withdrawals) {
    if (undrained[0].includes(`"${w.cred.hash}"`)) bad[w.account] = ada(w.amount);
  }
  return Object.keys(bad).length ? { code: 3141, data: { incompleteWithdrawals: bad } } : null;
}

// [prefix the message starts with, (message, ctx) → {code, data} | null]
const RULES = [
  ['Missing inputs', (m) => ({ code: 3117, data: { unknownOutputReferences: outRefs(m) } })],
  ['Missing collateral inputs', (m) => ({ code: 3117, data: { unknownOutputReferences: outRefs(m) } })],
  ['Missing reference inputs', (m) => ({ code: 3117, data: { unknownOutputReferences: outRefs(m) } })],
  ['Transaction "', (m, ctx) => {
    if (!/outside the validity interval/.test(m)) return null;
    const data = { validityInterval: validityInterval(ctx.tx), currentSlot: BigInt(ctx.tipSlot) };
    return { code: 3118, data };
  }],
  ['Fee or collateral validation failed', (m) => {
    const f = /fee Coin\(([0-9]+)\) is less than minimum required Coin\(([0-9]+)\)/.exec(m);
    return f ? { code: 3122, data: { minimumRequiredFee: ada(f[2]), providedFee: ada(f[1]) } } : null;
  }],
  ['Value not conserved', (m) => {
    const v = /consumed: (Value\(.*\)), produced: (Value\(.*\))$/.exec(m);
    const [consumed, produced] = v ? [adaOfValue(v[1]), adaOfValue(v[2])] : [null, null];
    return consumed !== null && produced !== null
      ? { code: 3123, data: { valueConsumed: ada(consumed), valueProduced: ada(produced) } }
      : null;
  }],
  ['Missing key hashes', (m) => ({
    code: 3101,
    data: { missingSignatories: [...new Set(hexes(m, 56))] },
  })],
  ['Invalid verified signatures', (m) => ({
    code: 3100,
    data: { invalidSignatories: [...m.matchAll(/VKeyWitness\("([0-9a-f]{64})"/g)].map((x) => x[1]) },
  })],
  ['Invalid native scripts', (m) => ({
    code: 3103,
    data: { failingNativeScripts: [...new Set(hexes(m, 56))] },
  })],
  ['Missing or extra script hashes', (m) => {
    const extra = hexes(section(m, 'extra script hashes'), 56);
    // The message itself starts "Missing or extra script hashes", so cut at the last part's label.
    const missing = hexes(m.slice(0, m.lastIndexOf('extra script hashes:')), 56);
    if (missing.length) return { code: 3102, data: { missingScripts: [...new Set(missing)] } };
    return extra.length ? { code: 3104, data: { extraneousScripts: extra } } : null;
  }],
  ['Transaction size', (m) => {
    const s = /Transaction size ([0-9]+) exceeds maximum allowed size ([0-9]+)/.exec(m);
    if (!s) return null;
    const data = {
      measuredTransactionSize: { bytes: BigInt(s[1]) },
      maximumTransactionSize: { bytes: BigInt(s[2]) },
    };
    return { code: 3119, data };
  }],
  ['Transaction outputs are too small', (m, ctx) => {
    const bad = underfundedOutputs(ctx.tx, ctx.coinsPerUtxoByte);
    return bad.length ? { code: 3125, data: { insufficientlyFundedOutputs: bad } } : null;
  }],
  ['Wrong network address', (m, ctx) => ({
    code: 3124,
    data: {
      expectedNetwork: ctx.network,
      discriminatedType: 'address',
      invalidEntities: wrongNetworkOutputs(ctx.tx, ctx.networkId),
    },
  })],
  ['Wrong network in withdrawals', (m, ctx) => ({
    code: 3124,
    data: {
      expectedNetwork: ctx.network,
      discriminatedType: 'rewardAccount',
      invalidEntities: ctx.tx.withdrawals
        .filter((w) => w.networkId !== ctx.networkId)
        .map((w) => w.account),
    },
  })],
  ['Wrong network id in transaction body', (m, ctx) => ({
    code: 3124,
    data: { expectedNetwork: ctx.network, discriminatedType: 'transaction' },
  })],
  ['Empty transaction inputs', () => ({ code: 3121 })],
  ['Inputs intersects with reference inputs', (m) => ({
    code: 3164,
    data: { conflictingReferences: outRefs(m) },
  })],
  ['Stake certificates validation failed', stakeCertificateFailure],
  ['Withdrawals validation failed', withdrawalsFailure],
];

// DeserialisationFailure.data has one reason per era (ogmios.json definitions).
const ERAS = ['shelley', 'allegra', 'mary', 'alonzo', 'babbage', 'conway'];

// `failure`: ChainState.apply's {source, …}; `ctx`: {tx, tipSlot, network ('mainnet'|'testnet'),
// networkId, coinsPerUtxoByte}. Returns the Ogmios error object {code, message, data?}.
export function ogmiosSubmitError(failure, ctx) {
  if (failure.source === 'front') {
    return { code: failure.code, message: failure.message, data: failure.data };
  }
  if (failure.source === 'decode') {
    const reason = `Transaction does not deserialise: ${failure.message}`;
    const data = Object.fromEntries(ERAS.map((era) => [era, reason]));
    return { code: -32602, message: 'Invalid transaction: it does not deserialise in any era.', data };
  }
  const message = failure.message;
  for (const [prefix, rule] of RULES) {
    if (!message.startsWith(prefix)) continue;
    const mapped = rule(message, ctx);
    if (!mapped) continue;
    const data = mapped.data ? { data: mapped.data } : {};
    return { code: mapped.code, message: `scalus: ${message}`, ...data };
  }
  return { code: 3997, message: `scalus: ${message}`, data: { error: message } };
}
