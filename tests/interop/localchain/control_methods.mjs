// stakeward/* JSON-RPC methods: test controls of the local chain. Not Ogmios, so not
// schema-validated. Params errors throw InvalidParams (JSON-RPC -32602).
export class InvalidParams extends Error {}

function count(value, name, { min = 1, max = 100000, fallback } = {}) {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    throw new InvalidParams(`"${name}" must be an integer from ${min} to ${max}`);
  }
  return v;
}

function addRewards(params, { ledger, log }) {
  const hash = params?.credential;
  if (typeof hash !== 'string' || !/^[0-9a-f]{56}$/.test(hash)) {
    throw new InvalidParams('"credential" must be a stake credential hash (56 lowercase hex digits)');
  }
  const from = params.from ?? 'script';
  if (from !== 'script' && from !== 'verificationKey') {
    throw new InvalidParams('"from" must be "script" or "verificationKey"');
  }
  if (typeof params.lovelace !== 'string' || !/^[0-9]{1,20}$/.test(params.lovelace)) {
    throw new InvalidParams('"lovelace" must be a decimal string');
  }
  const cred = { type: from === 'script' ? 'script' : 'key', hash };
  try {
    ledger.addRewards(cred, BigInt(params.lovelace));
  } catch (e) {
    if (e instanceof RangeError) throw new InvalidParams(e.message);
    throw e;
  }
  const rewards = ledger.confirmed.account(cred).rewards;
  log(`addRewards ${from}:${hash} +${params.lovelace} = ${rewards}`);
  return { credential: hash, from, rewards };
}

export const CONTROL_METHODS = Object.freeze({
  // {"blocks": n} (default 1): n blocks, the first carrying the whole mempool.
  'stakeward/mine': (params, { ledger }) => {
    const blocks = ledger.mine(count(params?.blocks, 'blocks', { max: 10000, fallback: 1 }));
    return { blocks, tip: ledger.tip };
  },
  // {"blocks": n} (default 1): back to the state before the n-th last block.
  'stakeward/rollback': (params, { ledger }) => {
    try {
      return ledger.rollback(count(params?.blocks, 'blocks', { max: 64, fallback: 1 }));
    } catch (e) {
      if (e instanceof RangeError) throw new InvalidParams(e.message);
      throw e;
    }
  },
  // {"slots": n}: one empty block n slots after the tip.
  'stakeward/advance': (params, { ledger }) => {
    const block = ledger.advance(count(params?.slots, 'slots', { max: 1e9 }));
    return { block, tip: ledger.tip, epoch: ledger.epoch() };
  },
  // {"credential": hex28, "lovelace": "N", "from": "script"|"verificationKey" (default script)}.
  'stakeward/addRewards': addRewards,
  'stakeward/status': (_params, { ledger }) => ledger.status(),
});
