// The Ogmios methods Stakeward's C++ client sends (chainsource/ogmios_source.cc), answered from
// the local ledger. Each handler takes the request's params (already checked against the
// request's schema definition) and returns {result} or {error}; a params problem the schema cannot
// express throws InvalidRequest, which the server turns into Ogmios's JSON-RPC -32600 answer.
import { CSL, credentialOfCsl, parseAddress } from './chain_codec.mjs';
import { protocolParametersJson, rewardAccountSummaryJson, utxoJson } from './ogmios_encode.mjs';
import { liveStakeDistributionResult, performancesResult, stakePoolsResult } from './pool_view.mjs';
import { parseRatio } from './seed.mjs';
import { ogmiosSubmitError } from './submit_errors.mjs';
import { SCALUS_PARAMETERS } from './ledger.mjs';

export class InvalidRequest extends Error {}

const tipJson = (ledger) => ({ slot: BigInt(ledger.tip.slot), id: ledger.tip.id });

// AnyStakeCredential (ogmios.json): 56 hex digits (key or script by the list it is in), a
// stake/stake_test address, or bech32 stake_vkh1…/script1….
function parseCredential(text, type) {
  if (/^[0-9a-fA-F]{56}$/.test(text)) return { type, hash: text.toLowerCase() };
  try {
    if (/^stake(_test)?1/.test(text)) {
      const account = CSL.RewardAddress.from_address(CSL.Address.from_bech32(text));
      return credentialOfCsl(account.payment_cred());
    }
    if (/^stake_vkh1/.test(text)) {
      return { type: 'key', hash: CSL.Ed25519KeyHash.from_bech32(text).to_hex() };
    }
    if (/^script1/.test(text)) {
      return { type: 'script', hash: CSL.ScriptHash.from_bech32(text).to_hex() };
    }
  } catch {
    // falls through to the error below
  }
  throw new InvalidRequest(`Unable to decode credential ${JSON.stringify(text.slice(0, 120))}.`);
}

function rewardAccountSummaries(params, { ledger }) {
  const creds = [
    ...(params?.keys ?? []).map((k) => parseCredential(k, 'key')),
    ...(params?.scripts ?? []).map((s) => parseCredential(s, 'script')),
  ];
  const seen = new Set();
  const result = [];
  for (const cred of creds) {
    const key = `${cred.type}:${cred.hash}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // Like Ogmios, unregistered credentials are simply absent from the answer.
    const acc = ledger.confirmed.account(cred);
    if (acc) result.push(rewardAccountSummaryJson(cred, acc));
  }
  return { result };
}

function utxo(params, { ledger }) {
  const state = ledger.confirmed;
  let found;
  if (params?.addresses) {
    found = params.addresses.flatMap((a) => {
      try {
        parseAddress(a);
        return state.utxosAt(a);
      } catch {
        throw new InvalidRequest(`Unable to decode address ${JSON.stringify(a.slice(0, 120))}.`);
      }
    });
  } else if (params?.outputReferences) {
    const refs = params.outputReferences.map((r) => ({ txId: r.transaction.id, index: r.index }));
    found = state.utxosByRefs(refs);
  } else {
    found = state.allUtxos();
  }
  return { result: found.map(utxoJson) };
}

function submitTransaction(params, { ledger, seed, log }) {
  const bytes = Buffer.from(params.transaction.cbor, 'hex');
  const r = ledger.submit(new Uint8Array(bytes));
  if (r.ok) {
    log(`submit ${r.txId} accepted (mempool ${ledger.mempool.length})`);
    return { result: { transaction: { id: r.txId } } };
  }
  const ctx = {
    tx: r.tx,
    tipSlot: ledger.tip.slot,
    network: seed.network === 'mainnet' ? 'mainnet' : 'testnet',
    networkId: seed.networkId,
    coinsPerUtxoByte: SCALUS_PARAMETERS.coinsPerUtxoByte,
  };
  const error = ogmiosSubmitError(r.failure, ctx);
  log(`submit ${r.tx?.id ?? '(undecodable)'} rejected ${error.code}: ${error.message.slice(0, 200)}`);
  return { error };
}

function stakePools(params, { ledger, seed }) {
  const only = params?.stakePools ? new Set(params.stakePools.map((p) => p.id)) : null;
  const includeStake = params?.includeStake === true;
  return { result: stakePoolsResult(seed, ledger.confirmed, ledger.epoch(), { includeStake, only }) };
}

export const OGMIOS_METHODS = Object.freeze({
  'queryNetwork/tip': (_p, { ledger }) => ({ result: tipJson(ledger) }),
  'queryLedgerState/tip': (_p, { ledger }) => ({ result: tipJson(ledger) }),
  'queryNetwork/blockHeight': (_p, { ledger }) => ({ result: BigInt(ledger.tip.height) }),
  'queryLedgerState/epoch': (_p, { ledger }) => ({ result: BigInt(ledger.epoch()) }),
  'queryLedgerState/protocolParameters': (_p, { seed }) => ({
    result: protocolParametersJson(seed.protocol, parseRatio),
  }),
  'queryLedgerState/stakePools': stakePools,
  'queryLedgerState/liveStakeDistribution': (_p, { ledger, seed }) => ({
    result: liveStakeDistributionResult(seed, ledger.confirmed, ledger.epoch()),
  }),
  'queryLedgerState/stakePoolsPerformances': (_p, { ledger, seed }) => ({
    result: performancesResult(seed, ledger.epoch(), parseRatio),
  }),
  'queryLedgerState/rewardAccountSummaries': rewardAccountSummaries,
  'queryLedgerState/utxo': utxo,
  'queryLedgerState/treasuryAndReserves': (_p, { seed }) => ({
    // The snapshot format has no treasury pot; the local chain reports 0 (docs/local-ledger.md).
    result: { treasury: { ada: { lovelace: 0n } }, reserves: { ada: { lovelace: seed.reserves } } },
  }),
  submitTransaction,
});
